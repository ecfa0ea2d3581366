#pragma once
// A thin RAII layer over the SQLite C API: a connection that owns its prepared statements, and
// statements that reset themselves when a caller is done with them. Errors come back as values;
// nothing here throws except on allocation failure.

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "vitrina/protocol/result.hpp"

namespace vitrina::store {
using protocol::Error;
using protocol::Result;
}  // namespace vitrina::store

namespace vitrina::store::sqlite {

/// Maps a SQLite result code (and the connection's message) to a store Error: constraint
/// violations become "conflict"/"not_found"/"invalid" with the column as the field, I/O and
/// locking failures "unavailable", anything else "internal".
Error to_error(sqlite3* db, int rc, std::string_view context);

/// One prepared statement. Move-only; finalized on destruction.
class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, sqlite3_stmt* stmt) noexcept : db_(db), stmt_(stmt) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based, as in SQLite. Text is copied (SQLITE_TRANSIENT) so callers may
  // pass views of temporaries.
  void bind(int index, std::string_view text);
  void bind(int index, std::int64_t value);

  /// Advances one row: true when a row is available, false when the statement is done.
  Result<bool> step();
  /// Runs a statement that returns no rows to completion.
  Result<void> run();

  std::string_view column_text(int index) const;
  std::int64_t column_int(int index) const;

  /// Releases the statement's read snapshot and its bindings so it can be reused.
  void reset() noexcept;

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

/// Resets a cached statement when it goes out of scope. A statement left mid-step would keep
/// its read transaction open, pinning the WAL and hiding newer commits from that connection.
class ScopedStatement {
 public:
  explicit ScopedStatement(Statement& stmt) noexcept : stmt_(&stmt) {}
  ScopedStatement(const ScopedStatement&) = delete;
  ScopedStatement& operator=(const ScopedStatement&) = delete;
  ~ScopedStatement() { stmt_->reset(); }
  Statement* operator->() const noexcept { return stmt_; }
  Statement& operator*() const noexcept { return *stmt_; }

 private:
  Statement* stmt_;
};

enum class OpenMode { kReadWrite, kReadOnly };

/// One database connection plus a cache of its prepared statements. Move-only. A connection is
/// used by one thread at a time (the writer thread, or whoever leased it from the read pool).
class Connection {
 public:
  /// Opens `path` (creating it in read-write mode) and applies the per-connection pragmas.
  static Result<Connection> open(const std::string& path, OpenMode mode, std::chrono::milliseconds busy_timeout);

  Connection(Connection&&) noexcept = default;
  Connection& operator=(Connection&&) noexcept = default;

  /// Runs one or more SQL statements that return no rows.
  Result<void> exec(const char* sql);
  /// Prepares a statement owned by the caller (used for one-off statements).
  Result<Statement> prepare(std::string_view sql);
  /// Returns the statement for `sql`, preparing it on first use. The reference stays valid for
  /// the connection's lifetime; wrap it in a ScopedStatement while using it.
  Result<Statement*> cached(std::string_view sql);

  /// Rows changed by the most recent INSERT/UPDATE/DELETE on this connection.
  std::int64_t changes() const noexcept;
  /// True when no transaction is open (SQLite rolls back by itself on some I/O errors).
  bool in_autocommit() const noexcept;
  sqlite3* handle() const noexcept { return db_.get(); }

 private:
  struct Closer {
    void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
  };
  explicit Connection(sqlite3* db) noexcept : db_(db) {}

  // Declared before the cache so it is destroyed after it: statements finalize first.
  std::unique_ptr<sqlite3, Closer> db_;
  std::map<std::string, Statement, std::less<>> cache_;
};

/// Runs one cached statement to completion; `bind` fills its parameters.
template <class Bind>
Result<void> run_cached(Connection& db, std::string_view sql, Bind&& bind) {
  auto stmt = db.cached(sql);
  if (!stmt) return std::move(stmt).error();
  ScopedStatement scoped(**stmt);
  bind(*scoped);
  return scoped->run();
}

}  // namespace vitrina::store::sqlite
