// State changes: protocol::apply decides, plan_change turns the answer into a store update with
// its webhook event, and the payment JSON carries what the shop needs.

#include <gtest/gtest.h>

#include "payments/payment.hpp"
#include "payments/refund.hpp"

namespace vitrina::payments {
namespace {

store::Payment pending_payment() {
  CreatePaymentRequest req;
  req.amount = 10000;
  req.currency = *protocol::find_currency("RUB");
  req.order_id = "order-7";
  req.return_url = "https://shop.example/back";
  req.metadata = {{"cart", "c1"}};
  req.acquirer = "sandbox";
  req.expires_in_s = 600;
  auto p = new_payment(req, "site_x", 1'700'000'000'000);
  p.confirmation_url = "http://127.0.0.1:8080/sandbox/pay/" + p.id;
  return p;
}

TEST(NewPayment, IsPendingWithRedirectAndDeadline) {
  auto p = pending_payment();
  EXPECT_TRUE(new_payment({}, "site_x", 0).confirmation_url.empty());
  EXPECT_TRUE(p.id.starts_with("pay_"));
  EXPECT_EQ(p.status, vitrina::protocol::PaymentStatus::pending);
  EXPECT_EQ(p.confirmation_url, "http://127.0.0.1:8080/sandbox/pay/" + p.id);
  EXPECT_EQ(p.expires_at, 1'700'000'600'000);
  EXPECT_EQ(p.version, 1);
  const auto json = payment_json(p);
  EXPECT_NE(json.find(R"("status":"pending")"), std::string::npos);
  EXPECT_NE(json.find(R"("metadata":{"cart":"c1"})"), std::string::npos);
  EXPECT_NE(json.find(R"("confirmation":{"type":"redirect","url":")"), std::string::npos);
  EXPECT_NE(json.find(R"("created_at":"2023-11-14T22:13:20.000Z")"), std::string::npos);
  EXPECT_NE(json.find(R"("expires_at":"2023-11-14T22:23:20.000Z")"), std::string::npos);
}

TEST(PlanChange, CancelPendingWritesCanceledEvent) {
  auto p = pending_payment();
  auto c = plan_change(p, protocol::PaymentEvent::canceled(), 1'700'000'001'000);
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->update);
  EXPECT_EQ(c->payment.status, vitrina::protocol::PaymentStatus::canceled);
  EXPECT_EQ(c->update->expected_version, 1);
  EXPECT_EQ(c->update->payment.version, 2);
  ASSERT_TRUE(c->update->event);
  EXPECT_EQ(c->update->event->event_type, "payment.canceled");
  EXPECT_NE(c->update->event->payload.find(R"("order_id":"order-7")"), std::string::npos);
  EXPECT_NE(c->update->event->payload.find(R"("metadata":{"cart":"c1"})"), std::string::npos);
  EXPECT_NE(c->update->event->payload.find(R"("status":"canceled")"), std::string::npos);
}

TEST(PlanChange, RepeatChangesNothing) {
  auto p = pending_payment();
  p.status = vitrina::protocol::PaymentStatus::canceled;
  auto c = plan_change(p, protocol::PaymentEvent::canceled(), 1);
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->update);
  EXPECT_EQ(c->payment.version, p.version);
}

TEST(PlanChange, CaptureOfPendingIsConflict) {
  auto c = plan_change(pending_payment(), protocol::PaymentEvent::captured(), 1);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, vitrina::protocol::ErrorCode::conflict);
}

TEST(PlanChange, PartialCaptureOfHeldPaymentSucceeds) {
  auto p = pending_payment();
  p.status = vitrina::protocol::PaymentStatus::waiting_for_capture;
  p.authorized_amount = 10000;
  auto c = plan_change(p, protocol::PaymentEvent::captured(4000), 5);
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->update);
  EXPECT_EQ(c->payment.status, vitrina::protocol::PaymentStatus::succeeded);
  EXPECT_EQ(c->payment.captured_amount, 4000);
  EXPECT_EQ(c->update->event->event_type, "payment.succeeded");
  auto over = plan_change(p, protocol::PaymentEvent::captured(10001), 5);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().field, "amount");
}

TEST(PlanChange, CancelSucceededIsConflict) {
  auto p = pending_payment();
  p.status = vitrina::protocol::PaymentStatus::succeeded;
  p.captured_amount = p.amount;
  auto c = plan_change(p, protocol::PaymentEvent::canceled(), 1);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, vitrina::protocol::ErrorCode::conflict);
}

}  // namespace
}  // namespace vitrina::payments

namespace vitrina::payments {
namespace {

store::Payment succeeded_payment() {
  auto p = pending_payment();
  p.status = vitrina::protocol::PaymentStatus::succeeded;
  p.captured_amount = 8000;
  return p;
}

TEST(PlanRefund, SucceededRefundMovesTheTotal) {
  auto plan = plan_refund(succeeded_payment(), 3000, protocol::RefundEvent::succeeded(), 7);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_TRUE(plan->refund.id.starts_with("re_"));
  EXPECT_EQ(plan->refund.status, vitrina::protocol::RefundStatus::succeeded);
  EXPECT_EQ(plan->refund.amount, 3000);
  EXPECT_EQ(plan->update.payment.refunded_amount, 3000);
  EXPECT_EQ(plan->update.payment.version, 2);
  ASSERT_TRUE(plan->update.refund);
  ASSERT_TRUE(plan->update.event);
  EXPECT_EQ(plan->update.event->event_type, "refund.succeeded");
  EXPECT_NE(plan->update.event->payload.find(R"("order_id":"order-7")"), std::string::npos);
}

TEST(PlanRefund, FailedRefundKeepsTheTotalAndSaysWhy) {
  auto p = succeeded_payment();
  p.refunded_amount = 1000;
  auto plan = plan_refund(p, 3000, protocol::RefundEvent::failed("refund_declined"), 7);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(plan->refund.status, vitrina::protocol::RefundStatus::failed);
  EXPECT_EQ(plan->refund.failure_reason, "refund_declined");
  EXPECT_EQ(plan->update.payment.refunded_amount, 1000);
  ASSERT_TRUE(plan->update.event);
  EXPECT_EQ(plan->update.event->event_type, "refund.failed");
  EXPECT_NE(plan->update.event->payload.find(R"("failure_reason":"refund_declined")"), std::string::npos);
  EXPECT_NE(refund_json(plan->refund, plan->update.payment).find(R"("status":"failed")"), std::string::npos);
}

TEST(PlanRefund, WithoutAmountRefundsWhatIsLeft) {
  auto p = succeeded_payment();
  p.refunded_amount = 5000;
  auto amount = refund_amount(p, std::nullopt);
  ASSERT_TRUE(amount);
  EXPECT_EQ(*amount, 3000);
  auto plan = plan_refund(p, *amount, protocol::RefundEvent::succeeded(), 7);
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->refund.amount, 3000);
  EXPECT_EQ(plan->update.payment.refunded_amount, 8000);
}

TEST(PlanRefund, NeverMoreThanCaptured) {
  auto p = succeeded_payment();
  p.refunded_amount = 5000;
  auto over = refund_amount(p, 3001);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().field, "amount");
  EXPECT_FALSE(plan_refund(p, 3001, protocol::RefundEvent::succeeded(), 7));
  p.refunded_amount = 8000;
  EXPECT_FALSE(refund_amount(p, std::nullopt));
}

TEST(PlanRefund, OnlySucceededPayments) {
  auto amount = refund_amount(pending_payment(), 100);
  ASSERT_FALSE(amount);
  EXPECT_EQ(amount.error().code, vitrina::protocol::ErrorCode::conflict);
  auto plan = plan_refund(pending_payment(), 100, protocol::RefundEvent::succeeded(), 7);
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().code, vitrina::protocol::ErrorCode::conflict);
}

}  // namespace
}  // namespace vitrina::payments
