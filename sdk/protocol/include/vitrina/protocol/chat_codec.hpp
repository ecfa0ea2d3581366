#pragma once
/// \file
/// Reading and writing live chat frames (docs/protocol.md). Pure functions, no I/O, no
/// exceptions; the same code runs in the server and in the WASM widget.
///
/// The server reads client frames strictly: bounded size, depth and value count, valid UTF-8,
/// unique member names, the right type for every member, every rule of chat_rules.hpp, and no
/// member the frame does not define. The first problem found is returned as an Error whose code
/// is one of "too_large", "malformed", "unknown_type" and "invalid", and whose `field` names
/// the member at fault (`text`, `identity.hash`, `context.attributes.cart`), or `frame` when the
/// whole frame is at fault.
///
/// Clients read server frames leniently, as the protocol asks of them: unknown members are
/// ignored (the server may add members without a new protocol version). An unknown `type` is
/// still an "unknown_type" error, which clients should ignore.

#include <string>
#include <string_view>

#include "vitrina/protocol/chat.hpp"
#include "vitrina/protocol/json.hpp"
#include "vitrina/protocol/result.hpp"

namespace vitrina::protocol::chat {

/// Parses one frame sent by a visitor or an operator. `limits` bounds the frame (frame_bytes)
/// and the message text (message_bytes, message_chars). Role rules are separate:
/// check_client_frame.
Result<ClientFrame> parse_client_frame(std::string_view text, const Limits& limits = {});

/// Whether `role` may send `frame`. Visitors may not send `presence`, `take`, `assign`,
/// `reopen` or an internal message; operators may not send `context` or `offline_message`, nor
/// a token, identity or context in `hello`, and must name `conversation_id` in `message`.
/// Errors: "not_allowed" naming `type` (or the member), "invalid" for the missing id.
Result<void> check_client_frame(Role role, const ClientFrame& frame);

/// The `ref` and `client_id` of a frame that parse_client_frame refused, when the text was a
/// JSON object and they were well-formed, so the error frame can name what it answers.
struct FrameIds {
  std::string ref;
  std::string client_id;
};
FrameIds recover_frame_ids(std::string_view text, const Limits& limits = {});

/// Writes a client frame (what a widget or a console sends). Members at their "absent" value
/// are left out.
std::string write_client_frame(const ClientFrame& frame);

/// Writes a server frame. Members at their "absent" value are left out.
std::string write_server_frame(const ServerFrame& frame);

/// Parses a server frame (what a widget or a console receives), ignoring unknown members.
Result<ServerFrame> parse_server_frame(std::string_view text);

/// The objects that frames and webhook events share, written as one JSON value each. The
/// webhook events' `data` (docs/protocol.md, "Webhook events"):
/// - `conversation.created`, `conversation.closed`: write_conversation
/// - `message.created`: write_message (internal notes are not sent)
/// - `offline_message.created`: write_offline_message
void write_conversation(JsonWriter& w, const Conversation& conversation);
void write_message(JsonWriter& w, const MessageEvent& message);
void write_context(JsonWriter& w, const VisitorContext& context);

/// An offline message as stored and as sent in `offline_message.created`.
struct OfflineMessage {
  std::string conversation_id;
  std::string visitor_id;
  std::string user_id;  ///< empty for anonymous visitors
  std::string client_id;
  std::string name;
  std::string email;
  std::string phone;
  std::string text;
  std::optional<VisitorContext> context;
  std::int64_t created_at_ms = 0;
  bool operator==(const OfflineMessage&) const = default;
};
void write_offline_message(JsonWriter& w, const OfflineMessage& message);

}  // namespace vitrina::protocol::chat
