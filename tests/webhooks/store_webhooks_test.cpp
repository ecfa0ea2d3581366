// The store's webhook tables: endpoints, the outbox, deliveries and attempts; and the outbox
// insert running inside another write, committing or rolling back with it.

#include <gtest/gtest.h>

#include "../store/test_support.hpp"
#include "store/migrations.hpp"
#include "store/webhook_ops.hpp"
#include "store/writer.hpp"

namespace vitrina::store {
namespace {

using testing::TempDir;

WebhookEndpoint endpoint(const std::string& id, const std::string& site, std::vector<std::string> events = {}) {
  return {.id = id,
          .site_id = site,
          .url = "https://hooks.example/" + id,
          .event_types = std::move(events),
          .secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
          .created_at = 1'000};
}

NewWebhookEvent event(const std::string& id, const std::string& site, const std::string& type) {
  return {.message_id = id,
          .site_id = site,
          .event_type = type,
          .payload = R"({"type":")" + type + R"(","timestamp":"x","data":{}})",
          .created_at = 2'000};
}

class StoreWebhooks : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = testing::open_or_die(dir_.file("v.db"));
    ASSERT_TRUE(testing::insert_site_sync(*store_, testing::make_site("a")));
    ASSERT_TRUE(add(endpoint("we_all", "site_a")));
    ASSERT_TRUE(add(endpoint("we_pay", "site_a", {"payment.*"})));
  }
  Result<WebhookEndpoint> add(WebhookEndpoint e) {
    return wait_for<WebhookEndpoint>([&](Done<WebhookEndpoint> d) { store_->insert_webhook_endpoint(e, d); });
  }
  Result<EnqueuedEvent> enqueue(NewWebhookEvent e) {
    return wait_for<EnqueuedEvent>([&](Done<EnqueuedEvent> d) { store_->enqueue_event(e, d); });
  }
  Result<void> record(AttemptRecord r) {
    return wait_for<void>([&](Done<void> d) { store_->record_attempt(r, d); });
  }
  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreWebhooks, EndpointsRoundTripWithTheirFilters) {
  auto list = store_->list_webhook_endpoints("site_a");
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[1].event_types, std::vector<std::string>{"payment.*"});
  EXPECT_TRUE(store_->find_webhook_endpoint("we_pay").value().has_value());
  auto e = endpoint("we_x", "site_missing");
  EXPECT_EQ(add(e).error().code, vitrina::protocol::ErrorCode::not_found);
}

TEST_F(StoreWebhooks, EnqueueCreatesOneDeliveryPerMatchingEndpoint) {
  auto pay = enqueue(event("msg_1", "site_a", "payment.succeeded"));
  ASSERT_TRUE(pay) << pay.error().message;
  EXPECT_EQ(pay->endpoint_ids, (std::vector<std::string>{"we_all", "we_pay"}));
  auto chat = enqueue(event("msg_2", "site_a", "chat.message"));
  ASSERT_TRUE(chat);
  EXPECT_EQ(chat->endpoint_ids, std::vector<std::string>{"we_all"});
  auto due = store_->due_deliveries(2'000, 10);
  ASSERT_TRUE(due);
  EXPECT_EQ(due->size(), 3u);
  EXPECT_EQ(store_->due_deliveries(1'999, 10)->size(), 0u);
  EXPECT_EQ((*due)[0].payload, event("msg_1", "site_a", "payment.succeeded").payload);
}

TEST_F(StoreWebhooks, EnqueueRefusesABodyThatIsNotJson) {
  auto e = event("msg_bad", "site_a", "x");
  e.payload = "{not json";
  EXPECT_FALSE(enqueue(e));
  EXPECT_FALSE(store_->find_webhook_message("msg_bad").value().has_value());
}

TEST_F(StoreWebhooks, TargetedEnqueueIgnoresTheFilter) {
  auto e = event("msg_t", "site_a", "webhook.test");
  e.only_endpoint_id = "we_pay";
  auto r = enqueue(e);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->endpoint_ids, std::vector<std::string>{"we_pay"});
  e.message_id = "msg_t2";
  e.only_endpoint_id = "we_nope";
  EXPECT_EQ(enqueue(e).error().code, vitrina::protocol::ErrorCode::not_found);
}

TEST_F(StoreWebhooks, RecordAttemptUpdatesDeliveryAndLog) {
  ASSERT_TRUE(enqueue(event("msg_1", "site_a", "chat.message")));
  AttemptRecord r{.attempt = {.message_id = "msg_1",
                              .endpoint_id = "we_all",
                              .attempted_at = 3'000,
                              .status_code = 500,
                              .error = "HTTP 500",
                              .duration_ms = 12,
                              .response_snippet = "oops"},
                  .new_status = "pending",
                  .next_attempt_at = 8'000};
  ASSERT_TRUE(record(r));
  auto d = store_->list_deliveries("msg_1");
  ASSERT_TRUE(d);
  ASSERT_EQ(d->size(), 1u);
  EXPECT_EQ((*d)[0].attempts, 1);
  EXPECT_EQ((*d)[0].next_attempt_at, 8'000);
  EXPECT_EQ((*d)[0].last_status_code, 500);
  EXPECT_TRUE(store_->due_deliveries(7'999, 10)->empty());
  r.attempt.attempted_at = 8'000;
  r.attempt.status_code = 200;
  r.new_status = "delivered";
  ASSERT_TRUE(record(r));
  EXPECT_TRUE(store_->due_deliveries(100'000, 10)->empty());
  auto attempts = store_->list_attempts("msg_1");
  ASSERT_TRUE(attempts);
  ASSERT_EQ(attempts->size(), 2u);
  EXPECT_EQ((*attempts)[0].response_snippet, "oops");
  EXPECT_EQ((*attempts)[1].status_code, 200);
  EXPECT_EQ(store_->list_deliveries("msg_1")->front().status, "delivered");
}

TEST_F(StoreWebhooks, DisablingStopsPendingDeliveries) {
  ASSERT_TRUE(enqueue(event("msg_1", "site_a", "payment.succeeded")));
  AttemptRecord r{
      .attempt = {.message_id = "msg_1", .endpoint_id = "we_pay", .attempted_at = 3'000, .status_code = 410},
      .new_status = "disabled",
      .disable_endpoint = true,
      .disable_reason = "410 Gone"};
  ASSERT_TRUE(record(r));
  auto e = store_->find_webhook_endpoint("we_pay").value();
  ASSERT_TRUE(e);
  EXPECT_TRUE(e->disabled);
  EXPECT_EQ(e->disabled_reason, "410 Gone");
  auto due = store_->due_deliveries(100'000, 10);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].endpoint.id, "we_all");
  // A disabled endpoint gets no new deliveries.
  auto next = enqueue(event("msg_2", "site_a", "payment.failed"));
  EXPECT_EQ(next->endpoint_ids, std::vector<std::string>{"we_all"});
}

TEST_F(StoreWebhooks, ResendRequeuesWithTheSameMessage) {
  ASSERT_TRUE(enqueue(event("msg_1", "site_a", "chat.message")));
  ASSERT_TRUE(
      record({.attempt = {.message_id = "msg_1", .endpoint_id = "we_all", .attempted_at = 3'000, .status_code = 200},
              .new_status = "delivered"}));
  auto n =
      wait_for<std::int64_t>([&](Done<std::int64_t> d) { store_->resend({.message_id = "msg_1", .now = 50'000}, d); });
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 1);
  auto due = store_->due_deliveries(50'000, 10);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].delivery.message_id, "msg_1");
  EXPECT_EQ((*due)[0].delivery.attempts, 0);
  auto missing =
      wait_for<std::int64_t>([&](Done<std::int64_t> d) { store_->resend({.message_id = "msg_no", .now = 1}, d); });
  EXPECT_EQ(missing.error().code, vitrina::protocol::ErrorCode::not_found);
}

TEST_F(StoreWebhooks, RotationKeepsThePreviousSecret) {
  auto rotated = wait_for<WebhookEndpoint>([&](Done<WebhookEndpoint> d) {
    store_->rotate_webhook_keys(
        "we_all", "", {.secret = "whsec_new", .signing_key = "whsk_new", .public_key = "whpk_new"}, 9'000, 5'000, d);
  });
  ASSERT_TRUE(rotated);
  EXPECT_EQ(rotated->secret, "whsec_new");
  EXPECT_EQ(rotated->signing_key, "") << "an HMAC-only endpoint stays HMAC-only";
  auto e = store_->find_webhook_endpoint("we_all").value();
  EXPECT_EQ(e->secret, "whsec_new");
  EXPECT_EQ(e->previous_secret, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  EXPECT_EQ(e->previous_secret_expires_at, 9'000);
}

// A write op standing in for a payment's state change: it writes a row of its own and the
// outbox in one savepoint, and may fail after both.
class ChangeWithEvent final : public WriteOp {
 public:
  ChangeWithEvent(std::string site, bool fail, Done<void> done) : site_(std::move(site)), fail_(fail), done_(done) {}
  Result<void> apply(sqlite::Connection& db) override {
    auto stmt = db.prepare("UPDATE sites SET name = 'changed' WHERE id = '" + site_ + "'");
    if (!stmt) return std::move(stmt).error();
    if (auto r = stmt->run(); !r) return r;
    auto enq = enqueue_event_in(db, event("msg_in_" + std::to_string(fail_), site_, "payment.succeeded"));
    if (!enq) return std::move(enq).error();
    if (fail_)
      return protocol::make_error(vitrina::protocol::ErrorCode::invalid,
                                  "the change is refused after the outbox insert");
    return {};
  }
  void complete(Result<void> r) override { done_(std::move(r)); }

 private:
  std::string site_;
  bool fail_;
  Done<void> done_;
};

TEST(OutboxInsideAWrite, CommitsOrRollsBackWithTheChange) {
  TempDir dir;
  const auto path = dir.file("v.db");
  {
    auto store = testing::open_or_die(path);
    ASSERT_TRUE(testing::insert_site_sync(*store, testing::make_site("a")));
    ASSERT_TRUE(wait_for<WebhookEndpoint>(
        [&](Done<WebhookEndpoint> d) { store->insert_webhook_endpoint(endpoint("we_1", "site_a"), d); }));
  }
  {
    auto db = sqlite::Connection::open(path, sqlite::OpenMode::kReadWrite, std::chrono::milliseconds(1000));
    ASSERT_TRUE(db);
    Writer writer(std::move(*db), 16);
    auto run = [&](bool fail) {
      return wait_for<void>([&](Done<void> d) { writer.submit(std::make_unique<ChangeWithEvent>("site_a", fail, d)); });
    };
    EXPECT_FALSE(run(true));
    EXPECT_TRUE(run(false));
  }
  auto store = testing::open_or_die(path);
  EXPECT_FALSE(store->find_webhook_message("msg_in_1").value().has_value());
  EXPECT_TRUE(store->find_webhook_message("msg_in_0").value().has_value());
  EXPECT_EQ(store->list_deliveries("msg_in_0")->size(), 1u);
  EXPECT_EQ(store->find_site_by_id("site_a").value()->name, "changed");
}

}  // namespace
}  // namespace vitrina::store
