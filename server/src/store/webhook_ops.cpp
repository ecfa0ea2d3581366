#include "store/webhook_ops.hpp"

#include <simdjson.h>

#include <utility>

#include "store/codec.hpp"

namespace vitrina::store {

namespace {

constexpr const char* kInsertEndpoint =
    "INSERT INTO webhook_endpoints (id, site_id, url, event_types, secret, previous_secret, "
    "previous_secret_expires_at, disabled, disabled_reason, created_at) "
    "VALUES (?, ?, ?, ?, ?, '', 0, 0, '', ?)";
constexpr const char* kDisableEndpoint = "UPDATE webhook_endpoints SET disabled = 1, disabled_reason = ? WHERE id = ?";
constexpr const char* kDisableDeliveries =
    "UPDATE webhook_deliveries SET status = 'disabled', updated_at = ? "
    "WHERE endpoint_id = ? AND status = 'pending'";
constexpr const char* kRotateSecret =
    "UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_expires_at = ?, "
    "secret = ? WHERE id = ?";
constexpr const char* kEnabledEndpointsOfSite =
    "SELECT id, event_types FROM webhook_endpoints WHERE site_id = ? AND disabled = 0 "
    "ORDER BY created_at, id";
constexpr const char* kInsertMessage =
    "INSERT INTO webhook_messages (id, site_id, event_type, payload, created_at) "
    "VALUES (?, ?, ?, ?, ?)";
constexpr const char* kInsertDelivery =
    "INSERT INTO webhook_deliveries (message_id, endpoint_id, status, attempts, next_attempt_at, "
    "updated_at) VALUES (?, ?, 'pending', 0, ?, ?)";
constexpr const char* kUpdateDelivery =
    "UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, next_attempt_at = ?, "
    "last_status_code = ?, last_error = ?, updated_at = ? WHERE message_id = ? AND endpoint_id = ?";
constexpr const char* kInsertAttempt =
    "INSERT INTO webhook_attempts (message_id, endpoint_id, attempted_at, status_code, error, "
    "duration_ms, response_snippet) VALUES (?, ?, ?, ?, ?, ?, ?)";
// A resend starts the retry schedule again; deliveries to disabled endpoints stay as they are.
constexpr const char* kResend =
    "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?, "
    "updated_at = ? WHERE message_id = ? AND endpoint_id IN "
    "(SELECT id FROM webhook_endpoints WHERE disabled = 0)";
constexpr const char* kMessageExists = "SELECT 1 FROM webhook_messages WHERE id = ?";

template <class Bind>
Result<void> run_cached(sqlite::Connection& db, const char* sql, Bind&& bind) {
  auto stmt = db.cached(sql);
  if (!stmt) return std::move(stmt).error();
  sqlite::ScopedStatement scoped(**stmt);
  bind(*scoped);
  return scoped->run();
}

Error no_endpoint(const std::string& id) {
  return protocol::make_error("not_found", "no webhook endpoint with id " + id, "endpoint_id");
}

// The (id, filter) of every enabled endpoint of a site.
Result<std::vector<std::pair<std::string, std::vector<std::string>>>> enabled_endpoints(sqlite::Connection& db,
                                                                                        const std::string& site_id) {
  // Only the writer thread calls this; one parser per thread is reused across writes.
  thread_local simdjson::dom::parser parser;
  auto stmt = db.cached(kEnabledEndpointsOfSite);
  if (!stmt) return std::move(stmt).error();
  sqlite::ScopedStatement scoped(**stmt);
  scoped->bind(1, site_id);
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  for (;;) {
    auto row = scoped->step();
    if (!row) return std::move(row).error();
    if (!*row) return out;
    auto filter = origins_from_json(parser, scoped->column_text(1));
    if (!filter) return std::move(filter).error();
    out.emplace_back(std::string(scoped->column_text(0)), std::move(*filter));
  }
}

class InsertEndpoint final : public WriteOp {
 public:
  InsertEndpoint(WebhookEndpoint endpoint, Done<WebhookEndpoint> done)
      : endpoint_(std::move(endpoint)), events_(origins_to_json(endpoint_.event_types)), done_(std::move(done)) {}

  Result<void> apply(sqlite::Connection& db) override {
    auto r = run_cached(db, kInsertEndpoint, [&](sqlite::Statement& s) {
      s.bind(1, endpoint_.id);
      s.bind(2, endpoint_.site_id);
      s.bind(3, endpoint_.url);
      s.bind(4, events_);
      s.bind(5, endpoint_.secret);
      s.bind(6, endpoint_.created_at);
    });
    if (!r && r.error().code == "not_found") {
      return protocol::make_error("not_found", "no site with id " + endpoint_.site_id, "site_id");
    }
    return r;
  }

  void complete(Result<void> outcome) override {
    if (!done_) return;
    if (!outcome) return done_(std::move(outcome).error());
    done_(std::move(endpoint_));
  }

 private:
  WebhookEndpoint endpoint_;
  std::string events_;
  Done<WebhookEndpoint> done_;
};

Result<void> disable_endpoint_in(sqlite::Connection& db, const std::string& id, const std::string& reason,
                                 std::int64_t now) {
  auto r = run_cached(db, kDisableEndpoint, [&](sqlite::Statement& s) {
    s.bind(1, reason);
    s.bind(2, id);
  });
  if (!r) return r;
  if (db.changes() == 0) return no_endpoint(id);
  return run_cached(db, kDisableDeliveries, [&](sqlite::Statement& s) {
    s.bind(1, now);
    s.bind(2, id);
  });
}

class DisableEndpoint final : public WriteOp {
 public:
  DisableEndpoint(std::string id, std::string reason, std::int64_t now, Done<void> done)
      : id_(std::move(id)), reason_(std::move(reason)), now_(now), done_(std::move(done)) {}

  Result<void> apply(sqlite::Connection& db) override { return disable_endpoint_in(db, id_, reason_, now_); }
  void complete(Result<void> outcome) override {
    if (done_) done_(std::move(outcome));
  }

 private:
  std::string id_;
  std::string reason_;
  std::int64_t now_;
  Done<void> done_;
};

class RotateSecret final : public WriteOp {
 public:
  RotateSecret(std::string id, std::string secret, std::int64_t previous_expires_at, Done<void> done)
      : id_(std::move(id)),
        secret_(std::move(secret)),
        previous_expires_at_(previous_expires_at),
        done_(std::move(done)) {}

  Result<void> apply(sqlite::Connection& db) override {
    auto r = run_cached(db, kRotateSecret, [&](sqlite::Statement& s) {
      s.bind(1, previous_expires_at_);
      s.bind(2, secret_);
      s.bind(3, id_);
    });
    if (!r) return r;
    if (db.changes() == 0) return no_endpoint(id_);
    return {};
  }
  void complete(Result<void> outcome) override {
    if (done_) done_(std::move(outcome));
  }

 private:
  std::string id_;
  std::string secret_;
  std::int64_t previous_expires_at_;
  Done<void> done_;
};

class EnqueueEvent final : public WriteOp {
 public:
  EnqueueEvent(NewWebhookEvent event, Done<EnqueuedEvent> done) : event_(std::move(event)), done_(std::move(done)) {}

  Result<void> apply(sqlite::Connection& db) override {
    auto r = enqueue_event_in(db, event_);
    if (!r) return std::move(r).error();
    result_ = std::move(*r);
    return {};
  }
  void complete(Result<void> outcome) override {
    if (!done_) return;
    if (!outcome) return done_(std::move(outcome).error());
    done_(std::move(result_));
  }

 private:
  NewWebhookEvent event_;
  EnqueuedEvent result_;
  Done<EnqueuedEvent> done_;
};

class RecordAttempt final : public WriteOp {
 public:
  RecordAttempt(AttemptRecord record, Done<void> done) : record_(std::move(record)), done_(std::move(done)) {}

  Result<void> apply(sqlite::Connection& db) override {
    const auto& a = record_.attempt;
    auto updated = run_cached(db, kUpdateDelivery, [&](sqlite::Statement& s) {
      s.bind(1, record_.new_status);
      s.bind(2, record_.next_attempt_at);
      s.bind(3, a.status_code);
      s.bind(4, a.error);
      s.bind(5, a.attempted_at);
      s.bind(6, a.message_id);
      s.bind(7, a.endpoint_id);
    });
    if (!updated) return updated;
    if (db.changes() == 0) {
      return protocol::make_error("not_found", "no delivery of " + a.message_id + " to " + a.endpoint_id, "message_id");
    }
    auto logged = run_cached(db, kInsertAttempt, [&](sqlite::Statement& s) {
      s.bind(1, a.message_id);
      s.bind(2, a.endpoint_id);
      s.bind(3, a.attempted_at);
      s.bind(4, a.status_code);
      s.bind(5, a.error);
      s.bind(6, a.duration_ms);
      s.bind(7, a.response_snippet);
    });
    if (!logged) return logged;
    if (!record_.disable_endpoint) return {};
    return disable_endpoint_in(db, a.endpoint_id, record_.disable_reason, a.attempted_at);
  }
  void complete(Result<void> outcome) override {
    if (done_) done_(std::move(outcome));
  }

 private:
  AttemptRecord record_;
  Done<void> done_;
};

class Resend final : public WriteOp {
 public:
  Resend(std::string message_id, std::int64_t now, Done<std::int64_t> done)
      : message_id_(std::move(message_id)), now_(now), done_(std::move(done)) {}

  Result<void> apply(sqlite::Connection& db) override {
    auto stmt = db.cached(kMessageExists);
    if (!stmt) return std::move(stmt).error();
    {
      sqlite::ScopedStatement scoped(**stmt);
      scoped->bind(1, message_id_);
      auto row = scoped->step();
      if (!row) return std::move(row).error();
      if (!*row) {
        return protocol::make_error("not_found", "no webhook message with id " + message_id_, "message_id");
      }
    }
    auto r = run_cached(db, kResend, [&](sqlite::Statement& s) {
      s.bind(1, now_);
      s.bind(2, now_);
      s.bind(3, message_id_);
    });
    if (!r) return r;
    requeued_ = db.changes();
    return {};
  }
  void complete(Result<void> outcome) override {
    if (!done_) return;
    if (!outcome) return done_(std::move(outcome).error());
    done_(requeued_);
  }

 private:
  std::string message_id_;
  std::int64_t now_;
  std::int64_t requeued_ = 0;
  Done<std::int64_t> done_;
};

}  // namespace

Result<EnqueuedEvent> enqueue_event_in(sqlite::Connection& db, const NewWebhookEvent& event) {
  auto endpoints = enabled_endpoints(db, event.site_id);
  if (!endpoints) return std::move(endpoints).error();
  EnqueuedEvent out{.message_id = event.message_id, .endpoint_ids = {}};
  for (auto& [id, filter] : *endpoints) {
    const bool wanted =
        event.only_endpoint_id.empty() ? event_matches(filter, event.event_type) : id == event.only_endpoint_id;
    if (wanted) out.endpoint_ids.push_back(std::move(id));
  }
  if (!event.only_endpoint_id.empty() && out.endpoint_ids.empty()) {
    return protocol::make_error("not_found",
                                "no enabled webhook endpoint " + event.only_endpoint_id + " on site " + event.site_id,
                                "endpoint_id");
  }
  auto inserted = run_cached(db, kInsertMessage, [&](sqlite::Statement& s) {
    s.bind(1, event.message_id);
    s.bind(2, event.site_id);
    s.bind(3, event.event_type);
    s.bind(4, event.payload);
    s.bind(5, event.created_at);
  });
  if (!inserted) {
    if (inserted.error().code == "not_found") {
      return protocol::make_error("not_found", "no site with id " + event.site_id, "site_id");
    }
    return std::move(inserted).error();
  }
  for (const auto& id : out.endpoint_ids) {
    auto r = run_cached(db, kInsertDelivery, [&](sqlite::Statement& s) {
      s.bind(1, event.message_id);
      s.bind(2, id);
      s.bind(3, event.created_at);
      s.bind(4, event.created_at);
    });
    if (!r) return std::move(r).error();
  }
  return out;
}

bool event_matches(const std::vector<std::string>& patterns, std::string_view type) {
  if (patterns.empty()) return true;
  for (const auto& p : patterns) {
    if (p == "*" || p == type) return true;
    if (p.size() >= 2 && p.ends_with(".*")) {
      const std::string_view prefix(p.data(), p.size() - 1);  // keeps the dot
      if (type.size() > prefix.size() && type.starts_with(prefix)) return true;
    }
  }
  return false;
}

std::unique_ptr<WriteOp> make_insert_webhook_endpoint(WebhookEndpoint endpoint, Done<WebhookEndpoint> done) {
  return std::make_unique<InsertEndpoint>(std::move(endpoint), std::move(done));
}
std::unique_ptr<WriteOp> make_disable_webhook_endpoint(std::string endpoint_id, std::string reason, std::int64_t now,
                                                       Done<void> done) {
  return std::make_unique<DisableEndpoint>(std::move(endpoint_id), std::move(reason), now, std::move(done));
}
std::unique_ptr<WriteOp> make_rotate_webhook_secret(std::string endpoint_id, std::string secret,
                                                    std::int64_t previous_expires_at, Done<void> done) {
  return std::make_unique<RotateSecret>(std::move(endpoint_id), std::move(secret), previous_expires_at,
                                        std::move(done));
}
std::unique_ptr<WriteOp> make_enqueue_event(NewWebhookEvent event, Done<EnqueuedEvent> done) {
  return std::make_unique<EnqueueEvent>(std::move(event), std::move(done));
}
std::unique_ptr<WriteOp> make_record_attempt(AttemptRecord record, Done<void> done) {
  return std::make_unique<RecordAttempt>(std::move(record), std::move(done));
}
std::unique_ptr<WriteOp> make_resend(std::string message_id, std::int64_t now, Done<std::int64_t> done) {
  return std::make_unique<Resend>(std::move(message_id), now, std::move(done));
}

}  // namespace vitrina::store
