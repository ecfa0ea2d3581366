#include "chat_client.hpp"

#include <algorithm>
#include <array>
#include <utility>
#include <variant>

#include <vitrina/protocol/chat_codec.hpp>
#include <vitrina/protocol/chat_rules.hpp>

namespace vitrina::widget {

namespace {

// docs/protocol.md, "Limits and close codes": a browser cannot send WebSocket pings, so the
// client sends `ping` after this long without traffic and gives up on the socket if no `pong`
// comes in time.
constexpr std::int64_t kPingAfterMs = 25'000;
constexpr std::int64_t kPongWithinMs = 10'000;
constexpr std::int64_t kRateLimitedCloseBackoffMs = 10'000;
// `typing: true` is renewed at most this often while the visitor keeps typing, and `false` is
// sent after this long without a keystroke.
constexpr std::int64_t kTypingRenewMs = 3'000;
constexpr std::int64_t kTypingIdleMs = 4'000;

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace

ChatClient::ChatClient(Host& host, ChatListener& listener, std::string url, std::string storage_key)
    : host_(host), listener_(listener), url_(std::move(url)), storage_key_(std::move(storage_key)) {
  // A token kept by an earlier visit; reading it writes nothing.
  if (auto kept = host_.storage_get(storage_key_); kept && protocol::chat::check_token(*kept)) {
    token_ = *kept;
    storage_allowed_ = true;  // the visitor interacted before, which is why there is a token
  }
}

std::int64_t ChatClient::backoff_ms(int failures) noexcept {
  std::int64_t ms = 1000;
  for (int i = 1; i < failures && ms < 30'000; ++i) ms *= 2;
  return std::min<std::int64_t>(ms, 30'000);
}

void ChatClient::set_connection(Connection state) {
  if (connection_ == state) return;
  connection_ = state;
  listener_.on_connection(state);
}

void ChatClient::connect() {
  if (connection_ == Connection::kConnecting || connection_ == Connection::kReady) return;
  host_.timer_stop(TimerId::kReconnect);
  set_connection(Connection::kConnecting);
  socket_open_ = false;
  host_.socket_open(url_);
}

void ChatClient::allow_storage() {
  if (storage_allowed_) return;
  storage_allowed_ = true;
  keep_token();
}

void ChatClient::keep_token() {
  if (storage_allowed_ && !token_.empty()) host_.storage_set(storage_key_, token_);
}

void ChatClient::set_identity(chat::Identity identity) {
  if (identity_ && *identity_ == identity) return;
  identity_ = std::move(identity);
  // An idle client presents it when it connects; one that is connected (or was refused for
  // want of it) starts a fresh connection whose hello carries it.
  if (connection_ == Connection::kIdle) return;
  host_.socket_close();
  socket_open_ = false;
  host_.timer_stop(TimerId::kPing);
  host_.timer_stop(TimerId::kPongDeadline);
  set_connection(Connection::kIdle);
  connect();
}

void ChatClient::update_context(const chat::VisitorContext& context) {
  auto merge = [](auto& into, const auto& from) {
    if (from) into = from;
  };
  merge(context_.url, context.url);
  merge(context_.title, context.title);
  merge(context_.referrer, context.referrer);
  merge(context_.language, context.language);
  merge(context_.attributes, context.attributes);
  merge(context_.name, context.name);
  merge(context_.email, context.email);
  merge(context_.phone, context.phone);
  if (connection_ == Connection::kReady) send_frame(chat::UpdateContext{context});
}

void ChatClient::send_frame(chat::ClientPayload payload, std::string ref) {
  host_.socket_send(chat::write_client_frame(chat::ClientFrame{std::move(ref), std::move(payload)}));
}

std::string ChatClient::new_client_id() {
  static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
  std::array<std::uint8_t, 22> bytes{};
  host_.random_bytes(bytes.data(), bytes.size());
  std::string id;
  for (std::uint8_t b : bytes) id += kAlphabet[b & 63];
  return id;
}

void ChatClient::send_outgoing(const Outgoing& out) {
  if (connection_ != Connection::kReady) return;  // sent after the next welcome
  if (out.offline) {
    send_frame(chat::LeaveOfflineMessage{out.client_id, out.text, out.name, out.email, out.phone});
  } else {
    send_frame(chat::SendMessage{{}, out.client_id, out.text, false});
  }
}

protocol::Result<std::string> ChatClient::send(std::string_view text) {
  if (auto ok = chat::check_message_text(text, limits_); !ok) return ok.error();
  Outgoing out{new_client_id(), std::string(text)};
  own_ids_.push_back(out.client_id);
  outbox_.push_back(out);
  set_typing(false);
  send_outgoing(out);
  connect();
  return out.client_id;
}

protocol::Result<std::string> ChatClient::leave_offline(std::string_view name, std::string_view email,
                                                        std::string_view phone, std::string_view text) {
  if (auto ok = chat::check_message_text(text, limits_); !ok) return ok.error();
  if (auto ok = chat::check_line(name, chat::kMaxNameChars, "name"); !ok) return ok.error();
  if (email.empty() && phone.empty())
    return protocol::make_error(protocol::ErrorCode::invalid, "an e-mail or a phone is required", "email");
  if (!email.empty()) {
    if (auto ok = chat::check_email(email); !ok) return ok.error();
  }
  if (!phone.empty()) {
    if (auto ok = chat::check_phone(phone); !ok) return ok.error();
  }
  Outgoing out{new_client_id(), std::string(text), true, std::string(name), std::string(email), std::string(phone)};
  own_ids_.push_back(out.client_id);
  outbox_.push_back(out);
  send_outgoing(out);
  connect();
  return out.client_id;
}

void ChatClient::set_typing(bool typing) {
  if (connection_ != Connection::kReady || !conversation_ ||
      conversation_->status == chat::ConversationStatus::closed) {
    typing_sent_ms_ = -1;
    return;
  }
  const std::int64_t now = host_.now_ms();
  if (typing) {
    if (typing_sent_ms_ < 0 || now - typing_sent_ms_ >= kTypingRenewMs) {
      send_frame(chat::SetTyping{conversation_->id, true});
      typing_sent_ms_ = now;
    }
    host_.timer_start(TimerId::kOwnTypingStop, kTypingIdleMs);
  } else if (typing_sent_ms_ >= 0) {
    send_frame(chat::SetTyping{conversation_->id, false});
    typing_sent_ms_ = -1;
    host_.timer_stop(TimerId::kOwnTypingStop);
  }
}

void ChatClient::mark_read(std::int64_t seq) {
  if (!conversation_ || seq <= read_sent_ || connection_ != Connection::kReady) return;
  read_sent_ = seq;
  send_frame(chat::MarkRead{conversation_->id, seq});
}

void ChatClient::close_conversation() {
  if (!conversation_ || conversation_->status == chat::ConversationStatus::closed) return;
  if (connection_ == Connection::kReady) {
    send_frame(chat::ConversationAction{chat::ActionKind::close, conversation_->id, {}});
  }
}

void ChatClient::on_socket_opened() {
  socket_open_ = true;
  chat::Hello hello;
  hello.token = token_;
  hello.identity = identity_;
  hello.context = context_;
  send_frame(std::move(hello));
}

void ChatClient::on_socket_closed(int code) {
  socket_open_ = false;
  resuming_ = false;
  host_.timer_stop(TimerId::kPing);
  host_.timer_stop(TimerId::kPongDeadline);
  typing_sent_ms_ = -1;
  if (code == chat::kCloseUnauthenticated || code == chat::kCloseForbidden) {
    set_connection(Connection::kRefused);
    return;
  }
  if (code == chat::kCloseNormal && outbox_.empty()) {
    set_connection(Connection::kIdle);
    return;
  }
  ++failures_;
  schedule_reconnect(code == chat::kCloseRateLimited ? kRateLimitedCloseBackoffMs : 0);
}

void ChatClient::schedule_reconnect(std::int64_t at_least_ms) {
  set_connection(Connection::kWaiting);
  // Jitter: somewhere in the upper half of the backoff, so that a server restart is not met by
  // every widget at the same instant.
  std::uint8_t r = 0;
  host_.random_bytes(&r, 1);
  const std::int64_t base = backoff_ms(failures_);
  const std::int64_t delay = std::max(at_least_ms, base / 2 + base * r / 512);
  host_.timer_start(TimerId::kReconnect, delay);
}

void ChatClient::on_timer(TimerId id) {
  switch (id) {
    case TimerId::kReconnect:
      if (connection_ == Connection::kWaiting) {
        set_connection(Connection::kIdle);
        connect();
      }
      break;
    case TimerId::kPing:
      if (connection_ == Connection::kReady) {
        send_frame(chat::Ping{});
        host_.timer_start(TimerId::kPongDeadline, kPongWithinMs);
      }
      break;
    case TimerId::kPongDeadline:
      // The connection is dead without the browser having noticed: start over.
      host_.socket_close();
      on_socket_closed(1006);
      break;
    case TimerId::kOwnTypingStop:
      set_typing(false);
      break;
    default:
      break;
  }
}

void ChatClient::on_socket_message(std::string_view text) {
  auto frame = chat::parse_server_frame(text);
  // Unknown frame types and members are for newer clients: ignore them.
  if (!frame) return;
  host_.timer_stop(TimerId::kPongDeadline);
  if (connection_ == Connection::kReady) host_.timer_start(TimerId::kPing, kPingAfterMs);
  std::visit(Overloaded{
                 [this](const chat::Welcome& f) { handle(f); },
                 [this](const chat::Ack& f) { handle(f); },
                 [this](const chat::MessageEvent& f) { handle(f); },
                 [this](const chat::Resumed& f) { handle(f); },
                 [this](const chat::TypingEvent& f) { listener_.on_typing(f); },
                 [this](const chat::ReadEvent& f) { listener_.on_read(f); },
                 [this](const chat::PresenceEvent& f) { listener_.on_presence(f); },
                 [this](const chat::ConversationEvent& f) { handle(f); },
                 [this](const chat::ErrorEvent& f) { handle(f); },
                 [](const auto&) {},
             },
             *frame);
}

void ChatClient::handle(const chat::Welcome& welcome) {
  if (!welcome.visitor) return;
  const chat::VisitorSession& session = *welcome.visitor;
  failures_ = 0;
  limits_ = welcome.limits;
  token_ = session.token;
  keep_token();
  set_connection(Connection::kReady);
  host_.timer_start(TimerId::kPing, kPingAfterMs);
  listener_.on_session(session);
  listener_.on_presence(session.presence);
  if (session.conversation) {
    adopt(*session.conversation);
    if (session.conversation->last_seq > cursor_.delivered()) resume_from(cursor_.delivered());
  }
  for (const Outgoing& out : outbox_) send_outgoing(out);
}

// A conversation the server says is the visitor's: a new one starts the numbering again.
void ChatClient::adopt(const chat::Conversation& conversation) {
  if (!conversation_ || conversation_->id != conversation.id) {
    cursor_ = chat::DeliveryCursor{};
    read_sent_ = 0;
  }
  conversation_ = conversation;
  listener_.on_conversation(conversation);
}

void ChatClient::resume_from(std::int64_t seq) {
  if (!conversation_) return;
  resuming_ = true;
  send_frame(chat::Resume{conversation_->id, seq}, "resume");
}

bool ChatClient::settle(std::string_view client_id) {
  auto it = std::find_if(outbox_.begin(), outbox_.end(), [&](const Outgoing& o) { return o.client_id == client_id; });
  if (it == outbox_.end()) return false;
  outbox_.erase(it);
  return true;
}

void ChatClient::handle(const chat::Ack& ack) {
  if (!settle(ack.client_id)) return;  // a repeat of an ack already handled
  listener_.on_sent(ack);
}

void ChatClient::handle(const chat::MessageEvent& message) {
  if (conversation_ && message.conversation_id != conversation_->id) return;
  if (!cursor_.admit(message.seq)) return;
  if (message.author.role == chat::AuthorRole::visitor &&
      std::find(own_ids_.begin(), own_ids_.end(), message.client_id) != own_ids_.end()) {
    // Our own send, seen in a resume: it was committed even if its ack was lost.
    if (settle(message.client_id)) {
      listener_.on_sent(chat::Ack{message.client_id, message.conversation_id, message.seq, message.created_at_ms});
    }
    return;
  }
  listener_.on_message(message, !resuming_);
}

void ChatClient::handle(const chat::Resumed& resumed) {
  if (resumed.more)
    resume_from(resumed.through);
  else
    resuming_ = false;
}

void ChatClient::handle(const chat::ConversationEvent& event) { adopt(event.conversation); }

void ChatClient::handle(const chat::ErrorEvent& error) {
  if (!error.client_id.empty()) {
    const bool retry =
        error.code == protocol::ErrorCode::unavailable || error.code == protocol::ErrorCode::rate_limited;
    if (retry) {
      // Nothing was stored; the outbox is sent again on the next connection.
      schedule_reconnect(error.retry_after_ms.value_or(0));
      host_.socket_close();
      return;
    }
    if (!settle(error.client_id)) return;
  } else if (error.field == "last_seen") {
    // We hold a seq this conversation never had (the store was restored?): start over.
    cursor_ = chat::DeliveryCursor{};
    resume_from(0);
    return;
  }
  listener_.on_refused(error);
}

}  // namespace vitrina::widget
