#include "payments/reconciler.hpp"

#include "log/log.hpp"
#include "payments/payment.hpp"
#include "store/wait_for.hpp"

namespace vitrina::payments {

Reconciler::Reconciler(store::Store& store, std::shared_ptr<const acquirers::Registry> acquirers,
                       ReconcilerOptions options, Clock clock, std::function<void()> on_event)
    : store_(store),
      acquirers_(std::move(acquirers)),
      options_(options),
      clock_(std::move(clock)),
      on_event_(std::move(on_event)) {}

Reconciler::~Reconciler() { stop(); }

void Reconciler::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { loop(); });
}

void Reconciler::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::size_t Reconciler::reconcile_once() {
  const std::int64_t now = clock_();
  auto due = store_.payments_to_reconcile(now - options_.after.count(), options_.batch);
  if (!due) {
    log::error("cannot read payments to reconcile").str("error", due.error().message).emit();
    return 0;
  }
  // Forget payments that are no longer due (they changed, or ended).
  std::unordered_map<std::string, std::int64_t> still_waiting;
  std::size_t changed = 0;
  for (const auto& payment : *due) {
    if (const auto it = next_ask_.find(payment.id); it != next_ask_.end() && it->second > now) {
      still_waiting.insert(*it);
      continue;
    }
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
    }
    if (reconcile(payment, now)) {
      ++changed;
    } else {
      still_waiting[payment.id] = now + options_.after.count();
    }
  }
  next_ask_ = std::move(still_waiting);
  return changed;
}

bool Reconciler::reconcile(const store::Payment& payment, std::int64_t now) {
  const acquirers::Acquirer* acquirer = acquirers_->find(payment.acquirer);
  if (acquirer == nullptr) return false;
  auto report = acquirer->fetch_status(payment);
  if (!report) {
    log::warn("cannot reconcile payment")
        .str("payment", payment.id)
        .str("acquirer", payment.acquirer)
        .str("error", report.error().message)
        .emit();
    return false;
  }
  if (!*report) return false;
  const acquirers::AcquirerEvent& event = **report;
  if (!acquirers::is_news_for(payment, event)) return false;
  if (auto agrees = acquirers::amount_agrees(payment, event); !agrees) {
    log::error("acquirer reports another amount than the payment's")
        .str("payment", payment.id)
        .str("acquirer", payment.acquirer)
        .str("error", agrees.error().message)
        .emit();
    return false;
  }
  auto planned = plan_change(payment, event.event, now);
  if (!planned) {
    log::warn("reconciled status refused by the state machine")
        .str("payment", payment.id)
        .str("event", protocol::to_string(event.event.kind))
        .str("error", planned.error().message)
        .emit();
    return false;
  }
  if (!planned->update) return false;
  const bool has_event = planned->update->event.has_value();
  store::AcquirerEventRecord record{
      .acquirer = payment.acquirer,
      .event_id = event.event_id.empty()
                      ? "reconcile:" + payment.id + ":" + std::string(protocol::to_string(event.event.kind))
                      : event.event_id,
      .site_id = payment.site_id,
      .payment_id = payment.id,
      .received_at = now};
  auto written = store::wait_for<void>([&](store::Done<void> done) {
    store_.apply_acquirer_event(std::move(record), std::move(planned->update), std::move(done));
  });
  // "stale": something else changed it meanwhile; "duplicate": this reading was applied before.
  if (!written) {
    if (written.error().code != protocol::ErrorCode::stale && written.error().code != protocol::ErrorCode::duplicate) {
      log::error("cannot store reconciled payment")
          .str("payment", payment.id)
          .str("error", written.error().message)
          .emit();
    }
    return false;
  }
  log::info("payment reconciled")
      .str("payment", payment.id)
      .str("acquirer", payment.acquirer)
      .str("event", protocol::to_string(event.event.kind))
      .emit();
  if (has_event && on_event_) on_event_();
  return true;
}

void Reconciler::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    reconcile_once();
    lock.lock();
    wake_.wait_for(lock, options_.interval, [this] { return stopping_; });
  }
}

}  // namespace vitrina::payments
