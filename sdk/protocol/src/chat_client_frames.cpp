// Client -> server frames: the strict reader the server uses, the writer clients use, and the
// role rules.

#include <string>
#include <type_traits>
#include <utility>

#include "chat_fields.hpp"
#include "vitrina/protocol/chat_codec.hpp"
#include "vitrina/protocol/chat_rules.hpp"

namespace vitrina::protocol::chat {

namespace {

using detail::Fields;

constexpr int kActionKinds = 4;
constexpr int kOperatorStatuses = 3;

// Client frames are small and flat: hello.context.attributes is the deepest member (depth 3).
constexpr std::size_t kMaxFrameDepth = 4;
constexpr std::size_t kMaxFrameValues = 256;

Error error_at(ErrorCode code, std::string_view field, std::string message) {
  return make_error(code, std::move(message), std::string(field));
}

Identity read_identity(Fields& f) {
  Identity id;
  id.user_id = f.string("user_id", true).value_or("");
  id.expires_at = f.integer("expires_at", true, 0, kMaxSeq).value_or(0);
  id.hash = f.string("hash", true).value_or("");
  if (f.ok()) f.rule(check_user_id(id.user_id, f.path("user_id")));
  if (f.ok()) f.rule(check_identity_hash(id.hash, f.path("hash")));
  return id;
}

Hello read_hello(Fields& f, const Limits&) {
  Hello h;
  h.version = static_cast<int>(f.integer("v", true, 1, kMaxVersion).value_or(kProtocolVersion));
  if (auto token = f.string("token", false)) {
    f.rule(check_token(*token));
    h.token = std::move(*token);
  }
  if (const JsonValue* object = f.object("identity", false)) {
    Fields sub = f.nested(*object, "identity");
    h.identity = read_identity(sub);
    sub.finish();
  }
  if (const JsonValue* object = f.object("context", false)) {
    Fields sub = f.nested(*object, "context");
    h.context = detail::read_context(sub);
    sub.finish();
    if (f.ok()) f.rule(check_context(*h.context, "context."));
  }
  return h;
}

std::string required_conversation(Fields& f) {
  auto id = f.string("conversation_id", true).value_or("");
  if (f.ok()) f.rule(check_conversation_id(id));
  return id;
}

SendMessage read_message(Fields& f, const Limits& limits) {
  SendMessage m;
  if (auto id = f.string("conversation_id", false)) {
    f.rule(check_conversation_id(*id));
    m.conversation_id = std::move(*id);
  }
  m.client_id = f.string("client_id", true).value_or("");
  if (f.ok()) f.rule(check_client_id(m.client_id));
  m.text = f.string("text", true).value_or("");
  if (f.ok()) f.rule(check_message_text(m.text, limits));
  m.internal = f.boolean("internal", false).value_or(false);
  return m;
}

Resume read_resume(Fields& f, const Limits&) {
  Resume r;
  r.conversation_id = required_conversation(f);
  r.last_seen = f.integer("last_seen", true, 0, kMaxSeq).value_or(0);
  return r;
}

SetTyping read_typing(Fields& f, const Limits&) {
  SetTyping t;
  t.conversation_id = required_conversation(f);
  t.typing = f.boolean("typing", true).value_or(false);
  return t;
}

MarkRead read_read(Fields& f, const Limits&) {
  MarkRead r;
  r.conversation_id = required_conversation(f);
  r.seq = f.integer("seq", true, 0, kMaxSeq).value_or(0);
  return r;
}

UpdateContext read_update_context(Fields& f, const Limits&) {
  UpdateContext u;
  u.context = detail::read_context(f);
  if (f.ok()) f.rule(check_context(u.context));
  return u;
}

LeaveOfflineMessage read_offline(Fields& f, const Limits& limits) {
  LeaveOfflineMessage m;
  m.client_id = f.string("client_id", true).value_or("");
  if (f.ok()) f.rule(check_client_id(m.client_id));
  m.text = f.string("text", true).value_or("");
  if (f.ok()) f.rule(check_message_text(m.text, limits));
  m.name = f.string("name", false).value_or("");
  if (f.ok() && !m.name.empty()) f.rule(check_line(m.name, kMaxNameChars, "name"));
  m.email = f.string("email", false).value_or("");
  if (f.ok() && !m.email.empty()) f.rule(check_email(m.email));
  m.phone = f.string("phone", false).value_or("");
  if (f.ok() && !m.phone.empty()) f.rule(check_phone(m.phone));
  if (f.ok() && m.email.empty() && m.phone.empty()) {
    f.fail(ErrorCode::invalid, "email", "an e-mail address or a phone number is required");
  }
  return m;
}

SetPresence read_presence(Fields& f, const Limits&) {
  SetPresence p;
  const auto status = detail::read_enum<OperatorStatus>(f, "status", kOperatorStatuses, true);
  if (status == OperatorStatus::offline) {
    f.fail(ErrorCode::invalid, "status", "must be \"online\" or \"away\"");
  }
  p.status = status.value_or(OperatorStatus::online);
  return p;
}

ConversationAction read_action(Fields& f, ActionKind kind) {
  ConversationAction a;
  a.kind = kind;
  a.conversation_id = required_conversation(f);
  if (kind == ActionKind::assign) {
    a.operator_id = f.string("operator_id", true).value_or("");
    if (f.ok()) f.rule(check_operator_id(a.operator_id));
  }
  return a;
}

std::optional<ClientPayload> read_payload(std::string_view type, Fields& f, const Limits& limits) {
  if (type == "hello") return read_hello(f, limits);
  if (type == "message") return read_message(f, limits);
  if (type == "resume") return read_resume(f, limits);
  if (type == "typing") return read_typing(f, limits);
  if (type == "read") return read_read(f, limits);
  if (type == "context") return read_update_context(f, limits);
  if (type == "offline_message") return read_offline(f, limits);
  if (type == "presence") return read_presence(f, limits);
  if (type == "ping") return Ping{};
  if (const auto kind = detail::parse_enum<ActionKind>(type, kActionKinds)) return read_action(f, *kind);
  return std::nullopt;
}

// Parses the JSON of a frame and checks that it is an object; errors name `frame` at the top.
Result<JsonValue> parse_frame_json(std::string_view text, const Limits& limits) {
  if (text.size() > static_cast<std::size_t>(limits.frame_bytes)) {
    return error_at(ErrorCode::too_large, "frame",
                    "a frame must be at most " + std::to_string(limits.frame_bytes) + " bytes");
  }
  auto json = parse_json(text, JsonReadLimits{.max_bytes = static_cast<std::size_t>(limits.frame_bytes),
                                              .max_depth = kMaxFrameDepth,
                                              .max_values = kMaxFrameValues});
  if (!json) {
    Error e = std::move(json).error();
    if (e.field.empty()) e.field = "frame";
    return e;
  }
  if (!json->is_object()) return error_at(ErrorCode::malformed, "frame", "a frame must be a JSON object");
  return json;
}

Error not_allowed(std::string_view field, std::string message) {
  return error_at(ErrorCode::not_allowed, field, std::move(message));
}

void write_payload(JsonWriter& w, const Hello& h) {
  w.key("v").value(h.version);
  if (!h.token.empty()) w.key("token").value(h.token);
  if (h.identity) {
    w.key("identity").begin_object();
    w.key("user_id").value(h.identity->user_id);
    w.key("expires_at").value(h.identity->expires_at);
    w.key("hash").value(h.identity->hash);
    w.end_object();
  }
  if (h.context) {
    w.key("context").begin_object();
    detail::write_context_members(w, *h.context);
    w.end_object();
  }
}

void write_payload(JsonWriter& w, const SendMessage& m) {
  if (!m.conversation_id.empty()) w.key("conversation_id").value(m.conversation_id);
  w.key("client_id").value(m.client_id).key("text").value(m.text);
  if (m.internal) w.key("internal").value(true);
}

void write_payload(JsonWriter& w, const Resume& r) {
  w.key("conversation_id").value(r.conversation_id).key("last_seen").value(r.last_seen);
}

void write_payload(JsonWriter& w, const SetTyping& t) {
  w.key("conversation_id").value(t.conversation_id).key("typing").value(t.typing);
}

void write_payload(JsonWriter& w, const MarkRead& r) {
  w.key("conversation_id").value(r.conversation_id).key("seq").value(r.seq);
}

void write_payload(JsonWriter& w, const UpdateContext& u) { detail::write_context_members(w, u.context); }

void write_payload(JsonWriter& w, const LeaveOfflineMessage& m) {
  w.key("client_id").value(m.client_id).key("text").value(m.text);
  if (!m.name.empty()) w.key("name").value(m.name);
  if (!m.email.empty()) w.key("email").value(m.email);
  if (!m.phone.empty()) w.key("phone").value(m.phone);
}

void write_payload(JsonWriter& w, const SetPresence& p) { w.key("status").value(to_string(p.status)); }

void write_payload(JsonWriter& w, const ConversationAction& a) {
  w.key("conversation_id").value(a.conversation_id);
  if (a.kind == ActionKind::assign) w.key("operator_id").value(a.operator_id);
}

void write_payload(JsonWriter&, const Ping&) {}

}  // namespace

Result<ClientFrame> parse_client_frame(std::string_view text, const Limits& limits) {
  auto json = parse_frame_json(text, limits);
  if (!json) return std::move(json).error();
  std::optional<Error> error;
  Fields f(*json, "", error, true);
  const auto type = f.string("type", true);
  if (!f.ok()) return *error;
  ClientFrame frame;
  if (auto ref = f.string("ref", false)) {
    f.rule(check_ref(*ref));
    frame.ref = std::move(*ref);
  }
  auto payload = read_payload(*type, f, limits);
  if (!payload) return error_at(ErrorCode::unknown_type, "type", "unknown frame type \"" + *type + "\"");
  if (!f.finish()) return *error;
  frame.payload = std::move(*payload);
  return frame;
}

FrameIds recover_frame_ids(std::string_view text, const Limits& limits) {
  FrameIds ids;
  auto json = parse_frame_json(text, limits);
  if (!json) return ids;
  const JsonValue* ref = json->find("ref");
  if (ref != nullptr && ref->is_string() && check_ref(ref->text)) ids.ref = ref->text;
  const JsonValue* client_id = json->find("client_id");
  if (client_id != nullptr && client_id->is_string() && check_client_id(client_id->text)) {
    ids.client_id = client_id->text;
  }
  return ids;
}

Result<void> check_client_frame(Role role, const ClientFrame& frame) {
  const ClientPayload& p = frame.payload;
  if (role == Role::visitor) {
    if (std::holds_alternative<SetPresence>(p)) return not_allowed("type", "only operators set a presence");
    if (const auto* a = std::get_if<ConversationAction>(&p); a != nullptr && a->kind != ActionKind::close) {
      return not_allowed("type", "only operators take, assign and reopen conversations");
    }
    if (const auto* m = std::get_if<SendMessage>(&p); m != nullptr && m->internal) {
      return not_allowed("internal", "only operators write internal notes");
    }
    return {};
  }
  if (std::holds_alternative<UpdateContext>(p) || std::holds_alternative<LeaveOfflineMessage>(p)) {
    return not_allowed("type", "only visitors send this frame");
  }
  if (const auto* h = std::get_if<Hello>(&p)) {
    if (!h->token.empty()) return not_allowed("token", "operators are authenticated by their session");
    if (h->identity) return not_allowed("identity", "operators are authenticated by their session");
    if (h->context) return not_allowed("context", "only visitors have a context");
  }
  if (const auto* m = std::get_if<SendMessage>(&p); m != nullptr && m->conversation_id.empty()) {
    return error_at(ErrorCode::invalid, "conversation_id", "is required");
  }
  return {};
}

std::string write_client_frame(const ClientFrame& frame) {
  JsonWriter w;
  w.begin_object().key("type").value(frame_type(frame));
  if (!frame.ref.empty()) w.key("ref").value(frame.ref);
  std::visit([&w](const auto& p) { write_payload(w, p); }, frame.payload);
  w.end_object();
  return std::move(w).str();
}

}  // namespace vitrina::protocol::chat
