#include "http/chat_routes.hpp"

#include <boost/asio/use_awaitable.hpp>
#include <functional>
#include <memory>
#include <string>

#include "http/api_support.hpp"
#include "http/await_store.hpp"
#include "http/console_auth.hpp"
#include "http/route_auth.hpp"
#include "log/log.hpp"
#include "vitrina/protocol/chat_codec.hpp"
#include "vitrina/protocol/chat_rules.hpp"
#include "vitrina/protocol/json.hpp"
#include "vitrina/protocol/json_reader.hpp"
#include "vitrina/protocol/timestamp.hpp"

namespace vitrina::http {

namespace {

namespace net = boost::asio;
namespace pc = protocol::chat;
using protocol::Result;

constexpr std::size_t kMaxBody = 16 * 1024;
constexpr std::int64_t kDefaultLimit = 50;
constexpr std::int64_t kMaxLimit = 100;

// Chat codes as HTTP. The conversation is the path's `id`, so a problem with it names `id`.
Response chat_problem(protocol::Error e) {
  if (e.field == "conversation_id") e.field = "id";
  if (e.code == protocol::ErrorCode::conversation_closed) {
    return problem(protocol::ErrorCode::conversation_closed, e.message, e.field);
  }
  if (e.code == protocol::ErrorCode::not_allowed) {
    return problem(protocol::ErrorCode::not_allowed, e.message, e.field);
  }
  if (e.code == protocol::ErrorCode::not_found) return problem(protocol::ErrorCode::not_found, e.message, e.field);
  return problem(e);
}

void write_item(protocol::JsonWriter& w, const store::ChatConversation& c) {
  w.begin_object().key("conversation");
  pc::write_conversation(w, c.conversation);
  w.key("unread").value(c.unread);
  w.key("updated_at").value(protocol::format_timestamp_ms(c.updated_at));
  if (c.last_message_at != 0) w.key("last_message_at").value(protocol::format_timestamp_ms(c.last_message_at));
  if (c.waiting_since != 0) w.key("waiting_since").value(protocol::format_timestamp_ms(c.waiting_since));
  w.end_object();
}

std::string item_json(const store::ChatConversation& c) {
  protocol::JsonWriter w;
  write_item(w, c);
  return std::move(w).str();
}

Result<std::int64_t> int_param(const Request& req, std::string_view name, std::int64_t fallback, std::int64_t min,
                               std::int64_t max) {
  auto raw = query_param(req, name);
  if (!raw) return std::move(raw).error();
  if (!*raw) return fallback;
  auto parsed = protocol::parse_json(**raw);
  std::optional<std::int64_t> value = parsed ? parsed->as_int64() : std::nullopt;
  if (!value || *value < min || *value > max) {
    return protocol::make_error(protocol::ErrorCode::invalid,
                                "must be an integer from " + std::to_string(min) + " to " + std::to_string(max),
                                std::string(name));
  }
  return *value;
}

Result<std::int64_t> time_param(const Request& req, std::string_view name) {
  auto raw = query_param(req, name);
  if (!raw) return std::move(raw).error();
  if (!*raw) return std::int64_t{0};
  auto ms = protocol::parse_timestamp_ms(**raw);
  if (!ms || *ms <= 0)
    return protocol::make_error(protocol::ErrorCode::invalid, "must be an RFC 3339 time", std::string(name));
  return *ms;
}

Result<std::string> text_param(const Request& req, std::string_view name, std::size_t max) {
  auto raw = query_param(req, name);
  if (!raw) return std::move(raw).error();
  if (!*raw) return std::string();
  if ((*raw)->size() > max) {
    return protocol::make_error(protocol::ErrorCode::invalid, "must be at most " + std::to_string(max) + " bytes",
                                std::string(name));
  }
  return std::move(**raw);
}

Result<std::vector<pc::ConversationStatus>> status_param(const Request& req) {
  auto raw = query_param(req, "status");
  if (!raw) return std::move(raw).error();
  std::vector<pc::ConversationStatus> out;
  if (!*raw) return out;
  std::string_view rest = **raw;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const auto part = rest.substr(0, comma);
    if (part == "waiting") {
      out.push_back(pc::ConversationStatus::waiting);
    } else if (part == "open") {
      out.push_back(pc::ConversationStatus::open);
    } else if (part == "closed") {
      out.push_back(pc::ConversationStatus::closed);
    } else {
      return protocol::make_error(protocol::ErrorCode::invalid, "must be waiting, open or closed, comma-separated",
                                  "status");
    }
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  return out;
}

// The members of a JSON object body, each a string; `allowed` names them all.
Result<std::vector<std::pair<std::string, std::string>>> string_members(
    std::string_view body, std::initializer_list<std::string_view> allowed) {
  auto parsed = protocol::parse_json(body.empty() ? std::string_view("{}") : body,
                                     {.max_bytes = kMaxBody, .max_depth = 2, .max_values = 64});
  if (!parsed) return protocol::make_error(protocol::ErrorCode::malformed, parsed.error().message, "body");
  if (!parsed->is_object()) return protocol::make_error(protocol::ErrorCode::invalid, "must be a JSON object", "body");
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& m : parsed->members) {
    if (std::find(allowed.begin(), allowed.end(), m.key) == allowed.end()) {
      return protocol::make_error(protocol::ErrorCode::invalid, "is not a member of this request", m.key);
    }
    if (m.value.is_null()) continue;
    if (!m.value.is_string()) return protocol::make_error(protocol::ErrorCode::invalid, "must be a string", m.key);
    out.emplace_back(m.key, m.value.text);
  }
  return out;
}

std::string member(const std::vector<std::pair<std::string, std::string>>& members, std::string_view key) {
  for (const auto& [k, v] : members) {
    if (k == key) return v;
  }
  return {};
}

class ChatConsole {
 public:
  ChatConsole(chat::Service& service, store::Store& store) : service_(service), store_(store) {}

  // The signed-in operator as the chat service's actor, or the answer to give. `changes`: a
  // state-changing request, which must come from the server's own origin.
  std::variant<chat::PeerState, Response> who(const Request& req, bool changes);

  // Each is called with the operator `who` found.
  Response list(const Request& req, Context& ctx, const chat::PeerState& s);
  Response get(const Request& req, Context& ctx, const chat::PeerState& s);
  Response messages(const Request& req, Context& ctx, const chat::PeerState& s);
  Response operators(const Request& req, Context& ctx, const chat::PeerState& s);
  net::awaitable<Response> action(pc::ActionKind kind, const Request& req, Context& ctx, chat::PeerState s);
  net::awaitable<Response> note(const Request& req, Context& ctx, chat::PeerState s);

 private:
  chat::Service& service_;
  store::Store& store_;
};

std::variant<chat::PeerState, Response> ChatConsole::who(const Request& req, bool changes) {
  if (changes && !is_same_origin(req)) return cross_origin();
  auto op = authenticate_operator(store_, req);
  if (auto* refused = std::get_if<Response>(&op)) return std::move(*refused);
  const auto& o = std::get<store::Operator>(op);
  auto site = service_.site_by_id(o.site_id);
  if (!site) return problem(site.error());
  if (!*site) return problem(protocol::ErrorCode::site_disabled);
  chat::PeerState s;
  s.role = pc::Role::operator_;
  s.site = *site;
  s.welcomed = true;
  s.operator_id = o.id;
  s.operator_name = o.name;
  s.operator_role = chat_role(o);
  return s;
}

Response ChatConsole::list(const Request& req, Context&, const chat::PeerState& s) {
  store::ChatQuery q;
  q.site_id = s.site->site.id;
  auto statuses = status_param(req);
  auto text = text_param(req, "q", 200);
  auto email = text_param(req, "email", pc::kMaxEmailBytes);
  auto phone = text_param(req, "phone", pc::kMaxPhoneLength);
  auto visitor = text_param(req, "visitor_id", 64);
  auto from = time_param(req, "from");
  auto to = time_param(req, "to");
  auto before = time_param(req, "before");
  auto limit = int_param(req, "limit", kDefaultLimit, 1, kMaxLimit);
  for (const protocol::Error* e :
       {statuses ? nullptr : &statuses.error(), text ? nullptr : &text.error(), email ? nullptr : &email.error(),
        phone ? nullptr : &phone.error(), visitor ? nullptr : &visitor.error(), from ? nullptr : &from.error(),
        to ? nullptr : &to.error(), before ? nullptr : &before.error(), limit ? nullptr : &limit.error()}) {
    if (e != nullptr) return problem(*e);
  }
  q.statuses = std::move(*statuses);
  q.text = std::move(*text);
  q.email = std::move(*email);
  q.phone = std::move(*phone);
  q.visitor_id = std::move(*visitor);
  q.from_ms = *from;
  q.to_ms = *to;
  q.before = *before;
  // One more than asked tells whether another page follows.
  q.limit = static_cast<std::size_t>(*limit) + 1;
  auto found = store_.list_chat_conversations(q);
  if (!found) return problem(found.error());
  const bool more = found->size() > static_cast<std::size_t>(*limit);
  if (more) found->pop_back();
  protocol::JsonWriter out;
  out.begin_object().key("data").begin_array();
  for (const auto& c : *found) write_item(out, c);
  out.end_array().key("has_more").value(more);
  if (more) out.key("next_before").value(protocol::format_timestamp_ms(found->back().updated_at));
  out.end_object();
  return json_answer(Status::ok, std::move(out).str());
}

Response ChatConsole::get(const Request&, Context& ctx, const chat::PeerState& s) {
  auto found = store_.find_chat_conversation(s.site->site.id, ctx.params["id"]);
  if (!found) return problem(found.error());
  if (!*found) return problem(protocol::ErrorCode::not_found, "no such conversation", "id");
  return json_answer(Status::ok, item_json(**found));
}

Response ChatConsole::messages(const Request& req, Context& ctx, const chat::PeerState& s) {
  auto after = int_param(req, "after", 0, 0, pc::kMaxSeq);
  if (!after) return problem(after.error());
  auto limit = int_param(req, "limit", kMaxLimit, 1, kMaxLimit);
  if (!limit) return problem(limit.error());
  const std::string id = ctx.params["id"];
  auto found = store_.find_chat_conversation(s.site->site.id, id);
  if (!found) return problem(found.error());
  if (!*found) return problem(protocol::ErrorCode::not_found, "no such conversation", "id");
  auto rows = store_.list_chat_messages(id, *after, static_cast<std::size_t>(*limit) + 1, true);
  if (!rows) return problem(rows.error());
  const bool more = rows->size() > static_cast<std::size_t>(*limit);
  if (more) rows->pop_back();
  protocol::JsonWriter out;
  out.begin_object().key("data").begin_array();
  for (const auto& m : *rows) pc::write_message(out, m);
  out.end_array().key("has_more").value(more).key("last_seq").value((*found)->conversation.last_seq).end_object();
  return json_answer(Status::ok, std::move(out).str());
}

Response ChatConsole::operators(const Request&, Context&, const chat::PeerState& s) {
  auto found = store_.list_operators(s.site->site.id);
  if (!found) return problem(found.error());
  protocol::JsonWriter out;
  out.begin_object().key("data").begin_array();
  for (const auto& op : *found) {
    out.begin_object().key("id").value(op.id).key("name").value(op.name);
    out.key("role").value(pc::to_string(chat_role(op))).end_object();
  }
  out.end_array().end_object();
  return json_answer(Status::ok, std::move(out).str());
}

net::awaitable<Response> ChatConsole::action(pc::ActionKind kind, const Request& req, Context& ctx, chat::PeerState s) {
  if (auto bad = check_json_body(req, kMaxBody)) co_return std::move(*bad);
  pc::ConversationAction a;
  a.kind = kind;
  a.conversation_id = ctx.params["id"];
  if (auto ok = pc::check_conversation_id(a.conversation_id, "id"); !ok) co_return chat_problem(ok.error());
  auto members =
      string_members(req.body(), kind == pc::ActionKind::assign ? std::initializer_list<std::string_view>{"operator_id"}
                                                                : std::initializer_list<std::string_view>{});
  if (!members) co_return problem(members.error());
  if (kind == pc::ActionKind::assign) {
    a.operator_id = member(*members, "operator_id");
    if (auto ok = pc::check_operator_id(a.operator_id); !ok) co_return problem(ok.error());
  }
  auto submit = [this, s = std::move(s), a = std::move(a)](store::Done<store::ChatConversation> done) mutable {
    service_.act(std::move(s), std::move(a), std::move(done));
  };
  auto result = co_await await_write<store::ChatConversation>(std::move(submit));
  if (!result) {
    if (result.error().code == protocol::ErrorCode::unavailable ||
        result.error().code == protocol::ErrorCode::internal) {
      log::error("chat action failed").str("rid", ctx.request_id).str("error", result.error().message).emit();
    }
    co_return chat_problem(result.error());
  }
  co_return json_answer(Status::ok, item_json(*result));
}

net::awaitable<Response> ChatConsole::note(const Request& req, Context& ctx, chat::PeerState s) {
  if (auto bad = check_json_body(req, kMaxBody)) co_return std::move(*bad);
  const std::string id = ctx.params["id"];
  if (auto ok = pc::check_conversation_id(id, "id"); !ok) co_return chat_problem(ok.error());
  auto members = string_members(req.body(), {"client_id", "text"});
  if (!members) co_return problem(members.error());
  std::string client_id = member(*members, "client_id");
  std::string text = member(*members, "text");
  if (auto ok = pc::check_client_id(client_id); !ok) co_return problem(ok.error());
  if (auto ok = pc::check_message_text(text, service_.limits()); !ok) co_return problem(ok.error());
  auto submit = [this, s = std::move(s), id, client_id = std::move(client_id),
                 text = std::move(text)](store::Done<pc::Ack> done) mutable {
    service_.note(std::move(s), id, std::move(client_id), std::move(text), std::move(done));
  };
  auto ack = co_await await_write<pc::Ack>(std::move(submit));
  if (!ack) co_return chat_problem(ack.error());
  protocol::JsonWriter out;
  out.begin_object().key("client_id").value(ack->client_id).key("conversation_id").value(ack->conversation_id);
  out.key("seq").value(ack->seq).key("created_at").value(protocol::format_timestamp_ms(ack->created_at_ms));
  out.end_object();
  co_return json_answer(Status::ok, std::move(out).str());
}

}  // namespace

void add_chat_console_routes(Router& router, chat::Service& service, store::Store& store) {
  auto api = std::make_shared<ChatConsole>(service, store);
  // Reads from any signed-in operator; changes only from the server's own origin as well.
  auto reads = [api](const Request& req, Context&) { return api->who(req, false); };
  auto changes = [api](const Request& req, Context&) { return api->who(req, true); };
  router.get("/v1/console/conversations", authenticated(reads, std::bind_front(&ChatConsole::list, api)));
  router.get("/v1/console/conversations/{id}", authenticated(reads, std::bind_front(&ChatConsole::get, api)));
  router.get("/v1/console/conversations/{id}/messages",
             authenticated(reads, std::bind_front(&ChatConsole::messages, api)));
  router.get("/v1/console/operators", authenticated(reads, std::bind_front(&ChatConsole::operators, api)));
  for (auto [path, kind] : {std::pair{"/v1/console/conversations/{id}/take", pc::ActionKind::take},
                            std::pair{"/v1/console/conversations/{id}/assign", pc::ActionKind::assign},
                            std::pair{"/v1/console/conversations/{id}/close", pc::ActionKind::close},
                            std::pair{"/v1/console/conversations/{id}/reopen", pc::ActionKind::reopen}}) {
    router.post(path, authenticated(changes, std::bind_front(&ChatConsole::action, api, kind)));
  }
  router.post("/v1/console/conversations/{id}/notes", authenticated(changes, std::bind_front(&ChatConsole::note, api)));
}

}  // namespace vitrina::http
