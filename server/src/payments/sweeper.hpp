#pragma once
// Expires payments whose deadline has passed: a small thread that looks every interval for
// pending (or held) payments past expires_at and moves each to `expired`, with its
// payment.expired webhook event in the same write. Every prune interval it also deletes the
// payments API's idempotency keys older than their retention, in bounded batches. The clock is
// injected for tests.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

#include "store/store.hpp"

namespace vitrina::payments {

struct SweeperOptions {
  std::chrono::milliseconds interval{1000};
  std::size_t batch = 100;  // payments expired per look
  std::int64_t idempotency_retention_ms = 48LL * 60 * 60 * 1000;
  std::chrono::milliseconds prune_interval{60'000};
  std::size_t prune_batch = 5000;  // keys deleted per write; a prune writes until none is left
};

class Sweeper {
 public:
  using Clock = std::function<std::int64_t()>;  // unix milliseconds
  /// `on_event` runs after a committed expiry that queued a webhook (the worker's notify).
  Sweeper(store::Store& store, SweeperOptions options, Clock clock, std::function<void()> on_event);
  Sweeper(const Sweeper&) = delete;
  Sweeper& operator=(const Sweeper&) = delete;
  ~Sweeper();  // stop()

  void start();
  /// Finishes the current look and joins. Idempotent; call before the store closes.
  void stop();
  /// One look, on the caller's thread: how many payments it expired.
  std::size_t sweep_once();
  /// Deletes the idempotency keys past their retention, on the caller's thread: how many.
  std::int64_t prune_once();

 private:
  void loop();

  store::Store& store_;
  const SweeperOptions options_;
  const Clock clock_;
  const std::function<void()> on_event_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace vitrina::payments
