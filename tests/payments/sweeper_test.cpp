// The expiry sweeper with an injected clock: pending payments past expires_at become expired,
// with one payment.expired event each; others are left alone. Idempotency keys past their
// retention are deleted in batches, the others kept.

#include <gtest/gtest.h>

#include <atomic>

#include "payments/payment.hpp"
#include "payments/sweeper.hpp"
#include "store/test_support.hpp"

namespace vitrina::payments {
namespace {

TEST(Sweeper, ExpiresOnlyPaymentsPastTheirDeadline) {
  store::testing::TempDir dir;
  auto opened = store::open_sqlite({.path = dir.file("v.db")});
  ASSERT_TRUE(opened);
  auto& store = **opened;
  ASSERT_TRUE(store::wait_for<store::Site>(
      [&](store::Done<store::Site> done) { store.insert_site(store::testing::make_site("a"), std::move(done)); }));
  auto add = [&](std::int64_t expires_in_s, const std::string& key) {
    CreatePaymentRequest req;
    req.amount = 100;
    req.currency = *protocol::find_currency("USD");
    req.order_id = "o";
    req.return_url = "https://s.example/";
    req.acquirer = "sandbox";
    req.expires_in_s = expires_in_s;
    auto p = new_payment(req, "site_a", 1'000'000);
    store::IdempotencyRecord r{.site_id = "site_a",
                               .key = key,
                               .request_hash = "h",
                               .status_code = 201,
                               .response_body = "{}",
                               .created_at = 1};
    EXPECT_TRUE(store::wait_for<store::Payment>(
        [&](store::Done<store::Payment> done) { store.create_payment(p, std::move(r), std::move(done)); }));
    return p.id;
  };
  const auto soon = add(60, "k1");
  const auto later = add(3600, "k2");

  std::atomic<std::int64_t> now{1'000'000 + 59'999};
  std::atomic<int> notified{0};
  Sweeper sweeper(
      store, {}, [&] { return now.load(); }, [&] { ++notified; });
  EXPECT_EQ(sweeper.sweep_once(), 0u);
  now = 1'000'000 + 60'000;  // the deadline itself counts as expired
  EXPECT_EQ(sweeper.sweep_once(), 1u);
  EXPECT_EQ((*store.find_payment("site_a", soon))->status, vitrina::protocol::PaymentStatus::expired);
  EXPECT_EQ((*store.find_payment("site_a", later))->status, vitrina::protocol::PaymentStatus::pending);
  EXPECT_EQ(notified.load(), 1);
  EXPECT_EQ(sweeper.sweep_once(), 0u) << "an expired payment is not expired again";
}

TEST(Sweeper, PrunesIdempotencyKeysPastTheirRetentionOnly) {
  store::testing::TempDir dir;
  auto opened = store::open_sqlite({.path = dir.file("v.db")});
  ASSERT_TRUE(opened);
  auto& store = **opened;
  ASSERT_TRUE(store::wait_for<store::Site>(
      [&](store::Done<store::Site> done) { store.insert_site(store::testing::make_site("a"), std::move(done)); }));
  constexpr std::int64_t kHour = 3600 * 1000;
  constexpr std::int64_t kNow = 1'000 * kHour;
  // Twelve keys written about 50 hours ago, and one each 49, 48 and 47 hours ago (with a
  // payment each, as the payments API writes them).
  auto add = [&](const std::string& key, std::int64_t created_at) {
    CreatePaymentRequest req;
    req.amount = 100;
    req.currency = *protocol::find_currency("USD");
    req.order_id = "o";
    req.return_url = "https://s.example/";
    req.acquirer = "sandbox";
    req.expires_in_s = 3600;
    auto p = new_payment(req, "site_a", kNow);
    store::IdempotencyRecord r{.site_id = "site_a",
                               .key = key,
                               .request_hash = "h",
                               .status_code = 201,
                               .response_body = "{}",
                               .created_at = created_at};
    ASSERT_TRUE(store::wait_for<store::Payment>(
        [&](store::Done<store::Payment> done) { store.create_payment(p, std::move(r), std::move(done)); }));
  };
  for (int i = 0; i < 12; ++i) add("old-" + std::to_string(i), kNow - 50 * kHour + i);
  add("49h", kNow - 49 * kHour);
  add("48h", kNow - 48 * kHour);  // exactly at the retention: kept
  add("47h", kNow - 47 * kHour);

  Sweeper sweeper(
      store, {.idempotency_retention_ms = 48 * kHour, .prune_batch = 5}, [&] { return kNow; }, [] {});
  EXPECT_EQ(sweeper.prune_once(), 13) << "12 + 1 keys older than 48 h, in batches of 5";
  EXPECT_FALSE(*store.find_idempotency("site_a", "old-0"));
  EXPECT_FALSE(*store.find_idempotency("site_a", "old-11"));
  EXPECT_FALSE(*store.find_idempotency("site_a", "49h"));
  EXPECT_TRUE(*store.find_idempotency("site_a", "48h"));
  EXPECT_TRUE(*store.find_idempotency("site_a", "47h"));
  EXPECT_EQ(sweeper.prune_once(), 0);

  // A pruned key is free again: a new request with it is a new payment.
  add("49h", kNow);
  EXPECT_TRUE(*store.find_idempotency("site_a", "49h"));
}

}  // namespace
}  // namespace vitrina::payments
