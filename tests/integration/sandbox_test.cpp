// The sandbox acquirer with the real server: the hosted page, its test cards, its signed
// callback into /v1/callbacks/sandbox/{site}, dedupe of replayed callbacks, refusal of forged
// ones, the webhooks that follow, and a log that never holds the card number.

#include <gtest/gtest.h>
#include <httplib.h>
#include <sodium.h>

#include <algorithm>
#include <fstream>
#include <mutex>
#include <regex>
#include <thread>

#include "outbox.hpp"
#include "support.hpp"
#include "vitrina/webhook/webhook.hpp"
#include "webhook_receiver.hpp"

namespace vitrina::testing {
namespace {

const std::vector<std::string> kSettings{"--set", "webhooks.allow_private_targets=true", "--set",
                                         "webhooks.poll_interval_ms=50"};

constexpr const char* kCard = "4242424242424242";

std::string payment_body(bool capture, const std::string& description = "Tea") {
  return R"({"amount":150000,"currency":"RUB","order_id":"order-1","description":")" + description +
         R"(","return_url":"https://shop.example/back","capture":)" + (capture ? "true" : "false") + "}";
}

class SandboxTest : public ::testing::Test {
 protected:
  RunResult admin(std::vector<std::string> args) {
    std::vector<std::string> all{"--data", data_.str()};
    all.insert(all.end(), kSettings.begin(), kSettings.end());
    all.insert(all.end(), args.begin(), args.end());
    return run_server(all);
  }
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    auto site = admin({"site", "create", "--name", "S", "--origin", "http://127.0.0.1", "--json"});
    ASSERT_EQ(site.exit_code, 0) << site.output;
    site_id_ = capture(site.output, R"re("id":"(site_[0-9A-Za-z]+)")re");
    secret_ = capture(site.output, R"re("secret_key":"(sk_[0-9A-Za-z]+)")re");
    const std::string url = "http://127.0.0.1:" + std::to_string(receiver_.port()) + "/hook";
    auto added = admin({"webhook", "add", "--site", site_id_, "--url", url, "--json"});
    ASSERT_EQ(added.exit_code, 0) << added.output;
    std::vector<std::string> args{"--listen", "127.0.0.1:0", "--data", data_.str()};
    args.insert(args.end(), kSettings.begin(), kSettings.end());
    server_ = std::make_unique<ServerProcess>(args);
    port_ = server_->wait_listening();
    ASSERT_NE(port_, 0) << server_->output();
  }

  std::string create(const std::string& body, const std::string& key) {
    httplib::Client c("127.0.0.1", port_);
    auto r = c.Post("/v1/payments", {{"Authorization", "Bearer " + secret_}, {"Idempotency-Key", key}}, body,
                    "application/json");
    EXPECT_TRUE(r);
    if (!r) return {};
    EXPECT_EQ(r->status, 201) << r->body;
    return capture(r->body, R"re("id":"(pay_[0-9A-Za-z]+)")re");
  }
  std::string status_of_payment(const std::string& id) {
    httplib::Client c("127.0.0.1", port_);
    auto r = c.Get("/v1/payments/" + id, {{"Authorization", "Bearer " + secret_}});
    if (!r || r->status != 200) return {};
    return capture(r->body, R"re("status":"([a-z_]+)")re");
  }
  httplib::Result pay(const std::string& id, const std::string& card) {
    httplib::Client c("127.0.0.1", port_);
    return c.Post("/sandbox/pay/" + id, "card_number=" + card, "application/x-www-form-urlencoded");
  }
  // Waits for `n` webhooks, then until the server has delivered everything its outbox holds,
  // which must be exactly what the shop received.
  std::vector<std::string> settle(std::size_t n) {
    EXPECT_TRUE(wait_until([&] { return receiver_.received().size() >= n; }, 10s)) << server_->output();
    const auto recorded = settled_outbox(port_, secret_);
    auto types = receiver_.types();
    EXPECT_EQ(types.size(), recorded.size()) << "the shop received other than the server sent";
    std::sort(types.begin(), types.end());  // deliveries may overtake each other
    return types;
  }
  // A callback as the sandbox's acquirer side would sign it, with the key the server keeps.
  httplib::Headers signed_headers(const std::string& body, const unsigned char* secret_key, std::int64_t ts) {
    const std::string content = std::to_string(ts) + "." + body;
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(content.data()), content.size(),
                         secret_key);
    char b64[sodium_base64_ENCODED_LEN(crypto_sign_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(b64, sizeof b64, sig, sizeof sig, sodium_base64_VARIANT_ORIGINAL);
    return {{"Sandbox-Timestamp", std::to_string(ts)}, {"Sandbox-Signature", std::string("v1,") + b64}};
  }
  std::string server_key() {
    std::ifstream in(data_.path() / "sandbox-ed25519.key", std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  httplib::Result post_callback(const std::string& body, const httplib::Headers& headers) {
    httplib::Client c("127.0.0.1", port_);
    return c.Post("/v1/callbacks/sandbox/" + site_id_, headers, body, "application/json");
  }
  std::string callback_body(const std::string& id, const std::string& event_id) {
    return R"({"id":")" + event_id + R"(","site_id":")" + site_id_ + R"(","payment_id":")" + id +
           R"(","outcome":"succeeded","amount":150000,"reason":""})";
  }
  static std::int64_t now_s() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  TempDir data_;
  Receiver receiver_;
  std::string site_id_, secret_;
  std::unique_ptr<ServerProcess> server_;
  int port_ = 0;
};

TEST_F(SandboxTest, PageShowsThePaymentEscapedUnderAStrictPolicy) {
  const auto id = create(payment_body(true, "<b>Tea</b> & cake"), "k-page");
  httplib::Client c("127.0.0.1", port_);
  auto r = c.Get("/sandbox/pay/" + id);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/html; charset=utf-8");
  const auto csp = r->get_header_value("Content-Security-Policy");
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("form-action 'self' https://shop.example"), std::string::npos) << csp;
  EXPECT_NE(r->body.find("&lt;b&gt;Tea&lt;/b&gt; &amp; cake"), std::string::npos) << r->body;
  EXPECT_NE(r->body.find("1500.00 RUB"), std::string::npos);
  EXPECT_EQ(r->body.find("<script"), std::string::npos);
  EXPECT_EQ(r->body.find("style="), std::string::npos);
  EXPECT_NE(csp.find("style-src 'self'"), std::string::npos) << csp;
  EXPECT_NE(r->body.find(R"(<link rel="stylesheet" href="/sandbox/sandbox.css">)"), std::string::npos);
  auto css = c.Get("/sandbox/sandbox.css");
  ASSERT_TRUE(css);
  EXPECT_EQ(css->status, 200);
  EXPECT_EQ(css->get_header_value("Content-Type"), "text/css; charset=utf-8");
  EXPECT_NE(css->body.find("prefers-color-scheme"), std::string::npos);
  auto missing = c.Get("/sandbox/pay/pay_nothing");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
}

TEST_F(SandboxTest, SuccessCardSucceedsWithOneWebhookAndNoCardInTheLog) {
  const auto id = create(payment_body(true), "k-ok");
  auto r = pay(id, kCard);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 303) << r->body;
  EXPECT_EQ(r->get_header_value("Location"), "https://shop.example/back");
  EXPECT_NE(r->body.find("4242"), std::string::npos);
  EXPECT_EQ(r->body.find(kCard), std::string::npos);
  EXPECT_EQ(status_of_payment(id), "succeeded");
  EXPECT_EQ(settle(1), std::vector<std::string>{"payment.succeeded"});
  // Paying again is refused: the payment is no longer pending.
  auto again = pay(id, kCard);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 409);
  EXPECT_EQ(settle(1).size(), 1u);
  EXPECT_EQ(server_->output().find(kCard), std::string::npos);
  EXPECT_EQ(server_->output().find("4242 4242"), std::string::npos);
}

TEST_F(SandboxTest, TwoStageWaitsForCaptureThenCaptureSucceeds) {
  const auto id = create(payment_body(false), "k-two");
  auto r = pay(id, "4242+4242+4242+4242");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 303) << r->body;
  EXPECT_EQ(status_of_payment(id), "waiting_for_capture");
  httplib::Client c("127.0.0.1", port_);
  auto captured =
      c.Post("/v1/payments/" + id + "/capture", {{"Authorization", "Bearer " + secret_}, {"Idempotency-Key", "cap-1"}},
             "", "application/json");
  ASSERT_TRUE(captured);
  EXPECT_EQ(captured->status, 200) << captured->body;
  EXPECT_EQ(status_of_payment(id), "succeeded");
  EXPECT_EQ(settle(2), (std::vector<std::string>{"payment.succeeded", "payment.waiting_for_capture"}));
}

TEST_F(SandboxTest, RefundsSucceedExceptAmountsEndingIn13WhichFailWithAWebhookAndAreListed) {
  const auto id = create(payment_body(true), "k-refund");
  auto r = pay(id, kCard);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 303) << r->body;
  httplib::Client c("127.0.0.1", port_);
  auto refund = [&](const std::string& body, const std::string& key) {
    return c.Post("/v1/payments/" + id + "/refunds", {{"Authorization", "Bearer " + secret_}, {"Idempotency-Key", key}},
                  body, "application/json");
  };
  auto declined = refund(R"({"amount":10013})", "ref-1");
  ASSERT_TRUE(declined);
  EXPECT_EQ(declined->status, 201) << declined->body;
  EXPECT_NE(declined->body.find(R"("status":"failed")"), std::string::npos) << declined->body;
  EXPECT_NE(declined->body.find(R"("failure_reason":"refund_declined")"), std::string::npos) << declined->body;
  auto ok = refund(R"({"amount":10000})", "ref-2");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 201) << ok->body;
  EXPECT_NE(ok->body.find(R"("status":"succeeded")"), std::string::npos) << ok->body;
  // The failed refund reserved nothing: what is left is the captured amount minus the success.
  auto got = c.Get("/v1/payments/" + id, {{"Authorization", "Bearer " + secret_}});
  ASSERT_TRUE(got);
  EXPECT_NE(got->body.find(R"("refunded_amount":10000)"), std::string::npos) << got->body;
  auto rest = refund("", "ref-3");
  ASSERT_TRUE(rest);
  EXPECT_EQ(rest->status, 201) << rest->body;
  EXPECT_NE(rest->body.find(R"("amount":140000)"), std::string::npos) << rest->body;
  EXPECT_EQ(settle(4),
            (std::vector<std::string>{"payment.succeeded", "refund.failed", "refund.succeeded", "refund.succeeded"}));

  // The payment's refunds, oldest first, failed ones included.
  auto list = c.Get("/v1/payments/" + id + "/refunds", {{"Authorization", "Bearer " + secret_}});
  ASSERT_TRUE(list);
  ASSERT_EQ(list->status, 200) << list->body;
  const auto first = list->body.find(R"("amount":10013,"currency":"RUB")");
  const auto second = list->body.find(R"("amount":10000,"currency":"RUB")");
  const auto third = list->body.find(R"("amount":140000,"currency":"RUB")");
  ASSERT_NE(first, std::string::npos) << list->body;
  ASSERT_NE(second, std::string::npos) << list->body;
  ASSERT_NE(third, std::string::npos) << list->body;
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
  EXPECT_NE(list->body.find(R"("failure_reason":"refund_declined")"), std::string::npos) << list->body;
  auto missing = c.Get("/v1/payments/pay_nothere/refunds", {{"Authorization", "Bearer " + secret_}});
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  auto anonymous = c.Get("/v1/payments/" + id + "/refunds");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
}

TEST_F(SandboxTest, DeclineAndErrorCardsFailThePayment) {
  const auto declined = create(payment_body(true), "k-decline");
  auto r = pay(declined, "4000000000000002");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 303);
  EXPECT_EQ(status_of_payment(declined), "failed");
  const auto errored = create(payment_body(true), "k-error");
  ASSERT_TRUE(pay(errored, "4000000000009995"));
  httplib::Client c("127.0.0.1", port_);
  auto got = c.Get("/v1/payments/" + errored, {{"Authorization", "Bearer " + secret_}});
  ASSERT_TRUE(got);
  EXPECT_NE(got->body.find(R"("status":"failed")"), std::string::npos) << got->body;
  EXPECT_NE(got->body.find(R"("failure_reason":"processing_error")"), std::string::npos) << got->body;
  EXPECT_EQ(settle(2), (std::vector<std::string>{"payment.failed", "payment.failed"}));
}

TEST_F(SandboxTest, UnknownCardIsRefusedAndChangesNothing) {
  const auto id = create(payment_body(true), "k-unknown");
  auto r = pay(id, "4111111111111111");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 422);
  EXPECT_EQ(status_of_payment(id), "pending");
}

TEST_F(SandboxTest, DelayedCardStaysPendingThenSucceeds) {
  const auto id = create(payment_body(true), "k-delayed");
  auto r = pay(id, "4000000000003220");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 303);
  EXPECT_EQ(status_of_payment(id), "pending");
  EXPECT_TRUE(wait_until([&] { return status_of_payment(id) == "succeeded"; }, 10s)) << server_->output();
  EXPECT_EQ(settle(1), std::vector<std::string>{"payment.succeeded"});
}

TEST_F(SandboxTest, ForgedCallbackIs401AndChangesNothing) {
  const auto id = create(payment_body(true), "k-forged");
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  const std::string body = callback_body(id, "evt_forged");
  auto forged = post_callback(body, signed_headers(body, sk, now_s()));
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 401) << forged->body;
  auto unsigned_cb = post_callback(body, {});
  ASSERT_TRUE(unsigned_cb);
  EXPECT_EQ(unsigned_cb->status, 401);
  EXPECT_EQ(status_of_payment(id), "pending");
  // The callbacks were answered: whatever they changed is in the outbox by now.
  const auto recorded = outbox(port_, secret_);
  ASSERT_TRUE(recorded);
  EXPECT_TRUE(recorded->empty());
  EXPECT_TRUE(receiver_.received().empty());
}

TEST_F(SandboxTest, ReplayedGenuineCallbackIs200WithoutASecondWebhook) {
  const auto id = create(payment_body(true), "k-replay");
  const std::string key = server_key();
  ASSERT_EQ(key.size(), static_cast<std::size_t>(crypto_sign_SECRETKEYBYTES));
  const auto* sk = reinterpret_cast<const unsigned char*>(key.data());
  const std::string body = callback_body(id, "evt_replayed");
  const auto headers = signed_headers(body, sk, now_s());
  for (int i = 0; i < 3; ++i) {
    auto r = post_callback(body, headers);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << r->body;
  }
  EXPECT_EQ(status_of_payment(id), "succeeded");
  EXPECT_EQ(settle(1), std::vector<std::string>{"payment.succeeded"});
  // A genuine callback sent to another site's URL is refused.
  httplib::Client c("127.0.0.1", port_);
  auto elsewhere = c.Post("/v1/callbacks/sandbox/site_other", headers, body, "application/json");
  ASSERT_TRUE(elsewhere);
  EXPECT_EQ(elsewhere->status, 400) << elsewhere->body;
  // An expired timestamp is refused even with the genuine key.
  auto stale = post_callback(body, signed_headers(body, sk, now_s() - 301));
  ASSERT_TRUE(stale);
  EXPECT_EQ(stale->status, 401);
}

}  // namespace
}  // namespace vitrina::testing
