// Many threads writing and reading at once: every acknowledged write is there, and visible to
// readers on other threads as soon as it is acknowledged.

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "test_support.hpp"

namespace vitrina::store {
namespace {

using testing::make_site;
using testing::open_or_die;
using testing::TempDir;

TEST(Concurrency, WritersFromManyThreadsAreAllAcknowledgedAndPresent) {
  TempDir dir;
  auto store = open_or_die(dir.file("v.db"));
  constexpr int kThreads = 8;
  constexpr int kPerThread = 300;
  std::atomic<int> ok{0};
  std::atomic<int> failed{0};
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          store->insert_site(make_site(std::to_string(t) + "_" + std::to_string(i)),
                             [&](Result<Site> r) { (r ? ok : failed)++; });
        }
      });
    }
  }
  store->flush();
  EXPECT_EQ(ok.load(), kThreads * kPerThread);
  EXPECT_EQ(failed.load(), 0);
  auto sites = store->list_sites();
  ASSERT_TRUE(sites.has_value());
  EXPECT_EQ(sites->size(), static_cast<std::size_t>(kThreads * kPerThread));
  std::set<std::string> ids;
  for (const auto& s : *sites) ids.insert(s.id);
  EXPECT_EQ(ids.size(), sites->size());
}

TEST(Concurrency, AcknowledgedWritesAreVisibleToReadersOnOtherThreads) {
  TempDir dir;
  auto store = open_or_die(dir.file("v.db"));
  constexpr int kWrites = 400;
  std::mutex mutex;
  std::vector<std::string> acknowledged;  // public keys, in ack order
  std::atomic<bool> writing{true};
  std::atomic<int> misses{0};
  std::atomic<int> reads{0};

  std::vector<std::jthread> readers;
  for (int r = 0; r < 4; ++r) {
    readers.emplace_back([&] {
      while (writing.load()) {
        std::string key;
        {
          std::lock_guard lock(mutex);
          if (acknowledged.empty()) continue;
          key = acknowledged[static_cast<std::size_t>(reads.load()) % acknowledged.size()];
        }
        auto found = store->find_site_by_public_key(key);
        ++reads;
        if (!found || !found->has_value()) ++misses;
      }
    });
  }
  std::vector<std::jthread> writers;
  for (int w = 0; w < 2; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < kWrites / 2; ++i) {
        auto site = make_site("w" + std::to_string(w) + "_" + std::to_string(i));
        auto r = testing::insert_site_sync(*store, site);
        ASSERT_TRUE(r.has_value());
        std::lock_guard lock(mutex);
        acknowledged.push_back(site.public_key);
      }
    });
  }
  writers.clear();  // joins
  writing = false;
  readers.clear();
  EXPECT_EQ(misses.load(), 0);
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(acknowledged.size(), static_cast<std::size_t>(kWrites));
}

TEST(Concurrency, MoreReadersThanConnectionsShareThePool) {
  TempDir dir;
  auto opened = open_sqlite({.path = dir.file("v.db"), .read_connections = 2});
  ASSERT_TRUE(opened.has_value());
  auto& store = *opened;
  ASSERT_TRUE(testing::insert_site_sync(*store, make_site("a")).has_value());
  std::atomic<int> found{0};
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&] {
        for (int i = 0; i < 200; ++i) {
          auto r = store->find_site_by_id("site_a");
          if (r && r->has_value()) ++found;
        }
      });
    }
  }
  EXPECT_EQ(found.load(), 8 * 200);
}

}  // namespace
}  // namespace vitrina::store
