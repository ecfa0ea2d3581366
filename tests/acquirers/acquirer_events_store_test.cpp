// The store's acquirer events: an event and the payment change it causes commit together; the
// same event id again writes nothing ("duplicate"); a stale version rolls the event back too.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "payments/payment.hpp"
#include "store/test_support.hpp"

namespace vitrina::store {
namespace {

using testing::make_site;
using testing::TempDir;

std::int64_t count_rows(const std::string& path, const std::string& table) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) return -1;
  sqlite3_stmt* stmt = nullptr;
  std::int64_t n = -1;
  if (sqlite3_prepare_v2(db, ("SELECT count(*) FROM " + table).c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    n = sqlite3_column_int64(stmt, 0);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return n;
}

class AcquirerEvents : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = open_sqlite({.path = dir_.file("v.db")});
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    ASSERT_TRUE(wait_for<Site>([&](Done<Site> done) { store_->insert_site(make_site("a"), std::move(done)); }));
    payments::CreatePaymentRequest req;
    req.amount = 500;
    req.currency = *protocol::find_currency("EUR");
    req.order_id = "o1";
    req.return_url = "https://s.example/";
    req.acquirer = "sandbox";
    payment_ = payments::new_payment(req, "site_a", 1'700'000'000'000);
    IdempotencyRecord key{.site_id = "site_a",
                          .key = "k",
                          .request_hash = "h",
                          .status_code = 201,
                          .response_body = "{}",
                          .created_at = 1};
    ASSERT_TRUE(wait_for<Payment>(
        [&](Done<Payment> done) { store_->create_payment(payment_, std::move(key), std::move(done)); }));
  }

  Result<void> apply(const std::string& event_id, std::optional<PaymentUpdate> update) {
    AcquirerEventRecord record{
        .acquirer = "sandbox", .event_id = event_id, .site_id = "site_a", .payment_id = payment_.id, .received_at = 2};
    return wait_for<void>(
        [&](Done<void> done) { store_->apply_acquirer_event(std::move(record), std::move(update), std::move(done)); });
  }

  std::optional<PaymentUpdate> succeed(const Payment& current) {
    auto change = payments::plan_change(current, protocol::PaymentEvent::succeeded(), 2);
    EXPECT_TRUE(change);
    return change ? change->update : std::nullopt;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  Payment payment_;
};

TEST_F(AcquirerEvents, EventAndChangeCommitTogetherAndRepeatsAreDuplicates) {
  ASSERT_TRUE(apply("evt_1", succeed(payment_)));
  auto found = store_->find_payment_by_id(payment_.id);
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->status, vitrina::protocol::PaymentStatus::succeeded);
  EXPECT_EQ(count_rows(dir_.file("v.db"), "webhook_messages"), 1);

  auto again = apply("evt_1", std::nullopt);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, vitrina::protocol::ErrorCode::duplicate);
  EXPECT_EQ(count_rows(dir_.file("v.db"), "webhook_messages"), 1);
}

TEST_F(AcquirerEvents, StaleChangeRollsTheEventBack) {
  auto update = succeed(payment_);
  ASSERT_TRUE(update);
  update->expected_version = 99;
  auto stale = apply("evt_2", std::move(update));
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, vitrina::protocol::ErrorCode::stale);
  // Not recorded: the retry with a fresh read goes through.
  EXPECT_TRUE(apply("evt_2", succeed(payment_)));
}

TEST_F(AcquirerEvents, FindByIdSeesAnySitesPaymentAndNothingElse) {
  auto found = store_->find_payment_by_id(payment_.id);
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->site_id, "site_a");
  auto missing = store_->find_payment_by_id("pay_nope");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(*missing);
}

}  // namespace
}  // namespace vitrina::store
