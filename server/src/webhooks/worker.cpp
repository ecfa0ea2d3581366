#include "webhooks/worker.hpp"

#include <algorithm>
#include <random>

#include "log/log.hpp"
#include "vitrina/webhook/webhook.hpp"
#include "webhooks/endpoints.hpp"
#include "webhooks/sender.hpp"
#include "webhooks/target.hpp"

namespace vitrina::webhooks {

using protocol::Result;

namespace {

std::string key_of(const store::WebhookDelivery& d) { return d.message_id + " " + d.endpoint_id; }

// Deliveries sent but not yet recorded, per slot, at most: enough for several group commits'
// worth of answers to be recorded while sending goes on.
constexpr std::size_t kMaxInFlightPerSlot = 16;

}  // namespace

std::int64_t system_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Random default_random() {
  auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
  return [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
}

Worker::Worker(store::Store& store, WorkerOptions options, Clock clock, Random random)
    : store_(store), options_(std::move(options)), clock_(std::move(clock)), random_(std::move(random)) {}

Worker::~Worker() { stop(); }

void Worker::start() {
  std::lock_guard lock(mutex_);
  if (started_ || stopping_) return;
  started_ = true;
  const std::size_t n = std::max<std::size_t>(1, options_.concurrency);
  for (std::size_t i = 0; i < n; ++i) senders_.emplace_back([this] { send_loop(); });
  poller_ = std::thread([this] { poll_loop(); });
}

void Worker::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    // Not started yet: nothing will ever be sent; the deliveries stay pending in the store.
    for (const auto& due : queue_) in_flight_.erase(key_of(due.delivery));
    sending_ -= queue_.size();
    queue_.clear();
  }
  wake_poller_.notify_all();
  work_ready_.notify_all();
  if (poller_.joinable()) poller_.join();
  for (auto& t : senders_) t.join();
  senders_.clear();
  // Outcomes being committed call finished() from the store's writer thread; wait for them so
  // nothing touches this object after it is gone.
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [&] { return in_flight_.empty(); });
}

void Worker::notify() {
  {
    std::lock_guard lock(mutex_);
    poke_ = true;
  }
  wake_poller_.notify_one();
}

void Worker::enqueue(store::NewWebhookEvent event, store::Done<store::EnqueuedEvent> done) {
  store_.enqueue_event(std::move(event), [this, done = std::move(done)](Result<store::EnqueuedEvent> r) {
    const bool ok = r.has_value();
    if (done) done(std::move(r));
    if (ok) notify();
  });
}

void Worker::poll_loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (stopping_) return;
    const std::size_t slots = options_.concurrency > sending_ ? options_.concurrency - sending_ : 0;
    const std::size_t cap = kMaxInFlightPerSlot * options_.concurrency;
    const std::size_t free = std::min(slots, cap > in_flight_.size() ? cap - in_flight_.size() : 0);
    if (free > 0) {
      querying_ = true;
      finished_during_query_.clear();
      const std::size_t skip = in_flight_.size();
      lock.unlock();
      // Ask for more than the free slots: every delivery in flight is still pending in the
      // store until its outcome commits, so each may come back and be skipped.
      auto due = store_.due_deliveries(clock_(), free + skip);
      lock.lock();
      querying_ = false;
      if (!due) {
        log::error("webhook worker cannot read due deliveries").str("error", due.error().message).emit();
      } else {
        std::size_t taken = 0;
        for (auto& d : *due) {
          if (taken == free || stopping_) break;
          const std::string key = key_of(d.delivery);
          if (finished_during_query_.contains(key)) {
            poke_ = true;  // look again at once, with a fresh read
            continue;
          }
          if (!in_flight_.insert(key).second) continue;
          queue_.push_back(std::move(d));
          ++sending_;
          ++taken;
        }
        if (taken > 0) work_ready_.notify_all();
      }
    }
    if (!poke_) wake_poller_.wait_for(lock, options_.poll_interval, [&] { return poke_ || stopping_; });
    poke_ = false;
  }
}

void Worker::send_loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    work_ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    store::DueDelivery due = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    attempt(due);
    lock.lock();
  }
}

void Worker::sent() {
  {
    std::lock_guard lock(mutex_);
    --sending_;
    poke_ = true;  // a slot is free
  }
  wake_poller_.notify_one();
}

void Worker::finished(const std::string& key) {
  {
    std::lock_guard lock(mutex_);
    in_flight_.erase(key);
    if (querying_) finished_during_query_.insert(key);
    // A freed slot may let the poller take more.
    poke_ = true;
  }
  idle_.notify_all();
  wake_poller_.notify_one();
}

protocol::Result<std::string> Worker::resolve_target(const TargetUrl& url, const std::string& site_id) {
  auto address = resolve_checked(url.host, options_.allow_private_targets);
  if (address || options_.allow_private_targets) return address;
  // Refused (or not resolved): the site's own settings may allow private targets.
  auto site = store_.find_site_by_id(site_id);
  if (!site || !*site || !site_allows_private_targets(**site)) return address;
  return resolve_checked(url.host, true);
}

void Worker::attempt(const store::DueDelivery& due) {
  const auto& endpoint = due.endpoint;
  const std::int64_t started = clock_();
  const auto started_steady = std::chrono::steady_clock::now();
  HttpAnswer answer;
  auto url = parse_target_url(endpoint.url);
  if (!url) {
    answer.error = "bad endpoint URL: " + url.error().message;
  } else if (auto address = resolve_target(*url, endpoint.site_id); !address) {
    answer.error = address.error().message;  // refused by the SSRF guard: no connection made
  } else {
    const auto keys = signing_keys(endpoint, started);
    const std::int64_t timestamp = started / 1000;
    HttpAttempt request{.url = *url,
                        .connect_address = *address,
                        .headers = {{"webhook-id", due.delivery.message_id},
                                    {"webhook-timestamp", std::to_string(timestamp)},
                                    {"webhook-signature", webhook::sign(due.delivery.message_id, timestamp, due.payload,
                                                                        std::span<const webhook::SigningKey>(keys))},
                                    {"Content-Type", "application/json"},
                                    {"User-Agent", "Vitrina-Webhooks/1"}},
                        .body = due.payload,
                        .timeout = options_.timeout};
    answer = post(request);
  }
  const auto duration =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_steady).count();
  const std::int64_t attempts_done = due.delivery.attempts + 1;
  double r = 0.5;
  {
    std::lock_guard lock(random_mutex_);
    r = random_();
  }
  const Decision decision = decide({.status_code = answer.status_code, .retry_after = answer.retry_after},
                                   attempts_done, options_.policy, clock_(), r);
  log::info("webhook attempt")
      .str("message_id", due.delivery.message_id)
      .str("endpoint_id", endpoint.id)
      .str("event_type", due.event_type)
      .num("attempt", attempts_done)
      .num("status", answer.status_code)
      .str("error", answer.error)
      .num("duration_ms", duration)
      .str("outcome", decision.status)
      .emit();

  store::AttemptRecord record{.attempt = {.id = 0,
                                          .message_id = due.delivery.message_id,
                                          .endpoint_id = endpoint.id,
                                          .attempted_at = started,
                                          .status_code = answer.status_code,
                                          .error = answer.error,
                                          .duration_ms = duration,
                                          .response_snippet = answer.snippet},
                              .new_status = decision.status,
                              .next_attempt_at = decision.next_attempt_at,
                              .disable_endpoint = decision.disable_endpoint,
                              .disable_reason = decision.disable_reason};
  const std::string key = key_of(due.delivery);
  sent();
  // Runs on the store's writer thread: only bookkeeping here.
  store_.record_attempt(std::move(record), [this, key](Result<void> recorded) {
    if (!recorded && recorded.error().code == protocol::ErrorCode::not_found) {
      // The endpoint was deleted while the attempt ran; its deliveries went with it.
      log::info("webhook attempt for a deleted endpoint").str("key", key).emit();
    } else if (!recorded) {
      log::error("cannot record a webhook attempt").str("key", key).str("error", recorded.error().message).emit();
    }
    finished(key);
  });
}

}  // namespace vitrina::webhooks
