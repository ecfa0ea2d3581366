// Server -> client frames: the writer the server uses and the lenient reader clients use, and
// the conversation, message and offline message objects that webhooks share.

#include <limits>
#include <string>
#include <type_traits>
#include <utility>

#include "chat_fields.hpp"
#include "vitrina/protocol/chat_codec.hpp"
#include "vitrina/protocol/chat_rules.hpp"
#include "vitrina/protocol/timestamp.hpp"

namespace vitrina::protocol::chat {

namespace {

using detail::Fields;
using detail::read_enum;

constexpr int kAuthorRoles = 3;
constexpr int kOperatorStatuses = 3;
constexpr int kConversationStatuses = 3;
constexpr int kConversationKinds = 2;
constexpr int kAvailabilities = 3;
constexpr int kTokenStatuses = 4;
constexpr int kOperatorRoles = 2;
constexpr std::int64_t kMaxInt = std::numeric_limits<std::int64_t>::max();

// Server frames nest deeper than client frames: welcome.visitor.conversation.context.attributes.
constexpr JsonReadLimits kServerFrameLimits{.max_bytes = 1024 * 1024, .max_depth = 8, .max_values = 65536};

void write_time(JsonWriter& w, std::string_view key, std::int64_t unix_ms) {
  w.key(key).value(format_timestamp_ms(unix_ms));
}

void write_optional(JsonWriter& w, std::string_view key, const std::string& value) {
  if (!value.empty()) w.key(key).value(value);
}

void write_presence_members(JsonWriter& w, const PresenceEvent& p) {
  w.key("status").value(to_string(p.status));
  if (p.next_open_at_ms) write_time(w, "next_open_at", *p.next_open_at_ms);
}

void write_message_members(JsonWriter& w, const MessageEvent& m) {
  w.key("conversation_id").value(m.conversation_id).key("seq").value(m.seq);
  write_optional(w, "client_id", m.client_id);
  w.key("author");
  detail::write_author(w, m.author);
  w.key("text").value(m.text);
  if (m.internal) w.key("internal").value(true);
  write_time(w, "created_at", m.created_at_ms);
}

void write_limits(JsonWriter& w, const Limits& l) {
  w.key("limits").begin_object();
  w.key("message_bytes").value(l.message_bytes).key("message_chars").value(l.message_chars);
  w.key("frame_bytes").value(l.frame_bytes).key("frames_per_second").value(l.frames_per_second);
  w.end_object();
}

void write_payload(JsonWriter& w, const Welcome& h) {
  w.key("v").value(h.version);
  write_optional(w, "ref", h.ref);
  if (h.visitor) {
    const VisitorSession& v = *h.visitor;
    w.key("visitor").begin_object();
    w.key("id").value(v.visitor_id).key("token").value(v.token);
    write_time(w, "token_expires_at", v.token_expires_at_ms);
    w.key("token_status").value(to_string(v.token_status));
    write_optional(w, "user_id", v.user_id);
    if (v.conversation) {
      w.key("conversation");
      write_conversation(w, *v.conversation);
    }
    w.key("presence").begin_object();
    write_presence_members(w, v.presence);
    w.end_object();
    w.end_object();
  }
  if (h.operator_session) {
    const OperatorSession& o = *h.operator_session;
    w.key("operator").begin_object();
    w.key("id").value(o.operator_id).key("name").value(o.name).key("role").value(to_string(o.role));
    w.key("site_id").value(o.site_id).key("status").value(to_string(o.status));
    w.end_object();
  }
  write_limits(w, h.limits);
}

void write_payload(JsonWriter& w, const Ack& a) {
  w.key("client_id").value(a.client_id).key("conversation_id").value(a.conversation_id).key("seq").value(a.seq);
  write_time(w, "created_at", a.created_at_ms);
}

void write_payload(JsonWriter& w, const MessageEvent& m) { write_message_members(w, m); }

void write_payload(JsonWriter& w, const Resumed& r) {
  write_optional(w, "ref", r.ref);
  w.key("conversation_id").value(r.conversation_id).key("through").value(r.through);
  w.key("last_seq").value(r.last_seq).key("more").value(r.more);
}

void write_payload(JsonWriter& w, const TypingEvent& t) {
  w.key("conversation_id").value(t.conversation_id).key("author");
  detail::write_author(w, t.author);
  w.key("typing").value(t.typing);
}

void write_payload(JsonWriter& w, const ReadEvent& r) {
  w.key("conversation_id").value(r.conversation_id).key("reader");
  detail::write_author(w, r.reader);
  w.key("seq").value(r.seq);
}

void write_payload(JsonWriter& w, const PresenceEvent& p) { write_presence_members(w, p); }

void write_payload(JsonWriter& w, const OperatorPresenceEvent& p) {
  w.key("operator_id").value(p.operator_id).key("name").value(p.name).key("status").value(to_string(p.status));
}

void write_payload(JsonWriter& w, const ConversationEvent& c) {
  write_optional(w, "ref", c.ref);
  w.key("conversation");
  write_conversation(w, c.conversation);
}

void write_payload(JsonWriter& w, const ContextEvent& c) {
  w.key("visitor_id").value(c.visitor_id);
  write_optional(w, "conversation_id", c.conversation_id);
  w.key("context");
  write_context(w, c.context);
}

void write_payload(JsonWriter& w, const ErrorEvent& e) {
  w.key("code").value(error_code_name(e.code)).key("message").value(e.message);
  write_optional(w, "field", e.field);
  write_optional(w, "ref", e.ref);
  write_optional(w, "client_id", e.client_id);
  if (e.retry_after_ms) w.key("retry_after_ms").value(*e.retry_after_ms);
}

void write_payload(JsonWriter& w, const Pong& p) { write_optional(w, "ref", p.ref); }

// --- reading ---

std::optional<Author> read_author(Fields& parent, std::string_view key, bool required) {
  const JsonValue* object = parent.object(key, required);
  if (object == nullptr) return std::nullopt;
  Fields f = parent.nested(*object, key);
  Author a;
  a.role = read_enum<AuthorRole>(f, "role", kAuthorRoles, true).value_or(AuthorRole::system);
  a.id = f.string("id", false).value_or("");
  a.name = f.string("name", false).value_or("");
  return a;
}

std::optional<VisitorContext> read_context_at(Fields& parent, std::string_view key) {
  const JsonValue* object = parent.object(key, false);
  if (object == nullptr) return std::nullopt;
  Fields f = parent.nested(*object, key);
  return detail::read_context(f);
}

std::optional<Conversation> read_conversation(Fields& parent, std::string_view key, bool required) {
  const JsonValue* object = parent.object(key, required);
  if (object == nullptr) return std::nullopt;
  Fields f = parent.nested(*object, key);
  Conversation c;
  c.id = f.string("id", true).value_or("");
  c.kind = read_enum<ConversationKind>(f, "kind", kConversationKinds, true).value_or(ConversationKind::chat);
  c.status = read_enum<ConversationStatus>(f, "status", kConversationStatuses, true).value_or(c.status);
  c.assignee = read_author(f, "assignee", false);
  if (const JsonValue* visitor = f.object("visitor", false)) {
    Fields v = f.nested(*visitor, "visitor");
    c.visitor = VisitorInfo{.id = v.string("id", true).value_or(""),
                            .user_id = v.string("user_id", false).value_or(""),
                            .name = v.string("name", false).value_or(""),
                            .email = v.string("email", false).value_or(""),
                            .phone = v.string("phone", false).value_or("")};
  }
  c.context = read_context_at(f, "context");
  c.last_seq = f.integer("last_seq", true, 0, kMaxSeq).value_or(0);
  c.created_at_ms = f.timestamp("created_at", true).value_or(0);
  c.closed_at_ms = f.timestamp("closed_at", false);
  c.closed_by = read_author(f, "closed_by", false);
  return c;
}

PresenceEvent read_presence_members(Fields& f) {
  PresenceEvent p;
  p.status = read_enum<Availability>(f, "status", kAvailabilities, true).value_or(Availability::closed);
  p.next_open_at_ms = f.timestamp("next_open_at", false);
  return p;
}

Limits read_limits(Fields& parent) {
  Limits l;
  const JsonValue* object = parent.object("limits", true);
  if (object == nullptr) return l;
  Fields f = parent.nested(*object, "limits");
  l.message_bytes = f.integer("message_bytes", true, 1, kMaxInt).value_or(l.message_bytes);
  l.message_chars = f.integer("message_chars", true, 1, kMaxInt).value_or(l.message_chars);
  l.frame_bytes = f.integer("frame_bytes", true, 1, kMaxInt).value_or(l.frame_bytes);
  l.frames_per_second = f.integer("frames_per_second", true, 1, kMaxInt).value_or(l.frames_per_second);
  return l;
}

Welcome read_welcome(Fields& f) {
  Welcome h;
  h.version = static_cast<int>(f.integer("v", true, 1, kMaxVersion).value_or(kProtocolVersion));
  h.ref = f.string("ref", false).value_or("");
  if (const JsonValue* object = f.object("visitor", false)) {
    Fields v = f.nested(*object, "visitor");
    VisitorSession s;
    s.visitor_id = v.string("id", true).value_or("");
    s.token = v.string("token", true).value_or("");
    s.token_expires_at_ms = v.timestamp("token_expires_at", true).value_or(0);
    s.token_status = read_enum<TokenStatus>(v, "token_status", kTokenStatuses, true).value_or(TokenStatus::issued);
    s.user_id = v.string("user_id", false).value_or("");
    s.conversation = read_conversation(v, "conversation", false);
    if (const JsonValue* presence = v.object("presence", true)) {
      Fields p = v.nested(*presence, "presence");
      s.presence = read_presence_members(p);
    }
    h.visitor = std::move(s);
  }
  if (const JsonValue* object = f.object("operator", false)) {
    Fields o = f.nested(*object, "operator");
    OperatorSession s;
    s.operator_id = o.string("id", true).value_or("");
    s.name = o.string("name", true).value_or("");
    s.role = read_enum<OperatorRole>(o, "role", kOperatorRoles, true).value_or(OperatorRole::operator_);
    s.site_id = o.string("site_id", true).value_or("");
    s.status = read_enum<OperatorStatus>(o, "status", kOperatorStatuses, true).value_or(OperatorStatus::online);
    h.operator_session = std::move(s);
  }
  h.limits = read_limits(f);
  return h;
}

MessageEvent read_message_members(Fields& f) {
  MessageEvent m;
  m.conversation_id = f.string("conversation_id", true).value_or("");
  m.seq = f.integer("seq", true, 0, kMaxSeq).value_or(0);
  m.client_id = f.string("client_id", false).value_or("");
  m.author = read_author(f, "author", true).value_or(Author{});
  m.text = f.string("text", true).value_or("");
  m.internal = f.boolean("internal", false).value_or(false);
  m.created_at_ms = f.timestamp("created_at", true).value_or(0);
  return m;
}

std::optional<ServerFrame> read_server_payload(std::string_view type, Fields& f) {
  if (type == "welcome") return read_welcome(f);
  if (type == "ack") {
    Ack a;
    a.client_id = f.string("client_id", true).value_or("");
    a.conversation_id = f.string("conversation_id", true).value_or("");
    a.seq = f.integer("seq", true, 0, kMaxSeq).value_or(0);
    a.created_at_ms = f.timestamp("created_at", true).value_or(0);
    return a;
  }
  if (type == "message") return read_message_members(f);
  if (type == "resumed") {
    Resumed r;
    r.ref = f.string("ref", false).value_or("");
    r.conversation_id = f.string("conversation_id", true).value_or("");
    r.through = f.integer("through", true, 0, kMaxSeq).value_or(0);
    r.last_seq = f.integer("last_seq", true, 0, kMaxSeq).value_or(0);
    r.more = f.boolean("more", true).value_or(false);
    return r;
  }
  if (type == "typing") {
    TypingEvent t;
    t.conversation_id = f.string("conversation_id", true).value_or("");
    t.author = read_author(f, "author", true).value_or(Author{});
    t.typing = f.boolean("typing", true).value_or(false);
    return t;
  }
  if (type == "read") {
    ReadEvent r;
    r.conversation_id = f.string("conversation_id", true).value_or("");
    r.reader = read_author(f, "reader", true).value_or(Author{});
    r.seq = f.integer("seq", true, 0, kMaxSeq).value_or(0);
    return r;
  }
  if (type == "presence") return read_presence_members(f);
  if (type == "operator_presence") {
    OperatorPresenceEvent p;
    p.operator_id = f.string("operator_id", true).value_or("");
    p.name = f.string("name", true).value_or("");
    p.status = read_enum<OperatorStatus>(f, "status", kOperatorStatuses, true).value_or(OperatorStatus::offline);
    return p;
  }
  if (type == "conversation") {
    ConversationEvent c;
    c.ref = f.string("ref", false).value_or("");
    c.conversation = read_conversation(f, "conversation", true).value_or(Conversation{});
    return c;
  }
  if (type == "visitor_context") {
    ContextEvent c;
    c.visitor_id = f.string("visitor_id", true).value_or("");
    c.conversation_id = f.string("conversation_id", false).value_or("");
    c.context = read_context_at(f, "context").value_or(VisitorContext{});
    return c;
  }
  if (type == "error") {
    ErrorEvent e;
    // A code this side does not know (a newer server) reads as `internal`: something went wrong
    // that the client cannot act on specifically.
    e.code = error_code_from_name(f.string("code", true).value_or("")).value_or(ErrorCode::internal);
    e.message = f.string("message", true).value_or("");
    e.field = f.string("field", false).value_or("");
    e.ref = f.string("ref", false).value_or("");
    e.client_id = f.string("client_id", false).value_or("");
    e.retry_after_ms = f.integer("retry_after_ms", false, 0, kMaxInt);
    return e;
  }
  if (type == "pong") return Pong{f.string("ref", false).value_or("")};
  return std::nullopt;
}

}  // namespace

void write_context(JsonWriter& w, const VisitorContext& context) {
  w.begin_object();
  detail::write_context_members(w, context);
  w.end_object();
}

void write_conversation(JsonWriter& w, const Conversation& c) {
  w.begin_object();
  w.key("id").value(c.id).key("kind").value(to_string(c.kind)).key("status").value(to_string(c.status));
  if (c.assignee) {
    w.key("assignee");
    detail::write_author(w, *c.assignee);
  }
  if (c.visitor) {
    const VisitorInfo& v = *c.visitor;
    w.key("visitor").begin_object().key("id").value(v.id);
    write_optional(w, "user_id", v.user_id);
    write_optional(w, "name", v.name);
    write_optional(w, "email", v.email);
    write_optional(w, "phone", v.phone);
    w.end_object();
  }
  if (c.context) {
    w.key("context");
    write_context(w, *c.context);
  }
  w.key("last_seq").value(c.last_seq);
  write_time(w, "created_at", c.created_at_ms);
  if (c.closed_at_ms) write_time(w, "closed_at", *c.closed_at_ms);
  if (c.closed_by) {
    w.key("closed_by");
    detail::write_author(w, *c.closed_by);
  }
  w.end_object();
}

void write_message(JsonWriter& w, const MessageEvent& message) {
  w.begin_object();
  write_message_members(w, message);
  w.end_object();
}

void write_offline_message(JsonWriter& w, const OfflineMessage& m) {
  w.begin_object();
  w.key("conversation_id").value(m.conversation_id).key("visitor_id").value(m.visitor_id);
  write_optional(w, "user_id", m.user_id);
  w.key("client_id").value(m.client_id);
  write_optional(w, "name", m.name);
  write_optional(w, "email", m.email);
  write_optional(w, "phone", m.phone);
  w.key("text").value(m.text);
  if (m.context) {
    w.key("context");
    write_context(w, *m.context);
  }
  write_time(w, "created_at", m.created_at_ms);
  w.end_object();
}

std::string write_server_frame(const ServerFrame& frame) {
  JsonWriter w;
  w.begin_object().key("type").value(frame_type(frame));
  std::visit([&w](const auto& p) { write_payload(w, p); }, frame);
  w.end_object();
  return std::move(w).str();
}

Result<ServerFrame> parse_server_frame(std::string_view text) {
  auto json = parse_json(text, kServerFrameLimits);
  if (!json) {
    Error e = std::move(json).error();
    if (e.field.empty()) e.field = "frame";
    return e;
  }
  if (!json->is_object()) return make_error(ErrorCode::malformed, "a frame must be a JSON object", "frame");
  std::optional<Error> error;
  Fields f(*json, "", error, false);
  const auto type = f.string("type", true);
  if (!f.ok()) return *error;
  auto frame = read_server_payload(*type, f);
  if (!frame) return make_error(ErrorCode::unknown_type, "unknown frame type \"" + *type + "\"", "type");
  if (!f.ok()) return *error;
  return std::move(*frame);
}

}  // namespace vitrina::protocol::chat
