#include "vitrina/protocol/refund.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vitrina/protocol/amount.hpp"

namespace vitrina::protocol {
namespace {

PaymentState paid(std::int64_t captured = 1000) {
  PaymentState s;
  s.status = PaymentStatus::succeeded;
  s.amount = 1000;
  s.captured_amount = captured;
  return s;
}

// Opens a refund and returns it; the payment is updated in place.
RefundState open(PaymentState& payment, std::int64_t amount) {
  auto r = open_refund(payment, amount);
  EXPECT_TRUE(r) << amount << ": " << r.error().message;
  if (!r) return {};
  payment = r->payment;
  return r->refund;
}

// Applies an answer and returns the refund; the payment is updated in place.
RefundState answer(PaymentState& payment, const RefundState& refund, const RefundEvent& event) {
  auto r = apply(payment, refund, event);
  EXPECT_TRUE(r) << r.error().message;
  if (!r) return refund;
  payment = r->payment;
  return r->refund;
}

TEST(CanRefund, OnlyASucceededPaymentIsRefunded) {
  for (PaymentStatus status : {PaymentStatus::pending, PaymentStatus::waiting_for_capture, PaymentStatus::canceled,
                               PaymentStatus::failed, PaymentStatus::expired}) {
    PaymentState s = paid();
    s.status = status;
    const auto r = can_refund(s, 100);
    ASSERT_FALSE(r) << to_string(status);
    EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::conflict);
    EXPECT_NE(r.error().message.find(to_string(status)), std::string::npos);
    EXPECT_EQ(refundable_amount(s), 0);
  }
  EXPECT_TRUE(can_refund(paid(), 100));
}

TEST(CanRefund, RefusesZeroNegativeAndHugeAmounts) {
  for (std::int64_t bad : {std::int64_t{0}, std::int64_t{-1}, kMaxAmount + 1}) {
    const auto r = can_refund(paid(), bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::invalid);
    EXPECT_EQ(r.error().field, "amount");
  }
}

TEST(CanRefund, AllowsUpToTheCapturedAmountAndNotOneMore) {
  EXPECT_TRUE(can_refund(paid(), 1000));
  const auto r = can_refund(paid(), 1001);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::invalid);
  EXPECT_EQ(r.error().field, "amount");
  EXPECT_EQ(r.error().message,
            "amount 1001 exceeds what is left to refund: 1000 of 1000 captured (0 refunded, 0 in pending refunds)");
}

TEST(CanRefund, AfterPartialCaptureOnlyTheCapturedPartIsRefundable) {
  PaymentState s = paid(600);
  s.authorized_amount = 1000;
  EXPECT_EQ(refundable_amount(s), 600);
  EXPECT_TRUE(can_refund(s, 600));
  EXPECT_FALSE(can_refund(s, 601));
}

TEST(CanRefund, CountsPendingRefundsAgainstTheCapturedAmount) {
  PaymentState s = paid();
  const RefundState a = open(s, 300);
  const RefundState b = open(s, 300);
  EXPECT_EQ(s.pending_refund_amount, 600);
  EXPECT_EQ(refundable_amount(s), 400);
  EXPECT_FALSE(can_refund(s, 401));
  const RefundState c = open(s, 400);
  EXPECT_EQ(refundable_amount(s), 0);
  EXPECT_FALSE(can_refund(s, 1));
  EXPECT_EQ(a.status, RefundStatus::pending);
  EXPECT_EQ(b.amount, 300);
  EXPECT_EQ(c.amount, 400);
}

TEST(OpenRefund, RefusesWithoutTouchingTheTotals) {
  PaymentState s = paid();
  open(s, 900);
  const auto r = open_refund(s, 200);
  ASSERT_FALSE(r);
  EXPECT_EQ(s.pending_refund_amount, 900);
}

TEST(ApplyRefund, SuccessMovesTheAmountFromPendingToRefunded) {
  PaymentState s = paid();
  const RefundState opened = open(s, 250);
  const auto r = apply(s, opened, RefundEvent::succeeded());
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->changed);
  EXPECT_EQ(r->refund.status, RefundStatus::succeeded);
  EXPECT_EQ(r->payment.refunded_amount, 250);
  EXPECT_EQ(r->payment.pending_refund_amount, 0);
  EXPECT_EQ(r->payment.status, PaymentStatus::succeeded);  // a refunded payment stays succeeded
  EXPECT_EQ(webhook_event_type(*r), "refund.succeeded");
}

TEST(ApplyRefund, FailureReleasesTheReservedAmount) {
  PaymentState s = paid();
  const RefundState opened = open(s, 1000);
  EXPECT_FALSE(can_refund(s, 1));
  const auto r = apply(s, opened, RefundEvent::failed("insufficient_merchant_balance"));
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->changed);
  EXPECT_EQ(r->refund.status, RefundStatus::failed);
  EXPECT_EQ(r->refund.failure_reason, "insufficient_merchant_balance");
  EXPECT_EQ(r->payment.refunded_amount, 0);
  EXPECT_EQ(r->payment.pending_refund_amount, 0);
  EXPECT_EQ(webhook_event_type(*r), "refund.failed");
  EXPECT_TRUE(can_refund(r->payment, 1000));
}

TEST(ApplyRefund, RepeatedAnswerChangesNothing) {
  PaymentState s = paid();
  RefundState refund = open(s, 100);
  refund = answer(s, refund, RefundEvent::succeeded());
  const auto again = apply(s, refund, RefundEvent::succeeded());
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->changed);
  EXPECT_EQ(again->payment, s);
  EXPECT_EQ(again->refund, refund);
  EXPECT_EQ(webhook_event_type(*again), std::nullopt);

  RefundState other = open(s, 100);
  other = answer(s, other, RefundEvent::failed("x"));
  const auto failed_again = apply(s, other, RefundEvent::failed("y"));
  ASSERT_TRUE(failed_again);
  EXPECT_FALSE(failed_again->changed);
  EXPECT_EQ(failed_again->refund.failure_reason, "x");
}

TEST(ApplyRefund, OppositeAnswerAfterAFinalOneIsAConflict) {
  PaymentState s = paid();
  RefundState done = answer(s, open(s, 100), RefundEvent::succeeded());
  const auto r = apply(s, done, RefundEvent::failed("late"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::conflict);

  RefundState failed = answer(s, open(s, 100), RefundEvent::failed("declined"));
  const auto r2 = apply(s, failed, RefundEvent::succeeded());
  ASSERT_FALSE(r2);
  EXPECT_EQ(r2.error().code, vitrina::protocol::ErrorCode::conflict);
  EXPECT_EQ(s.refunded_amount, 100);
  EXPECT_EQ(s.pending_refund_amount, 0);
}

TEST(ApplyRefund, RefusesARefundThatWasNeverReserved) {
  const PaymentState s = paid();  // no pending refunds
  const auto r = apply(s, RefundState{RefundStatus::pending, 100, {}}, RefundEvent::succeeded());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::internal);
  PaymentState broken = paid();
  broken.pending_refund_amount = 100;
  broken.refunded_amount = 1000;  // inconsistent: refunding more than captured
  EXPECT_FALSE(apply(broken, RefundState{RefundStatus::pending, 100, {}}, RefundEvent::succeeded()));
  EXPECT_EQ(refundable_amount(broken), 0);  // clamped, never negative
}

TEST(ApplyRefund, ResultsInAnyOrderGiveTheSameTotals) {
  PaymentState forward = paid();
  const RefundState a = open(forward, 300);
  const RefundState b = open(forward, 500);
  PaymentState backward = forward;
  answer(forward, a, RefundEvent::succeeded());
  answer(forward, b, RefundEvent::failed("declined"));
  answer(backward, b, RefundEvent::failed("declined"));
  answer(backward, a, RefundEvent::succeeded());
  EXPECT_EQ(forward, backward);
  EXPECT_EQ(forward.refunded_amount, 300);
  EXPECT_EQ(forward.pending_refund_amount, 0);
  EXPECT_EQ(refundable_amount(forward), 700);
}

TEST(ApplyRefund, RefundsNeverExceedTheCapturedAmountUnderRandomInterleavings) {
  std::uint64_t seed = 42;
  const auto next = [&seed] {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::int64_t>(seed >> 33);
  };
  for (int run = 0; run < 500; ++run) {
    PaymentState s = paid(1 + next() % 5000);
    std::vector<RefundState> refunds;
    for (int i = 0; i < 30; ++i) {
      const std::int64_t pick = next() % 3;
      if (pick == 0 || refunds.empty()) {
        if (auto opened = open_refund(s, 1 + next() % 2000)) {
          s = opened->payment;
          refunds.push_back(opened->refund);
        }
      } else {
        RefundState& r = refunds[static_cast<std::size_t>(next()) % refunds.size()];
        const RefundEvent ev = pick == 1 ? RefundEvent::succeeded() : RefundEvent::failed("declined");
        if (auto applied = apply(s, r, ev)) {
          s = applied->payment;
          r = applied->refund;
        }
      }
      ASSERT_LE(s.refunded_amount + s.pending_refund_amount, s.captured_amount);
      std::int64_t succeeded = 0;
      std::int64_t pending = 0;
      for (const RefundState& r : refunds) {
        if (r.status == RefundStatus::succeeded) succeeded += r.amount;
        if (r.status == RefundStatus::pending) pending += r.amount;
      }
      ASSERT_EQ(s.refunded_amount, succeeded);
      ASSERT_EQ(s.pending_refund_amount, pending);
    }
  }
}

TEST(RefundStatusNames, RoundTripAndRefuseOtherSpellings) {
  for (RefundStatus status : {RefundStatus::pending, RefundStatus::succeeded, RefundStatus::failed}) {
    const auto parsed = parse_refund_status(to_string(status));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, status);
  }
  for (std::string_view bad : {"", "Pending", "canceled", "refunded", "failed "}) {
    const auto r = parse_refund_status(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().field, "status");
  }
}

}  // namespace
}  // namespace vitrina::protocol
