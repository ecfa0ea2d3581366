#pragma once
// The delivery worker: sends what the outbox holds. A poller thread looks for due deliveries
// (every poll interval, and at once when notify() is called after an enqueue) and hands them to
// a small pool of sender threads, at most `concurrency` attempts in flight. Each attempt is
// recorded in the store (attempt log + the delivery's next state) before the delivery can be
// picked again, so a crash at any point means the delivery is retried: at-least-once, always
// under the same webhook-id.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "store/store.hpp"
#include "webhooks/schedule.hpp"
#include "webhooks/target.hpp"

namespace vitrina::webhooks {

struct WorkerOptions {
  RetryPolicy policy = standard_policy();
  std::chrono::milliseconds timeout{15000};
  bool allow_private_targets = false;
  std::size_t concurrency = 4;
  std::chrono::milliseconds poll_interval{1000};
};

/// Unix milliseconds. Tests inject their own.
using Clock = std::function<std::int64_t()>;
/// Uniform in [0, 1), for jitter. Tests inject their own.
using Random = std::function<double()>;

std::int64_t system_now_ms();
Random default_random();

class Worker {
 public:
  Worker(store::Store& store, WorkerOptions options, Clock clock = system_now_ms, Random random = default_random());
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;
  ~Worker();  // stop()

  void start();
  /// Stops polling, lets attempts in flight finish and waits until their outcome is committed.
  /// Queued but unstarted deliveries stay pending in the store. Call before the store closes.
  /// Idempotent.
  void stop();
  /// Look for due deliveries now (after an enqueue).
  void notify();
  /// store.enqueue_event, then notify() once it has committed.
  void enqueue(store::NewWebhookEvent event, store::Done<store::EnqueuedEvent> done);

 private:
  void poll_loop();
  void send_loop();
  void attempt(const store::DueDelivery& due);
  // The address to connect to for `url`, checked by the SSRF guard with the server's rule, or
  // the site's own when the server's refuses.
  protocol::Result<std::string> resolve_target(const TargetUrl& url, const std::string& site_id);
  void sent();
  void finished(const std::string& key);

  store::Store& store_;
  const WorkerOptions options_;
  const Clock clock_;
  const Random random_;

  std::mutex mutex_;
  std::condition_variable wake_poller_;
  std::condition_variable work_ready_;
  std::condition_variable idle_;  // in_flight_ shrank
  std::deque<store::DueDelivery> queue_;
  std::set<std::string> in_flight_;  // "message_id endpoint_id", queued or sending or recording
  // Of those, the ones queued or being sent: each holds one of the `concurrency` slots. The slot
  // is free again once the answer is in; recording the outcome waits for a group commit (an
  // fsync), which must not hold up the next send. Recording ones still count against
  // kMaxInFlightPerSlot * concurrency, so a slow store still slows sending down.
  std::size_t sending_ = 0;
  // Deliveries whose attempt was recorded while the poller's query ran: the query may have read
  // them before that commit, so its answer about them is stale and they are skipped this round.
  bool querying_ = false;
  std::set<std::string> finished_during_query_;
  bool poke_ = false;
  bool stopping_ = false;
  bool started_ = false;
  std::thread poller_;
  std::vector<std::thread> senders_;
  std::mutex random_mutex_;  // random_ may not be thread-safe
};

}  // namespace vitrina::webhooks
