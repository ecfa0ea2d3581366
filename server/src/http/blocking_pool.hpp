#pragma once
// A small thread pool for CPU-heavy work (argon2id verification takes ~100 ms and 64 MiB) that
// must not run on an I/O thread. At most `max_pending` jobs are queued or running; beyond that
// run() answers "busy" at once, so a burst of sign-ins cannot queue without bound.

#include <atomic>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstddef>
#include <optional>
#include <type_traits>
#include <utility>

namespace vitrina::http {

class BlockingPool {
 public:
  BlockingPool(std::size_t threads, std::size_t max_pending) : pool_(threads), max_pending_(max_pending) {}
  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;
  /// Waits for running jobs; queued ones are dropped (their coroutines are destroyed).
  ~BlockingPool() {
    pool_.stop();
    pool_.join();
  }

  /// Runs `job()` on the pool and resumes the calling coroutine on its own executor with the
  /// result; std::nullopt without running it when max_pending jobs are already waiting.
  template <class Job, class R = std::invoke_result_t<Job&>>
  boost::asio::awaitable<std::optional<R>> run(Job job) {
    if (pending_.fetch_add(1) >= max_pending_) {
      pending_.fetch_sub(1);
      co_return std::nullopt;
    }
    R result = co_await start<R>(std::move(job), boost::asio::use_awaitable);
    co_return std::optional<R>(std::move(result));
  }

  /// Runs `job()` on the pool with nobody waiting for it (warm-ups); not counted as pending.
  template <class Job>
  void post(Job job) {
    boost::asio::post(pool_, std::move(job));
  }

  std::size_t pending() const noexcept { return pending_.load(); }

 private:
  template <class R, class Job, class CompletionToken>
  auto start(Job job, CompletionToken&& token) {
    namespace net = boost::asio;
    return net::async_initiate<CompletionToken, void(R)>(
        [this](auto handler, Job work) {
          auto executor = net::prefer(net::get_associated_executor(handler), net::execution::outstanding_work.tracked);
          net::post(pool_, [this, work = std::move(work), handler = std::move(handler), executor]() mutable {
            R value = work();
            pending_.fetch_sub(1);
            net::post(executor, [handler = std::move(handler), value = std::move(value)]() mutable {
              std::move(handler)(std::move(value));
            });
          });
        },
        token, std::move(job));
  }

  boost::asio::thread_pool pool_;
  std::size_t max_pending_;
  std::atomic<std::size_t> pending_{0};
};

}  // namespace vitrina::http
