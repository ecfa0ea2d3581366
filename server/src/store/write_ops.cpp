#include "store/write_ops.hpp"

#include <utility>

#include "store/codec.hpp"
#include "store/value_write.hpp"

namespace vitrina::store {

namespace {

constexpr const char* kInsertSite =
    "INSERT INTO sites (id, name, public_key, secret_hash, allowed_origins, settings, "
    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
constexpr const char* kUpdateSiteSecret = "UPDATE sites SET secret_hash = ?, updated_at = ? WHERE id = ?";
constexpr const char* kUpdateSiteSettings = "UPDATE sites SET settings = ?, updated_at = ? WHERE id = ?";
constexpr const char* kInsertOperator =
    "INSERT INTO operators (id, site_id, email, name, password_hash, role, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)";
constexpr const char* kPruneSessions = "DELETE FROM operator_sessions WHERE operator_id = ? AND expires_at <= ?";
constexpr const char* kInsertSession =
    "INSERT INTO operator_sessions (token_hash, operator_id, site_id, created_at, expires_at, "
    "user_agent) VALUES (?, ?, ?, ?, ?, ?)";
constexpr const char* kDeleteSession = "DELETE FROM operator_sessions WHERE token_hash = ?";

using sqlite::run_cached;

class InsertSite final : public ValueWrite<Site> {
 public:
  InsertSite(Site site, Done<Site> done)
      : ValueWrite(std::move(done), std::move(site)), origins_(origins_to_json(out_.allowed_origins)) {}

  Result<void> apply(sqlite::Connection& db) override {
    return run_cached(db, kInsertSite, [&](sqlite::Statement& s) {
      s.bind(1, out_.id);
      s.bind(2, out_.name);
      s.bind(3, out_.public_key);
      s.bind(4, out_.secret_hash);
      s.bind(5, origins_);
      s.bind(6, out_.settings_json);
      s.bind(7, out_.created_at);
      s.bind(8, out_.updated_at);
    });
  }

 private:
  std::string origins_;  // serialised on the submitting thread, not the writer's
};

// One column of a site's row (the secret key's hash, the settings) and its updated_at.
class UpdateSiteColumn final : public ValueWrite<void> {
 public:
  UpdateSiteColumn(const char* sql, std::string site_id, std::string value, std::int64_t updated_at, Done<void> done)
      : ValueWrite(std::move(done)),
        sql_(sql),
        site_id_(std::move(site_id)),
        value_(std::move(value)),
        updated_at_(updated_at) {}

  Result<void> apply(sqlite::Connection& db) override {
    auto r = run_cached(db, sql_, [&](sqlite::Statement& s) {
      s.bind(1, value_);
      s.bind(2, updated_at_);
      s.bind(3, site_id_);
    });
    if (!r) return r;
    if (db.changes() == 0) {
      return protocol::make_error(protocol::ErrorCode::not_found, "no site with id " + site_id_, "site_id");
    }
    return {};
  }

 private:
  const char* sql_;
  std::string site_id_;
  std::string value_;
  std::int64_t updated_at_;
};

class InsertOperator final : public ValueWrite<Operator> {
 public:
  InsertOperator(Operator op, Done<Operator> done) : ValueWrite(std::move(done), std::move(op)) {}

  Result<void> apply(sqlite::Connection& db) override {
    auto r = run_cached(db, kInsertOperator, [&](sqlite::Statement& s) {
      s.bind(1, out_.id);
      s.bind(2, out_.site_id);
      s.bind(3, out_.email);
      s.bind(4, out_.name);
      s.bind(5, out_.password_hash);
      s.bind(6, out_.role);
      s.bind(7, out_.created_at);
    });
    // The only foreign key is the site.
    if (!r && r.error().code == protocol::ErrorCode::not_found) {
      return protocol::make_error(protocol::ErrorCode::not_found, "no site with id " + out_.site_id, "site_id");
    }
    return r;
  }
};

class InsertSession final : public ValueWrite<Session> {
 public:
  InsertSession(Session session, Done<Session> done) : ValueWrite(std::move(done), std::move(session)) {}

  Result<void> apply(sqlite::Connection& db) override {
    auto pruned = run_cached(db, kPruneSessions, [&](sqlite::Statement& s) {
      s.bind(1, out_.operator_id);
      s.bind(2, out_.created_at);
    });
    if (!pruned) return pruned;
    auto r = run_cached(db, kInsertSession, [&](sqlite::Statement& s) {
      s.bind(1, out_.token_hash);
      s.bind(2, out_.operator_id);
      s.bind(3, out_.site_id);
      s.bind(4, out_.created_at);
      s.bind(5, out_.expires_at);
      s.bind(6, out_.user_agent);
    });
    if (!r && r.error().code == protocol::ErrorCode::not_found) {
      return protocol::make_error(protocol::ErrorCode::not_found,
                                  "no operator " + out_.operator_id + " on site " + out_.site_id, "operator_id");
    }
    return r;
  }
};

class DeleteSession final : public ValueWrite<void> {
 public:
  DeleteSession(std::string token_hash, Done<void> done)
      : ValueWrite(std::move(done)), token_hash_(std::move(token_hash)) {}

  Result<void> apply(sqlite::Connection& db) override {
    auto r = run_cached(db, kDeleteSession, [&](sqlite::Statement& s) { s.bind(1, token_hash_); });
    if (!r) return r;
    if (db.changes() == 0) {
      return protocol::make_error(protocol::ErrorCode::not_found, "no such session", "token_hash");
    }
    return {};
  }

 private:
  std::string token_hash_;
};

}  // namespace

std::unique_ptr<WriteOp> make_insert_site(Site site, Done<Site> done) {
  return std::make_unique<InsertSite>(std::move(site), std::move(done));
}

std::unique_ptr<WriteOp> make_update_site_secret(std::string site_id, std::string secret_hash, std::int64_t updated_at,
                                                 Done<void> done) {
  return std::make_unique<UpdateSiteColumn>(kUpdateSiteSecret, std::move(site_id), std::move(secret_hash), updated_at,
                                            std::move(done));
}

std::unique_ptr<WriteOp> make_update_site_settings(std::string site_id, std::string settings_json,
                                                   std::int64_t updated_at, Done<void> done) {
  return std::make_unique<UpdateSiteColumn>(kUpdateSiteSettings, std::move(site_id), std::move(settings_json),
                                            updated_at, std::move(done));
}

std::unique_ptr<WriteOp> make_insert_operator(Operator op, Done<Operator> done) {
  return std::make_unique<InsertOperator>(std::move(op), std::move(done));
}

std::unique_ptr<WriteOp> make_insert_session(Session session, Done<Session> done) {
  return std::make_unique<InsertSession>(std::move(session), std::move(done));
}

std::unique_ptr<WriteOp> make_delete_session(std::string token_hash, Done<void> done) {
  return std::make_unique<DeleteSession>(std::move(token_hash), std::move(done));
}

}  // namespace vitrina::store
