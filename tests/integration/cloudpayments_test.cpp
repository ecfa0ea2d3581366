// The CloudPayments connector end to end: the real server against
// tools/emulators/cloudpayments.mjs, through every scenario; the shop receives exactly one
// Standard Webhooks message per state change, and every notification is answered in
// CloudPayments' terms ({"code":N}).

#include <gtest/gtest.h>
#include <sodium.h>

#include <cstring>

#include "acquirer_fixture.hpp"

namespace vitrina::testing {
namespace {

constexpr const char* kPublicId = "pk_integration";
constexpr const char* kApiSecret = "integration_api_secret";
constexpr const char* kCard = "4242424242424242";
constexpr const char* kDeclined = "4000000000000002";

class CloudPaymentsTest : public AcquirerFixture {
 protected:
  void SetUp() override {
    start("cloudpayments.mjs", {"--public-id", kPublicId, "--api-secret", kApiSecret},
          [](const std::string& site, const std::string& base) {
            return std::vector<std::string>{"acquirers.cloudpayments.base_url=" + base,
                                            "acquirers.cloudpayments.sites." + site + ".public_id=" + kPublicId,
                                            "acquirers.cloudpayments.sites." + site + ".api_secret=" + kApiSecret};
          });
    if (IsSkipped() || HasFatalFailure()) return;
    emulator_->control("config", R"({"notify_url":"http://127.0.0.1:)" + std::to_string(port_) +
                                     "/v1/callbacks/cloudpayments/" + site_id_ +
                                     R"(?type={kind}","retry_delay_ms":100})");
  }

  /// The emulator's API as the merchant's dashboard would use it (Basic auth).
  std::string dashboard(const std::string& path, const std::string& json) {
    httplib::Client c("127.0.0.1", emulator_->port());
    c.set_basic_auth(kPublicId, kApiSecret);
    auto r = c.Post(path, json, "application/json");
    return r ? r->body : std::string{};
  }
  /// Posts a notification signed with the API secret, as CloudPayments would.
  httplib::Result notify(const std::string& kind, const std::string& body, const std::string& extra = {}) {
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(kApiSecret), std::strlen(kApiSecret));
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(body.data()), body.size());
    crypto_auth_hmacsha256_final(&st, mac);
    char b64[sodium_base64_ENCODED_LEN(sizeof mac, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(b64, sizeof b64, mac, sizeof mac, sodium_base64_VARIANT_ORIGINAL);
    httplib::Client c("127.0.0.1", port_);
    return c.Post("/v1/callbacks/cloudpayments/" + site_id_ + "?type=" + kind, {{"Content-HMAC", b64}}, body + extra,
                  "application/x-www-form-urlencoded");
  }
  std::string transaction_of(const std::string& invoice) {
    const auto found = dashboard("/v2/payments/find", R"({"InvoiceId":")" + invoice + R"("})");
    return capture(found, R"re("TransactionId":(\d+))re");
  }
};

TEST_F(CloudPaymentsTest, SuccessThenPartialAndFullRefunds) {
  const auto id = create("cloudpayments", 150000, true, "k-success");
  const auto url = confirmation_url();
  EXPECT_NE(url.find("/d/"), std::string::npos) << url;
  EXPECT_EQ(status_of_payment(id), "pending");
  EXPECT_EQ(pay(url, kCard), 303);
  ASSERT_TRUE(wait_status(id, "succeeded")) << server_->output();
  EXPECT_EQ(settle(1), (std::vector<std::string>{"payment.succeeded"}));
  const auto log = emulator_->log();
  EXPECT_NE(log.find(R"("kind":"check","key")"), std::string::npos) << log;
  EXPECT_NE(log.find(R"({\"code\":0})"), std::string::npos) << log;

  auto part = api_post("/v1/payments/" + id + "/refunds", R"({"amount":50000})", "k-refund-1");
  ASSERT_TRUE(part);
  EXPECT_EQ(part->status, 201) << part->body;
  auto rest = api_post("/v1/payments/" + id + "/refunds", R"({"amount":100000})", "k-refund-2");
  ASSERT_TRUE(rest);
  EXPECT_EQ(rest->status, 201) << rest->body;
  // Refund notifications confirm what the refund calls settled: no more messages.
  EXPECT_EQ(settle(3), (std::vector<std::string>{"payment.succeeded", "refund.succeeded", "refund.succeeded"}));
  EXPECT_NE(payment(id).find(R"("refunded_amount":150000)"), std::string::npos) << payment(id);
  const auto after = emulator_->log();
  EXPECT_EQ(count_of(after, R"("kind":"refund","key")"), 2u) << after;
  EXPECT_TRUE(distinct_webhook_ids());
}

TEST_F(CloudPaymentsTest, JsonNotificationsWorkLikeFormOnes) {
  emulator_->control("config", R"({"format":"json"})");
  const auto id = create("cloudpayments", 2500, true, "k-json");
  EXPECT_EQ(pay(confirmation_url(), kCard), 303);
  ASSERT_TRUE(wait_status(id, "succeeded")) << server_->output();
  EXPECT_EQ(settle(1), (std::vector<std::string>{"payment.succeeded"}));
}

TEST_F(CloudPaymentsTest, DeclinedAttemptLeavesTheLinkPayable) {
  const auto id = create("cloudpayments", 2000, true, "k-decline");
  const auto url = confirmation_url();
  EXPECT_EQ(pay(url, kDeclined), 402);
  emulator_->idle();
  // A Fail is one declined card, not the end of the payment.
  EXPECT_EQ(status_of_payment(id), "pending");
  const auto log = emulator_->log();
  EXPECT_NE(log.find(R"("kind":"fail","key")"), std::string::npos) << log;
  EXPECT_EQ(pay(url, kCard), 303);
  ASSERT_TRUE(wait_status(id, "succeeded"));
  EXPECT_EQ(settle(1), (std::vector<std::string>{"payment.succeeded"}));
}

TEST_F(CloudPaymentsTest, TwoStageCaptureInPart) {
  const auto id = create("cloudpayments", 10000, false, "k-hold");
  EXPECT_EQ(pay(confirmation_url(), kCard), 303);
  ASSERT_TRUE(wait_status(id, "waiting_for_capture")) << server_->output();
  auto captured = api_post("/v1/payments/" + id + "/capture", R"({"amount":7000})", "k-capture");
  ASSERT_TRUE(captured);
  EXPECT_EQ(captured->status, 200) << captured->body;
  EXPECT_EQ(status_of_payment(id), "succeeded");
  EXPECT_NE(payment(id).find(R"("captured_amount":7000)"), std::string::npos) << payment(id);
  // The Confirm notification that follows is the capture we made: one message for it.
  EXPECT_EQ(settle(2), (std::vector<std::string>{"payment.waiting_for_capture", "payment.succeeded"}));
  const auto log = emulator_->log();
  EXPECT_NE(log.find(R"("kind":"confirm","key")"), std::string::npos) << log;
  EXPECT_NE(log.find(R"("path":"/payments/confirm")"), std::string::npos) << log;
}

TEST_F(CloudPaymentsTest, TwoStageCancelVoidsTheHold) {
  const auto id = create("cloudpayments", 10000, false, "k-hold-cancel");
  EXPECT_EQ(pay(confirmation_url(), kCard), 303);
  ASSERT_TRUE(wait_status(id, "waiting_for_capture"));
  auto canceled = api_post("/v1/payments/" + id + "/cancel", "{}", "k-cancel");
  ASSERT_TRUE(canceled);
  EXPECT_EQ(canceled->status, 200) << canceled->body;
  EXPECT_EQ(settle(2), (std::vector<std::string>{"payment.waiting_for_capture", "payment.canceled"}));
  const auto log = emulator_->log();
  EXPECT_NE(log.find(R"("path":"/payments/void")"), std::string::npos) << log;
  EXPECT_NE(log.find(R"("kind":"cancel","key")"), std::string::npos) << log;
}

TEST_F(CloudPaymentsTest, CancelBeforePaymentClosesTheLink) {
  const auto id = create("cloudpayments", 10000, true, "k-cancel-open");
  auto canceled = api_post("/v1/payments/" + id + "/cancel", "{}", "k-cancel-open-1");
  ASSERT_TRUE(canceled);
  EXPECT_EQ(canceled->status, 200) << canceled->body;
  EXPECT_EQ(settle(1), (std::vector<std::string>{"payment.canceled"}));
  EXPECT_EQ(pay(confirmation_url(), kCard), 410);
  EXPECT_NE(emulator_->log().find(R"("path":"/orders/cancel")"), std::string::npos);
}

TEST_F(CloudPaymentsTest, CheckRefusesAPaymentThatCanNoLongerBePaid) {
  // A Check for a payment canceled on our side (a second tab still showing the old link):
  // answered 13, and nothing is written.
  const auto id = create("cloudpayments", 10000, true, "k-not-payable");
  auto canceled = api_post("/v1/payments/" + id + "/cancel", "{}", "k-not-payable-cancel");
  ASSERT_TRUE(canceled);
  EXPECT_EQ(canceled->status, 200) << canceled->body;
  auto r = notify("check", "TransactionId=77&Amount=100.00&Currency=RUB&Status=Completed&InvoiceId=" + id);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, R"({"code":13})");
  EXPECT_EQ(settle(1), (std::vector<std::string>{"payment.canceled"}));
  EXPECT_EQ(status_of_payment(id), "canceled");
}

TEST_F(CloudPaymentsTest, DuplicateNotificationsChangeNothingTwice) {
  emulator_->control("callbacks", R"({"mode":"duplicate"})");
  const auto id = create("cloudpayments", 3000, true, "k-dup");
  EXPECT_EQ(pay(confirmation_url(), kCard), 303);
  EXPECT_EQ(settle(1), (std::vector<std::string>{"payment.succeeded"}));
  const auto log = emulator_->log();
  EXPECT_EQ(count_of(log, R"("kind":"pay","key")"), 2u) << log;
  // Both copies are acknowledged with code 0 (and the Check before them), so CloudPayments
  // stops sending them.
  EXPECT_EQ(count_of(log, R"("status":200,"answer":"{\"code\":0}")"), 3u) << log;
}

TEST_F(CloudPaymentsTest, ConfirmOvertakingItsPaySucceedsOnce) {
  // A hold captured in CloudPayments' dashboard; Confirm arrives before the Pay it confirms.
  emulator_->control("callbacks", R"({"mode":"reverse"})");
  const auto id = create("cloudpayments", 4000, false, "k-reverse");
  EXPECT_EQ(pay(confirmation_url(), kCard), 303);
  const auto transaction = transaction_of(id);
  ASSERT_FALSE(transaction.empty());
  EXPECT_NE(dashboard("/payments/confirm", R"({"TransactionId":)" + transaction + R"(,"Amount":40.00})")
                .find(R"("Success":true)"),
            std::string::npos);
  EXPECT_EQ(emulator_->control("flush"), R"({"sent":2})");
  ASSERT_TRUE(wait_status(id, "succeeded"));
  EXPECT_EQ(settle(1), (std::vector<std::string>{"payment.succeeded"}));
  EXPECT_NE(payment(id).find(R"("captured_amount":4000)"), std::string::npos) << payment(id);
}

TEST_F(CloudPaymentsTest, ForgedNotificationIsRefusedAndChangesNothing) {
  // Without the Check the forged Pay reaches us (a forged Check would stop the payment first).
  emulator_->control("config", R"({"check":false})");
  emulator_->control("callbacks", R"({"mode":"forged"})");
  const auto id = create("cloudpayments", 5000, true, "k-forged");
  EXPECT_EQ(pay(confirmation_url(), kCard), 303);
  emulator_->idle();
  const auto log = emulator_->log();
  EXPECT_NE(log.find(R"("mode":"forged","attempt":1,"status":401)"), std::string::npos) << log;
  // The callback was answered: whatever it changed is in the outbox by now.
  EXPECT_TRUE(outbox_empty());
  EXPECT_EQ(status_of_payment(id), "pending");
  EXPECT_EQ(receiver_.requests(), 0);
}

TEST_F(CloudPaymentsTest, ForgedCheckStopsThePayment) {
  emulator_->control("callbacks", R"({"mode":"forged"})");
  const auto id = create("cloudpayments", 5000, true, "k-forged-check");
  EXPECT_EQ(pay(confirmation_url(), kCard), 402);
  emulator_->idle();
  const auto log = emulator_->log();
  EXPECT_NE(log.find(R"("kind":"check","key")"), std::string::npos) << log;
  EXPECT_NE(log.find(R"("status":401)"), std::string::npos) << log;
  EXPECT_EQ(status_of_payment(id), "pending");
  EXPECT_EQ(receiver_.requests(), 0);
}

TEST_F(CloudPaymentsTest, CheckWithAnotherAmountIsAnsweredTwelve) {
  emulator_->control("callbacks", R"({"mode":"wrong_amount"})");
  const auto id = create("cloudpayments", 5000, true, "k-check-amount");
  EXPECT_EQ(pay(confirmation_url(), kCard), 402);
  emulator_->idle();
  const auto log = emulator_->log();
  EXPECT_NE(log.find(R"("status":200,"answer":"{\"code\":12}")"), std::string::npos) << log;
  EXPECT_EQ(status_of_payment(id), "pending");
  EXPECT_EQ(receiver_.requests(), 0);
}

TEST_F(CloudPaymentsTest, PayWithAnotherAmountIsRefusedAndChangesNothing) {
  emulator_->control("config", R"({"check":false})");
  emulator_->control("callbacks", R"({"mode":"wrong_amount"})");
  const auto id = create("cloudpayments", 5000, true, "k-pay-amount");
  EXPECT_EQ(pay(confirmation_url(), kCard), 303);
  emulator_->idle();
  const auto log = emulator_->log();
  EXPECT_NE(log.find(R"("kind":"pay","key")"), std::string::npos) << log;
  EXPECT_NE(log.find(R"("answer":"{\"code\":12}")"), std::string::npos) << log;
  // The callback was answered: whatever it changed is in the outbox by now.
  EXPECT_TRUE(outbox_empty());
  EXPECT_EQ(status_of_payment(id), "pending");
  EXPECT_EQ(receiver_.requests(), 0);
}

TEST_F(CloudPaymentsTest, CheckForAnUnknownInvoiceIsAnsweredTenAndAForgedOneRefused) {
  // A signed Check for an invoice we never made (another shop on the same CloudPayments site).
  const std::string body = "TransactionId=9&Amount=10.00&Currency=RUB&InvoiceId=pay_unknown&Status=Completed";
  auto r = notify("check", body);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, R"({"code":10})");
  // The body's MAC over a body with one more field: not CloudPayments' answer format, a 401.
  auto tampered = notify("check", body, "&Amount=1.00");
  ASSERT_TRUE(tampered);
  EXPECT_EQ(tampered->status, 401);
}

TEST_F(CloudPaymentsTest, SlowAnswerWithinTheTimeoutStillCreates) {
  emulator_->control("faults", R"({"path":"/orders/create","kind":"slow","delay_ms":400})");
  const auto id = create("cloudpayments", 1000, true, "k-slow");
  EXPECT_FALSE(id.empty());
  EXPECT_EQ(status_of_payment(id), "pending");
}

TEST_F(CloudPaymentsTest, ServerErrorOnCreateIsRetriedWithTheSameRequestId) {
  emulator_->control("faults", R"({"path":"/orders/create","kind":"5xx","count":1})");
  const auto id = create("cloudpayments", 1000, true, "k-5xx");
  EXPECT_FALSE(id.empty());
  const auto log = emulator_->log();
  EXPECT_EQ(count_of(log, R"("path":"/orders/create")"), 2u) << log;
  const auto key = capture(log, R"re("idempotency_key":"([^"]+)")re");
  EXPECT_FALSE(key.empty());
  EXPECT_EQ(count_of(log, key), 2u) << log;
}

TEST_F(CloudPaymentsTest, PersistentServerErrorsReachTheShopAndStoreNothing) {
  emulator_->control("faults", R"({"path":"/orders/create","kind":"5xx","count":10})");
  auto r = api_post(
      "/v1/payments",
      R"({"amount":1000,"currency":"RUB","order_id":"o-5xx","description":"Tea","return_url":"https://shop.example/back","acquirer":"cloudpayments"})",
      "k-5xx-all");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 502) << r->body;
  EXPECT_NE(r->body.find("acquirer-unavailable"), std::string::npos) << r->body;
  httplib::Client c("127.0.0.1", port_);
  auto list = c.Get("/v1/payments?order_id=o-5xx", {{"Authorization", "Bearer " + secret_}});
  ASSERT_TRUE(list);
  EXPECT_EQ(list->body.find("pay_"), std::string::npos) << list->body;
}

TEST_F(CloudPaymentsTest, TimeoutOnCreateIsRetriedAndCreatesOneLink) {
  // The first answer is held past the connector's 1 s read timeout; the retry with the same
  // X-Request-ID gets CloudPayments' stored answer, so there is one order, not two.
  emulator_->control("faults", R"({"path":"/orders/create","kind":"timeout","delay_ms":2500})");
  const auto id = create("cloudpayments", 1000, true, "k-timeout");
  EXPECT_FALSE(id.empty());
  const auto log = emulator_->log();
  EXPECT_EQ(count_of(log, R"("path":"/orders/create")"), 2u) << log;
  EXPECT_EQ(count_of(log, R"("status":200,"fault":"timeout")"), 1u) << log;
}

TEST_F(CloudPaymentsTest, CaptureOfAHoldVoidedElsewhereIsRefusedThenTheCancelArrives) {
  // The hold is voided in CloudPayments' dashboard and its Cancel notification is late: our
  // capture is refused with CloudPayments' word, and the Cancel then ends the payment once.
  const auto id = create("cloudpayments", 6000, false, "k-voided");
  EXPECT_EQ(pay(confirmation_url(), kCard), 303);
  ASSERT_TRUE(wait_status(id, "waiting_for_capture"));
  emulator_->control("callbacks", R"({"mode":"reverse"})");
  const auto transaction = transaction_of(id);
  ASSERT_FALSE(transaction.empty());
  EXPECT_NE(dashboard("/payments/void", R"({"TransactionId":)" + transaction + "}").find(R"("Success":true)"),
            std::string::npos);
  auto r = api_post("/v1/payments/" + id + "/capture", "{}", "k-voided-capture");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 422) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/problem+json");
  EXPECT_NE(r->body.find("acquirer-refused"), std::string::npos) << r->body;
  EXPECT_NE(r->body.find("Cancelled"), std::string::npos) << r->body;
  EXPECT_EQ(status_of_payment(id), "waiting_for_capture");
  EXPECT_EQ(emulator_->control("flush"), R"({"sent":1})");
  ASSERT_TRUE(wait_status(id, "canceled"));
  EXPECT_EQ(settle(2), (std::vector<std::string>{"payment.waiting_for_capture", "payment.canceled"}));
}

TEST_F(CloudPaymentsTest, CaptureBeforeThePayerPaidIsAConflict) {
  const auto id = create("cloudpayments", 10000, false, "k-early-capture");
  auto r = api_post("/v1/payments/" + id + "/capture", "{}", "k-early-capture-1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 409) << r->body;
  EXPECT_EQ(status_of_payment(id), "pending");
  EXPECT_EQ(emulator_->log().find(R"("path":"/payments/confirm")"), std::string::npos);
}

}  // namespace
}  // namespace vitrina::testing
