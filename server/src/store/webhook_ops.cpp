#include "store/webhook_ops.hpp"

#include <simdjson.h>

#include <utility>

#include "store/codec.hpp"
#include "store/value_write.hpp"
#include "store/webhook_reads.hpp"

namespace vitrina::store {

namespace {

constexpr const char* kInsertEndpoint =
    "INSERT INTO webhook_endpoints (id, site_id, url, event_types, secret, previous_secret, "
    "previous_secret_expires_at, disabled, disabled_reason, created_at, signing_key, public_key, "
    "previous_signing_key, description, updated_at) "
    "VALUES (?, ?, ?, ?, ?, '', 0, 0, '', ?, ?, ?, '', ?, ?)";
constexpr const char* kDisableEndpoint = "UPDATE webhook_endpoints SET disabled = 1, disabled_reason = ? WHERE id = ?";
constexpr const char* kDisableDeliveries =
    "UPDATE webhook_deliveries SET status = 'disabled', updated_at = ? "
    "WHERE endpoint_id = ? AND status = 'pending'";
// The right-hand sides see the row as it was, so the old keys become the previous ones, and a
// scheme the endpoint does not sign with stays empty.
constexpr const char* kRotateKeys =
    "UPDATE webhook_endpoints SET previous_secret = secret, previous_signing_key = signing_key, "
    "previous_secret_expires_at = ?1, "
    "secret = CASE WHEN secret = '' THEN '' ELSE ?2 END, "
    "signing_key = CASE WHEN signing_key = '' THEN '' ELSE ?3 END, "
    "public_key = CASE WHEN signing_key = '' THEN '' ELSE ?4 END, "
    "updated_at = ?5 WHERE id = ?6 AND (?7 = '' OR site_id = ?7)";
constexpr const char* kUpdateEndpoint =
    "UPDATE webhook_endpoints SET url = CASE WHEN ?1 THEN ?2 ELSE url END, "
    "event_types = CASE WHEN ?3 THEN ?4 ELSE event_types END, "
    "description = CASE WHEN ?5 THEN ?6 ELSE description END, "
    "updated_at = ?7 WHERE id = ?8 AND site_id = ?9";
constexpr const char* kEnableEndpoint = "UPDATE webhook_endpoints SET disabled = 0, disabled_reason = '' WHERE id = ?";
constexpr const char* kDeleteEndpoint = "DELETE FROM webhook_endpoints WHERE id = ? AND site_id = ?";
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
    "duration_ms, response_snippet, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
// A resend starts the retry schedule again; deliveries to disabled endpoints stay as they are.
constexpr const char* kResend =
    "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?, "
    "updated_at = ? WHERE message_id = ? AND endpoint_id IN "
    "(SELECT id FROM webhook_endpoints WHERE disabled = 0)";
// A resend to one endpoint makes its delivery if the message never had one.
constexpr const char* kResendTo =
    "INSERT INTO webhook_deliveries (message_id, endpoint_id, status, attempts, next_attempt_at, updated_at) "
    "VALUES (?1, ?2, 'pending', 0, ?3, ?3) ON CONFLICT (message_id, endpoint_id) DO UPDATE SET "
    "status = 'pending', attempts = 0, next_attempt_at = ?3, updated_at = ?3";
constexpr const char* kMessageSite = "SELECT site_id FROM webhook_messages WHERE id = ?";
constexpr const char* kEndpointState = "SELECT site_id, disabled FROM webhook_endpoints WHERE id = ?";

using sqlite::run_cached;

Error no_endpoint(const std::string& id) {
  return protocol::make_error(protocol::ErrorCode::not_found, "no webhook endpoint with id " + id, "endpoint_id");
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

class InsertEndpoint final : public ValueWrite<WebhookEndpoint> {
 public:
  InsertEndpoint(WebhookEndpoint endpoint, Done<WebhookEndpoint> done)
      : ValueWrite(std::move(done), std::move(endpoint)), events_(origins_to_json(out_.event_types)) {}

  Result<void> apply(sqlite::Connection& db) override {
    auto r = run_cached(db, kInsertEndpoint, [&](sqlite::Statement& s) {
      s.bind(1, out_.id);
      s.bind(2, out_.site_id);
      s.bind(3, out_.url);
      s.bind(4, events_);
      s.bind(5, out_.secret);
      s.bind(6, out_.created_at);
      s.bind(7, out_.signing_key);
      s.bind(8, out_.public_key);
      s.bind(9, out_.description);
      s.bind(10, out_.updated_at);
    });
    if (!r && r.error().code == protocol::ErrorCode::not_found) {
      return protocol::make_error(protocol::ErrorCode::not_found, "no site with id " + out_.site_id, "site_id");
    }
    return r;
  }

 private:
  std::string events_;
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

class DisableEndpoint final : public ValueWrite<void> {
 public:
  DisableEndpoint(std::string id, std::string reason, std::int64_t now, Done<void> done)
      : ValueWrite(std::move(done)), id_(std::move(id)), reason_(std::move(reason)), now_(now) {}

  Result<void> apply(sqlite::Connection& db) override { return disable_endpoint_in(db, id_, reason_, now_); }

 private:
  std::string id_;
  std::string reason_;
  std::int64_t now_;
};

// Answers the endpoint as the write left it (read on the writer's connection, inside the
// transaction), or "not_found" when it is not there.
Result<WebhookEndpoint> endpoint_after(sqlite::Connection& db, const std::string& id) {
  thread_local simdjson::dom::parser parser;  // the writer thread's own
  auto found = webhook_reads::endpoint_by_id(db, parser, id);
  if (!found) return std::move(found).error();
  if (!*found) return no_endpoint(id);
  return std::move(**found);
}

// A write op answering with the endpoint it changed.

class RotateKeys final : public ValueWrite<WebhookEndpoint> {
 public:
  RotateKeys(std::string id, std::string site_id, EndpointKeys keys, std::int64_t previous_expires_at, std::int64_t now,
             Done<WebhookEndpoint> done)
      : ValueWrite(std::move(done)),
        id_(std::move(id)),
        site_id_(std::move(site_id)),
        keys_(std::move(keys)),
        previous_expires_at_(previous_expires_at),
        now_(now) {}

  Result<void> apply(sqlite::Connection& db) override {
    auto r = run_cached(db, kRotateKeys, [&](sqlite::Statement& s) {
      s.bind(1, previous_expires_at_);
      s.bind(2, keys_.secret);
      s.bind(3, keys_.signing_key);
      s.bind(4, keys_.public_key);
      s.bind(5, now_);
      s.bind(6, id_);
      s.bind(7, site_id_);
    });
    if (!r) return r;
    if (db.changes() == 0) return no_endpoint(id_);
    auto endpoint = endpoint_after(db, id_);
    if (!endpoint) return std::move(endpoint).error();
    out_ = std::move(*endpoint);
    return {};
  }

 private:
  std::string id_;
  std::string site_id_;
  EndpointKeys keys_;
  std::int64_t previous_expires_at_;
  std::int64_t now_;
};

class UpdateEndpoint final : public ValueWrite<WebhookEndpoint> {
 public:
  UpdateEndpoint(WebhookEndpointChange change, Done<WebhookEndpoint> done)
      : ValueWrite(std::move(done)),
        change_(std::move(change)),
        events_(change_.event_types ? origins_to_json(*change_.event_types) : std::string()) {}

  Result<void> apply(sqlite::Connection& db) override {
    const auto& c = change_;
    auto r = run_cached(db, kUpdateEndpoint, [&](sqlite::Statement& s) {
      s.bind(1, std::int64_t{c.url.has_value()});
      s.bind(2, c.url.value_or(""));
      s.bind(3, std::int64_t{c.event_types.has_value()});
      s.bind(4, events_);
      s.bind(5, std::int64_t{c.description.has_value()});
      s.bind(6, c.description.value_or(""));
      s.bind(7, c.now);
      s.bind(8, c.endpoint_id);
      s.bind(9, c.site_id);
    });
    if (!r) return r;
    if (db.changes() == 0) return no_endpoint(c.endpoint_id);
    auto before = endpoint_after(db, c.endpoint_id);
    if (!before) return std::move(before).error();
    if (c.enabled && *c.enabled && before->disabled) {
      auto enabled = run_cached(db, kEnableEndpoint, [&](sqlite::Statement& s) { s.bind(1, c.endpoint_id); });
      if (!enabled) return enabled;
    } else if (c.enabled && !*c.enabled && !before->disabled) {
      // Kept only when it was enabled: an endpoint a 410 disabled keeps that reason.
      if (auto off = disable_endpoint_in(db, c.endpoint_id, c.disable_reason, c.now); !off) return off;
    } else {
      out_ = std::move(*before);
      return {};
    }
    auto after = endpoint_after(db, c.endpoint_id);
    if (!after) return std::move(after).error();
    out_ = std::move(*after);
    return {};
  }

 private:
  WebhookEndpointChange change_;
  std::string events_;
};

class DeleteEndpoint final : public ValueWrite<void> {
 public:
  DeleteEndpoint(std::string id, std::string site_id, Done<void> done)
      : ValueWrite(std::move(done)), id_(std::move(id)), site_id_(std::move(site_id)) {}

  Result<void> apply(sqlite::Connection& db) override {
    // Its deliveries and their attempts go with it (ON DELETE CASCADE).
    auto r = run_cached(db, kDeleteEndpoint, [&](sqlite::Statement& s) {
      s.bind(1, id_);
      s.bind(2, site_id_);
    });
    if (!r) return r;
    if (db.changes() == 0) return no_endpoint(id_);
    return {};
  }

 private:
  std::string id_;
  std::string site_id_;
};

class EnqueueEvent final : public ValueWrite<EnqueuedEvent> {
 public:
  EnqueueEvent(NewWebhookEvent event, Done<EnqueuedEvent> done)
      : ValueWrite(std::move(done)), event_(std::move(event)) {}

  Result<void> apply(sqlite::Connection& db) override {
    auto r = enqueue_event_in(db, event_);
    if (!r) return std::move(r).error();
    out_ = std::move(*r);
    return {};
  }

 private:
  NewWebhookEvent event_;
};

class RecordAttempt final : public ValueWrite<void> {
 public:
  RecordAttempt(AttemptRecord record, Done<void> done) : ValueWrite(std::move(done)), record_(std::move(record)) {}

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
      return protocol::make_error(protocol::ErrorCode::not_found,
                                  "no delivery of " + a.message_id + " to " + a.endpoint_id, "message_id");
    }
    auto logged = run_cached(db, kInsertAttempt, [&](sqlite::Statement& s) {
      s.bind(1, a.message_id);
      s.bind(2, a.endpoint_id);
      s.bind(3, a.attempted_at);
      s.bind(4, a.status_code);
      s.bind(5, a.error);
      s.bind(6, a.duration_ms);
      s.bind(7, a.response_snippet);
      s.bind(8, record_.new_status == delivery_status::kPending ? record_.next_attempt_at : std::int64_t{0});
    });
    if (!logged) return logged;
    if (!record_.disable_endpoint) return {};
    return disable_endpoint_in(db, a.endpoint_id, record_.disable_reason, a.attempted_at);
  }

 private:
  AttemptRecord record_;
};

// Runs `sql` bound to `id` and lets `read` see its row; true when there was one.
template <class Read>
Result<bool> find_row(sqlite::Connection& db, const char* sql, const std::string& id, Read&& read) {
  auto stmt = db.cached(sql);
  if (!stmt) return std::move(stmt).error();
  sqlite::ScopedStatement scoped(**stmt);
  scoped->bind(1, id);
  auto row = scoped->step();
  if (!row) return std::move(row).error();
  if (*row) read(*scoped);
  return *row;
}

class Resend final : public ValueWrite<std::int64_t> {
 public:
  Resend(ResendRequest request, Done<std::int64_t> done) : ValueWrite(std::move(done)), request_(std::move(request)) {}

  Result<void> apply(sqlite::Connection& db) override {
    const auto& q = request_;
    std::string site;
    auto message = find_row(db, kMessageSite, q.message_id,
                            [&](const sqlite::Statement& s) { site = std::string(s.column_text(0)); });
    if (!message) return std::move(message).error();
    if (!*message || (!q.site_id.empty() && site != q.site_id)) {
      return protocol::make_error(protocol::ErrorCode::not_found, "no webhook message with id " + q.message_id,
                                  "message_id");
    }
    if (q.endpoint_id.empty()) {
      auto r = run_cached(db, kResend, [&](sqlite::Statement& s) {
        s.bind(1, q.now);
        s.bind(2, q.now);
        s.bind(3, q.message_id);
      });
      if (!r) return r;
      out_ = db.changes();
      return {};
    }
    std::string endpoint_site;
    bool disabled = false;
    auto endpoint = find_row(db, kEndpointState, q.endpoint_id, [&](const sqlite::Statement& s) {
      endpoint_site = std::string(s.column_text(0));
      disabled = s.column_int(1) != 0;
    });
    if (!endpoint) return std::move(endpoint).error();
    if (!*endpoint || endpoint_site != site) return no_endpoint(q.endpoint_id);
    if (disabled) {
      return protocol::make_error(protocol::ErrorCode::conflict, "the endpoint is disabled; enable it before resending",
                                  "endpoint_id");
    }
    auto r = run_cached(db, kResendTo, [&](sqlite::Statement& s) {
      s.bind(1, q.message_id);
      s.bind(2, q.endpoint_id);
      s.bind(3, q.now);
    });
    if (!r) return r;
    out_ = 1;
    return {};
  }

 private:
  ResendRequest request_;
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
    return protocol::make_error(protocol::ErrorCode::not_found,
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
    if (inserted.error().code == protocol::ErrorCode::not_found) {
      return protocol::make_error(protocol::ErrorCode::not_found, "no site with id " + event.site_id, "site_id");
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
std::unique_ptr<WriteOp> make_rotate_webhook_keys(std::string endpoint_id, std::string site_id, EndpointKeys keys,
                                                  std::int64_t previous_expires_at, std::int64_t now,
                                                  Done<WebhookEndpoint> done) {
  return std::make_unique<RotateKeys>(std::move(endpoint_id), std::move(site_id), std::move(keys), previous_expires_at,
                                      now, std::move(done));
}
std::unique_ptr<WriteOp> make_update_webhook_endpoint(WebhookEndpointChange change, Done<WebhookEndpoint> done) {
  return std::make_unique<UpdateEndpoint>(std::move(change), std::move(done));
}
std::unique_ptr<WriteOp> make_delete_webhook_endpoint(std::string endpoint_id, std::string site_id, Done<void> done) {
  return std::make_unique<DeleteEndpoint>(std::move(endpoint_id), std::move(site_id), std::move(done));
}
std::unique_ptr<WriteOp> make_enqueue_event(NewWebhookEvent event, Done<EnqueuedEvent> done) {
  return std::make_unique<EnqueueEvent>(std::move(event), std::move(done));
}
std::unique_ptr<WriteOp> make_record_attempt(AttemptRecord record, Done<void> done) {
  return std::make_unique<RecordAttempt>(std::move(record), std::move(done));
}
std::unique_ptr<WriteOp> make_resend(ResendRequest request, Done<std::int64_t> done) {
  return std::make_unique<Resend>(std::move(request), std::move(done));
}

}  // namespace vitrina::store
