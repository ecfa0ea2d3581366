#include "store/chat_reads.hpp"

#include <string>
#include <utility>

#include "vitrina/protocol/chat_codec.hpp"
#include "vitrina/protocol/json.hpp"
#include "vitrina/protocol/json_reader.hpp"

namespace vitrina::store {

namespace {

constexpr std::string_view kConversationSelect =
    "SELECT c.id, c.site_id, c.visitor_id, c.kind, c.status, c.assignee_id, c.last_seq, c.operator_read_seq, "
    "c.visitor_read_seq, c.created_at, c.last_message_at, c.waiting_since, c.closed_at, c.closed_by_role, "
    "c.closed_by_id, c.closed_by_name, coalesce(o.name, ''), coalesce(v.user_id, ''), coalesce(v.context, '{}'), "
    "c.visitor_unread, c.updated_at "
    "FROM chat_conversations c LEFT JOIN operators o ON o.id = c.assignee_id "
    "LEFT JOIN chat_visitors v ON v.id = c.visitor_id ";

const std::string kConversationById = std::string(kConversationSelect) + "WHERE c.site_id = ? AND c.id = ?";
const std::string kOpenConversation = std::string(kConversationSelect) +
                                      "WHERE c.site_id = ? AND c.visitor_id = ? AND c.status != 'closed' "
                                      "AND c.kind = 'chat'";
constexpr const char* kVisitorColumns =
    "SELECT id, site_id, user_id, context, created_at, updated_at FROM chat_visitors ";
const std::string kVisitorById = std::string(kVisitorColumns) + "WHERE site_id = ? AND id = ?";
const std::string kVisitorByUser =
    std::string(kVisitorColumns) + "WHERE site_id = ? AND user_id = ? ORDER BY created_at, id LIMIT 1";
constexpr const char* kMessages =
    "SELECT conversation_id, seq, author_role, author_key, author_name, client_id, text, internal, created_at "
    "FROM chat_messages WHERE conversation_id = ? AND seq > ? AND (internal = 0 OR ?) ORDER BY seq LIMIT ?";

chat::AuthorRole author_role(std::string_view s) {
  if (s == "operator") return chat::AuthorRole::operator_;
  if (s == "system") return chat::AuthorRole::system;
  return chat::AuthorRole::visitor;
}

chat::ConversationStatus status_of(std::string_view s) {
  if (s == "open") return chat::ConversationStatus::open;
  if (s == "closed") return chat::ConversationStatus::closed;
  return chat::ConversationStatus::waiting;
}

ChatConversation read_conversation(const sqlite::Statement& row) {
  ChatConversation r;
  chat::Conversation& c = r.conversation;
  c.id = row.column_text(0);
  r.site_id = row.column_text(1);
  r.visitor_id = row.column_text(2);
  c.kind = row.column_text(3) == "offline" ? chat::ConversationKind::offline : chat::ConversationKind::chat;
  c.status = status_of(row.column_text(4));
  r.assignee_id = row.column_text(5);
  c.last_seq = row.column_int(6);
  r.operator_read_seq = row.column_int(7);
  r.visitor_read_seq = row.column_int(8);
  c.created_at_ms = row.column_int(9);
  r.last_message_at = row.column_int(10);
  r.waiting_since = row.column_int(11);
  if (const auto closed_at = row.column_int(12); closed_at != 0) c.closed_at_ms = closed_at;
  if (const auto role = row.column_text(13); !role.empty()) {
    c.closed_by = chat::Author{author_role(role), std::string(row.column_text(14)), std::string(row.column_text(15))};
  }
  if (!r.assignee_id.empty()) {
    c.assignee = chat::Author{chat::AuthorRole::operator_, r.assignee_id, std::string(row.column_text(16))};
  }
  chat::VisitorContext context = context_from_json(row.column_text(18));
  chat::VisitorInfo visitor;
  visitor.id = r.visitor_id;
  visitor.user_id = row.column_text(17);
  visitor.name = context.name.value_or("");
  visitor.email = context.email.value_or("");
  visitor.phone = context.phone.value_or("");
  c.visitor = std::move(visitor);
  c.context = std::move(context);
  r.unread = row.column_int(19);
  r.updated_at = row.column_int(20);
  return r;
}

template <class Bind>
Result<std::vector<ChatConversation>> select_conversations(sqlite::Connection& db, std::string_view sql, Bind&& bind) {
  auto stmt = db.cached(sql);
  if (!stmt) return std::move(stmt).error();
  sqlite::ScopedStatement scoped(**stmt);
  bind(*scoped);
  std::vector<ChatConversation> out;
  for (;;) {
    auto row = scoped->step();
    if (!row) return std::move(row).error();
    if (!*row) return out;
    out.push_back(read_conversation(*scoped));
  }
}

Result<std::optional<ChatConversation>> first(Result<std::vector<ChatConversation>> found) {
  if (!found) return std::move(found).error();
  if (found->empty()) return std::optional<ChatConversation>{};
  return std::optional<ChatConversation>{std::move(found->front())};
}

Result<std::optional<ChatVisitor>> select_visitor(sqlite::Connection& db, const std::string& sql, std::string_view a,
                                                  std::string_view b) {
  auto stmt = db.cached(sql);
  if (!stmt) return std::move(stmt).error();
  sqlite::ScopedStatement scoped(**stmt);
  scoped->bind(1, a);
  scoped->bind(2, b);
  auto row = scoped->step();
  if (!row) return std::move(row).error();
  if (!*row) return std::optional<ChatVisitor>{};
  ChatVisitor v;
  v.id = scoped->column_text(0);
  v.site_id = scoped->column_text(1);
  v.user_id = scoped->column_text(2);
  v.context = context_from_json(scoped->column_text(3));
  v.created_at = scoped->column_int(4);
  v.updated_at = scoped->column_int(5);
  return std::optional<ChatVisitor>{std::move(v)};
}

// The digits of a phone number: "+7 (999) 123-45-67" -> "79991234567".
std::string digits_of(std::string_view phone) {
  std::string out;
  for (char ch : phone) {
    if (ch >= '0' && ch <= '9') out += ch;
  }
  return out;
}

// A LIKE pattern that matches `text` literally anywhere ('\' escapes).
std::string like_anywhere(std::string_view text) {
  std::string out = "%";
  for (char ch : text) {
    if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "%";
}

}  // namespace

void merge_context(chat::VisitorContext& kept, const chat::VisitorContext& change) {
  auto take = [](std::optional<std::string>& into, const std::optional<std::string>& from) {
    if (from) into = *from;
  };
  take(kept.url, change.url);
  take(kept.title, change.title);
  take(kept.referrer, change.referrer);
  take(kept.language, change.language);
  take(kept.name, change.name);
  take(kept.email, change.email);
  take(kept.phone, change.phone);
  if (change.attributes) kept.attributes = change.attributes;
  // "" clears a member rather than keeping an empty one.
  for (auto* member : {&kept.referrer, &kept.name, &kept.email, &kept.phone}) {
    if (*member && (*member)->empty()) member->reset();
  }
}

std::string context_to_json(const chat::VisitorContext& context) {
  protocol::JsonWriter w;
  chat::write_context(w, context);
  return std::move(w).str();
}

chat::VisitorContext context_from_json(std::string_view json) {
  chat::VisitorContext context;
  auto parsed = protocol::parse_json(json, {.max_bytes = 1 << 20, .max_depth = 4, .max_values = 4096});
  if (!parsed || !parsed->is_object()) return context;
  auto text = [&](std::string_view key) -> std::optional<std::string> {
    const auto* v = parsed->find(key);
    if (v == nullptr || !v->is_string()) return std::nullopt;
    return v->text;
  };
  context.url = text("url");
  context.title = text("title");
  context.referrer = text("referrer");
  context.language = text("language");
  context.name = text("name");
  context.email = text("email");
  context.phone = text("phone");
  if (const auto* attributes = parsed->find("attributes"); attributes != nullptr && attributes->is_object()) {
    std::vector<chat::Attribute> list;
    for (const auto& m : attributes->members) {
      if (m.value.is_string()) {
        list.push_back({m.key, m.value.text});
      } else if (m.value.is_bool()) {
        list.push_back({m.key, m.value.boolean});
      } else if (auto n = m.value.as_int64()) {
        list.push_back({m.key, *n});
      }
    }
    context.attributes = std::move(list);
  }
  return context;
}

namespace chat_reads {

Result<std::optional<ChatConversation>> conversation(sqlite::Connection& db, std::string_view site_id,
                                                     std::string_view id) {
  return first(select_conversations(db, kConversationById, [&](sqlite::Statement& s) {
    s.bind(1, site_id);
    s.bind(2, id);
  }));
}

Result<std::optional<ChatConversation>> open_conversation(sqlite::Connection& db, std::string_view site_id,
                                                          std::string_view visitor_id) {
  return first(select_conversations(db, kOpenConversation, [&](sqlite::Statement& s) {
    s.bind(1, site_id);
    s.bind(2, visitor_id);
  }));
}

Result<std::optional<ChatVisitor>> visitor(sqlite::Connection& db, std::string_view site_id, std::string_view id) {
  return select_visitor(db, kVisitorById, site_id, id);
}

Result<std::optional<ChatVisitor>> visitor_by_user(sqlite::Connection& db, std::string_view site_id,
                                                   std::string_view user_id) {
  return select_visitor(db, kVisitorByUser, site_id, user_id);
}

Result<std::vector<chat::MessageEvent>> messages(sqlite::Connection& db, std::string_view conversation_id,
                                                 std::int64_t after_seq, std::size_t limit, bool include_internal) {
  auto stmt = db.cached(kMessages);
  if (!stmt) return std::move(stmt).error();
  sqlite::ScopedStatement scoped(**stmt);
  scoped->bind(1, conversation_id);
  scoped->bind(2, after_seq);
  scoped->bind(3, std::int64_t{include_internal ? 1 : 0});
  scoped->bind(4, static_cast<std::int64_t>(limit));
  std::vector<chat::MessageEvent> out;
  for (;;) {
    auto row = scoped->step();
    if (!row) return std::move(row).error();
    if (!*row) return out;
    chat::MessageEvent m;
    m.conversation_id = scoped->column_text(0);
    m.seq = scoped->column_int(1);
    m.author.role = author_role(scoped->column_text(2));
    if (m.author.role == chat::AuthorRole::operator_) m.author.id = scoped->column_text(3);
    m.author.name = scoped->column_text(4);
    m.client_id = scoped->column_text(5);
    m.text = scoped->column_text(6);
    m.internal = scoped->column_int(7) != 0;
    m.created_at_ms = scoped->column_int(8);
    out.push_back(std::move(m));
  }
}

Result<std::vector<ChatConversation>> list(sqlite::Connection& db, const ChatQuery& q) {
  // Built from fixed pieces only; every value is bound.
  std::string sql(kConversationSelect);
  sql += "WHERE c.site_id = ?";
  std::vector<std::string> binds{q.site_id};
  std::vector<std::int64_t> ints;
  if (!q.statuses.empty()) {
    sql += " AND c.status IN (";
    for (std::size_t i = 0; i < q.statuses.size(); ++i) {
      sql += i == 0 ? "?" : ", ?";
      binds.emplace_back(chat::to_string(q.statuses[i]));
    }
    sql += ")";
  }
  if (!q.visitor_id.empty()) {
    sql += " AND c.visitor_id = ?";
    binds.push_back(q.visitor_id);
  }
  if (!q.email.empty()) {
    sql +=
        " AND (lower(json_extract(v.context, '$.email')) = lower(?) OR EXISTS (SELECT 1 FROM chat_offline_messages f "
        "WHERE f.conversation_id = c.id AND lower(f.email) = lower(?)))";
    binds.push_back(q.email);
    binds.push_back(q.email);
  }
  if (!q.phone.empty()) {
    // Compares digits only, so "+7 (999) 123-45-67" finds "79991234567".
    constexpr const char* kDigits =
        "replace(replace(replace(replace(replace(replace(coalesce(%s, ''), ' ', ''), '+', ''), '-', ''), '(', ''), "
        "')', ''), '.', '')";
    char a[512], b[512];
    std::snprintf(a, sizeof a, kDigits, "json_extract(v.context, '$.phone')");
    std::snprintf(b, sizeof b, kDigits, "f.phone");
    sql += std::string(" AND (") + a +
           " = ? OR EXISTS (SELECT 1 FROM chat_offline_messages f WHERE f.conversation_id = "
           "c.id AND " +
           b + " = ?))";
    binds.push_back(digits_of(q.phone));
    binds.push_back(digits_of(q.phone));
  }
  if (!q.text.empty()) {
    sql += " AND EXISTS (SELECT 1 FROM chat_messages m WHERE m.conversation_id = c.id AND m.text LIKE ? ESCAPE '\\')";
    binds.push_back(like_anywhere(q.text));
  }
  if (q.from_ms > 0) {
    sql += " AND c.created_at >= ?";
    ints.push_back(q.from_ms);
  }
  if (q.to_ms > 0) {
    sql += " AND c.created_at < ?";
    ints.push_back(q.to_ms);
  }
  if (q.before > 0) {
    sql += " AND c.updated_at < ?";
    ints.push_back(q.before);
  }
  sql += " ORDER BY c.updated_at DESC, c.id DESC LIMIT ?";
  ints.push_back(static_cast<std::int64_t>(q.limit));
  // A one-off statement: the filters make too many shapes to cache each.
  auto stmt = db.prepare(sql);
  if (!stmt) return std::move(stmt).error();
  int index = 1;
  for (const auto& text : binds) stmt->bind(index++, text);
  for (auto value : ints) stmt->bind(index++, value);
  std::vector<ChatConversation> out;
  for (;;) {
    auto row = stmt->step();
    if (!row) return std::move(row).error();
    if (!*row) return out;
    out.push_back(read_conversation(*stmt));
  }
}

}  // namespace chat_reads

}  // namespace vitrina::store
