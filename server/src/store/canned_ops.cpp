#include "store/canned_ops.hpp"
#include "store/value_write.hpp"

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

class Insert final : public ValueWrite<CannedResponse> {
 public:
  Insert(CannedResponse response, Done<CannedResponse> done) : ValueWrite(std::move(done), std::move(response)) {}

  Result<void> apply(sqlite::Connection& db) override {
    auto r = run_cached(db, kInsert, [&](sqlite::Statement& s) {
      s.bind(1, out_.id);
      s.bind(2, out_.site_id);
      s.bind(3, out_.shortcut);
      s.bind(4, out_.title);
      s.bind(5, out_.text);
      s.bind(6, out_.created_at);
      s.bind(7, out_.updated_at);
    });
    if (!r && r.error().code == protocol::ErrorCode::not_found) {
      return protocol::make_error(protocol::ErrorCode::not_found, "no site with id " + out_.site_id, "site_id");
    }
    return r;
  }
};

class Update final : public ValueWrite<CannedResponse> {
 public:
  Update(CannedResponseChange change, Done<CannedResponse> done)
      : ValueWrite(std::move(done)), change_(std::move(change)) {}

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
    out_ = std::move(**found);
    return {};
  }

 private:
  CannedResponseChange change_;
};

class Delete final : public ValueWrite<void> {
 public:
  Delete(std::string id, std::string site_id, Done<void> done)
      : ValueWrite(std::move(done)), id_(std::move(id)), site_id_(std::move(site_id)) {}

  Result<void> apply(sqlite::Connection& db) override {
    auto r = run_cached(db, kDelete, [&](sqlite::Statement& s) {
      s.bind(1, id_);
      s.bind(2, site_id_);
    });
    if (!r) return r;
    if (db.changes() == 0) return no_response(id_);
    return {};
  }

 private:
  std::string id_;
  std::string site_id_;
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
