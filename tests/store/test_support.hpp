#pragma once
// Shared helpers for the store tests: a temporary directory and site/operator factories.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "store/migrations.hpp"
#include "store/sqlite.hpp"
#include "store/store.hpp"

namespace vitrina::store::testing {

/// A fresh directory under $TMPDIR, removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "vitrina-store-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

/// A site whose unique columns all derive from `tag`.
inline Site make_site(const std::string& tag) {
  Site site;
  site.id = "site_" + tag;
  site.name = "Shop " + tag;
  site.public_key = "pk_" + tag;
  site.secret_hash = "hash_" + tag;
  site.allowed_origins = {"https://" + tag + ".example", "http://localhost:8080"};
  site.settings_json = R"({"greeting":"hi"})";
  site.created_at = 1'700'000'000'000;
  site.updated_at = 1'700'000'000'000;
  return site;
}

inline Operator make_operator(const std::string& site_id, const std::string& email) {
  Operator op;
  op.id = "op_" + email;
  op.site_id = site_id;
  op.email = email;
  op.name = "Ann";
  op.password_hash = "$argon2id$fake";
  op.created_at = 1'700'000'000'001;
  return op;
}

inline std::unique_ptr<Store> open_or_die(const std::string& path, std::size_t max_batch = 512) {
  auto store = open_sqlite({.path = path, .max_batch = max_batch});
  if (!store) throw std::runtime_error("open_sqlite failed: " + store.error().message);
  return std::move(*store);
}

inline Result<Site> insert_site_sync(Store& store, Site site) {
  return wait_for<Site>([&](Done<Site> done) { store.insert_site(std::move(site), std::move(done)); });
}

inline Result<Operator> insert_operator_sync(Store& store, Operator op) {
  return wait_for<Operator>([&](Done<Operator> done) { store.insert_operator(std::move(op), std::move(done)); });
}

/// Creates `path` with the schema as it was after migration `version`.
inline void migrate_to(const std::string& path, std::int64_t version) {
  auto db = sqlite::Connection::open(path, sqlite::OpenMode::kReadWrite, std::chrono::seconds(5));
  if (!db) throw std::runtime_error("open failed: " + db.error().message);
  if (auto r = apply_migrations(*db, path, version); !r) throw std::runtime_error("migrate_to: " + r.error().message);
}

/// Runs one SQL statement on a separate raw connection (to corrupt or inspect a file).
inline void raw_exec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* message = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
  EXPECT_EQ(rc, SQLITE_OK) << (message != nullptr ? message : "");
  sqlite3_free(message);
  sqlite3_close(db);
}

}  // namespace vitrina::store::testing
