#include <type_traits>

#include "vitrina/protocol/chat.hpp"

namespace vitrina::protocol::chat {

std::string_view to_string(AuthorRole role) noexcept {
  switch (role) {
    case AuthorRole::visitor:
      return "visitor";
    case AuthorRole::operator_:
      return "operator";
    case AuthorRole::system:
      return "system";
  }
  return "system";
}

std::string_view to_string(OperatorStatus status) noexcept {
  switch (status) {
    case OperatorStatus::online:
      return "online";
    case OperatorStatus::away:
      return "away";
    case OperatorStatus::offline:
      return "offline";
  }
  return "offline";
}

std::string_view to_string(ActionKind kind) noexcept {
  switch (kind) {
    case ActionKind::take:
      return "take";
    case ActionKind::assign:
      return "assign";
    case ActionKind::close:
      return "close";
    case ActionKind::reopen:
      return "reopen";
  }
  return "take";
}

std::string_view to_string(ConversationStatus s) noexcept {
  switch (s) {
    case ConversationStatus::waiting:
      return "waiting";
    case ConversationStatus::open:
      return "open";
    case ConversationStatus::closed:
      return "closed";
  }
  return "closed";
}

std::string_view to_string(ConversationKind kind) noexcept {
  return kind == ConversationKind::offline ? "offline" : "chat";
}

std::string_view to_string(Availability a) noexcept {
  switch (a) {
    case Availability::online:
      return "online";
    case Availability::offline:
      return "offline";
    case Availability::closed:
      return "closed";
  }
  return "closed";
}

std::string_view to_string(TokenStatus status) noexcept {
  switch (status) {
    case TokenStatus::issued:
      return "issued";
    case TokenStatus::valid:
      return "valid";
    case TokenStatus::rotated:
      return "rotated";
    case TokenStatus::replaced:
      return "replaced";
  }
  return "issued";
}

std::string_view to_string(OperatorRole role) noexcept { return role == OperatorRole::owner ? "owner" : "operator"; }

std::string_view frame_type(const ClientFrame& frame) noexcept {
  return std::visit(
      [](const auto& p) -> std::string_view {
        using T = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<T, Hello>) return "hello";
        if constexpr (std::is_same_v<T, SendMessage>) return "message";
        if constexpr (std::is_same_v<T, Resume>) return "resume";
        if constexpr (std::is_same_v<T, SetTyping>) return "typing";
        if constexpr (std::is_same_v<T, MarkRead>) return "read";
        if constexpr (std::is_same_v<T, UpdateContext>) return "context";
        if constexpr (std::is_same_v<T, LeaveOfflineMessage>) return "offline_message";
        if constexpr (std::is_same_v<T, SetPresence>) return "presence";
        if constexpr (std::is_same_v<T, ConversationAction>) return to_string(p.kind);
        if constexpr (std::is_same_v<T, Ping>) return "ping";
      },
      frame.payload);
}

std::string_view frame_type(const ServerFrame& frame) noexcept {
  return std::visit(
      [](const auto& p) -> std::string_view {
        using T = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<T, Welcome>) return "welcome";
        if constexpr (std::is_same_v<T, Ack>) return "ack";
        if constexpr (std::is_same_v<T, MessageEvent>) return "message";
        if constexpr (std::is_same_v<T, Resumed>) return "resumed";
        if constexpr (std::is_same_v<T, TypingEvent>) return "typing";
        if constexpr (std::is_same_v<T, ReadEvent>) return "read";
        if constexpr (std::is_same_v<T, PresenceEvent>) return "presence";
        if constexpr (std::is_same_v<T, OperatorPresenceEvent>) return "operator_presence";
        if constexpr (std::is_same_v<T, ConversationEvent>) return "conversation";
        if constexpr (std::is_same_v<T, ContextEvent>) return "visitor_context";
        if constexpr (std::is_same_v<T, ErrorEvent>) return "error";
        if constexpr (std::is_same_v<T, Pong>) return "pong";
      },
      frame);
}

}  // namespace vitrina::protocol::chat
