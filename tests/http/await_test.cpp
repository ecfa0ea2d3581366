// The coroutine adapters: await_write (store completion on the writer thread, resumption on the
// coroutine's strand) and BlockingPool (CPU work off the I/O threads, bounded).

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <filesystem>
#include <future>
#include <latch>
#include <thread>

#include "http/await_store.hpp"
#include "http/blocking_pool.hpp"

namespace vitrina::http {
namespace {

namespace net = boost::asio;
using namespace std::chrono_literals;

// Runs `body` as a coroutine on a strand of a fresh io_context, on this thread, until done.
template <class Body>
void run_on_strand(Body body) {
  net::io_context ioc;
  auto strand = net::make_strand(ioc);
  net::co_spawn(strand, body(strand), [](std::exception_ptr e) {
    if (e) std::rethrow_exception(e);
  });
  ioc.run();
}

TEST(AwaitWrite, ResumesOnTheCallersStrandWithTheWritersResult) {
  std::thread::id writer_thread;
  bool finished = false;
  run_on_strand([&](auto strand) -> net::awaitable<void> {
    std::thread writer;
    auto result = co_await await_write<std::string>([&](store::Done<std::string> done) {
      // Like the store: the completion runs later, on another thread.
      writer = std::thread([&writer_thread, done = std::move(done)] {
        writer_thread = std::this_thread::get_id();
        std::this_thread::sleep_for(20ms);
        done(std::string("committed"));
      });
    });
    writer.join();
    EXPECT_TRUE(strand.running_in_this_thread());
    EXPECT_NE(std::this_thread::get_id(), writer_thread);
    EXPECT_TRUE(result.has_value());
    if (result) {
      EXPECT_EQ(*result, "committed");
    }
    finished = true;
  });
  // io_context::run() returned only after the write completed: the wait counted as work.
  EXPECT_TRUE(finished);
}

TEST(AwaitWrite, PassesErrorsAndSynchronousCompletions) {
  bool finished = false;
  run_on_strand([&](auto strand) -> net::awaitable<void> {
    // A closed store completes at once, inside submit, on this very thread.
    auto result = co_await await_write<void>([](store::Done<void> done) {
      done(protocol::make_error(vitrina::protocol::ErrorCode::unavailable, "the store is closed"));
    });
    EXPECT_TRUE(strand.running_in_this_thread());
    EXPECT_FALSE(result.has_value());
    if (!result) {
      EXPECT_EQ(result.error().code, vitrina::protocol::ErrorCode::unavailable);
    }
    finished = true;
  });
  EXPECT_TRUE(finished);
}

TEST(AwaitWrite, AnsweredWriteIsVisibleToReadsOfARealStore) {
  std::string dir = (std::filesystem::temp_directory_path() / "vitrina-await-XXXXXX").string();
  ASSERT_NE(::mkdtemp(dir.data()), nullptr);
  {
    auto opened = store::open_sqlite({.path = dir + "/v.db"});
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    store::Store& db = **opened;
    int inserted = 0;
    run_on_strand([&](auto strand) -> net::awaitable<void> {
      for (int i = 0; i < 20; ++i) {
        store::Site site;
        site.id = "site_" + std::to_string(i);
        site.name = "S";
        site.public_key = "pk_" + std::to_string(i);
        site.secret_hash = "h" + std::to_string(i);
        auto insert = [&db, &site](store::Done<store::Site> done) { db.insert_site(site, std::move(done)); };
        auto r = co_await await_write<store::Site>(std::move(insert));
        EXPECT_TRUE(strand.running_in_this_thread());
        EXPECT_TRUE(r.has_value());
        auto found = db.find_site_by_id(site.id);
        EXPECT_TRUE(found.has_value() && found->has_value()) << "acknowledged means committed";
        ++inserted;
      }
    });
    EXPECT_EQ(inserted, 20);
  }
  std::filesystem::remove_all(dir);
}

TEST(BlockingPool, RunsTheJobElsewhereAndResumesOnTheStrand) {
  BlockingPool pool(2, 4);
  const auto io_thread = std::this_thread::get_id();
  bool finished = false;
  run_on_strand([&](auto strand) -> net::awaitable<void> {
    auto job = [] { return std::this_thread::get_id(); };
    auto ran_on = co_await pool.run(std::move(job));
    EXPECT_TRUE(ran_on.has_value());
    if (ran_on) {
      EXPECT_NE(*ran_on, io_thread);
    }
    EXPECT_TRUE(strand.running_in_this_thread());
    finished = true;
  });
  EXPECT_TRUE(finished);
  EXPECT_EQ(pool.pending(), 0u);
}

TEST(BlockingPool, RefusesBeyondMaxPendingInsteadOfQueueing) {
  BlockingPool pool(1, 2);
  std::promise<void> release;
  auto released = release.get_future().share();
  std::latch started(1);
  std::atomic<int> busy = 0, done = 0;
  net::io_context ioc;
  auto blocked = [&]() -> net::awaitable<void> {
    auto job = [released, &started] {
      started.count_down();
      released.wait();
      return 1;
    };
    auto r = co_await pool.run(std::move(job));
    if (r)
      ++done;
    else
      ++busy;
  };
  auto queued = [&]() -> net::awaitable<void> {
    auto job = [] { return 2; };
    auto r = co_await pool.run(std::move(job));
    if (r)
      ++done;
    else
      ++busy;
  };
  net::co_spawn(ioc, blocked(), net::detached);
  net::co_spawn(ioc, queued(), net::detached);
  net::co_spawn(ioc, queued(), net::detached);  // third: over the bound of two
  net::co_spawn(ioc, queued(), net::detached);  // fourth: over the bound too
  std::thread io([&] { ioc.run(); });
  started.wait();
  // Give the refusals time to be answered while the pool is still blocked.
  for (int i = 0; i < 200 && busy.load() < 2; ++i) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(busy.load(), 2);
  EXPECT_EQ(pool.pending(), 2u);
  release.set_value();
  io.join();
  EXPECT_EQ(done.load(), 2);
  EXPECT_EQ(pool.pending(), 0u);
}

}  // namespace
}  // namespace vitrina::http
