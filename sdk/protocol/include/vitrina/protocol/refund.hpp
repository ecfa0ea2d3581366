#pragma once
/// \file
/// Refunds: objects of their own, each `pending -> succeeded | failed`, tied to a succeeded
/// payment whose totals they move. The payment keeps two sums: `refunded_amount` (refunds that
/// succeeded) and `pending_refund_amount` (refunds asked for and not yet answered). A new refund
/// is allowed only while captured >= refunded + pending + new, so that refunds racing each other
/// can never return more than was taken, whatever order their results arrive in.
///
/// Lifecycle: can_refund (or open_refund, which also reserves the amount) when the shop asks;
/// apply(payment, refund, event) when the acquirer answers. Both return the payment's new totals
/// for the caller to store in the same transaction as the refund.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "vitrina/protocol/payment.hpp"
#include "vitrina/protocol/result.hpp"

namespace vitrina::protocol {

/// Where a refund is. The enumerators are spelled as on the wire.
enum class RefundStatus : std::uint8_t { pending, succeeded, failed };

/// The wire name: "pending", "succeeded", "failed".
std::string_view to_string(RefundStatus status) noexcept;

/// The inverse of to_string, exact and case-sensitive; anything else is an Error "invalid" with
/// field "status".
Result<RefundStatus> parse_refund_status(std::string_view text);

/// What the rules need to know about one refund. Amounts are minor units.
struct RefundState {
  RefundStatus status = RefundStatus::pending;
  std::int64_t amount = 0;     ///< the amount to return
  std::string failure_reason;  ///< why it failed

  bool operator==(const RefundState&) const = default;
};

/// What may still be refunded: captured - refunded - pending refunds, never below zero.
/// Zero for a payment that has not succeeded.
std::int64_t refundable_amount(const PaymentState& payment) noexcept;

/// Whether a new refund of `amount` may be made. Errors: "conflict" when the payment has not
/// succeeded (there is nothing to refund); "invalid" with field "amount" when the amount is zero,
/// negative, above kMaxAmount, or above refundable_amount (the message says how much is left).
Result<void> can_refund(const PaymentState& payment, std::int64_t amount);

/// A refund that has just been opened, and the payment with its amount reserved.
struct RefundOpening {
  PaymentState payment;  ///< pending_refund_amount grown by the refund's amount
  RefundState refund;    ///< pending, for `amount`
};

/// can_refund, then reserves the amount: the returned payment counts the new refund as pending.
Result<RefundOpening> open_refund(const PaymentState& payment, std::int64_t amount);

/// The acquirer's answer about a refund.
enum class RefundEventKind : std::uint8_t { succeeded, failed };

/// An answer with its data. Build it with the named constructors.
struct RefundEvent {
  RefundEventKind kind = RefundEventKind::failed;
  std::string reason;  ///< for failed: why (kept in RefundState::failure_reason)

  static RefundEvent succeeded() { return {RefundEventKind::succeeded, {}}; }
  static RefundEvent failed(std::string why) { return {RefundEventKind::failed, std::move(why)}; }
};

/// The outcome of an accepted refund event.
struct RefundTransition {
  PaymentState payment;  ///< the payment's totals after the event
  RefundState refund;    ///< the refund after the event
  bool changed = false;  ///< false for a repeated answer that is already reflected
};

/// Applies the acquirer's answer. pending -> succeeded moves the amount from pending to refunded;
/// pending -> failed releases it; the same answer again changes nothing; the opposite answer after
/// a final one is "conflict" (a refund that failed and then is said to have succeeded must be
/// reconciled with the acquirer, not silently recounted). "internal" when the totals cannot hold
/// the refund (it was never reserved with open_refund, or the store is inconsistent).
Result<RefundTransition> apply(const PaymentState& payment, const RefundState& refund, const RefundEvent& event);

/// "refund.succeeded" or "refund.failed" for a change to that status; nothing when nothing
/// changed.
std::optional<std::string_view> webhook_event_type(const RefundTransition& transition) noexcept;

}  // namespace vitrina::protocol
