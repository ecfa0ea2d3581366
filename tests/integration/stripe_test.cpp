// The Stripe connector end to end: the real server against tools/emulators/stripe.mjs, through
// every scenario; the shop receives exactly one Standard Webhooks message per state change.

#include <gtest/gtest.h>

#include "acquirer_fixture.hpp"

namespace vitrina::testing {
namespace {

constexpr const char* kWebhookSecret = "whsec_integration_secret";
constexpr const char* kApiKey = "sk_test_integration";
constexpr const char* kCard = "4242424242424242";
constexpr const char* kDeclined = "4000000000000002";
constexpr const char* kAsync = "4000000000000077";

class StripeTest : public AcquirerFixture {
 protected:
  void SetUp() override {
    start("stripe.mjs", {"--api-key", kApiKey, "--webhook-secret", kWebhookSecret},
          [](const std::string& site, const std::string& base) {
            return std::vector<std::string>{"acquirers.stripe.base_url=" + base,
                                            "acquirers.stripe.sites." + site + ".secret_key=" + kApiKey,
                                            "acquirers.stripe.sites." + site + ".webhook_secret=" + kWebhookSecret};
          });
    if (IsSkipped() || HasFatalFailure()) return;
    emulator_->control("config", R"({"webhook_url":"http://127.0.0.1:)" + std::to_string(port_) +
                                     "/v1/callbacks/stripe/" + site_id_ + R"(","retry_delay_ms":100})");
  }
  std::string session_of(const std::string& url) { return url.substr(url.rfind('/') + 1); }
};

TEST_F(StripeTest, SuccessThenPartialAndFullRefunds) {
  const auto id = create("stripe", 150000, true, "k-success");
  const auto url = confirmation_url();
  EXPECT_NE(url.find("/pay/cs_test_"), std::string::npos) << url;
  EXPECT_EQ(status_of_payment(id), "pending");
  EXPECT_EQ(pay(url, kCard), 303);
  ASSERT_TRUE(wait_status(id, "succeeded")) << server_->output();
  EXPECT_EQ(settle(1), (std::vector<std::string>{"payment.succeeded"}));

  auto part = api_post("/v1/payments/" + id + "/refunds", R"({"amount":50000})", "k-refund-1");
  ASSERT_TRUE(part);
  EXPECT_EQ(part->status, 201) << part->body;
  auto rest = api_post("/v1/payments/" + id + "/refunds", R"({"amount":100000})", "k-refund-2");
  ASSERT_TRUE(rest);
  EXPECT_EQ(rest->status, 201) << rest->body;
  auto more = api_post("/v1/payments/" + id + "/refunds", R"({"amount":1})", "k-refund-3");
  ASSERT_TRUE(more);
  EXPECT_GE(more->status, 400) << more->body;
  // charge.refunded webhooks from Stripe confirm what the refund calls settled: no more messages.
  EXPECT_EQ(settle(3), (std::vector<std::string>{"payment.succeeded", "refund.succeeded", "refund.succeeded"}));
  EXPECT_NE(payment(id).find(R"("refunded_amount":150000)"), std::string::npos) << payment(id);
  const auto log = emulator_->log();
  EXPECT_EQ(count_of(log, R"("kind":"charge.refunded")"), 2u) << log;
  EXPECT_TRUE(distinct_webhook_ids());
}

TEST_F(StripeTest, DeclineKeepsThePaymentPendingUntilTheSessionExpires) {
  const auto id = create("stripe", 2000, true, "k-decline");
  EXPECT_EQ(pay(confirmation_url(), kDeclined), 402);
  emulator_->idle();
  EXPECT_EQ(status_of_payment(id), "pending");
  EXPECT_EQ(emulator_->control("expire/" + session_of(confirmation_url())), R"({"ok":true})");
  ASSERT_TRUE(wait_status(id, "expired"));
  EXPECT_EQ(settle(1), (std::vector<std::string>{"payment.expired"}));
}

TEST_F(StripeTest, TwoStageCaptureInPart) {
  const auto id = create("stripe", 10000, false, "k-hold");
  EXPECT_EQ(pay(confirmation_url(), kCard), 303);
  ASSERT_TRUE(wait_status(id, "waiting_for_capture")) << server_->output();
  auto captured = api_post("/v1/payments/" + id + "/capture", R"({"amount":7000})", "k-capture");
  ASSERT_TRUE(captured);
  EXPECT_EQ(captured->status, 200) << captured->body;
  EXPECT_EQ(status_of_payment(id), "succeeded");
  EXPECT_NE(payment(id).find(R"("captured_amount":7000)"), std::string::npos) << payment(id);
  EXPECT_EQ(settle(2), (std::vector<std::string>{"payment.waiting_for_capture", "payment.succeeded"}));
}

TEST_F(StripeTest, TwoStageCancelReleasesTheHold) {
  const auto id = create("stripe", 10000, false, "k-hold-cancel");
  EXPECT_EQ(pay(confirmation_url(), kCard), 303);
  ASSERT_TRUE(wait_status(id, "waiting_for_capture"));
  auto canceled = api_post("/v1/payments/" + id + "/cancel", "{}", "k-cancel");
  ASSERT_TRUE(canceled);
  EXPECT_EQ(canceled->status, 200) << canceled->body;
  EXPECT_EQ(settle(2), (std::vector<std::string>{"payment.waiting_for_capture", "payment.canceled"}));
  EXPECT_NE(emulator_->log().find(R"("path":"/v1/payment_intents/)"), std::string::npos);
}

TEST_F(StripeTest, CancelBeforePaymentExpiresTheSession) {
  const auto id = create("stripe", 10000, true, "k-cancel-open");
  auto canceled = api_post("/v1/payments/" + id + "/cancel", "{}", "k-cancel-open-1");
  ASSERT_TRUE(canceled);
  EXPECT_EQ(canceled->status, 200) << canceled->body;
  // Stripe's checkout.session.expired that follows is late news: one message only.
  EXPECT_EQ(settle(1), (std::vector<std::string>{"payment.canceled"}));
  EXPECT_EQ(pay(confirmation_url(), kCard), 410);
}

TEST_F(StripeTest, DuplicateWebhooksChangeNothingTwice) {
  emulator_->control("callbacks", R"({"mode":"duplicate"})");
  const auto id = create("stripe", 3000, true, "k-dup");
  EXPECT_EQ(pay(confirmation_url(), kCard), 303);
  EXPECT_EQ(settle(1), (std::vector<std::string>{"payment.succeeded"}));
  const auto log = emulator_->log();
  EXPECT_EQ(count_of(log, R"("kind":"checkout.session.completed")"), 2u) << log;
  EXPECT_EQ(count_of(log, R"("status":200,"answer")"), 2u) << log;
}

TEST_F(StripeTest, OutOfOrderAsynchronousPaymentSucceedsOnce) {
  emulator_->control("callbacks", R"({"mode":"reverse"})");
  const auto id = create("stripe", 4000, true, "k-async");
  const auto url = confirmation_url();
  EXPECT_EQ(pay(url, kAsync), 303);
  EXPECT_EQ(emulator_->control("settle/" + session_of(url), R"({"outcome":"succeeded"})"), R"({"ok":true})");
  // async_payment_succeeded arrives before checkout.session.completed.
  EXPECT_EQ(emulator_->control("flush"), R"({"sent":2})");
  ASSERT_TRUE(wait_status(id, "succeeded"));
  EXPECT_EQ(settle(1), (std::vector<std::string>{"payment.succeeded"}));
}

TEST_F(StripeTest, AsynchronousPaymentThatFails) {
  const auto id = create("stripe", 4000, true, "k-async-fail");
  const auto url = confirmation_url();
  EXPECT_EQ(pay(url, kAsync), 303);
  emulator_->idle();
  EXPECT_EQ(status_of_payment(id), "pending");
  emulator_->control("settle/" + session_of(url), R"({"outcome":"failed"})");
  ASSERT_TRUE(wait_status(id, "failed"));
  EXPECT_EQ(settle(1), (std::vector<std::string>{"payment.failed"}));
}

TEST_F(StripeTest, ForgedWebhookIsRefusedAndChangesNothing) {
  emulator_->control("callbacks", R"({"mode":"forged"})");
  const auto id = create("stripe", 5000, true, "k-forged");
  EXPECT_EQ(pay(confirmation_url(), kCard), 303);
  emulator_->idle();
  const auto log = emulator_->log();
  EXPECT_NE(log.find(R"("mode":"forged","attempt":1,"status":401)"), std::string::npos) << log;
  // The callback was answered: whatever it changed is in the outbox by now.
  EXPECT_TRUE(outbox_empty());
  EXPECT_EQ(status_of_payment(id), "pending");
  EXPECT_EQ(receiver_.requests(), 0);
}

TEST_F(StripeTest, WebhookWithAnotherAmountIsRefusedAndChangesNothing) {
  emulator_->control("callbacks", R"({"mode":"wrong_amount"})");
  const auto id = create("stripe", 5000, true, "k-amount");
  EXPECT_EQ(pay(confirmation_url(), kCard), 303);
  emulator_->idle();
  const auto log = emulator_->log();
  EXPECT_NE(log.find(R"("mode":"wrong_amount","attempt":1,"status":422)"), std::string::npos) << log;
  // The callback was answered: whatever it changed is in the outbox by now.
  EXPECT_TRUE(outbox_empty());
  EXPECT_EQ(status_of_payment(id), "pending");
  EXPECT_EQ(receiver_.requests(), 0);
}

TEST_F(StripeTest, SlowAnswerWithinTheTimeoutStillCreates) {
  emulator_->control("faults", R"({"path":"/v1/checkout/sessions","kind":"slow","delay_ms":400})");
  const auto id = create("stripe", 1000, true, "k-slow");
  EXPECT_FALSE(id.empty());
  EXPECT_EQ(status_of_payment(id), "pending");
}

TEST_F(StripeTest, ServerErrorOnCreateIsRetriedWithTheSameIdempotencyKey) {
  emulator_->control("faults", R"({"path":"/v1/checkout/sessions","kind":"5xx","count":1})");
  const auto id = create("stripe", 1000, true, "k-5xx");
  EXPECT_FALSE(id.empty());
  const auto log = emulator_->log();
  EXPECT_EQ(count_of(log, R"("path":"/v1/checkout/sessions")"), 2u) << log;
  const auto key = capture(log, R"re("idempotency_key":"([^"]+)")re");
  EXPECT_FALSE(key.empty());
  EXPECT_EQ(count_of(log, key), 2u) << log;
}

TEST_F(StripeTest, PersistentServerErrorsReachTheShopAndStoreNothing) {
  emulator_->control("faults", R"({"path":"/v1/checkout/sessions","kind":"5xx","count":10})");
  auto r = api_post(
      "/v1/payments",
      R"({"amount":1000,"currency":"RUB","order_id":"o-5xx","description":"Tea","return_url":"https://shop.example/back","acquirer":"stripe"})",
      "k-5xx-all");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 502) << r->body;
  EXPECT_NE(r->body.find("acquirer-unavailable"), std::string::npos) << r->body;
  EXPECT_NE(r->body.find("api_error"), std::string::npos) << r->body;
  httplib::Client c("127.0.0.1", port_);
  auto list = c.Get("/v1/payments?order_id=o-5xx", {{"Authorization", "Bearer " + secret_}});
  ASSERT_TRUE(list);
  EXPECT_EQ(list->body.find("pay_"), std::string::npos) << list->body;
}

TEST_F(StripeTest, TimeoutOnCreateIsRetriedAndCreatesOneSession) {
  // The first answer is held past the connector's 1 s read timeout; the retry with the same
  // Idempotency-Key gets Stripe's stored answer, so there is one session, not two.
  emulator_->control("faults", R"({"path":"/v1/checkout/sessions","kind":"timeout","delay_ms":2500})");
  const auto id = create("stripe", 1000, true, "k-timeout");
  EXPECT_FALSE(id.empty());
  const auto sessions = emulator_->get("sessions");
  EXPECT_EQ(count_of(sessions, R"("object":"checkout.session")"), 1u) << sessions;
}

TEST_F(StripeTest, RefusedRequestReachesTheShopWithStripesCode) {
  // Below Stripe's minimum charge: Stripe refuses the Checkout Session, the shop sees its code,
  // and nothing is stored.
  auto r = api_post(
      "/v1/payments",
      R"({"amount":10,"currency":"USD","order_id":"o-small","description":"Tea","return_url":"https://shop.example/back","acquirer":"stripe"})",
      "k-small");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 422) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/problem+json");
  EXPECT_NE(r->body.find("acquirer-refused"), std::string::npos) << r->body;
  EXPECT_NE(r->body.find(R"("acquirer_code":"amount_too_small")"), std::string::npos) << r->body;
  httplib::Client c("127.0.0.1", port_);
  auto list = c.Get("/v1/payments?order_id=o-small", {{"Authorization", "Bearer " + secret_}});
  ASSERT_TRUE(list);
  EXPECT_EQ(list->body.find("pay_"), std::string::npos) << list->body;
}

TEST_F(StripeTest, CaptureBeforeThePayerPaidIsAConflict) {
  const auto id = create("stripe", 10000, false, "k-early-capture");
  auto r = api_post("/v1/payments/" + id + "/capture", "{}", "k-early-capture-1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 409) << r->body;
  EXPECT_EQ(status_of_payment(id), "pending");
  EXPECT_EQ(receiver_.requests(), 0);
}

TEST_F(StripeTest, PaymentShorterThanACheckoutSessionIsRefused) {
  auto r = api_post(
      "/v1/payments",
      R"({"amount":1000,"currency":"EUR","order_id":"o-short","description":"Tea","return_url":"https://shop.example/back","acquirer":"stripe","expires_in":600})",
      "k-short");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 422) << r->body;
  EXPECT_NE(r->body.find(R"("field":"expires_in")"), std::string::npos) << r->body;
  EXPECT_EQ(emulator_->log().find(R"("path":"/v1/checkout/sessions")"), std::string::npos);
}

}  // namespace
}  // namespace vitrina::testing
