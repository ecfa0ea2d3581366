// The store's payment writes: the idempotency key and the payment commit together or not at
// all, a reused key writes nothing, and updates compare the version.

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "payments/payment.hpp"
#include "payments/refund.hpp"
#include "store/test_support.hpp"
#include "webhooks/event.hpp"

namespace vitrina::payments {
namespace {

using store::testing::make_site;
using store::testing::TempDir;

class StorePayments : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::open_sqlite({.path = dir_.file("v.db")});
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    auto site = store::wait_for<store::Site>(
        [&](store::Done<store::Site> done) { store_->insert_site(make_site("a"), std::move(done)); });
    ASSERT_TRUE(site);
  }

  store::Payment payment(const std::string& order = "o1") {
    CreatePaymentRequest req;
    req.amount = 500;
    req.currency = *protocol::find_currency("EUR");
    req.order_id = order;
    req.return_url = "https://s.example/";
    req.acquirer = "sandbox";
    return new_payment(req, "site_a", 1'700'000'000'000);
  }
  store::IdempotencyRecord record(const std::string& key, const std::string& hash = "h1") {
    return {.site_id = "site_a",
            .key = key,
            .request_hash = hash,
            .status_code = 201,
            .response_body = "{}",
            .created_at = 1};
  }
  protocol::Result<store::Payment> create(store::Payment p, store::IdempotencyRecord r) {
    return store::wait_for<store::Payment>(
        [&](store::Done<store::Payment> done) { store_->create_payment(std::move(p), std::move(r), std::move(done)); });
  }

  TempDir dir_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(StorePayments, CreateStoresPaymentAndKey) {
  auto p = payment();
  ASSERT_TRUE(create(p, record("k1")));
  auto found = store_->find_payment("site_a", p.id);
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->order_id, "o1");
  EXPECT_EQ((*found)->metadata_json, "{}");
  auto key = store_->find_idempotency("site_a", "k1");
  ASSERT_TRUE(key && *key);
  EXPECT_EQ((*key)->status_code, 201);
  EXPECT_EQ((*key)->request_hash, "h1");
}

TEST_F(StorePayments, ReusedKeyStoresNoSecondPayment) {
  ASSERT_TRUE(create(payment(), record("k1")));
  auto second = create(payment(), record("k1", "h2"));
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, vitrina::protocol::ErrorCode::conflict);
  EXPECT_EQ(second.error().field, "Idempotency-Key");
  auto all = store_->list_payments_by_order("site_a", "o1", 10);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 1u);
  EXPECT_EQ((*store_->find_idempotency("site_a", "k1"))->request_hash, "h1");
}

TEST_F(StorePayments, FailedPaymentInsertLeavesNoKey) {
  auto p = payment();
  p.amount = 0;  // refused by the CHECK constraint, after the key was inserted
  ASSERT_FALSE(create(p, record("k1")));
  auto key = store_->find_idempotency("site_a", "k1");
  ASSERT_TRUE(key);
  EXPECT_FALSE(*key);
}

TEST_F(StorePayments, ParallelCreatesWithOneKeyStoreOne) {
  std::atomic<int> ok{0}, conflicts{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&] {
      auto r = create(payment("race"), record("same"));
      if (r) {
        ++ok;
      } else if (r.error().field == "Idempotency-Key") {
        ++conflicts;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(conflicts.load(), 15);
  EXPECT_EQ(store_->list_payments_by_order("site_a", "race", 100)->size(), 1u);
}

TEST_F(StorePayments, KeysAreScopedBySite) {
  ASSERT_TRUE(store::wait_for<store::Site>(
      [&](store::Done<store::Site> done) { store_->insert_site(make_site("b"), std::move(done)); }));
  ASSERT_TRUE(create(payment(), record("k1")));
  auto other = payment();
  other.site_id = "site_b";
  auto r = record("k1");
  r.site_id = "site_b";
  EXPECT_TRUE(create(other, r));
  EXPECT_FALSE(*store_->find_payment("site_a", other.id)) << "a site sees only its own payments";
}

TEST_F(StorePayments, UpdateComparesVersionAndWritesEventTogether) {
  auto p = payment();
  ASSERT_TRUE(create(p, record("k1")));
  auto change = plan_change(p, protocol::PaymentEvent::canceled(), 2);
  ASSERT_TRUE(change && change->update);
  const auto message_id = change->update->event->message_id;
  auto stale = *change->update;
  auto write = [&](store::PaymentUpdate u) {
    return store::wait_for<store::Payment>(
        [&](store::Done<store::Payment> done) { store_->update_payment(std::move(u), std::move(done)); });
  };
  ASSERT_TRUE(write(*change->update));
  EXPECT_EQ((*store_->find_payment("site_a", p.id))->status, vitrina::protocol::PaymentStatus::canceled);
  EXPECT_TRUE(*store_->find_webhook_message(message_id));
  // The same change again was computed from version 1: refused, and its new event not written.
  stale.event = webhooks::make_event("site_a", "payment.canceled", "{}", 3);
  auto again = write(stale);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, vitrina::protocol::ErrorCode::stale);
  EXPECT_FALSE(*store_->find_webhook_message(stale.event->message_id));
}

TEST_F(StorePayments, UpdateWithTakenKeyChangesNothing) {
  auto p = payment();
  ASSERT_TRUE(create(p, record("k1")));
  auto change = plan_change(p, protocol::PaymentEvent::canceled(), 2);
  change->update->idempotency = record("k1");
  auto r = store::wait_for<store::Payment>(
      [&](store::Done<store::Payment> done) { store_->update_payment(std::move(*change->update), std::move(done)); });
  ASSERT_FALSE(r);
  EXPECT_EQ((*store_->find_payment("site_a", p.id))->status, vitrina::protocol::PaymentStatus::pending);
}

TEST_F(StorePayments, ListByOrderNewestFirstAndBounded) {
  for (int i = 0; i < 5; ++i) {
    auto p = payment("many");
    p.created_at += i;
    ASSERT_TRUE(create(p, record("k" + std::to_string(i))));
  }
  auto list = store_->list_payments_by_order("site_a", "many", 3);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 3u);
  EXPECT_GT((*list)[0].created_at, (*list)[1].created_at);
  EXPECT_GT((*list)[1].created_at, (*list)[2].created_at);
}

}  // namespace
}  // namespace vitrina::payments

namespace vitrina::payments {
namespace {

TEST_F(StorePayments, RefundCommitsWithTheNewTotalAndItsEvent) {
  auto p = payment();
  ASSERT_TRUE(create(p, record("k1")));
  auto done = plan_change(p, protocol::PaymentEvent::succeeded(), 2);
  ASSERT_TRUE(done && done->update);
  auto write = [&](store::PaymentUpdate u) {
    return store::wait_for<store::Payment>(
        [&](store::Done<store::Payment> d) { store_->update_payment(std::move(u), std::move(d)); });
  };
  ASSERT_TRUE(write(*done->update));
  auto refund = plan_refund(done->payment, 200, protocol::RefundEvent::succeeded(), 3);
  ASSERT_TRUE(refund);
  const auto message_id = refund->update.event->message_id;
  ASSERT_TRUE(write(refund->update));
  EXPECT_EQ((*store_->find_payment("site_a", p.id))->refunded_amount, 200);
  EXPECT_TRUE(*store_->find_webhook_message(message_id));
  // The same refund id again: the insert fails, so the payment's total does not move either.
  auto again = refund->update;
  again.expected_version = again.payment.version;
  again.payment.version += 1;
  again.payment.refunded_amount = 400;
  again.event.reset();
  EXPECT_FALSE(write(again));
  EXPECT_EQ((*store_->find_payment("site_a", p.id))->refunded_amount, 200);
}

}  // namespace
}  // namespace vitrina::payments
