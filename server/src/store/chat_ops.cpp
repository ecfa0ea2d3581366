#include "store/chat_ops.hpp"

#include <string>
#include <utility>

#include "store/chat_reads.hpp"
#include "store/value_write.hpp"
#include "store/webhook_ops.hpp"
#include "vitrina/protocol/chat_rules.hpp"
#include "vitrina/protocol/chat_sequence.hpp"

namespace vitrina::store {

namespace {

constexpr const char* kEnsureVisitor =
    "INSERT INTO chat_visitors (id, site_id, user_id, context, created_at, updated_at) VALUES (?, ?, ?, '{}', ?, ?) "
    "ON CONFLICT (id) DO NOTHING";
constexpr const char* kUpdateVisitorContext = "UPDATE chat_visitors SET context = ?, updated_at = ? WHERE id = ?";
constexpr const char* kInsertConversation =
    "INSERT INTO chat_conversations (id, site_id, visitor_id, kind, status, created_at, updated_at, waiting_since) "
    "VALUES (?, ?, ?, ?, 'waiting', ?, ?, ?)";
constexpr const char* kMessageByClientId =
    "SELECT conversation_id, seq, created_at FROM chat_messages WHERE conversation_id = ? AND author_key = ? "
    "AND client_id = ?";
constexpr const char* kVisitorMessageByClientId =
    "SELECT m.conversation_id, m.seq, m.created_at FROM chat_messages m JOIN chat_conversations c "
    "ON c.id = m.conversation_id WHERE m.author_key = ? AND m.client_id = ? AND c.site_id = ? "
    "ORDER BY m.created_at DESC LIMIT 1";
constexpr const char* kInsertMessage =
    "INSERT INTO chat_messages (conversation_id, seq, author_role, author_key, author_name, client_id, text, internal, "
    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr const char* kUpdateConversation =
    "UPDATE chat_conversations SET status = ?, assignee_id = ?, last_seq = ?, operator_read_seq = ?, "
    "visitor_read_seq = ?, updated_at = ?, last_message_at = ?, waiting_since = ?, closed_at = ?, closed_by_role = ?, "
    "closed_by_id = ?, closed_by_name = ?, visitor_unread = ? WHERE id = ?";
constexpr const char* kUpdateReads =
    "UPDATE chat_conversations SET operator_read_seq = ?, visitor_read_seq = ?, visitor_unread = ? WHERE id = ?";
constexpr const char* kCountUnread =
    "SELECT count(*) FROM chat_messages WHERE conversation_id = ? AND author_role = 'visitor' AND seq > ?";
constexpr const char* kInsertOffline =
    "INSERT INTO chat_offline_messages (conversation_id, name, email, phone, context, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?)";

using sqlite::run_cached;

Result<void> ensure_visitor(sqlite::Connection& db, std::string_view id, std::string_view site_id,
                            std::string_view user_id, std::int64_t now) {
  return run_cached(db, kEnsureVisitor, [&](sqlite::Statement& s) {
    s.bind(1, id);
    s.bind(2, site_id);
    s.bind(3, user_id);
    s.bind(4, now);
    s.bind(5, now);
  });
}

// Visitor messages after the operators' read position: none once they have read to the end.
Result<std::int64_t> count_unread(sqlite::Connection& db, const ChatConversation& r) {
  if (r.operator_read_seq >= r.conversation.last_seq) return std::int64_t{0};
  auto stmt = db.cached(kCountUnread);
  if (!stmt) return std::move(stmt).error();
  sqlite::ScopedStatement scoped(**stmt);
  scoped->bind(1, r.conversation.id);
  scoped->bind(2, r.operator_read_seq);
  auto row = scoped->step();
  if (!row) return std::move(row).error();
  return *row ? scoped->column_int(0) : std::int64_t{0};
}

// Writes every mutable column of the conversation as `r` holds it.
Result<void> save_conversation(sqlite::Connection& db, const ChatConversation& r, std::int64_t now) {
  const chat::Conversation& c = r.conversation;
  return run_cached(db, kUpdateConversation, [&](sqlite::Statement& s) {
    s.bind(1, chat::to_string(c.status));
    s.bind(2, c.assignee ? std::string_view(c.assignee->id) : std::string_view());
    s.bind(3, c.last_seq);
    s.bind(4, r.operator_read_seq);
    s.bind(5, r.visitor_read_seq);
    s.bind(6, now);
    s.bind(7, r.last_message_at);
    s.bind(8, c.status == chat::ConversationStatus::waiting ? (r.waiting_since != 0 ? r.waiting_since : now)
                                                            : std::int64_t{0});
    s.bind(9, c.closed_at_ms.value_or(0));
    s.bind(10, c.closed_by ? chat::to_string(c.closed_by->role) : std::string_view());
    s.bind(11, c.closed_by ? std::string_view(c.closed_by->id) : std::string_view());
    s.bind(12, c.closed_by ? std::string_view(c.closed_by->name) : std::string_view());
    s.bind(13, r.unread);
    s.bind(14, c.id);
  });
}

Result<void> enqueue_all(sqlite::Connection& db, const std::vector<NewWebhookEvent>& events) {
  for (const auto& event : events) {
    auto queued = enqueue_event_in(db, event);
    if (!queued) return std::move(queued).error();
  }
  return {};
}

Error not_found_conversation() {
  return protocol::make_error(protocol::ErrorCode::not_found, "no such conversation", "conversation_id");
}

// The message row a repeated client id refers to, if there is one: (conversation, seq, time).
struct Earlier {
  std::string conversation_id;
  std::int64_t seq = 0;
  std::int64_t created_at = 0;
};

Result<std::optional<Earlier>> find_earlier(sqlite::Connection& db, const ChatAppend& a, std::string_view author_key) {
  const bool any_conversation = a.conversation_id.empty();
  auto stmt = db.cached(any_conversation ? kVisitorMessageByClientId : kMessageByClientId);
  if (!stmt) return std::move(stmt).error();
  sqlite::ScopedStatement scoped(**stmt);
  if (any_conversation) {
    scoped->bind(1, author_key);
    scoped->bind(2, a.client_id);
    scoped->bind(3, a.site_id);
  } else {
    scoped->bind(1, a.conversation_id);
    scoped->bind(2, author_key);
    scoped->bind(3, a.client_id);
  }
  auto row = scoped->step();
  if (!row) return std::move(row).error();
  if (!*row) return std::optional<Earlier>{};
  return std::optional<Earlier>{
      Earlier{std::string(scoped->column_text(0)), scoped->column_int(1), scoped->column_int(2)}};
}

class Append final : public ValueWrite<ChatAppended> {
 public:
  Append(ChatAppend append, Done<ChatAppended> done) : ValueWrite(std::move(done)), a_(std::move(append)) {}

  Result<void> apply(sqlite::Connection& db) override {
    out_ = {};
    const bool by_visitor = a_.actor.author.role == chat::AuthorRole::visitor;
    const std::string author_key = by_visitor ? a_.visitor_id : a_.actor.author.id;
    if (by_visitor) {
      if (auto r = ensure_visitor(db, a_.visitor_id, a_.site_id, a_.user_id, a_.now_ms); !r) return r;
    }

    // A repeated client id: the first ack again, nothing written.
    auto earlier = find_earlier(db, a_, author_key);
    if (!earlier) return std::move(earlier).error();
    if (*earlier) return repeat(db, **earlier);

    auto conversation = find_or_start(db, by_visitor);
    if (!conversation) return std::move(conversation).error();
    ChatConversation& conv = *conversation;
    if (!a_.conversation_id.empty() && by_visitor && conv.visitor_id != a_.visitor_id) return not_found_conversation();

    auto change = chat::apply_message(conv.conversation, a_.actor, a_.internal);
    if (!change) return std::move(change).error();
    out_.conversation_changed = out_.conversation_created || change->changed;
    const auto assigned = chat::assign_seq(conv.conversation.last_seq, std::nullopt, a_.now_ms);
    if (!assigned) return std::move(assigned).error();

    chat::MessageEvent& m = out_.message;
    m.conversation_id = conv.conversation.id;
    m.seq = assigned->seq;
    m.client_id = a_.client_id;
    m.author = a_.actor.author;
    if (by_visitor) m.author.id.clear();
    m.text = a_.text;
    m.internal = a_.internal;
    m.created_at_ms = a_.now_ms;
    auto inserted = run_cached(db, kInsertMessage, [&](sqlite::Statement& s) {
      s.bind(1, m.conversation_id);
      s.bind(2, m.seq);
      s.bind(3, chat::to_string(m.author.role));
      s.bind(4, author_key);
      s.bind(5, m.author.name);
      s.bind(6, m.client_id);
      s.bind(7, m.text);
      s.bind(8, std::int64_t{m.internal ? 1 : 0});
      s.bind(9, m.created_at_ms);
    });
    if (!inserted) return inserted;

    ChatConversation after = conv;
    after.conversation.status = change->conversation.status;
    after.conversation.assignee = change->conversation.assignee;
    after.conversation.last_seq = m.seq;
    after.last_message_at = a_.now_ms;
    // Writing is reading: an author has seen everything up to their own message.
    if (by_visitor) {
      after.visitor_read_seq = m.seq;
      ++after.unread;
    } else if (!a_.internal) {
      after.operator_read_seq = m.seq;
      after.unread = 0;
    }
    if (auto r = save_conversation(db, after, a_.now_ms); !r) return r;
    if (a_.offline) {
      if (auto r = save_offline(db); !r) return r;
    }

    auto reloaded = chat_reads::conversation(db, a_.site_id, m.conversation_id);
    if (!reloaded) return std::move(reloaded).error();
    if (!*reloaded) return not_found_conversation();
    out_.conversation = std::move(**reloaded);
    out_.ack = {m.client_id, m.conversation_id, m.seq, m.created_at_ms};
    if (out_.offline) out_.offline->context = out_.conversation.conversation.context;
    if (a_.events) return enqueue_all(db, a_.events(out_));
    return {};
  }

 private:
  Result<void> repeat(sqlite::Connection& db, const Earlier& e) {
    auto conv = chat_reads::conversation(db, a_.site_id, e.conversation_id);
    if (!conv) return std::move(conv).error();
    if (!*conv) return not_found_conversation();
    auto rows = chat_reads::messages(db, e.conversation_id, e.seq - 1, 1, true);
    if (!rows) return std::move(rows).error();
    if (!rows->empty()) out_.message = std::move(rows->front());
    out_.conversation = std::move(**conv);
    out_.ack = {a_.client_id, e.conversation_id, e.seq, e.created_at};
    out_.duplicate = true;
    return {};
  }

  Result<ChatConversation> find_or_start(sqlite::Connection& db, bool by_visitor) {
    if (!a_.conversation_id.empty()) {
      auto found = chat_reads::conversation(db, a_.site_id, a_.conversation_id);
      if (!found) return std::move(found).error();
      if (!*found) return not_found_conversation();
      return std::move(**found);
    }
    if (!by_visitor)
      return protocol::make_error(protocol::ErrorCode::invalid, "conversation_id is required", "conversation_id");
    if (!a_.offline) {
      auto open = chat_reads::open_conversation(db, a_.site_id, a_.visitor_id);
      if (!open) return std::move(open).error();
      if (*open) return std::move(**open);
    }
    auto inserted = run_cached(db, kInsertConversation, [&](sqlite::Statement& s) {
      s.bind(1, a_.new_conversation_id);
      s.bind(2, a_.site_id);
      s.bind(3, a_.visitor_id);
      s.bind(4, a_.offline ? std::string_view("offline") : std::string_view("chat"));
      s.bind(5, a_.now_ms);
      s.bind(6, a_.now_ms);
      s.bind(7, a_.now_ms);
    });
    if (!inserted) return std::move(inserted).error();
    out_.conversation_created = true;
    auto created = chat_reads::conversation(db, a_.site_id, a_.new_conversation_id);
    if (!created) return std::move(created).error();
    if (!*created) return not_found_conversation();
    return std::move(**created);
  }

  // The contact goes into the visitor's context too (it is what the visitor typed), and the
  // offline record keeps the context as it was when the message was left.
  Result<void> save_offline(sqlite::Connection& db) {
    auto visitor = chat_reads::visitor(db, a_.site_id, a_.visitor_id);
    if (!visitor) return std::move(visitor).error();
    chat::VisitorContext context = *visitor ? (*visitor)->context : chat::VisitorContext{};
    chat::VisitorContext contact;
    if (!a_.name.empty()) contact.name = a_.name;
    if (!a_.email.empty()) contact.email = a_.email;
    if (!a_.phone.empty()) contact.phone = a_.phone;
    merge_context(context, contact);
    const std::string json = context_to_json(context);
    auto updated = run_cached(db, kUpdateVisitorContext, [&](sqlite::Statement& s) {
      s.bind(1, json);
      s.bind(2, a_.now_ms);
      s.bind(3, a_.visitor_id);
    });
    if (!updated) return updated;
    auto inserted = run_cached(db, kInsertOffline, [&](sqlite::Statement& s) {
      s.bind(1, out_.message.conversation_id);
      s.bind(2, a_.name);
      s.bind(3, a_.email);
      s.bind(4, a_.phone);
      s.bind(5, json);
      s.bind(6, a_.now_ms);
    });
    if (!inserted) return inserted;
    chat::OfflineMessage o;
    o.conversation_id = out_.message.conversation_id;
    o.visitor_id = a_.visitor_id;
    o.user_id = a_.user_id;
    o.client_id = a_.client_id;
    o.name = a_.name;
    o.email = a_.email;
    o.phone = a_.phone;
    o.text = a_.text;
    o.created_at_ms = a_.now_ms;
    out_.offline = std::move(o);
    return {};
  }

  ChatAppend a_;
};

class Action final : public ValueWrite<ChatActed> {
 public:
  Action(ChatAction action, Done<ChatActed> done) : ValueWrite(std::move(done)), a_(std::move(action)) {}

  Result<void> apply(sqlite::Connection& db) override {
    out_ = {};
    auto found = chat_reads::conversation(db, a_.site_id, a_.conversation_id);
    if (!found) return std::move(found).error();
    if (!*found || (!a_.visitor_id.empty() && (*found)->visitor_id != a_.visitor_id)) return not_found_conversation();
    ChatConversation conv = std::move(**found);
    auto change = chat::apply_action(conv.conversation, a_.kind, a_.actor, a_.target, a_.now_ms);
    if (!change) return std::move(change).error();
    out_.changed = change->changed;
    if (change->changed) {
      ChatConversation after = conv;
      after.conversation = change->conversation;
      if (after.conversation.status == chat::ConversationStatus::waiting) after.waiting_since = conv.waiting_since;
      if (after.conversation.status != chat::ConversationStatus::closed) {
        after.conversation.closed_at_ms.reset();
        after.conversation.closed_by.reset();
      }
      if (auto r = save_conversation(db, after, a_.now_ms); !r) return r;
      auto reloaded = chat_reads::conversation(db, a_.site_id, a_.conversation_id);
      if (!reloaded) return std::move(reloaded).error();
      if (!*reloaded) return not_found_conversation();
      conv = std::move(**reloaded);
    }
    out_.conversation = std::move(conv);
    if (out_.changed && a_.events) return enqueue_all(db, a_.events(out_));
    return {};
  }

 private:
  ChatAction a_;
};

class Read final : public ValueWrite<ChatReadResult> {
 public:
  Read(ChatRead read, Done<ChatReadResult> done) : ValueWrite(std::move(done)), r_(std::move(read)) {}

  Result<void> apply(sqlite::Connection& db) override {
    out_ = {};
    auto found = chat_reads::conversation(db, r_.site_id, r_.conversation_id);
    if (!found) return std::move(found).error();
    if (!*found || (!r_.visitor_id.empty() && (*found)->visitor_id != r_.visitor_id)) return not_found_conversation();
    ChatConversation conv = std::move(**found);
    std::int64_t& position = r_.visitor_id.empty() ? conv.operator_read_seq : conv.visitor_read_seq;
    auto advanced = chat::advance_read(position, r_.seq, conv.conversation.last_seq);
    if (!advanced) return std::move(advanced).error();
    out_.seq = advanced->value_or(position);
    if (!*advanced) return {};
    out_.moved = true;
    position = **advanced;
    if (r_.visitor_id.empty()) {
      auto unread = count_unread(db, conv);
      if (!unread) return std::move(unread).error();
      conv.unread = *unread;
    }
    // A receipt is not activity: the conversation keeps its place in the inbox.
    return run_cached(db, kUpdateReads, [&](sqlite::Statement& s) {
      s.bind(1, conv.operator_read_seq);
      s.bind(2, conv.visitor_read_seq);
      s.bind(3, conv.unread);
      s.bind(4, conv.conversation.id);
    });
  }

 private:
  ChatRead r_;
};

class Context final : public ValueWrite<chat::VisitorContext> {
 public:
  Context(ChatContextUpdate update, Done<chat::VisitorContext> done)
      : ValueWrite(std::move(done)), u_(std::move(update)) {}

  Result<void> apply(sqlite::Connection& db) override {
    if (auto r = ensure_visitor(db, u_.visitor_id, u_.site_id, u_.user_id, u_.now_ms); !r) return r;
    auto visitor = chat_reads::visitor(db, u_.site_id, u_.visitor_id);
    if (!visitor) return std::move(visitor).error();
    if (!*visitor) return protocol::make_error(protocol::ErrorCode::not_found, "no such visitor", "visitor_id");
    out_ = (*visitor)->context;
    merge_context(out_, u_.change);
    return run_cached(db, kUpdateVisitorContext, [&](sqlite::Statement& s) {
      s.bind(1, context_to_json(out_));
      s.bind(2, u_.now_ms);
      s.bind(3, u_.visitor_id);
    });
  }

 private:
  ChatContextUpdate u_;
};

}  // namespace

std::unique_ptr<WriteOp> make_chat_append(ChatAppend append, Done<ChatAppended> done) {
  return std::make_unique<Append>(std::move(append), std::move(done));
}
std::unique_ptr<WriteOp> make_chat_action(ChatAction action, Done<ChatActed> done) {
  return std::make_unique<Action>(std::move(action), std::move(done));
}
std::unique_ptr<WriteOp> make_chat_read(ChatRead read, Done<ChatReadResult> done) {
  return std::make_unique<Read>(std::move(read), std::move(done));
}
std::unique_ptr<WriteOp> make_chat_context(ChatContextUpdate update, Done<chat::VisitorContext> done) {
  return std::make_unique<Context>(std::move(update), std::move(done));
}

}  // namespace vitrina::store
