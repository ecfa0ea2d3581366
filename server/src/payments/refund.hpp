#pragma once
// Refunds with the sandbox acquirer, which refunds at once: protocol::open_refund reserves the
// amount (refunds never exceed what was captured) and protocol::apply records its success, so
// the refund, the payment's new refunded total and the refund.succeeded event are one write.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/payment_records.hpp"
#include "vitrina/protocol/result.hpp"

namespace vitrina::payments {

inline constexpr std::string_view kRefundPrefix = "re_";

/// `{"id","payment_id","status","amount","currency","order_id","metadata","created_at"}`.
std::string refund_json(const store::Refund& refund, const store::Payment& payment);

struct RefundPlan {
  store::Refund refund;
  store::PaymentUpdate update;  // the payment with its refunded total, the refund, the event
};

/// A refund of `amount` (everything still refundable when empty) of `current`. Errors:
/// "conflict" when the payment has not succeeded; "invalid" with field "amount" when the
/// amount is not positive or above what is left to refund.
protocol::Result<RefundPlan> plan_sandbox_refund(const store::Payment& current, std::optional<std::int64_t> amount,
                                                 std::int64_t now_ms);

}  // namespace vitrina::payments
