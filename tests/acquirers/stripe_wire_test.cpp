// Stripe's wire format: the Checkout Session request, the objects in answers and events, and
// what each event means for the state machine.

#include "acquirers/stripe_wire.hpp"

#include <gtest/gtest.h>

#include <map>

namespace vitrina::acquirers::stripe {
namespace {

store::Payment payment() {
  store::Payment p;
  p.id = "pay_1";
  p.site_id = "site_1";
  p.amount = 150000;
  p.currency = "EUR";
  p.order_id = "order-1";
  p.description = "Tea & cups";
  p.return_url = "https://shop.example/back?x=1";
  p.customer_json = R"({"email":"a@b.example"})";
  p.capture = true;
  return p;
}

std::map<std::string, std::string> as_map(const FormFields& fields) { return {fields.begin(), fields.end()}; }

TEST(StripeForm, EncodesEverythingButUnreservedBytes) {
  EXPECT_EQ(form_encode({{"line_items[0][quantity]", "1"}, {"name", "Tea & cups/ü"}}),
            "line_items%5B0%5D%5Bquantity%5D=1&name=Tea%20%26%20cups%2F%C3%BC");
  EXPECT_EQ(form_encode({}), "");
}

TEST(StripeForm, CheckoutSessionCarriesTheWholeAmountInOneLine) {
  const auto f = as_map(checkout_session_form(payment(), 1'700'000'000));
  EXPECT_EQ(f.at("mode"), "payment");
  EXPECT_EQ(f.at("line_items[0][price_data][unit_amount]"), "150000");
  EXPECT_EQ(f.at("line_items[0][price_data][currency]"), "eur");
  EXPECT_EQ(f.at("line_items[0][quantity]"), "1");
  EXPECT_EQ(f.at("line_items[0][price_data][product_data][name]"), "Tea & cups");
  EXPECT_EQ(f.at("success_url"), "https://shop.example/back?x=1");
  EXPECT_EQ(f.at("client_reference_id"), "pay_1");
  EXPECT_EQ(f.at("metadata[vitrina_payment_id]"), "pay_1");
  EXPECT_EQ(f.at("metadata[vitrina_site_id]"), "site_1");
  EXPECT_EQ(f.at("payment_intent_data[metadata][vitrina_payment_id]"), "pay_1");
  EXPECT_EQ(f.at("customer_email"), "a@b.example");
  EXPECT_FALSE(f.contains("payment_intent_data[capture_method]"));
}

TEST(StripeForm, TwoStageAsksForManualCapture) {
  auto p = payment();
  p.capture = false;
  const auto f = as_map(checkout_session_form(p, 1'700'000'000));
  EXPECT_EQ(f.at("payment_intent_data[capture_method]"), "manual");
  EXPECT_EQ(f.at("metadata[vitrina_capture]"), "manual");
}

TEST(StripeForm, ClampsExpiryIntoStripesWindow) {
  const std::int64_t now = 1'700'000'000;
  auto p = payment();
  p.expires_at = (now + 60) * 1000;  // 1 minute: below Stripe's 30
  EXPECT_EQ(as_map(checkout_session_form(p, now)).at("expires_at"), std::to_string(now + kMinSessionS));
  p.expires_at = (now + 7 * 86400) * 1000;
  EXPECT_EQ(as_map(checkout_session_form(p, now)).at("expires_at"), std::to_string(now + kMaxSessionS));
  p.expires_at = (now + 3600) * 1000;
  EXPECT_EQ(as_map(checkout_session_form(p, now)).at("expires_at"), std::to_string(now + 3600));
}

constexpr const char* kCompleted = R"({
  "id": "evt_1", "object": "event", "type": "checkout.session.completed", "created": 1700000000,
  "data": {"object": {"id": "cs_test_1", "object": "checkout.session", "status": "complete",
    "payment_status": "paid", "payment_intent": "pi_1", "amount_total": 150000, "currency": "eur",
    "url": null, "metadata": {"vitrina_payment_id": "pay_1", "vitrina_site_id": "site_1"}}}})";

TEST(StripeEvent, ParsesACompletedSession) {
  auto e = parse_event(kCompleted);
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->id, "evt_1");
  ASSERT_TRUE(e->session);
  EXPECT_EQ(e->session->id, "cs_test_1");
  EXPECT_EQ(e->session->payment_intent, "pi_1");
  EXPECT_EQ(e->session->currency, "EUR");
  EXPECT_EQ(e->session->amount_total, 150000);
  EXPECT_EQ(e->session->payment_id, "pay_1");
  EXPECT_EQ(e->session->site_id, "site_1");
  auto event = payment_event(*e);
  ASSERT_TRUE(event);
  EXPECT_EQ(event->kind, protocol::PaymentEventKind::succeeded);
  EXPECT_EQ(event->amount, 150000);
}

Event session_event(std::string type, std::string payment_status, bool manual) {
  Event e;
  e.id = "evt_x";
  e.type = std::move(type);
  e.session = Session{};
  e.session->payment_status = std::move(payment_status);
  e.session->manual_capture = manual;
  e.session->amount_total = 500;
  return e;
}

TEST(StripeEvent, MapsSessionEventsOntoTheStateMachine) {
  using K = protocol::PaymentEventKind;
  EXPECT_EQ(payment_event(session_event("checkout.session.completed", "unpaid", true))->kind, K::authorized);
  EXPECT_FALSE(payment_event(session_event("checkout.session.completed", "unpaid", false)));
  EXPECT_EQ(payment_event(session_event("checkout.session.async_payment_succeeded", "paid", false))->kind,
            K::succeeded);
  EXPECT_EQ(payment_event(session_event("checkout.session.async_payment_failed", "unpaid", false))->kind, K::failed);
  EXPECT_EQ(payment_event(session_event("checkout.session.expired", "unpaid", false))->kind, K::expired);
  EXPECT_FALSE(payment_event(session_event("checkout.session.something_new", "paid", false)));
}

TEST(StripeEvent, ParsesChargeRefunded) {
  auto e = parse_event(R"({"id":"evt_2","object":"event","type":"charge.refunded","created":1,
    "data":{"object":{"id":"ch_1","object":"charge","amount":1000,"amount_captured":1000,"amount_refunded":400,
    "currency":"usd","payment_intent":"pi_1","metadata":{"vitrina_payment_id":"pay_1","vitrina_site_id":"site_1"}}}})");
  ASSERT_TRUE(e) << e.error().message;
  ASSERT_TRUE(e->charge);
  EXPECT_EQ(e->charge->amount_refunded, 400);
  EXPECT_EQ(e->charge->currency, "USD");
  EXPECT_EQ(e->charge->payment_id, "pay_1");
  EXPECT_FALSE(payment_event(*e));
}

TEST(StripeEvent, AcknowledgesTypesItDoesNotUse) {
  auto e = parse_event(R"({"id":"evt_3","object":"event","type":"customer.created","data":{"object":{"id":"cus_1"}}})");
  ASSERT_TRUE(e);
  EXPECT_FALSE(e->session);
  EXPECT_FALSE(payment_event(*e));
}

TEST(StripeEvent, RefusesWhatIsNotAnEvent) {
  for (const char* body : {"", "[]", "{", R"({"id":"evt_1","type":"x"})", R"({"object":"event","type":"x"})",
                           R"({"id":1,"object":"event","type":"x"})",
                           R"({"id":"evt_1","object":"event","type":"checkout.session.completed"})",
                           R"({"id":"evt_1","object":"event","type":"checkout.session.completed",
                               "data":{"object":{"id":"cs_1","amount_total":"12"}}})"}) {
    EXPECT_FALSE(parse_event(body)) << body;
  }
}

TEST(StripeSession, StatusFromARetrievedSession) {
  using S = protocol::PaymentStatus;
  auto s = parse_session(R"({"id":"cs_1","status":"complete","payment_status":"unpaid",
    "payment_intent":{"id":"pi_1","status":"requires_capture"}})");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->payment_intent, "pi_1");
  EXPECT_EQ(session_status(*s), S::waiting_for_capture);
  s->payment_intent_status = "canceled";
  EXPECT_EQ(session_status(*s), S::canceled);
  s->payment_intent_status = "succeeded";
  EXPECT_EQ(session_status(*s), S::succeeded);
  Session open;
  open.status = "open";
  EXPECT_FALSE(session_status(open));
  open.status = "expired";
  EXPECT_EQ(session_status(open), S::expired);
}

TEST(StripeRefund, MapsRefundStatuses) {
  auto r = parse_refund(R"({"id":"re_1","object":"refund","status":"succeeded","amount":300})");
  ASSERT_TRUE(r);
  EXPECT_EQ(refund_status(*r), protocol::RefundStatus::succeeded);
  r->status = "pending";
  EXPECT_EQ(refund_status(*r), protocol::RefundStatus::pending);
  r->status = "failed";
  EXPECT_EQ(refund_status(*r), protocol::RefundStatus::failed);
  r->status = "canceled";
  EXPECT_EQ(refund_status(*r), protocol::RefundStatus::failed);
}

TEST(StripeError, ReadsTheErrorObject) {
  auto e = parse_api_error(R"({"error":{"type":"card_error","code":"card_declined","decline_code":"insufficient_funds",
    "message":"Your card has insufficient funds.","param":""}})");
  EXPECT_EQ(e.type, "card_error");
  EXPECT_EQ(e.code, "card_declined:insufficient_funds");
  EXPECT_EQ(parse_api_error("<html>").type, "");
}

}  // namespace
}  // namespace vitrina::acquirers::stripe
