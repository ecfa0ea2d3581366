#include "store/sqlite.hpp"

#include <utility>

namespace vitrina::store::sqlite {

namespace {

// "UNIQUE constraint failed: operators.site_id, operators.email" -> "email": the last column
// named is the one a person can change (the site is fixed by the command they ran).
std::string constrained_column(std::string_view message) {
  const auto colon = message.find(": ");
  if (colon == std::string_view::npos) return {};
  std::string_view columns = message.substr(colon + 2);
  if (const auto comma = columns.rfind(", "); comma != std::string_view::npos) {
    columns = columns.substr(comma + 2);
  }
  if (const auto dot = columns.rfind('.'); dot != std::string_view::npos) {
    columns = columns.substr(dot + 1);
  }
  return std::string(columns);
}

}  // namespace

Error to_error(sqlite3* db, int rc, std::string_view context) {
  const std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string text = std::string(context) + ": " + message;
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY: {
      std::string field = constrained_column(message);
      return protocol::make_error(protocol::ErrorCode::conflict, field + " is already taken", std::move(field));
    }
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return protocol::make_error(protocol::ErrorCode::not_found, "the referenced record does not exist");
    case SQLITE_CONSTRAINT_NOTNULL:
    case SQLITE_CONSTRAINT_CHECK:
    case SQLITE_CONSTRAINT_DATATYPE:
      return protocol::make_error(protocol::ErrorCode::invalid, std::move(text), constrained_column(message));
    default:
      break;
  }
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_NOMEM:
      return protocol::make_error(protocol::ErrorCode::unavailable, std::move(text));
    default:
      return protocol::make_error(protocol::ErrorCode::internal, std::move(text));
  }
}

Statement::Statement(Statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), stmt_(std::exchange(other.stmt_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = std::exchange(other.db_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::bind(int index, std::string_view text) {
  // A non-null pointer even for empty text, so SQLite stores '' rather than NULL.
  sqlite3_bind_text64(stmt_, index, text.empty() ? "" : text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

void Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, static_cast<sqlite3_int64>(value));
}

Result<bool> Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return to_error(db_, rc, "query failed");
}

Result<void> Statement::run() {
  for (;;) {
    auto row = step();
    if (!row) return std::move(row).error();
    if (!*row) return {};
  }
}

std::string_view Statement::column_text(int index) const {
  const auto* text = sqlite3_column_text(stmt_, index);
  if (text == nullptr) return {};
  // SQLite hands out text as unsigned char; the bytes are the UTF-8 we stored.
  return {reinterpret_cast<const char*>(text), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, index))};
}

std::int64_t Statement::column_int(int index) const {
  return static_cast<std::int64_t>(sqlite3_column_int64(stmt_, index));
}

void Statement::reset() noexcept {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Result<Connection> Connection::open(const std::string& path, OpenMode mode, std::chrono::milliseconds busy_timeout) {
  // NOMUTEX: each connection is used by one thread at a time, so SQLite's own per-connection
  // mutex would only cost time.
  const int flags = (mode == OpenMode::kReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                    SQLITE_OPEN_NOMUTEX;
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Connection conn(raw);
  if (rc != SQLITE_OK) {
    return to_error(raw, rc, "cannot open database " + path);
  }
  sqlite3_extended_result_codes(raw, 1);
  // Only another process (a second server, the admin CLI) can hold the lock for long: in this
  // process every write goes through the one writer thread.
  sqlite3_busy_timeout(raw, static_cast<int>(busy_timeout.count()));
  if (auto r = conn.exec("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;"); !r) {
    return std::move(r).error();
  }
  return conn;
}

Result<void> Connection::exec(const char* sql) {
  const int rc = sqlite3_exec(db_.get(), sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return to_error(db_.get(), rc, "statement failed");
  return {};
}

Result<Statement> Connection::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                    &stmt, nullptr);
  if (rc != SQLITE_OK) return to_error(db_.get(), rc, "cannot prepare statement");
  return Statement(db_.get(), stmt);
}

Result<Statement*> Connection::cached(std::string_view sql) {
  if (auto it = cache_.find(sql); it != cache_.end()) return &it->second;
  auto stmt = prepare(sql);
  if (!stmt) return std::move(stmt).error();
  return &cache_.emplace(std::string(sql), std::move(*stmt)).first->second;
}

std::int64_t Connection::changes() const noexcept { return static_cast<std::int64_t>(sqlite3_changes64(db_.get())); }

bool Connection::in_autocommit() const noexcept { return sqlite3_get_autocommit(db_.get()) != 0; }

}  // namespace vitrina::store::sqlite
