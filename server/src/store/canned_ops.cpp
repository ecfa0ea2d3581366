#include "store/canned_ops.hpp"

#include <utility>

namespace vitrina::store {

namespace {

constexpr const char* kInsert =
    "INSERT INTO canned_responses (id, site_id, shortcut, title, text, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)";
// Each member changes only when its flag is set, so one cached statement serves every patch.
constexpr const char* kUpdate =
    "UPDATE canned_responses SET shortcut = CASE WHEN ?1 THEN ?2 ELSE shortcut END, "
    "title = CASE WHEN ?3 THEN ?4 ELSE title END, text = CASE WHEN ?5 THEN ?6 ELSE text END, "
    "updated_at = ?7 WHERE id = ?8 AND site_id = ?9";
constexpr const char* kDelete = "DELETE FROM canned_responses WHERE id = ? AND site_id = ?";
constexpr const char* kColumns = "id, site_id, shortcut, title, text, created_at, updated_at";
const std::string kOfSite =
    std::string("SELECT ") + kColumns + " FROM canned_responses WHERE site_id = ? ORDER BY shortcut";
const std::string kById = std::string("SELECT ") + kColumns + " FROM canned_responses WHERE site_id = ? AND id = ?";

Error no_response(const std::string& id) {
  return protocol::make_error(protocol::ErrorCode::not_found, "no canned response with id " + id, "id");
}

CannedResponse read_row(const sqlite::Statement& row) {
  CannedResponse r;
  r.id = row.column_text(0);
  r.site_id = row.column_text(1);
  r.shortcut = row.column_text(2);
  r.title = row.column_text(3);
  r.text = row.column_text(4);
  r.created_at = row.column_int(5);
  r.updated_at = row.column_int(6);
  return r;
}

using sqlite::run_cached;

class Insert final : public WriteOp {
 public:
  Insert(CannedResponse response, Done<CannedResponse> done) : response_(std::move(response)), done_(std::move(done)) {}

  Result<void> apply(sqlite::Connection& db) override {
    auto r = run_cached(db, kInsert, [&](sqlite::Statement& s) {
      s.bind(1, response_.id);
      s.bind(2, response_.site_id);
      s.bind(3, response_.shortcut);
      s.bind(4, response_.title);
      s.bind(5, response_.text);
      s.bind(6, response_.created_at);
      s.bind(7, response_.updated_at);
    });
    if (!r && r.error().code == protocol::ErrorCode::not_found) {
      return protocol::make_error(protocol::ErrorCode::not_found, "no site with id " + response_.site_id, "site_id");
    }
    return r;
  }
  void complete(Result<void> outcome) override {
    if (!done_) return;
    if (!outcome) return done_(std::move(outcome).error());
    done_(std::move(response_));
  }

 private:
  CannedResponse response_;
  Done<CannedResponse> done_;
};

class Update final : public WriteOp {
 public:
  Update(CannedResponseChange change, Done<CannedResponse> done) : change_(std::move(change)), done_(std::move(done)) {}

  Result<void> apply(sqlite::Connection& db) override {
    auto r = run_cached(db, kUpdate, [&](sqlite::Statement& s) {
      s.bind(1, std::int64_t{change_.shortcut.has_value()});
      s.bind(2, change_.shortcut.value_or(""));
      s.bind(3, std::int64_t{change_.title.has_value()});
      s.bind(4, change_.title.value_or(""));
      s.bind(5, std::int64_t{change_.text.has_value()});
      s.bind(6, change_.text.value_or(""));
      s.bind(7, change_.updated_at);
      s.bind(8, change_.id);
      s.bind(9, change_.site_id);
    });
    if (!r) return r;
    if (db.changes() == 0) return no_response(change_.id);
    // Read back inside the same transaction: the answer is the row as committed.
    auto found = canned_reads::by_id(db, change_.site_id, change_.id);
    if (!found) return std::move(found).error();
    if (!*found) return no_response(change_.id);
    result_ = std::move(**found);
    return {};
  }
  void complete(Result<void> outcome) override {
    if (!done_) return;
    if (!outcome) return done_(std::move(outcome).error());
    done_(std::move(result_));
  }

 private:
  CannedResponseChange change_;
  CannedResponse result_;
  Done<CannedResponse> done_;
};

class Delete final : public WriteOp {
 public:
  Delete(std::string id, std::string site_id, Done<void> done)
      : id_(std::move(id)), site_id_(std::move(site_id)), done_(std::move(done)) {}

  Result<void> apply(sqlite::Connection& db) override {
    auto r = run_cached(db, kDelete, [&](sqlite::Statement& s) {
      s.bind(1, id_);
      s.bind(2, site_id_);
    });
    if (!r) return r;
    if (db.changes() == 0) return no_response(id_);
    return {};
  }
  void complete(Result<void> outcome) override {
    if (done_) done_(std::move(outcome));
  }

 private:
  std::string id_;
  std::string site_id_;
  Done<void> done_;
};

Result<std::vector<CannedResponse>> select(sqlite::Connection& db, const std::string& sql,
                                           std::initializer_list<std::string_view> params) {
  auto stmt = db.cached(sql);
  if (!stmt) return std::move(stmt).error();
  sqlite::ScopedStatement scoped(**stmt);
  int index = 1;
  for (auto p : params) scoped->bind(index++, p);
  std::vector<CannedResponse> out;
  for (;;) {
    auto row = scoped->step();
    if (!row) return std::move(row).error();
    if (!*row) return out;
    out.push_back(read_row(*scoped));
  }
}

}  // namespace

std::unique_ptr<WriteOp> make_insert_canned_response(CannedResponse response, Done<CannedResponse> done) {
  return std::make_unique<Insert>(std::move(response), std::move(done));
}
std::unique_ptr<WriteOp> make_update_canned_response(CannedResponseChange change, Done<CannedResponse> done) {
  return std::make_unique<Update>(std::move(change), std::move(done));
}
std::unique_ptr<WriteOp> make_delete_canned_response(std::string id, std::string site_id, Done<void> done) {
  return std::make_unique<Delete>(std::move(id), std::move(site_id), std::move(done));
}

namespace canned_reads {

Result<std::vector<CannedResponse>> of_site(sqlite::Connection& db, std::string_view site_id) {
  return select(db, kOfSite, {site_id});
}

Result<std::optional<CannedResponse>> by_id(sqlite::Connection& db, std::string_view site_id, std::string_view id) {
  auto found = select(db, kById, {site_id, id});
  if (!found) return std::move(found).error();
  if (found->empty()) return std::optional<CannedResponse>{};
  return std::optional<CannedResponse>{std::move(found->front())};
}

}  // namespace canned_reads

}  // namespace vitrina::store
