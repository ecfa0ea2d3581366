#pragma once
/// \file
/// The live chat's frames as C++ values: what visitors and operators send to the server
/// (ClientFrame) and what the server sends them (ServerFrame). docs/protocol.md describes the
/// same frames on the wire; chat_codec.hpp reads and writes them, chat_rules.hpp holds the field
/// rules, chat_sequence.hpp the sequencing rules.
///
/// Conventions: an empty string means "absent" for optional text members whose empty value has
/// no meaning (ids, names, `ref`); std::optional is used where absent and empty differ (a page
/// with an empty title, a visitor context member that is left unchanged). Times are Unix
/// milliseconds here and RFC 3339 UTC strings on the wire.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "vitrina/protocol/error_code.hpp"

namespace vitrina::protocol::chat {

/// The protocol version a client names in `hello` (`"v": 1`).
inline constexpr int kProtocolVersion = 1;

inline constexpr std::string_view kConversationIdPrefix = "conv_";
inline constexpr std::string_view kVisitorIdPrefix = "vis_";

/// Who is on the other end of a connection.
enum class Role : std::uint8_t { visitor, operator_ };

/// Who wrote a message or is typing: "visitor", "operator", or "system" (messages the server
/// writes itself, e.g. the auto-reply when nobody is online).
enum class AuthorRole : std::uint8_t { visitor, operator_, system };

/// An author as shown to the other side. `id` is the operator's `op_…` id (empty for visitors and
/// the system, and in frames sent to visitors); `name` is the operator's display name or the name
/// the visitor gave.
struct Author {
  AuthorRole role = AuthorRole::visitor;
  std::string id;
  std::string name;
  bool operator==(const Author&) const = default;
};

// ---------------------------------------------------------------------------------------------
// Visitor context and identity

/// A value the page sets through the widget's JS API: text, an integer or a boolean.
using AttributeValue = std::variant<std::string, std::int64_t, bool>;

struct Attribute {
  std::string key;
  AttributeValue value;
  bool operator==(const Attribute&) const = default;
};

/// What the operator sees beside the conversation. Every member is optional: in a `context`
/// frame an absent member is left as it was; `attributes`, when present, replaces the whole set.
/// `name`, `email` and `phone` are what the visitor typed, never verified.
struct VisitorContext {
  std::optional<std::string> url;
  std::optional<std::string> title;
  std::optional<std::string> referrer;
  std::optional<std::string> language;  ///< a BCP 47 tag, e.g. "ru-RU"
  std::optional<std::vector<Attribute>> attributes;
  std::optional<std::string> name;
  std::optional<std::string> email;
  std::optional<std::string> phone;
  bool operator==(const VisitorContext&) const = default;
};

/// Verified identity as the page passes it: `hash` is lowercase hex of
/// HMAC-SHA256(identity secret, user_id + "." + decimal expires_at). The server checks it.
struct Identity {
  std::string user_id;
  std::int64_t expires_at = 0;  ///< Unix seconds; the hash is refused from this second on
  std::string hash;
  bool operator==(const Identity&) const = default;
};

// ---------------------------------------------------------------------------------------------
// Client -> server

/// `hello`: the first frame on every connection. Visitors may send a token, an identity and
/// their context; operators send only the version (their session cookie authenticates them).
struct Hello {
  int version = kProtocolVersion;
  std::string token;  ///< the visitor token from an earlier `welcome`, if the widget kept one
  std::optional<Identity> identity;
  std::optional<VisitorContext> context;
  bool operator==(const Hello&) const = default;
};

/// `message`: a chat message. A visitor may omit `conversation_id` (the server uses the
/// visitor's open conversation or starts one); an operator must name it. `internal` (operators
/// only) makes it a note the visitor never sees.
struct SendMessage {
  std::string conversation_id;
  std::string client_id;
  std::string text;
  bool internal = false;
  bool operator==(const SendMessage&) const = default;
};

/// `resume`: send me every message of this conversation after `last_seen` (0 for all).
struct Resume {
  std::string conversation_id;
  std::int64_t last_seen = 0;
  bool operator==(const Resume&) const = default;
};

/// `typing`: the sender started (true) or stopped (false) typing.
struct SetTyping {
  std::string conversation_id;
  bool typing = false;
  bool operator==(const SetTyping&) const = default;
};

/// `read`: the sender has seen every message up to and including `seq`.
struct MarkRead {
  std::string conversation_id;
  std::int64_t seq = 0;
  bool operator==(const MarkRead&) const = default;
};

/// `context` (visitors): the page changed or set attributes.
struct UpdateContext {
  VisitorContext context;
  bool operator==(const UpdateContext&) const = default;
};

/// `offline_message` (visitors): a message left when nobody answers; `email` or `phone` (or
/// both) is required so the shop can reply.
struct LeaveOfflineMessage {
  std::string client_id;
  std::string text;
  std::string name;
  std::string email;
  std::string phone;
  bool operator==(const LeaveOfflineMessage&) const = default;
};

/// An operator's own status: "online" (takes chats) or "away" (connected, takes none).
enum class OperatorStatus : std::uint8_t { online, away, offline };

/// `presence` (operators): set my status. Only online and away may be set.
struct SetPresence {
  OperatorStatus status = OperatorStatus::online;
  bool operator==(const SetPresence&) const = default;
};

/// Operator actions on a conversation, and the visitor's "end chat" (close).
enum class ActionKind : std::uint8_t { take, assign, close, reopen };

/// `take`, `assign`, `close`, `reopen`. `operator_id` is required for assign (to transfer a
/// conversation, assign it to someone else) and must be empty otherwise.
struct ConversationAction {
  ActionKind kind = ActionKind::take;
  std::string conversation_id;
  std::string operator_id;
  bool operator==(const ConversationAction&) const = default;
};

/// `ping`: answered by `pong` with the same `ref`.
struct Ping {
  bool operator==(const Ping&) const = default;
};

using ClientPayload = std::variant<Hello, SendMessage, Resume, SetTyping, MarkRead, UpdateContext, LeaveOfflineMessage,
                                   SetPresence, ConversationAction, Ping>;

/// A frame from a visitor or an operator. `ref` is an optional id the client chooses; every
/// frame the server sends in answer to this one (error, welcome, resumed, conversation, pong)
/// carries it back.
struct ClientFrame {
  std::string ref;
  ClientPayload payload;
  bool operator==(const ClientFrame&) const = default;
};

// ---------------------------------------------------------------------------------------------
// Server -> client

/// Where a conversation is: `waiting` for an operator to take it, `open` with an assigned
/// operator, or `closed`.
enum class ConversationStatus : std::uint8_t { waiting, open, closed };

/// A live `chat`, or an `offline` conversation made from an offline message.
enum class ConversationKind : std::uint8_t { chat, offline };

/// The visitor of a conversation, as operators and webhooks see it.
struct VisitorInfo {
  std::string id;       ///< `vis_…`
  std::string user_id;  ///< the verified user id; empty for anonymous visitors
  std::string name;
  std::string email;
  std::string phone;
  bool operator==(const VisitorInfo&) const = default;
};

/// A conversation's state. In frames to visitors the server leaves `visitor` and `context`
/// empty and the assignee's `id` blank.
struct Conversation {
  std::string id;
  ConversationKind kind = ConversationKind::chat;
  ConversationStatus status = ConversationStatus::waiting;
  std::optional<Author> assignee;  ///< the operator answering; always role operator
  std::optional<VisitorInfo> visitor;
  std::optional<VisitorContext> context;
  std::int64_t last_seq = 0;
  std::int64_t created_at_ms = 0;
  std::optional<std::int64_t> closed_at_ms;
  std::optional<Author> closed_by;  ///< who closed it (visitor, operator or system)
  bool operator==(const Conversation&) const = default;
};

/// Whether anyone answers now: `online` (an operator is online within business hours),
/// `offline` (within business hours, but no operator online), `closed` (outside business hours).
enum class Availability : std::uint8_t { online, offline, closed };

/// `presence` (to visitors).
struct PresenceEvent {
  Availability status = Availability::online;
  std::optional<std::int64_t> next_open_at_ms;  ///< when `closed`: the next opening, if known
  bool operator==(const PresenceEvent&) const = default;
};

/// What a visitor token in `welcome` is: newly `issued` (no token was sent), the sent one still
/// `valid`, `rotated` (same visitor, fresh token), or `replaced` (the sent token was expired,
/// tampered with or for another site: a new visitor).
enum class TokenStatus : std::uint8_t { issued, valid, rotated, replaced };

/// The limits in force, so clients can check input before sending it.
struct Limits {
  std::int64_t message_bytes = 4096;
  std::int64_t message_chars = 2000;
  std::int64_t frame_bytes = 32768;
  std::int64_t frames_per_second = 20;
  bool operator==(const Limits&) const = default;
};

struct VisitorSession {
  std::string visitor_id;
  std::string token;
  std::int64_t token_expires_at_ms = 0;
  TokenStatus token_status = TokenStatus::issued;
  std::string user_id;                       ///< non-empty when the identity was verified
  std::optional<Conversation> conversation;  ///< the visitor's open conversation, if any
  PresenceEvent presence;
  bool operator==(const VisitorSession&) const = default;
};

/// An operator's role on a site.
enum class OperatorRole : std::uint8_t { owner, operator_ };

struct OperatorSession {
  std::string operator_id;
  std::string name;
  OperatorRole role = OperatorRole::operator_;
  std::string site_id;
  OperatorStatus status = OperatorStatus::online;
  bool operator==(const OperatorSession&) const = default;
};

/// `welcome`: the answer to `hello`. Exactly one of `visitor` and `operator_session` is set.
struct Welcome {
  int version = kProtocolVersion;
  std::string ref;
  std::optional<VisitorSession> visitor;
  std::optional<OperatorSession> operator_session;
  Limits limits;
  bool operator==(const Welcome&) const = default;
};

/// `ack`: the message with this client id is committed with this seq. A repeated client id
/// gets the same ack again.
struct Ack {
  std::string client_id;
  std::string conversation_id;
  std::int64_t seq = 0;
  std::int64_t created_at_ms = 0;
  bool operator==(const Ack&) const = default;
};

/// `message`: a committed message, to everyone in the conversation but its sender's connection.
struct MessageEvent {
  std::string conversation_id;
  std::int64_t seq = 0;
  std::string client_id;
  Author author;
  std::string text;
  bool internal = false;
  std::int64_t created_at_ms = 0;
  bool operator==(const MessageEvent&) const = default;
};

/// `resumed`: the end of one batch of a resume. Messages with seq up to `through` have been
/// sent; `more` says whether another `resume` from `through` is needed.
struct Resumed {
  std::string ref;
  std::string conversation_id;
  std::int64_t through = 0;
  std::int64_t last_seq = 0;
  bool more = false;
  bool operator==(const Resumed&) const = default;
};

/// `typing`: the other side started or stopped typing.
struct TypingEvent {
  std::string conversation_id;
  Author author;
  bool typing = false;
  bool operator==(const TypingEvent&) const = default;
};

/// `read`: the other side has seen every message up to `seq`.
struct ReadEvent {
  std::string conversation_id;
  Author reader;
  std::int64_t seq = 0;
  bool operator==(const ReadEvent&) const = default;
};

/// `operator_presence` (to operators): a colleague's status changed.
struct OperatorPresenceEvent {
  std::string operator_id;
  std::string name;
  OperatorStatus status = OperatorStatus::online;
  bool operator==(const OperatorPresenceEvent&) const = default;
};

/// `conversation`: a conversation was created or changed state. `ref` is set on the copy sent
/// to the connection whose action caused it.
struct ConversationEvent {
  std::string ref;
  Conversation conversation;
  bool operator==(const ConversationEvent&) const = default;
};

/// `visitor_context` (to operators): a visitor's context changed.
struct ContextEvent {
  std::string visitor_id;
  std::string conversation_id;  ///< empty when the visitor has no open conversation
  VisitorContext context;       ///< the whole context after the change
  bool operator==(const ContextEvent&) const = default;
};

/// `error`: a frame was refused (see chat_rules.hpp for the codes). `client_id` is set for a
/// refused `message` or `offline_message`, `ref` when the frame carried one.
struct ErrorEvent {
  ErrorCode code = ErrorCode::internal;
  std::string message;
  std::string field;
  std::string ref;
  std::string client_id;
  std::optional<std::int64_t> retry_after_ms;
  bool operator==(const ErrorEvent&) const = default;
};

/// `pong`: the answer to `ping`.
struct Pong {
  std::string ref;
  bool operator==(const Pong&) const = default;
};

using ServerFrame = std::variant<Welcome, Ack, MessageEvent, Resumed, TypingEvent, ReadEvent, PresenceEvent,
                                 OperatorPresenceEvent, ConversationEvent, ContextEvent, ErrorEvent, Pong>;

// ---------------------------------------------------------------------------------------------
// Names as on the wire

std::string_view to_string(AuthorRole role) noexcept;        ///< "visitor", "operator", "system"
std::string_view to_string(OperatorStatus status) noexcept;  ///< "online", "away", "offline"
std::string_view to_string(ActionKind kind) noexcept;        ///< "take", "assign", "close", "reopen"
std::string_view to_string(ConversationStatus s) noexcept;   ///< "waiting", "open", "closed"
std::string_view to_string(ConversationKind kind) noexcept;  ///< "chat", "offline"
std::string_view to_string(Availability a) noexcept;         ///< "online", "offline", "closed"
std::string_view to_string(TokenStatus status) noexcept;     ///< "issued", "valid", "rotated", "replaced"
std::string_view to_string(OperatorRole role) noexcept;      ///< "owner", "operator"

/// The `type` of a frame: "hello", "message", …, "take"/"assign"/"close"/"reopen" by kind.
std::string_view frame_type(const ClientFrame& frame) noexcept;
std::string_view frame_type(const ServerFrame& frame) noexcept;

}  // namespace vitrina::protocol::chat
