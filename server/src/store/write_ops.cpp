#include "store/write_ops.hpp"

#include <utility>

#include "store/codec.hpp"

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

class InsertSite final : public WriteOp {
 public:
  InsertSite(Site site, Done<Site> done)
      : site_(std::move(site)), origins_(origins_to_json(site_.allowed_origins)), done_(std::move(done)) {}

  Result<void> apply(sqlite::Connection& db) override {
    return run_cached(db, kInsertSite, [&](sqlite::Statement& s) {
      s.bind(1, site_.id);
      s.bind(2, site_.name);
      s.bind(3, site_.public_key);
      s.bind(4, site_.secret_hash);
      s.bind(5, origins_);
      s.bind(6, site_.settings_json);
      s.bind(7, site_.created_at);
      s.bind(8, site_.updated_at);
    });
  }

  void complete(Result<void> outcome) override {
    if (!done_) return;
    if (!outcome) return done_(std::move(outcome).error());
    done_(std::move(site_));
  }

 private:
  Site site_;
  std::string origins_;  // serialised on the submitting thread, not the writer's
  Done<Site> done_;
};

// One column of a site's row (the secret key's hash, the settings) and its updated_at.
class UpdateSiteColumn final : public WriteOp {
 public:
  UpdateSiteColumn(const char* sql, std::string site_id, std::string value, std::int64_t updated_at, Done<void> done)
      : sql_(sql),
        site_id_(std::move(site_id)),
        value_(std::move(value)),
        updated_at_(updated_at),
        done_(std::move(done)) {}

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

  void complete(Result<void> outcome) override {
    if (done_) done_(std::move(outcome));
  }

 private:
  const char* sql_;
  std::string site_id_;
  std::string value_;
  std::int64_t updated_at_;
  Done<void> done_;
};

class InsertOperator final : public WriteOp {
 public:
  InsertOperator(Operator op, Done<Operator> done) : op_(std::move(op)), done_(std::move(done)) {}

  Result<void> apply(sqlite::Connection& db) override {
    auto r = run_cached(db, kInsertOperator, [&](sqlite::Statement& s) {
      s.bind(1, op_.id);
      s.bind(2, op_.site_id);
      s.bind(3, op_.email);
      s.bind(4, op_.name);
      s.bind(5, op_.password_hash);
      s.bind(6, op_.role);
      s.bind(7, op_.created_at);
    });
    // The only foreign key is the site.
    if (!r && r.error().code == protocol::ErrorCode::not_found) {
      return protocol::make_error(protocol::ErrorCode::not_found, "no site with id " + op_.site_id, "site_id");
    }
    return r;
  }

  void complete(Result<void> outcome) override {
    if (!done_) return;
    if (!outcome) return done_(std::move(outcome).error());
    done_(std::move(op_));
  }

 private:
  Operator op_;
  Done<Operator> done_;
};

class InsertSession final : public WriteOp {
 public:
  InsertSession(Session session, Done<Session> done) : session_(std::move(session)), done_(std::move(done)) {}

  Result<void> apply(sqlite::Connection& db) override {
    auto pruned = run_cached(db, kPruneSessions, [&](sqlite::Statement& s) {
      s.bind(1, session_.operator_id);
      s.bind(2, session_.created_at);
    });
    if (!pruned) return pruned;
    auto r = run_cached(db, kInsertSession, [&](sqlite::Statement& s) {
      s.bind(1, session_.token_hash);
      s.bind(2, session_.operator_id);
      s.bind(3, session_.site_id);
      s.bind(4, session_.created_at);
      s.bind(5, session_.expires_at);
      s.bind(6, session_.user_agent);
    });
    if (!r && r.error().code == protocol::ErrorCode::not_found) {
      return protocol::make_error(protocol::ErrorCode::not_found,
                                  "no operator " + session_.operator_id + " on site " + session_.site_id,
                                  "operator_id");
    }
    return r;
  }

  void complete(Result<void> outcome) override {
    if (!done_) return;
    if (!outcome) return done_(std::move(outcome).error());
    done_(std::move(session_));
  }

 private:
  Session session_;
  Done<Session> done_;
};

class DeleteSession final : public WriteOp {
 public:
  DeleteSession(std::string token_hash, Done<void> done) : token_hash_(std::move(token_hash)), done_(std::move(done)) {}

  Result<void> apply(sqlite::Connection& db) override {
    auto r = run_cached(db, kDeleteSession, [&](sqlite::Statement& s) { s.bind(1, token_hash_); });
    if (!r) return r;
    if (db.changes() == 0) {
      return protocol::make_error(protocol::ErrorCode::not_found, "no such session", "token_hash");
    }
    return {};
  }

  void complete(Result<void> outcome) override {
    if (done_) done_(std::move(outcome));
  }

 private:
  std::string token_hash_;
  Done<void> done_;
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
