// The checkpointer copies the write-ahead log into the database file on its own thread: the
// writer's commits leave the file alone, the checkpointer's runs fill it, and nothing committed
// is lost across a reopen.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "store/checkpointer.hpp"
#include "test_support.hpp"

namespace vitrina::store {
namespace {

using testing::TempDir;

sqlite::Connection open_wal(const std::string& path) {
  auto db = sqlite::Connection::open(path, sqlite::OpenMode::kReadWrite, std::chrono::milliseconds(5000));
  EXPECT_TRUE(db.has_value());
  EXPECT_TRUE(db->exec("PRAGMA journal_mode = WAL; CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)"));
  return std::move(*db);
}

void insert_rows(sqlite::Connection& db, int transactions) {
  for (int i = 0; i < transactions; ++i) {
    ASSERT_TRUE(db.exec("BEGIN; INSERT INTO t (v) VALUES (hex(randomblob(2000))), (hex(randomblob(2000))); COMMIT"));
  }
}

std::uintmax_t size_of(const std::string& path) { return std::filesystem::file_size(path); }

TEST(Checkpointer, CommitsLeaveTheFileAloneWithoutIt) {
  TempDir dir;
  const auto path = dir.file("c.db");
  auto db = open_wal(path);
  // What the checkpointer replaces: with SQLite's automatic checkpoint off and nobody copying,
  // the database file does not grow however much is committed.
  ASSERT_TRUE(db.exec("PRAGMA wal_autocheckpoint = 0"));
  const auto before = size_of(path);
  insert_rows(db, 200);
  EXPECT_EQ(size_of(path), before);
}

TEST(Checkpointer, CopiesTheLogOnItsOwnThread) {
  TempDir dir;
  const auto path = dir.file("c.db");
  auto db = open_wal(path);
  const auto before = size_of(path);
  {
    auto checkpointer = Checkpointer::start(db, path, 20, std::chrono::milliseconds(5000));
    ASSERT_TRUE(checkpointer.has_value()) << checkpointer.error().message;
    insert_rows(db, 200);  // about 1,000 pages of log
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while ((*checkpointer)->runs() == 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_GT((*checkpointer)->runs(), 0u);
    // Wait for a run that started after the last commit, then look at the file.
    const auto seen = (*checkpointer)->runs();
    insert_rows(db, 20);
    while ((*checkpointer)->runs() == seen && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_GT(size_of(path), before + 200 * 4000);
  }
  // Without it the writer checkpoints by itself again, and nothing committed is lost.
  insert_rows(db, 20);
  auto reopened = open_wal(path);
  auto stmt = reopened.prepare("SELECT count(*) FROM t");
  ASSERT_TRUE(stmt.has_value());
  auto row = stmt->step();
  ASSERT_TRUE(row.has_value() && *row);
  EXPECT_EQ(stmt->column_int(0), 480);
}

}  // namespace
}  // namespace vitrina::store
