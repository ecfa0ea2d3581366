#include "vitrina/protocol/refund.hpp"

#include <utility>

#include "vitrina/protocol/amount.hpp"

namespace vitrina::protocol {

std::string_view to_string(RefundStatus status) noexcept {
  switch (status) {
    case RefundStatus::pending:
      return "pending";
    case RefundStatus::succeeded:
      return "succeeded";
    case RefundStatus::failed:
      return "failed";
  }
  return "unknown";
}

Result<RefundStatus> parse_refund_status(std::string_view text) {
  for (RefundStatus status : {RefundStatus::pending, RefundStatus::succeeded, RefundStatus::failed}) {
    if (text == to_string(status)) return status;
  }
  return make_error(ErrorCode::invalid, "status must be one of pending, succeeded, failed", "status");
}

std::int64_t refundable_amount(const PaymentState& payment) noexcept {
  if (payment.status != PaymentStatus::succeeded) return 0;
  // Each term is at most kMaxAmount in a consistent state, so the subtraction cannot overflow;
  // the clamp keeps a corrupted state from reporting a negative allowance.
  const std::int64_t left = payment.captured_amount - payment.refunded_amount - payment.pending_refund_amount;
  return left > 0 ? left : 0;
}

Result<void> can_refund(const PaymentState& payment, std::int64_t amount) {
  if (payment.status != PaymentStatus::succeeded) {
    return make_error(ErrorCode::conflict, "only a succeeded payment can be refunded; this one is " +
                                               std::string(to_string(payment.status)));
  }
  if (amount <= 0 || amount > kMaxAmount) {
    return make_error(ErrorCode::invalid, "amount must be between 1 and " + std::to_string(kMaxAmount) + " minor units",
                      "amount");
  }
  const std::int64_t left = refundable_amount(payment);
  if (amount > left) {
    return make_error(ErrorCode::invalid,
                      "amount " + std::to_string(amount) + " exceeds what is left to refund: " + std::to_string(left) +
                          " of " + std::to_string(payment.captured_amount) + " captured (" +
                          std::to_string(payment.refunded_amount) + " refunded, " +
                          std::to_string(payment.pending_refund_amount) + " in pending refunds)",
                      "amount");
  }
  return {};
}

Result<RefundOpening> open_refund(const PaymentState& payment, std::int64_t amount) {
  if (auto ok = can_refund(payment, amount); !ok) return std::move(ok).error();
  RefundOpening opening{payment, RefundState{RefundStatus::pending, amount, {}}};
  opening.payment.pending_refund_amount += amount;
  return opening;
}

Result<RefundTransition> apply(const PaymentState& payment, const RefundState& refund, const RefundEvent& event) {
  const RefundStatus wanted = event.kind == RefundEventKind::succeeded ? RefundStatus::succeeded : RefundStatus::failed;
  if (refund.status == wanted) return RefundTransition{payment, refund, false};
  if (refund.status != RefundStatus::pending) {
    return make_error(ErrorCode::conflict, "refund already " + std::string(to_string(refund.status)) +
                                               "; the acquirer now says " + std::string(to_string(wanted)) +
                                               ", which must be reconciled by hand");
  }
  if (refund.amount <= 0 || refund.amount > payment.pending_refund_amount ||
      (wanted == RefundStatus::succeeded && payment.refunded_amount + refund.amount > payment.captured_amount)) {
    return make_error(ErrorCode::internal, "refund of " + std::to_string(refund.amount) +
                                               " is not covered by the payment's pending refunds (" +
                                               std::to_string(payment.pending_refund_amount) + ")");
  }
  RefundTransition next{payment, refund, true};
  next.refund.status = wanted;
  next.payment.pending_refund_amount -= refund.amount;
  if (wanted == RefundStatus::succeeded) {
    next.payment.refunded_amount += refund.amount;
  } else {
    next.refund.failure_reason = event.reason;
  }
  return next;
}

std::optional<std::string_view> webhook_event_type(const RefundTransition& transition) noexcept {
  if (!transition.changed) return std::nullopt;
  switch (transition.refund.status) {
    case RefundStatus::succeeded:
      return "refund.succeeded";
    case RefundStatus::failed:
      return "refund.failed";
    case RefundStatus::pending:
      break;
  }
  return std::nullopt;
}

}  // namespace vitrina::protocol
