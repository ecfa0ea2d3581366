#include "store/migrations.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "test_support.hpp"

namespace vitrina::store {
namespace {

using testing::open_or_die;
using testing::TempDir;

// Reads one integer with a raw connection, bypassing the store.
std::int64_t query_int(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  std::int64_t value = -1;
  if (sqlite3_step(stmt) == SQLITE_ROW) value = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return value;
}

std::string query_text(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr), SQLITE_OK);
  std::string value;
  if (sqlite3_step(stmt) == SQLITE_ROW) {
    value = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return value;
}

TEST(Migrations, FreshDatabaseIsAtLatestVersionInWalMode) {
  TempDir dir;
  const auto path = dir.file("v.db");
  open_or_die(path).reset();
  EXPECT_EQ(query_int(path, "SELECT max(version) FROM schema_migrations"), latest_schema_version());
  EXPECT_EQ(query_text(path, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(query_int(path, "SELECT count(*) FROM sites"), 0);
  EXPECT_EQ(query_int(path, "SELECT count(*) FROM operators"), 0);
}

TEST(Migrations, ReopeningIsIdempotentAndKeepsData) {
  TempDir dir;
  const auto path = dir.file("v.db");
  {
    auto store = open_or_die(path);
    ASSERT_TRUE(testing::insert_site_sync(*store, testing::make_site("a")).has_value());
  }
  for (int i = 0; i < 3; ++i) {
    auto store = open_or_die(path);
    auto found = store->find_site_by_id("site_a");
    ASSERT_TRUE(found.has_value() && found->has_value());
  }
  EXPECT_EQ(query_int(path, "SELECT count(*) FROM schema_migrations"), static_cast<std::int64_t>(migration_count()));
}

TEST(Migrations, RefusesDatabaseFromNewerBinary) {
  TempDir dir;
  const auto path = dir.file("v.db");
  open_or_die(path).reset();
  testing::raw_exec(path, "INSERT INTO schema_migrations (version, applied_at) VALUES (999, 0)");
  auto store = open_sqlite({.path = path});
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, vitrina::protocol::ErrorCode::unavailable);
  EXPECT_NE(store.error().message.find("newer"), std::string::npos) << store.error().message;
  EXPECT_NE(store.error().message.find(path), std::string::npos);
  // Refusing must not have touched the recorded version.
  EXPECT_EQ(query_int(path, "SELECT max(version) FROM schema_migrations"), 999);
}

TEST(Migrations, ForeignKeysAreEnforced) {
  TempDir dir;
  auto store = open_or_die(dir.file("v.db"));
  auto r = testing::insert_operator_sync(*store, testing::make_operator("site_missing", "a@b.c"));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::not_found);
}

TEST(Migrations, RefusesAFileThatIsNotADatabase) {
  TempDir dir;
  const auto path = dir.file("v.db");
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::fputs("this is not an sqlite database, just some text that is long enough......", f);
    std::fclose(f);
  }
  auto store = open_sqlite({.path = path});
  ASSERT_FALSE(store.has_value());
  EXPECT_FALSE(store.error().message.empty());
}

}  // namespace
}  // namespace vitrina::store
