// The reconciliation worker with an injected clock and a scripted acquirer: a payment pending
// past the threshold is re-read and what the acquirer says is applied once (one state change,
// one webhook event); a reading whose amount disagrees with the payment changes nothing; a
// payment the acquirer has no news about is asked again only after another threshold; fresh
// payments and the sandbox's are left alone.

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>

#include "payments/payment.hpp"
#include "payments/reconciler.hpp"
#include "store/test_support.hpp"

namespace vitrina::payments {
namespace {

using protocol::Result;

class ReadingAcquirer final : public acquirers::Acquirer {
 public:
  std::string_view name() const noexcept override { return "reading"; }
  Result<acquirers::Created> create(const store::Payment&, std::string_view, std::string_view) const override {
    return protocol::make_error(vitrina::protocol::ErrorCode::invalid, "not used");
  }
  Result<void> capture(const store::Payment&, std::int64_t, std::string_view) const override { return {}; }
  Result<void> cancel(const store::Payment&, std::string_view) const override { return {}; }
  Result<acquirers::RefundAnswer> refund(const store::Payment&, std::int64_t, std::string_view) const override {
    return protocol::make_error(vitrina::protocol::ErrorCode::invalid, "not used");
  }
  Result<std::optional<acquirers::AcquirerEvent>> fetch_status(const store::Payment& p) const override {
    std::lock_guard lock(mutex_);
    ++reads;
    if (fail) return protocol::make_error(vitrina::protocol::ErrorCode::unavailable, "timeout");
    if (!next) return std::optional<acquirers::AcquirerEvent>{};
    acquirers::AcquirerEvent e = *next;
    e.site_id = p.site_id;
    e.payment_id = p.id;
    return std::optional<acquirers::AcquirerEvent>{std::move(e)};
  }
  Result<std::vector<acquirers::AcquirerEvent>> verify_callback(const acquirers::RawHeaders&, std::string_view,
                                                                const acquirers::CallbackRequest&) const override {
    return protocol::make_error(vitrina::protocol::ErrorCode::unauthenticated, "not used");
  }

  mutable std::mutex mutex_;
  mutable int reads = 0;
  bool fail = false;
  std::optional<acquirers::AcquirerEvent> next;
};

class ReconcilerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::open_sqlite({.path = dir_.file("v.db")});
    ASSERT_TRUE(opened);
    store_ = std::move(*opened);
    ASSERT_TRUE(store::wait_for<store::Site>(
        [&](store::Done<store::Site> done) { store_->insert_site(store::testing::make_site("a"), std::move(done)); }));
    auto registry = std::make_shared<acquirers::Registry>();
    registry->add(acquirer_);
    registry_ = registry;
  }

  std::string add(std::string acquirer, std::int64_t created_at, std::string key) {
    CreatePaymentRequest req;
    req.amount = 10000;
    req.currency = *protocol::find_currency("RUB");
    req.order_id = "o";
    req.return_url = "https://s.example/";
    req.acquirer = std::move(acquirer);
    req.expires_in_s = 24 * 3600;
    auto p = new_payment(req, "site_a", created_at);
    store::IdempotencyRecord r{.site_id = "site_a",
                               .key = std::move(key),
                               .request_hash = "h",
                               .status_code = 201,
                               .response_body = "{}",
                               .created_at = created_at};
    EXPECT_TRUE(store::wait_for<store::Payment>(
        [&](store::Done<store::Payment> done) { store_->create_payment(p, std::move(r), std::move(done)); }));
    return p.id;
  }

  Reconciler reconciler() {
    return Reconciler(
        *store_, registry_,
        {.interval = std::chrono::milliseconds(10), .after = std::chrono::milliseconds(60'000), .batch = 10},
        [this] { return now_.load(); }, [this] { ++notified_; });
  }

  std::string status(const std::string& id) {
    return std::string(protocol::to_string((*store_->find_payment("site_a", id))->status));
  }

  store::testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::shared_ptr<ReadingAcquirer> acquirer_ = std::make_shared<ReadingAcquirer>();
  std::shared_ptr<const acquirers::Registry> registry_;
  std::atomic<std::int64_t> now_{1'000'000};
  std::atomic<int> notified_{0};
};

TEST_F(ReconcilerTest, AppliesWhatTheAcquirerSaysOnceThePaymentIsOldEnough) {
  const auto old = add("reading", 1'000'000, "k1");
  now_ = 1'000'000 + 59'999;
  auto r = reconciler();
  acquirer_->next = acquirers::AcquirerEvent{.event_id = "read:1:succeeded",
                                             .site_id = {},
                                             .payment_id = {},
                                             .event = protocol::PaymentEvent::succeeded(),
                                             .acquirer_ref = {},
                                             .amount = 10000,
                                             .currency = "RUB"};
  EXPECT_EQ(r.reconcile_once(), 0u);
  EXPECT_EQ(acquirer_->reads, 0) << "not yet past the threshold";
  now_ = 1'000'000 + 60'000;
  const auto fresh = add("reading", now_, "k2");
  EXPECT_EQ(r.reconcile_once(), 1u);
  EXPECT_EQ(status(old), "succeeded");
  EXPECT_EQ(status(fresh), "pending");
  EXPECT_EQ(acquirer_->reads, 1);
  EXPECT_EQ(notified_.load(), 1);
  EXPECT_EQ(r.reconcile_once(), 0u) << "a payment that ended is not re-read";
  EXPECT_EQ(acquirer_->reads, 1);
}

TEST_F(ReconcilerTest, AReadingWithAnotherAmountChangesNothing) {
  const auto id = add("reading", 1'000'000, "k1");
  now_ = 1'000'000 + 120'000;
  auto r = reconciler();
  acquirer_->next = acquirers::AcquirerEvent{.event_id = "read:1:succeeded",
                                             .site_id = {},
                                             .payment_id = {},
                                             .event = protocol::PaymentEvent::succeeded(),
                                             .acquirer_ref = {},
                                             .amount = 100,
                                             .currency = "RUB"};
  EXPECT_EQ(r.reconcile_once(), 0u);
  EXPECT_EQ(status(id), "pending");
  EXPECT_EQ(notified_.load(), 0);
}

TEST_F(ReconcilerTest, NoNewsOrAFailedReadIsAskedAgainOnlyAfterTheThreshold) {
  const auto id = add("reading", 1'000'000, "k1");
  add("sandbox", 1'000'000, "k2");
  now_ = 1'000'000 + 120'000;
  auto r = reconciler();
  acquirer_->fail = true;
  EXPECT_EQ(r.reconcile_once(), 0u);
  EXPECT_EQ(acquirer_->reads, 1) << "the sandbox's payments are not re-read";
  acquirer_->fail = false;
  now_ += 30'000;
  EXPECT_EQ(r.reconcile_once(), 0u);
  EXPECT_EQ(acquirer_->reads, 1);
  now_ += 30'000;
  EXPECT_EQ(r.reconcile_once(), 0u);
  EXPECT_EQ(acquirer_->reads, 2);
  EXPECT_EQ(status(id), "pending");
}

TEST_F(ReconcilerTest, RunsOnItsOwnThreadAndStops) {
  const auto id = add("reading", 1'000'000, "k1");
  now_ = 1'000'000 + 120'000;
  acquirer_->next = acquirers::AcquirerEvent{.event_id = "read:1:canceled",
                                             .site_id = {},
                                             .payment_id = {},
                                             .event = protocol::PaymentEvent::canceled(),
                                             .acquirer_ref = {},
                                             .amount = std::nullopt,
                                             .currency = {}};
  auto r = reconciler();
  r.start();
  for (int i = 0; i < 500 && status(id) == "pending"; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  r.stop();
  EXPECT_EQ(status(id), "canceled");
  EXPECT_EQ(notified_.load(), 1);
}

}  // namespace
}  // namespace vitrina::payments
