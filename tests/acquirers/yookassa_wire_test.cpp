// YooKassa's wire format: the create body (decimal string amounts, capture, redirect
// confirmation, our id in metadata, the 54-FZ receipt), capture and refund bodies, payment,
// refund and error objects, notifications (read only for the object's id), the status mapping.

#include "acquirers/yookassa_wire.hpp"

#include <gtest/gtest.h>

#include "vitrina/protocol/json_reader.hpp"

namespace vitrina::acquirers::yookassa {
namespace {

store::Payment payment(bool capture) {
  store::Payment p;
  p.id = "pay_1";
  p.site_id = "site_a";
  p.amount = 150050;
  p.currency = "RUB";
  p.order_id = "order-7";
  p.description = "Заказ 7";
  p.capture = capture;
  p.items_json = R"([{"name":"Чай","quantity":2,"amount":50000},{"name":"Кружка","quantity":1,"amount":50050}])";
  p.customer_json = R"({"email":"a@b.example","phone":"+79001234567"})";
  return p;
}

TEST(YooKassaCreate, CarriesDecimalAmountCaptureRedirectAndOurId) {
  auto body = create_request(payment(false), "https://shop.example/back", {});
  ASSERT_TRUE(body) << body.error().message;
  auto j = protocol::parse_json(*body);
  ASSERT_TRUE(j);
  EXPECT_EQ(j->find("amount")->find("value")->text, "1500.50");
  EXPECT_EQ(j->find("amount")->find("currency")->text, "RUB");
  EXPECT_FALSE(j->find("capture")->boolean);
  EXPECT_EQ(j->find("confirmation")->find("type")->text, "redirect");
  EXPECT_EQ(j->find("confirmation")->find("return_url")->text, "https://shop.example/back");
  EXPECT_EQ(j->find("metadata")->find("vitrina_payment_id")->text, "pay_1");
  EXPECT_EQ(j->find("receipt"), nullptr);
}

TEST(YooKassaCreate, BuildsTheReceiptFromItemsAndCustomer) {
  ReceiptOptions receipt{.enabled = true, .vat_code = 4, .tax_system_code = 2};
  auto body = create_request(payment(true), "https://shop.example/back", receipt);
  ASSERT_TRUE(body) << body.error().message;
  auto j = protocol::parse_json(*body);
  const auto* r = j->find("receipt");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->find("customer")->find("email")->text, "a@b.example");
  EXPECT_EQ(r->find("customer")->find("phone")->text, "79001234567");
  EXPECT_EQ(r->find("tax_system_code")->text, "2");
  const auto& items = r->find("items")->items;
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].find("description")->text, "Чай");
  EXPECT_EQ(items[0].find("quantity")->text, "2");
  EXPECT_EQ(items[0].find("amount")->find("value")->text, "500.00");
  EXPECT_EQ(items[0].find("vat_code")->text, "4");
  EXPECT_EQ(items[1].find("payment_subject")->text, "commodity");
}

TEST(YooKassaCreate, RefusesAReceiptThatCannotBeMade) {
  ReceiptOptions receipt{.enabled = true};
  auto p = payment(true);
  p.amount = 100;
  EXPECT_EQ(create_request(p, "https://x/", receipt).error().field, "items");
  p = payment(true);
  p.customer_json = "null";
  EXPECT_EQ(create_request(p, "https://x/", receipt).error().field, "customer");
  p.items_json = "[]";
  EXPECT_EQ(create_request(p, "https://x/", receipt).error().field, "items");
}

TEST(YooKassaBodies, CaptureAndRefund) {
  EXPECT_EQ(capture_request(100000, "RUB"), R"({"amount":{"value":"1000.00","currency":"RUB"}})");
  EXPECT_EQ(refund_request("2d9a", 5, "RUB"), R"({"payment_id":"2d9a","amount":{"value":"0.05","currency":"RUB"}})");
  EXPECT_EQ(basic_auth("100500", "test_x"), "Basic MTAwNTAwOnRlc3RfeA==");
}

TEST(YooKassaObjects, ReadsPaymentsRefundsAndErrors) {
  auto p =
      parse_payment(R"({"id":"2d9a","status":"canceled","paid":false,"amount":{"value":"1500.50","currency":"RUB"},)"
                    R"("confirmation":{"type":"redirect","confirmation_url":"https://yoomoney.ru/checkout/x"},)"
                    R"("cancellation_details":{"party":"payment_network","reason":"insufficient_funds"},)"
                    R"("metadata":{"vitrina_payment_id":"pay_1"}})");
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->amount, 150050);
  EXPECT_EQ(p->confirmation_url, "https://yoomoney.ru/checkout/x");
  EXPECT_EQ(p->vitrina_payment_id, "pay_1");
  EXPECT_EQ(p->cancellation_reason, "insufficient_funds");
  EXPECT_FALSE(parse_payment(R"({"id":"x","status":"pending","amount":{"value":"1.005","currency":"RUB"}})"));
  EXPECT_FALSE(parse_payment("<html>"));
  auto r = parse_refund(R"({"id":"r1","status":"canceled","cancellation_details":{"reason":"rejected_by_payee"}})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->cancellation_reason, "rejected_by_payee");
  auto e =
      parse_error(R"({"type":"error","id":"e","code":"invalid_request","description":"Bad","parameter":"amount"})");
  EXPECT_EQ(e.code, "invalid_request");
  EXPECT_EQ(e.parameter, "amount");
  EXPECT_EQ(parse_error("oops").code, "unknown");
}

TEST(YooKassaNotification, GivesOnlyTheEventAndTheObjectId) {
  auto n = parse_notification(
      R"({"type":"notification","event":"payment.succeeded","object":{"id":"2d9a","status":"succeeded"}})");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->event, "payment.succeeded");
  EXPECT_EQ(n->object_id, "2d9a");
  EXPECT_FALSE(parse_notification(R"({"event":"payment.succeeded","object":{"id":"2d9a"}})"));
  EXPECT_FALSE(parse_notification(R"({"type":"notification","event":"payment.succeeded","object":{}})"));
  EXPECT_FALSE(parse_notification("event=payment.succeeded"));
}

TEST(YooKassaStatus, MapsOntoPaymentEvents) {
  using K = protocol::PaymentEventKind;
  PaymentObject p{.id = "x", .status = "pending", .amount = 100, .currency = "RUB"};
  EXPECT_FALSE(payment_event(p));
  p.status = "waiting_for_capture";
  EXPECT_EQ(payment_event(p)->kind, K::authorized);
  EXPECT_EQ(payment_event(p)->amount, 100);
  p.status = "succeeded";
  EXPECT_EQ(payment_event(p)->kind, K::succeeded);
  p.status = "canceled";
  p.cancellation_reason = "expired_on_confirmation";
  EXPECT_EQ(payment_event(p)->kind, K::expired);
  p.cancellation_party = "merchant";
  p.cancellation_reason = "canceled_by_merchant";
  EXPECT_EQ(payment_event(p)->kind, K::canceled);
  p.cancellation_party = "yoo_money";
  p.cancellation_reason = "expired_on_capture";
  EXPECT_EQ(payment_event(p)->kind, K::canceled);
  p.cancellation_party = "payment_network";
  p.cancellation_reason = "card_expired";
  EXPECT_EQ(payment_event(p)->kind, K::failed);
  EXPECT_EQ(payment_event(p)->reason, "card_expired");
  PaymentObject a = p, b = p;
  b.status = "succeeded";
  EXPECT_NE(event_key(a), event_key(b));
}

}  // namespace
}  // namespace vitrina::acquirers::yookassa
