// The Stripe and CloudPayments connectors' callback side with no network: what they verify,
// which events they report, and how CloudPayments answers each outcome. Their HTTP side runs
// against the emulators in tests/integration.

#include <gtest/gtest.h>

#include "acquirers/cloudpayments.hpp"
#include "acquirers/stripe.hpp"
#include "acquirers/stripe_signature.hpp"

namespace vitrina::acquirers {
namespace {

constexpr std::int64_t kNow = 1'767'225'600;

HttpClient unused_client() { return HttpClient(*parse_base_url("http://127.0.0.1:9"), HttpClientOptions{}); }

Stripe stripe_connector() {
  return Stripe(unused_client(), {{"site_a", {.secret_key = "sk_test_a", .webhook_secret = "whsec_a"}}}, IpAllowList{});
}

std::string completed(const std::string& site, const std::string& payment_status = "paid",
                      const std::string& capture = "") {
  return R"({"id":"evt_1","object":"event","type":"checkout.session.completed","created":1,"data":{"object":{)"
         R"("id":"cs_1","object":"checkout.session","url":null,"status":"complete","payment_status":")" +
         payment_status +
         R"(","currency":"eur","amount_total":1500,"expires_at":2,"payment_intent":"pi_1",)"
         R"("metadata":{"vitrina_payment_id":"pay_1","vitrina_site_id":")" +
         site + R"(")" + (capture.empty() ? "" : R"(,"vitrina_capture":")" + capture + R"(")") + "}}}}";
}

RawHeaders stripe_headers(const std::string& body, const std::string& secret = "whsec_a", std::int64_t t = kNow) {
  return {{"Stripe-Signature", stripe::sign(secret, t, body)}};
}

TEST(StripeConnector, ReportsAVerifiedCompletedSessionWithItsAmount) {
  const auto body = completed("site_a");
  auto events = stripe_connector().verify_callback(stripe_headers(body), body, {.site_id = "site_a", .now_s = kNow});
  ASSERT_TRUE(events) << events.error().message;
  ASSERT_EQ(events->size(), 1u);
  const AcquirerEvent& e = events->front();
  EXPECT_EQ(e.event_id, "evt_1");
  EXPECT_EQ(e.payment_id, "pay_1");
  EXPECT_EQ(e.acquirer_ref, "cs_1");
  EXPECT_EQ(e.event.kind, protocol::PaymentEventKind::succeeded);
  EXPECT_EQ(e.amount, 1500);
  EXPECT_EQ(e.currency, "EUR");
}

TEST(StripeConnector, ReportsATwoStageSessionAsAuthorized) {
  const auto body = completed("site_a", "unpaid", "manual");
  auto events = stripe_connector().verify_callback(stripe_headers(body), body, {.site_id = "site_a", .now_s = kNow});
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ(events->front().event.kind, protocol::PaymentEventKind::authorized);
}

TEST(StripeConnector, RefusesABadSignatureAnUnknownSiteAndAStaleTimestamp) {
  const auto body = completed("site_a");
  const auto s = stripe_connector();
  auto forged = s.verify_callback(stripe_headers(body, "whsec_b"), body, {.site_id = "site_a", .now_s = kNow});
  ASSERT_FALSE(forged);
  EXPECT_EQ(forged.error().code, vitrina::protocol::ErrorCode::unauthenticated);
  auto tampered = s.verify_callback(stripe_headers(body), body + " ", {.site_id = "site_a", .now_s = kNow});
  ASSERT_FALSE(tampered);
  EXPECT_EQ(tampered.error().code, vitrina::protocol::ErrorCode::unauthenticated);
  auto stale =
      s.verify_callback(stripe_headers(body, "whsec_a", kNow - 301), body, {.site_id = "site_a", .now_s = kNow});
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, vitrina::protocol::ErrorCode::unauthenticated);
  auto elsewhere = s.verify_callback(stripe_headers(body), body, {.site_id = "site_b", .now_s = kNow});
  ASSERT_FALSE(elsewhere);
  EXPECT_EQ(elsewhere.error().code, vitrina::protocol::ErrorCode::unauthenticated);
}

TEST(StripeConnector, AcknowledgesAnotherSitesSessionWithoutActing) {
  // One Stripe account, two sites: each endpoint receives every event of the account.
  const auto body = completed("site_b");
  auto events = stripe_connector().verify_callback(stripe_headers(body), body, {.site_id = "site_a", .now_s = kNow});
  ASSERT_TRUE(events);
  EXPECT_TRUE(events->empty());
}

TEST(StripeConnector, HonoursTheAllowList) {
  const Stripe s(unused_client(), {{"site_a", {.secret_key = "sk_test_a", .webhook_secret = "whsec_a"}}},
                 *IpAllowList::parse("3.18.12.63/32"));
  const auto body = completed("site_a");
  auto outside = s.verify_callback(stripe_headers(body), body,
                                   {.site_id = "site_a", .peer_address = "203.0.113.9", .now_s = kNow});
  ASSERT_FALSE(outside);
  EXPECT_EQ(outside.error().code, vitrina::protocol::ErrorCode::unauthenticated);
  auto inside =
      s.verify_callback(stripe_headers(body), body, {.site_id = "site_a", .peer_address = "3.18.12.63", .now_s = kNow});
  EXPECT_TRUE(inside);
}

CloudPayments cloudpayments_connector() {
  return CloudPayments(unused_client(), {{"site_a", {.public_id = "pk_a", .api_secret = "secret_a"}}}, IpAllowList{});
}

RawHeaders cp_headers(const std::string& body, const std::string& secret = "secret_a") {
  return {{"X-Content-HMAC", cloudpayments::content_hmac(body, secret)}};
}

const std::string kPay = "TransactionId=504&Amount=15.00&Currency=RUB&InvoiceId=pay_1&Status=Completed";

TEST(CloudPaymentsConnector, ReportsAPayByTheKindTheUrlNames) {
  auto events = cloudpayments_connector().verify_callback(cp_headers(kPay), kPay,
                                                          {.site_id = "site_a", .now_s = kNow, .kind = "pay"});
  ASSERT_TRUE(events) << events.error().message;
  ASSERT_EQ(events->size(), 1u);
  const AcquirerEvent& e = events->front();
  EXPECT_EQ(e.event_id, "pay:504");
  EXPECT_EQ(e.payment_id, "pay_1");
  EXPECT_EQ(e.event.kind, protocol::PaymentEventKind::succeeded);
  EXPECT_EQ(e.amount, 1500);
  EXPECT_EQ(e.currency, "RUB");
  EXPECT_FALSE(e.check_only);
}

TEST(CloudPaymentsConnector, ReportsACheckAsAQuestion) {
  auto events = cloudpayments_connector().verify_callback(cp_headers(kPay), kPay,
                                                          {.site_id = "site_a", .now_s = kNow, .kind = "check"});
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_TRUE(events->front().check_only);
  EXPECT_EQ(events->front().amount, 1500);
}

TEST(CloudPaymentsConnector, FailAndRefundChangeNothing) {
  const auto c = cloudpayments_connector();
  auto fail = c.verify_callback(cp_headers(kPay), kPay, {.site_id = "site_a", .now_s = kNow, .kind = "fail"});
  ASSERT_TRUE(fail);
  EXPECT_TRUE(fail->empty());
  const std::string refund = kPay + "&PaymentTransactionId=503&OperationType=Refund";
  auto refunded = c.verify_callback(cp_headers(refund), refund, {.site_id = "site_a", .now_s = kNow, .kind = "refund"});
  ASSERT_TRUE(refunded);
  EXPECT_TRUE(refunded->empty());
}

TEST(CloudPaymentsConnector, VerifiesBeforeAskingWhatKindItIs) {
  const auto c = cloudpayments_connector();
  auto forged = c.verify_callback(cp_headers(kPay, "other"), kPay, {.site_id = "site_a", .now_s = kNow, .kind = "pay"});
  ASSERT_FALSE(forged);
  EXPECT_EQ(forged.error().code, vitrina::protocol::ErrorCode::unauthenticated);
  auto forged_no_kind = c.verify_callback(cp_headers(kPay, "other"), kPay, {.site_id = "site_a", .now_s = kNow});
  ASSERT_FALSE(forged_no_kind);
  EXPECT_EQ(forged_no_kind.error().code, vitrina::protocol::ErrorCode::unauthenticated);
  auto no_kind = c.verify_callback(cp_headers(kPay), kPay, {.site_id = "site_a", .now_s = kNow});
  ASSERT_FALSE(no_kind);
  EXPECT_EQ(no_kind.error().code, vitrina::protocol::ErrorCode::invalid);
  EXPECT_EQ(no_kind.error().field, "type");
}

TEST(CloudPaymentsConnector, AnswersEachOutcomeInItsOwnCodes) {
  const auto c = cloudpayments_connector();
  const auto body = [&](CallbackOutcome o) {
    auto a = c.answer_callback(o);
    return a ? std::to_string(a->status) + " " + a->body : std::string("ours");
  };
  EXPECT_EQ(body(CallbackOutcome::accepted), R"(200 {"code":0})");
  EXPECT_EQ(body(CallbackOutcome::duplicate), R"(200 {"code":0})");
  EXPECT_EQ(body(CallbackOutcome::invalid), R"(200 {"code":10})");
  EXPECT_EQ(body(CallbackOutcome::refused), R"(200 {"code":12})");
  EXPECT_EQ(body(CallbackOutcome::not_payable), R"(200 {"code":13})");
  EXPECT_EQ(body(CallbackOutcome::expired), R"(200 {"code":20})");
  // Not ours to vouch for, or our failure: a non-zero answer CloudPayments retries.
  EXPECT_EQ(body(CallbackOutcome::unauthenticated), "ours");
  EXPECT_EQ(body(CallbackOutcome::unavailable), "ours");
}

ConnectorConfig config_of(std::string name, std::map<std::string, std::string> settings,
                          std::map<std::string, std::string> site_keys) {
  ConnectorConfig c;
  c.name = std::move(name);
  c.section.settings = std::move(settings);
  c.section.sites["site_a"] = std::move(site_keys);
  return c;
}

TEST(ConnectorConfiguration, ErrorsNameTheKeyAndNeverTheSecret) {
  auto stripe_bad = make_stripe(config_of("stripe", {}, {{"secret_key", "sk_test_a"}, {"webhook_secret", "hunter2"}}));
  ASSERT_FALSE(stripe_bad);
  EXPECT_EQ(stripe_bad.error().field, "acquirers.stripe.sites.site_a.webhook_secret");
  EXPECT_EQ(stripe_bad.error().message.find("hunter2"), std::string::npos);
  auto stripe_missing = make_stripe(config_of("stripe", {}, {{"secret_key", "sk_test_a"}}));
  ASSERT_FALSE(stripe_missing);
  EXPECT_EQ(stripe_missing.error().field, "acquirers.stripe.sites.site_a.webhook_secret");
  auto stripe_plain = make_stripe(config_of("stripe", {{"base_url", "http://api.stripe.com"}},
                                            {{"secret_key", "sk_test_a"}, {"webhook_secret", "whsec_a"}}));
  ASSERT_FALSE(stripe_plain);
  EXPECT_EQ(stripe_plain.error().field, "acquirers.stripe.base_url");
  auto cp_unknown = make_cloudpayments(
      config_of("cloudpayments", {{"api_key", "x"}}, {{"public_id", "pk_a"}, {"api_secret", "secret_a"}}));
  ASSERT_FALSE(cp_unknown);
  EXPECT_EQ(cp_unknown.error().field, "acquirers.cloudpayments.api_key");
  auto cp_ips = make_cloudpayments(
      config_of("cloudpayments", {{"allowed_ips", "10.0.0.0/33"}}, {{"public_id", "pk_a"}, {"api_secret", "s"}}));
  ASSERT_FALSE(cp_ips);
  EXPECT_EQ(cp_ips.error().field, "acquirers.cloudpayments.allowed_ips");
  auto good = make_cloudpayments(config_of("cloudpayments", {}, {{"public_id", "pk_a"}, {"api_secret", "s"}}));
  ASSERT_TRUE(good) << good.error().message;
  EXPECT_TRUE((*good)->serves("site_a"));
  EXPECT_FALSE((*good)->serves("site_b"));
}

}  // namespace
}  // namespace vitrina::acquirers
