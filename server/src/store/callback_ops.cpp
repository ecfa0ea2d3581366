#include "store/callback_ops.hpp"

#include <string>
#include <utility>

#include "store/value_write.hpp"
#include "store/webhook_ops.hpp"

namespace vitrina::store {

namespace {

constexpr const char* kCallbackColumns =
    "id, site_id, phone, name, status, page_url, ip, call_by, scheduled_for, operator_id, note, created_at, "
    "updated_at, version";
const std::string kInsertCallback =
    "INSERT INTO callbacks (" + std::string(kCallbackColumns) + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr const char* kUpdateCallback =
    "UPDATE callbacks SET status = ?, scheduled_for = ?, operator_id = ?, note = ?, updated_at = ?, version = ? "
    "WHERE id = ? AND site_id = ? AND version = ?";
const std::string kSelectCallbacks = "SELECT " + std::string(kCallbackColumns) + " FROM callbacks ";
const std::string kCallbackById = kSelectCallbacks + "WHERE site_id = ? AND id = ?";
const std::string kListCallbacks = kSelectCallbacks +
                                   "WHERE site_id = ?1 AND (?2 = '' OR status = ?2) AND (?3 = 0 OR created_at < ?3) "
                                   "ORDER BY created_at DESC, rowid DESC LIMIT ?4";
// The created_at of the requests a limit counts, newest first: the max-th one is the oldest
// that still counts, and the request is refused while it is in the window.
constexpr const char* kRecentByPhone =
    "SELECT created_at FROM callbacks WHERE site_id = ? AND phone = ? AND created_at >= ? "
    "ORDER BY created_at DESC LIMIT ?";
constexpr const char* kRecentByIp =
    "SELECT created_at FROM callbacks WHERE site_id = ? AND ip = ? AND created_at >= ? "
    "ORDER BY created_at DESC LIMIT ?";
constexpr const char* kRecentRatingsByIp =
    "SELECT created_at FROM ratings WHERE site_id = ? AND ip = ? AND created_at >= ? "
    "ORDER BY created_at DESC LIMIT ?";
// Redemptions are only needed until their challenge expires; a bounded batch goes per write.
constexpr const char* kPruneRedemptions =
    "DELETE FROM pow_redemptions WHERE rowid IN "
    "(SELECT rowid FROM pow_redemptions WHERE expires_at < ? ORDER BY expires_at LIMIT 64)";
constexpr const char* kInsertRedemption = "INSERT INTO pow_redemptions (id, expires_at) VALUES (?, ?)";

constexpr const char* kRatingColumns =
    "id, site_id, kind, score, comment, conversation_id, operator_id, page_url, ip, created_at";
const std::string kInsertRating =
    "INSERT INTO ratings (" + std::string(kRatingColumns) + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
const std::string kListRatings = "SELECT " + std::string(kRatingColumns) +
                                 " FROM ratings WHERE site_id = ?1 AND (?2 = '' OR kind = ?2) AND created_at >= ?3 "
                                 "AND (?4 = 0 OR created_at < ?4) ORDER BY created_at DESC, rowid DESC LIMIT ?5";
constexpr const char* kConversation =
    "SELECT status, closed_by_role, closed_by_id, assignee_id FROM chat_conversations WHERE site_id = ? AND id = ?";

Callback read_callback(const sqlite::Statement& row) {
  Callback c;
  c.id = row.column_text(0);
  c.site_id = row.column_text(1);
  c.phone = row.column_text(2);
  c.name = row.column_text(3);
  c.status = row.column_text(4);
  c.page_url = row.column_text(5);
  c.ip = row.column_text(6);
  c.call_by = row.column_int(7);
  c.scheduled_for = row.column_int(8);
  c.operator_id = row.column_text(9);
  c.note = row.column_text(10);
  c.created_at = row.column_int(11);
  c.updated_at = row.column_int(12);
  c.version = row.column_int(13);
  return c;
}

Rating read_rating(const sqlite::Statement& row) {
  Rating r;
  r.id = row.column_text(0);
  r.site_id = row.column_text(1);
  r.kind = row.column_text(2);
  r.score = static_cast<int>(row.column_int(3));
  r.comment = row.column_text(4);
  r.conversation_id = row.column_text(5);
  r.operator_id = row.column_text(6);
  r.page_url = row.column_text(7);
  r.ip = row.column_text(8);
  r.created_at = row.column_int(9);
  return r;
}

// 0 when `limit` still has room; otherwise when the oldest request it counts leaves the window.
Result<std::int64_t> limit_reached(sqlite::Connection& db, const char* sql, std::string_view site_id,
                                   const CallbackLimit& limit) {
  if (limit.max <= 0 || limit.value.empty()) return std::int64_t{0};
  auto stmt = db.cached(sql);
  if (!stmt) return std::move(stmt).error();
  sqlite::ScopedStatement scoped(**stmt);
  scoped->bind(1, site_id);
  scoped->bind(2, limit.value);
  scoped->bind(3, limit.since);
  scoped->bind(4, limit.max);
  std::int64_t count = 0;
  std::int64_t oldest = 0;
  for (;;) {
    auto row = scoped->step();
    if (!row) return std::move(row).error();
    if (!*row) break;
    ++count;
    oldest = scoped->column_int(0);
  }
  if (count < limit.max) return std::int64_t{0};
  return oldest + limit.window_ms;
}

class CreateCallback final : public ValueWrite<CallbackCreated> {
 public:
  CreateCallback(NewCallback request, Done<CallbackCreated> done)
      : ValueWrite(std::move(done)), req_(std::move(request)) {}

  Result<void> apply(sqlite::Connection& db) override {
    const Callback& c = req_.callback;
    // Limits first: a refused request writes nothing, not even its challenge's redemption.
    for (const auto& limit : req_.limits) {
      auto until = limit_reached(db, limit.column == "ip" ? kRecentByIp : kRecentByPhone, c.site_id, limit);
      if (!until) return std::move(until).error();
      if (*until > 0) {
        out_.limited_by = limit.column;
        out_.retry_at = *until;
        return {};
      }
    }
    if (auto r = run_cached(db, kPruneRedemptions, [&](sqlite::Statement& s) { s.bind(1, c.created_at); }); !r) {
      return r;
    }
    auto redeemed = run_cached(db, kInsertRedemption, [&](sqlite::Statement& s) {
      s.bind(1, req_.challenge_id);
      s.bind(2, req_.challenge_expires_at);
    });
    if (!redeemed) {
      if (redeemed.error().code == protocol::ErrorCode::conflict) {
        return protocol::make_error(protocol::ErrorCode::conflict, "the challenge was already used", "pow.challenge");
      }
      return redeemed;
    }
    auto inserted = run_cached(db, kInsertCallback, [&](sqlite::Statement& s) {
      s.bind(1, c.id);
      s.bind(2, c.site_id);
      s.bind(3, c.phone);
      s.bind(4, c.name);
      s.bind(5, c.status);
      s.bind(6, c.page_url);
      s.bind(7, c.ip);
      s.bind(8, c.call_by);
      s.bind(9, c.scheduled_for);
      s.bind(10, c.operator_id);
      s.bind(11, c.note);
      s.bind(12, c.created_at);
      s.bind(13, c.updated_at);
      s.bind(14, c.version);
    });
    if (!inserted) {
      if (inserted.error().code == protocol::ErrorCode::not_found)
        return protocol::make_error(protocol::ErrorCode::not_found, "no such site", "site_id");
      return inserted;
    }
    if (auto e = enqueue_event_in(db, req_.event); !e) return std::move(e).error();
    out_.callback = c;
    return {};
  }

 private:
  NewCallback req_;
};

class UpdateCallback final : public ValueWrite<Callback> {
 public:
  UpdateCallback(CallbackUpdate update, Done<Callback> done)
      : ValueWrite(std::move(done), std::move(update.callback)), up_(std::move(update)) {}

  Result<void> apply(sqlite::Connection& db) override {
    const Callback& c = out_;
    auto r = run_cached(db, kUpdateCallback, [&](sqlite::Statement& s) {
      s.bind(1, c.status);
      s.bind(2, c.scheduled_for);
      s.bind(3, c.operator_id);
      s.bind(4, c.note);
      s.bind(5, c.updated_at);
      s.bind(6, c.version);
      s.bind(7, c.id);
      s.bind(8, c.site_id);
      s.bind(9, up_.expected_version);
    });
    if (!r) return r;
    if (db.changes() == 0) {
      return protocol::make_error(protocol::ErrorCode::stale, "the callback request changed meanwhile; read it again",
                                  "id");
    }
    if (up_.event) {
      if (auto e = enqueue_event_in(db, *up_.event); !e) return std::move(e).error();
    }
    return {};
  }

 private:
  CallbackUpdate up_;  // its callback moved to out_
};

class CreateRating final : public ValueWrite<RatingCreated> {
 public:
  CreateRating(NewRating request, Done<RatingCreated> done) : ValueWrite(std::move(done)), req_(std::move(request)) {}

  Result<void> apply(sqlite::Connection& db) override {
    const Rating& r = req_.rating;
    auto until = limit_reached(db, kRecentRatingsByIp, r.site_id, req_.limit);
    if (!until) return std::move(until).error();
    if (*until > 0) {
      out_.retry_at = *until;
      return {};
    }
    auto inserted = run_cached(db, kInsertRating, [&](sqlite::Statement& s) {
      s.bind(1, r.id);
      s.bind(2, r.site_id);
      s.bind(3, r.kind);
      s.bind(4, std::int64_t{r.score});
      s.bind(5, r.comment);
      s.bind(6, r.conversation_id);
      s.bind(7, r.operator_id);
      s.bind(8, r.page_url);
      s.bind(9, r.ip);
      s.bind(10, r.created_at);
    });
    if (!inserted) {
      if (inserted.error().code == protocol::ErrorCode::conflict) {
        return protocol::make_error(protocol::ErrorCode::conflict, "the conversation has already been rated",
                                    "conversation_id");
      }
      return inserted;
    }
    if (auto e = enqueue_event_in(db, req_.event); !e) return std::move(e).error();
    out_.rating = r;
    return {};
  }

 private:
  NewRating req_;
};

}  // namespace

std::unique_ptr<WriteOp> make_create_callback(NewCallback request, Done<CallbackCreated> done) {
  return std::make_unique<CreateCallback>(std::move(request), std::move(done));
}
std::unique_ptr<WriteOp> make_update_callback(CallbackUpdate update, Done<Callback> done) {
  return std::make_unique<UpdateCallback>(std::move(update), std::move(done));
}
std::unique_ptr<WriteOp> make_create_rating(NewRating request, Done<RatingCreated> done) {
  return std::make_unique<CreateRating>(std::move(request), std::move(done));
}

namespace callback_reads {

Result<std::optional<Callback>> by_id(ReadConnection& conn, std::string_view site_id, std::string_view id) {
  auto stmt = conn.db.cached(kCallbackById);
  if (!stmt) return std::move(stmt).error();
  sqlite::ScopedStatement scoped(**stmt);
  scoped->bind(1, site_id);
  scoped->bind(2, id);
  auto row = scoped->step();
  if (!row) return std::move(row).error();
  if (!*row) return std::optional<Callback>{};
  return std::optional<Callback>{read_callback(*scoped)};
}

Result<std::vector<Callback>> list(ReadConnection& conn, const CallbackQuery& q) {
  auto stmt = conn.db.cached(kListCallbacks);
  if (!stmt) return std::move(stmt).error();
  sqlite::ScopedStatement scoped(**stmt);
  scoped->bind(1, q.site_id);
  scoped->bind(2, q.status);
  scoped->bind(3, q.before);
  scoped->bind(4, static_cast<std::int64_t>(q.limit));
  std::vector<Callback> out;
  for (;;) {
    auto row = scoped->step();
    if (!row) return std::move(row).error();
    if (!*row) return out;
    out.push_back(read_callback(*scoped));
  }
}

Result<std::vector<Rating>> ratings(ReadConnection& conn, const RatingQuery& q) {
  auto stmt = conn.db.cached(kListRatings);
  if (!stmt) return std::move(stmt).error();
  sqlite::ScopedStatement scoped(**stmt);
  scoped->bind(1, q.site_id);
  scoped->bind(2, q.kind);
  scoped->bind(3, q.from);
  scoped->bind(4, q.to);
  scoped->bind(5, static_cast<std::int64_t>(q.limit));
  std::vector<Rating> out;
  for (;;) {
    auto row = scoped->step();
    if (!row) return std::move(row).error();
    if (!*row) return out;
    out.push_back(read_rating(*scoped));
  }
}

Result<RatedConversation> conversation(ReadConnection& conn, std::string_view site_id, std::string_view id) {
  RatedConversation out;
  auto stmt = conn.db.cached(kConversation);
  if (!stmt) return std::move(stmt).error();
  sqlite::ScopedStatement scoped(**stmt);
  scoped->bind(1, site_id);
  scoped->bind(2, id);
  auto row = scoped->step();
  if (!row) return std::move(row).error();
  if (!*row) return out;
  out.found = true;
  out.closed = scoped->column_text(0) == "closed";
  out.operator_id = scoped->column_text(1) == "operator" ? std::string(scoped->column_text(2)) : std::string();
  if (out.operator_id.empty()) out.operator_id = scoped->column_text(3);
  return out;
}

}  // namespace callback_reads

}  // namespace vitrina::store
