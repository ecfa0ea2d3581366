#pragma once
// Reconciliation: a small thread that looks every interval for payments still pending long
// after their last change (a callback lost on the way, an acquirer that never calls back) and
// asks their acquirer what it knows (Acquirer::fetch_status). What the acquirer says is applied
// like a callback: checked against the payment's amount and currency, deduplicated on its event
// id, through the state machine, its webhook event in the same write. A payment the acquirer
// has no news about is asked again after another `after` period. The clock is injected for
// tests.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "acquirers/acquirer.hpp"
#include "store/store.hpp"

namespace vitrina::payments {

struct ReconcilerOptions {
  std::chrono::milliseconds interval{60'000};
  std::chrono::milliseconds after{600'000};  // pending this long since the last change
  std::size_t batch = 100;                   // payments looked at per look
};

class Reconciler {
 public:
  using Clock = std::function<std::int64_t()>;  // unix milliseconds
  Reconciler(store::Store& store, std::shared_ptr<const acquirers::Registry> acquirers, ReconcilerOptions options,
             Clock clock, std::function<void()> on_event);
  Reconciler(const Reconciler&) = delete;
  Reconciler& operator=(const Reconciler&) = delete;
  ~Reconciler();  // stop()

  void start();
  /// Finishes the current look and joins. Idempotent; call before the store closes.
  void stop();
  /// One look, on the caller's thread: how many payments changed.
  std::size_t reconcile_once();

 private:
  void loop();
  bool reconcile(const store::Payment& payment, std::int64_t now);

  store::Store& store_;
  const std::shared_ptr<const acquirers::Registry> acquirers_;
  const ReconcilerOptions options_;
  const Clock clock_;
  const std::function<void()> on_event_;
  // Payments asked without news, and when to ask again (only the worker's thread touches it).
  std::unordered_map<std::string, std::int64_t> next_ask_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace vitrina::payments
