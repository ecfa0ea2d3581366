#pragma once
// Refunds the acquirer settled when asked: protocol::open_refund reserves the amount (refunds
// never exceed what was captured) and protocol::apply records the acquirer's answer, so the
// refund, the payment's new refunded total and the refund.succeeded or refund.failed event are
// one write.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/payment_records.hpp"
#include "vitrina/protocol/refund.hpp"
#include "vitrina/protocol/result.hpp"

namespace vitrina::payments {

inline constexpr std::string_view kRefundPrefix = "re_";

/// `{"id","payment_id","status","amount","currency","order_id","metadata","created_at"}`.
std::string refund_json(const store::Refund& refund, const store::Payment& payment);
/// `{"items": [refund_json…]}`.
std::string refund_list_json(const std::vector<store::Refund>& refunds, const store::Payment& payment);

struct RefundPlan {
  store::Refund refund;
  store::PaymentUpdate update;  // the payment with its refunded total, the refund, the event
};

/// The amount a refund request asks for: `amount`, or everything still refundable when empty,
/// checked before the acquirer is asked. Errors: "conflict" when the payment has not succeeded;
/// "invalid" with field "amount" when the amount is not positive or above what is left.
protocol::Result<std::int64_t> refund_amount(const store::Payment& current, std::optional<std::int64_t> amount);

/// A refund of `amount` of `current` that the acquirer settled with `answer`. Errors as
/// refund_amount (the payment may have changed since).
protocol::Result<RefundPlan> plan_refund(const store::Payment& current, std::int64_t amount,
                                         const protocol::RefundEvent& answer, std::int64_t now_ms);

}  // namespace vitrina::payments
