#pragma once
/// \file
/// The payment state machine. Pure functions over plain values: the server keeps the state in its
/// store, turns API commands and verified acquirer callbacks into events, and calls `apply`; the
/// answer says what the state becomes and whether anything changed (so that an outbox message is
/// written exactly once per real change).
///
/// ```
///   pending --authorized--> waiting_for_capture --captured | succeeded--> succeeded
///      |  \_______________________ succeeded _____________________________^
///      |                               |
///      +-------------------------------+--canceled | failed | expired--> that status
/// ```
///
/// The rules, state by state ("none": accepted, nothing changes; "conflict": Error code
/// "conflict"; a: the event's amount, defaulting as PaymentEvent::amount says):
/// - pending: authorized -> waiting_for_capture; succeeded -> succeeded; canceled, failed,
///   expired -> that status; captured -> conflict (nothing is held).
/// - waiting_for_capture: captured or succeeded with a <= the held amount -> succeeded;
///   canceled, failed, expired -> that status; authorized -> none if a is the held amount, else
///   conflict.
/// - succeeded: captured or succeeded -> none if a is the captured amount, else conflict;
///   authorized, failed, expired -> none (late news); canceled -> conflict (refund instead).
/// - canceled, failed, expired: canceled, failed, expired -> none (the first ending wins);
///   authorized -> none if the payment had been held for a, else conflict; captured, succeeded ->
///   conflict.
///
/// Why these and not others:
/// - A repeated event is answered with "no change", never an error: acquirers deliver callbacks at
///   least once, and the API replays requests.
/// - `succeeded` is final and wins: money has moved. Late reports of a hold, a failure or an expiry
///   change nothing; a command that contradicts it (cancel, a capture of another amount) is a
///   conflict, which the API shows as 409. A succeeded payment never goes back.
/// - Among the endings without money (canceled, failed, expired), the first one wins and the
///   others are late news.
/// - Money reported moving on a payment that already ended without money (a success, or a hold
///   the payment never had) is a conflict: the caller must reconcile it with the acquirer (cancel
///   the hold, refund), and must not hide it.
/// - `succeeded` from waiting_for_capture is accepted like a capture: it is what an acquirer
///   reports when a capture was made elsewhere (its dashboard) or its callback overtook our own
///   capture call.
/// - `failed` is final, so connectors report it only when the payment has failed, not when one
///   card attempt on the payment page was declined.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "vitrina/protocol/result.hpp"

namespace vitrina::protocol {

/// Where a payment is. The enumerators are spelled as on the wire.
enum class PaymentStatus : std::uint8_t { pending, waiting_for_capture, succeeded, canceled, failed, expired };

/// The wire name: "pending", "waiting_for_capture", "succeeded", "canceled", "failed", "expired".
std::string_view to_string(PaymentStatus status) noexcept;

/// The inverse of to_string, exact and case-sensitive; anything else is an Error "invalid" with
/// field "status".
Result<PaymentStatus> parse_payment_status(std::string_view text);

/// True for succeeded, canceled, failed and expired: no event moves the payment any more.
bool is_final(PaymentStatus status) noexcept;

/// What the state machine needs to know about a payment. Amounts are minor units.
struct PaymentState {
  PaymentStatus status = PaymentStatus::pending;
  std::int64_t amount = 0;                    ///< requested when the payment was created
  std::int64_t authorized_amount = 0;         ///< held by a two-stage payment; 0 when never held
  std::int64_t captured_amount = 0;           ///< taken (set when the payment succeeds)
  std::int64_t refunded_amount = 0;           ///< sum of succeeded refunds (see refund.hpp)
  std::int64_t pending_refund_amount = 0;     ///< sum of refunds still pending (see refund.hpp)
  std::optional<std::int64_t> expires_at_ms;  ///< Unix ms after which an unfinished payment expires
  std::string failure_reason;                 ///< why it failed (from the first `failed` event)

  bool operator==(const PaymentState&) const = default;
};

/// What happened to a payment.
enum class PaymentEventKind : std::uint8_t {
  authorized,  ///< the acquirer holds the money (two-stage payment)
  captured,    ///< the held money was captured, possibly in part
  succeeded,   ///< the money was taken (one-stage payment, or a capture reported by the acquirer)
  canceled,    ///< the shop or the acquirer canceled the payment (or released the hold)
  failed,      ///< the acquirer says the payment failed
  expired,     ///< the payment's deadline passed before it finished
};

/// An event with its data. Build it with the named constructors.
struct PaymentEvent {
  PaymentEventKind kind = PaymentEventKind::canceled;
  /// For authorized: the held amount; for captured and succeeded: the amount taken. Empty means
  /// "all of it": the payment's amount for authorized and for succeeded from pending, the held
  /// amount for captured and succeeded from waiting_for_capture. Ignored by the other events.
  std::optional<std::int64_t> amount;
  std::string reason;  ///< for failed: why (kept in PaymentState::failure_reason)

  static PaymentEvent authorized(std::optional<std::int64_t> held = std::nullopt) {
    return {PaymentEventKind::authorized, held, {}};
  }
  static PaymentEvent captured(std::optional<std::int64_t> taken = std::nullopt) {
    return {PaymentEventKind::captured, taken, {}};
  }
  static PaymentEvent succeeded(std::optional<std::int64_t> taken = std::nullopt) {
    return {PaymentEventKind::succeeded, taken, {}};
  }
  static PaymentEvent canceled() { return {PaymentEventKind::canceled, std::nullopt, {}}; }
  static PaymentEvent failed(std::string why) { return {PaymentEventKind::failed, std::nullopt, std::move(why)}; }
  static PaymentEvent expired() { return {PaymentEventKind::expired, std::nullopt, {}}; }
};

/// The event's name for messages and logs: "authorized", "captured", "succeeded"…
std::string_view to_string(PaymentEventKind kind) noexcept;

/// The outcome of an accepted event.
struct Transition {
  PaymentState state;    ///< the state after the event (equal to the input when !changed)
  bool changed = false;  ///< false for a repeated or late event that is already reflected
};

/// Applies `event` to `state` by the table above. Errors: "conflict" for a transition the table
/// refuses (the message names the status and the event), "invalid" with field "amount" for an
/// amount that is zero, negative, above kMaxAmount or above what may be taken (the payment's amount
/// for a hold or a one-stage success, the held amount for a capture).
Result<Transition> apply(const PaymentState& state, const PaymentEvent& event);

/// True when the payment is still pending or waiting for capture and its deadline has come:
/// `now_ms >= *expires_at_ms` (the deadline itself counts as expired). A payment without a
/// deadline never expires. The caller then applies PaymentEvent::expired(); a hold that expires
/// should also be released at the acquirer.
bool is_expired(const PaymentState& state, std::int64_t now_ms) noexcept;

/// The outbound webhook event type a transition produces: "payment.waiting_for_capture",
/// "payment.succeeded", "payment.canceled", "payment.failed" or "payment.expired" for the status a
/// change led to; nothing when nothing changed.
std::optional<std::string_view> webhook_event_type(const Transition& transition) noexcept;

/// Every webhook event type that payments and refunds emit, for validating an endpoint's event
/// filter: the five above plus "refund.succeeded" and "refund.failed". Static storage.
std::span<const std::string_view> payment_webhook_event_types() noexcept;

}  // namespace vitrina::protocol
