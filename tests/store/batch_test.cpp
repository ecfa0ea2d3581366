// Group commit: writes queued while the writer is busy share one transaction, and each one
// succeeds or fails on its own.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <future>
#include <vector>

#include "test_support.hpp"

namespace vitrina::store {
namespace {

using testing::make_operator;
using testing::make_site;
using testing::open_or_die;
using testing::TempDir;

// Holds the writer thread inside a completion callback until release(), so that everything
// submitted meanwhile is queued and lands in the next batch together.
class WriterGate {
 public:
  void hold(Store& store) {
    store.insert_site(make_site("gate"), [this](Result<Site>) { released_.get_future().wait(); });
  }
  void release() { released_.set_value(); }

 private:
  std::promise<void> released_;
};

template <class T>
struct Collected {
  std::vector<std::promise<Result<T>>> promises;
  std::vector<std::future<Result<T>>> futures;
  explicit Collected(std::size_t n) : promises(n) {
    for (auto& p : promises) futures.push_back(p.get_future());
  }
  Done<T> done(std::size_t i) {
    return [this, i](Result<T> r) { promises[i].set_value(std::move(r)); };
  }
};

TEST(GroupCommit, FailingWriteRollsBackOnlyItself) {
  TempDir dir;
  auto store = open_or_die(dir.file("v.db"));
  WriterGate gate;
  gate.hold(*store);

  Site taken = make_site("dup");
  taken.public_key = "pk_a";  // collides with the first write of the same batch
  Collected<Site> sites(3);
  store->insert_site(make_site("a"), sites.done(0));
  store->insert_site(taken, sites.done(1));
  store->insert_site(make_site("c"), sites.done(2));
  Collected<Operator> ops(2);
  store->insert_operator(make_operator("site_nope", "x@y.example"), ops.done(0));
  store->insert_operator(make_operator("site_c", "x@y.example"), ops.done(1));
  gate.release();

  auto a = sites.futures[0].get();
  auto dup = sites.futures[1].get();
  auto c = sites.futures[2].get();
  EXPECT_TRUE(a.has_value());
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().code, vitrina::protocol::ErrorCode::conflict);
  EXPECT_EQ(dup.error().field, "public_key");
  EXPECT_TRUE(c.has_value());
  auto orphan = ops.futures[0].get();
  ASSERT_FALSE(orphan.has_value());
  EXPECT_EQ(orphan.error().code, vitrina::protocol::ErrorCode::not_found);
  // Written in the same transaction after site_c, so the foreign key is satisfied.
  EXPECT_TRUE(ops.futures[1].get().has_value());

  auto dup_row = store->find_site_by_id("site_dup");
  ASSERT_TRUE(dup_row.has_value());
  EXPECT_FALSE(dup_row->has_value());
  auto all = store->list_sites();
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(all->size(), 3u);  // gate, a, c
}

TEST(GroupCommit, SameKeyTwiceInOneBatchFailsOnlyTheSecond) {
  TempDir dir;
  auto store = open_or_die(dir.file("v.db"));
  ASSERT_TRUE(testing::insert_site_sync(*store, make_site("s")).has_value());

  WriterGate gate;
  gate.hold(*store);
  Collected<Operator> ops(2);
  Operator first = make_operator("site_s", "same@x.example");
  Operator second = make_operator("site_s", "same@x.example");
  second.id = "op_second";
  store->insert_operator(first, ops.done(0));
  store->insert_operator(second, ops.done(1));
  gate.release();
  EXPECT_TRUE(ops.futures[0].get().has_value());
  auto r = ops.futures[1].get();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().field, "email");
}

TEST(GroupCommit, BatchesLargerThanMaxBatchAreSplit) {
  TempDir dir;
  auto store = open_or_die(dir.file("v.db"), 4);
  WriterGate gate;
  gate.hold(*store);
  Collected<Site> sites(50);
  for (std::size_t i = 0; i < 50; ++i) store->insert_site(make_site(std::to_string(i)), sites.done(i));
  gate.release();
  for (auto& f : sites.futures) EXPECT_TRUE(f.get().has_value());
}

TEST(GroupCommit, LockedDatabaseFailsTheWholeBatchAsUnavailable) {
  TempDir dir;
  const auto path = dir.file("v.db");
  auto opened = open_sqlite({.path = path, .busy_timeout = std::chrono::milliseconds(50)});
  ASSERT_TRUE(opened.has_value());
  auto& store = *opened;

  // Another process-like connection holds the write lock.
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);

  WriterGate gate;
  gate.hold(*store);
  Collected<Site> sites(3);
  for (std::size_t i = 0; i < 3; ++i) store->insert_site(make_site(std::to_string(i)), sites.done(i));
  gate.release();
  for (auto& f : sites.futures) {
    auto r = f.get();
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::unavailable);
  }

  // Once the lock is gone the store writes again.
  ASSERT_EQ(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(other);
  EXPECT_TRUE(testing::insert_site_sync(*store, make_site("after")).has_value());
  auto found = store->find_site_by_id("site_0");
  ASSERT_TRUE(found.has_value());
  EXPECT_FALSE(found->has_value());
}

TEST(GroupCommit, ThrowingCallbackDoesNotStopTheWriter) {
  TempDir dir;
  auto store = open_or_die(dir.file("v.db"));
  store->insert_site(make_site("a"), [](Result<Site>) { throw std::runtime_error("careless"); });
  EXPECT_TRUE(testing::insert_site_sync(*store, make_site("b")).has_value());
  auto found = store->find_site_by_id("site_a");
  ASSERT_TRUE(found.has_value());
  EXPECT_TRUE(found->has_value());
}

}  // namespace
}  // namespace vitrina::store
