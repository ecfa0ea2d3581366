#include "payments/sweeper.hpp"

#include "log/log.hpp"
#include "payments/payment.hpp"

namespace vitrina::payments {

Sweeper::Sweeper(store::Store& store, SweeperOptions options, Clock clock, std::function<void()> on_event)
    : store_(store), options_(options), clock_(std::move(clock)), on_event_(std::move(on_event)) {}

Sweeper::~Sweeper() { stop(); }

void Sweeper::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { loop(); });
}

void Sweeper::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::size_t Sweeper::sweep_once() {
  const std::int64_t now = clock_();
  auto due = store_.payments_to_expire(now, options_.batch);
  if (!due) {
    log::error("cannot read payments to expire").str("error", due.error().message).emit();
    return 0;
  }
  std::size_t expired = 0;
  for (const auto& payment : *due) {
    auto change = plan_change(payment, protocol::PaymentEvent::expired(), now);
    if (!change || !change->update) continue;
    const bool has_event = change->update->event.has_value();
    auto written = store::wait_for<store::Payment>(
        [&](store::Done<store::Payment> done) { store_.update_payment(std::move(*change->update), std::move(done)); });
    // "stale": an API call changed it meanwhile; the next look sees the new state.
    if (!written) {
      if (written.error().code != protocol::ErrorCode::stale) {
        log::error("cannot expire payment").str("payment", payment.id).str("error", written.error().message).emit();
      }
      continue;
    }
    ++expired;
    log::info("payment expired").str("payment", payment.id).str("site", payment.site_id).emit();
    if (has_event && on_event_) on_event_();
  }
  return expired;
}

std::int64_t Sweeper::prune_once() {
  const std::int64_t before = clock_() - options_.idempotency_retention_ms;
  std::int64_t total = 0;
  // Bounded writes, so that payments written meanwhile wait for one batch at most; a bounded
  // number of them per prune, so that stop() is never kept waiting long.
  for (int round = 0; round < 100; ++round) {
    auto deleted = store::wait_for<std::int64_t>([&](store::Done<std::int64_t> done) {
      store_.prune_idempotency(before, options_.prune_batch, std::move(done));
    });
    if (!deleted) {
      log::error("cannot prune idempotency keys").str("error", deleted.error().message).emit();
      break;
    }
    total += *deleted;
    if (static_cast<std::size_t>(*deleted) < options_.prune_batch) break;
    std::lock_guard lock(mutex_);
    if (stopping_) break;
  }
  if (total > 0) log::info("idempotency keys pruned").num("keys", total).emit();
  return total;
}

void Sweeper::loop() {
  std::unique_lock lock(mutex_);
  auto next_prune = std::chrono::steady_clock::now();
  while (!stopping_) {
    lock.unlock();
    sweep_once();
    if (std::chrono::steady_clock::now() >= next_prune) {
      prune_once();
      next_prune = std::chrono::steady_clock::now() + options_.prune_interval;
    }
    lock.lock();
    wake_.wait_for(lock, options_.interval, [this] { return stopping_; });
  }
}

}  // namespace vitrina::payments
