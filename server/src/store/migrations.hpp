#pragma once
// Versioned schema migrations. Each migration runs once, in order, inside the same transaction
// that records it in `schema_migrations`, so a crash mid-migration leaves the old schema intact.

#include <cstddef>
#include <cstdint>
#include <string>

#include "store/sqlite.hpp"

namespace vitrina::store {

/// The newest schema version this binary knows how to use.
std::int64_t latest_schema_version() noexcept;
/// How many migrations this binary knows (their numbers need not be contiguous).
std::size_t migration_count() noexcept;

/// Brings the database up to latest_schema_version(). Refuses ("unavailable") a database whose
/// version is newer: an older binary must not write to a schema it does not understand.
/// `path` is only used in messages.
Result<void> apply_migrations(sqlite::Connection& db, const std::string& path);
/// The same, stopping after the migrations numbered up to `up_to` (to build an older schema,
/// for example to test what a later migration does to rows written before it).
Result<void> apply_migrations(sqlite::Connection& db, const std::string& path, std::int64_t up_to);

/// The version recorded in the database, 0 for a fresh file.
Result<std::int64_t> current_schema_version(sqlite::Connection& db);

}  // namespace vitrina::store
