#include "vitrina/protocol/payment.hpp"

#include <array>
#include <utility>

#include "vitrina/protocol/amount.hpp"

namespace vitrina::protocol {

namespace {

using Kind = PaymentEventKind;
using Status = PaymentStatus;

constexpr std::array<std::string_view, 7> kWebhookEventTypes = {"payment.waiting_for_capture",
                                                                "payment.succeeded",
                                                                "payment.canceled",
                                                                "payment.failed",
                                                                "payment.expired",
                                                                "refund.succeeded",
                                                                "refund.failed"};

Error conflict(const PaymentState& state, const PaymentEvent& event, std::string_view why) {
  return make_error(ErrorCode::conflict, "cannot apply \"" + std::string(to_string(event.kind)) + "\" to a " +
                                             std::string(to_string(state.status)) + " payment: " + std::string(why));
}

Transition unchanged(const PaymentState& state) { return Transition{state, false}; }

Transition moved(PaymentState next) { return Transition{std::move(next), true}; }

// An amount the event asks to hold or take, against the most it may be; "invalid" names the field
// "amount" because a capture's amount is the API caller's input.
Result<void> check_amount(std::int64_t value, std::int64_t limit, std::string_view what) {
  if (value <= 0 || value > kMaxAmount) {
    return make_error(ErrorCode::invalid, "amount must be between 1 and " + std::to_string(kMaxAmount) + " minor units",
                      "amount");
  }
  if (value > limit) {
    return make_error(ErrorCode::invalid,
                      "amount " + std::to_string(value) + " exceeds " + std::string(what) + " " + std::to_string(limit),
                      "amount");
  }
  return {};
}

// canceled, failed and expired carry no amount: the status is the whole news.
Transition end_without_money(const PaymentState& state, const PaymentEvent& event) {
  PaymentState next = state;
  switch (event.kind) {
    case Kind::canceled:
      next.status = Status::canceled;
      break;
    case Kind::expired:
      next.status = Status::expired;
      break;
    default:  // failed: callers pass only the three endings
      next.status = Status::failed;
      next.failure_reason = event.reason;
      break;
  }
  return moved(std::move(next));
}

Result<Transition> from_pending(const PaymentState& state, const PaymentEvent& event) {
  switch (event.kind) {
    case Kind::authorized:
    case Kind::succeeded: {
      const std::int64_t value = event.amount.value_or(state.amount);
      if (auto ok = check_amount(value, state.amount, "the payment's amount"); !ok) return std::move(ok).error();
      PaymentState next = state;
      if (event.kind == Kind::authorized) {
        next.status = Status::waiting_for_capture;
        next.authorized_amount = value;
      } else {
        next.status = Status::succeeded;
        next.captured_amount = value;
      }
      return moved(std::move(next));
    }
    case Kind::captured:
      return conflict(state, event, "nothing is held; only a waiting_for_capture payment is captured");
    default:
      return end_without_money(state, event);
  }
}

Result<Transition> from_waiting(const PaymentState& state, const PaymentEvent& event) {
  switch (event.kind) {
    case Kind::authorized:
      if (event.amount.value_or(state.amount) == state.authorized_amount) return unchanged(state);
      return conflict(state, event, "it is already held for " + std::to_string(state.authorized_amount));
    case Kind::captured:
    case Kind::succeeded: {
      const std::int64_t value = event.amount.value_or(state.authorized_amount);
      if (auto ok = check_amount(value, state.authorized_amount, "the held amount"); !ok) return std::move(ok).error();
      PaymentState next = state;
      next.status = Status::succeeded;
      next.captured_amount = value;
      return moved(std::move(next));
    }
    default:
      return end_without_money(state, event);
  }
}

Result<Transition> from_succeeded(const PaymentState& state, const PaymentEvent& event) {
  switch (event.kind) {
    case Kind::captured:
    case Kind::succeeded:
      if (event.amount.value_or(state.captured_amount) == state.captured_amount) return unchanged(state);
      return conflict(state, event, "it already succeeded with " + std::to_string(state.captured_amount) + " captured");
    case Kind::canceled:
      return conflict(state, event, "the money is taken; refund it instead");
    default:
      return unchanged(state);  // a late hold, failure or expiry: success wins
  }
}

// canceled, failed, expired.
Result<Transition> from_ended_without_money(const PaymentState& state, const PaymentEvent& event) {
  switch (event.kind) {
    case Kind::authorized:
      if (state.authorized_amount > 0 && event.amount.value_or(state.amount) == state.authorized_amount) {
        return unchanged(state);  // the hold that preceded the ending, reported again
      }
      return conflict(state, event, "the acquirer reports a hold the payment never had; release it at the acquirer");
    case Kind::captured:
      return conflict(state, event, "there is nothing left to capture");
    case Kind::succeeded:
      return conflict(state, event, "the acquirer reports money taken; refund it at the acquirer");
    default:
      return unchanged(state);  // the first ending wins
  }
}

}  // namespace

std::string_view to_string(PaymentStatus status) noexcept {
  switch (status) {
    case Status::pending:
      return "pending";
    case Status::waiting_for_capture:
      return "waiting_for_capture";
    case Status::succeeded:
      return "succeeded";
    case Status::canceled:
      return "canceled";
    case Status::failed:
      return "failed";
    case Status::expired:
      return "expired";
  }
  return "unknown";
}

Result<PaymentStatus> parse_payment_status(std::string_view text) {
  for (Status status : {Status::pending, Status::waiting_for_capture, Status::succeeded, Status::canceled,
                        Status::failed, Status::expired}) {
    if (text == to_string(status)) return status;
  }
  return make_error(ErrorCode::invalid,
                    "status must be one of pending, waiting_for_capture, succeeded, canceled, failed, expired",
                    "status");
}

bool is_final(PaymentStatus status) noexcept {
  return status != Status::pending && status != Status::waiting_for_capture;
}

std::string_view to_string(PaymentEventKind kind) noexcept {
  switch (kind) {
    case Kind::authorized:
      return "authorized";
    case Kind::captured:
      return "captured";
    case Kind::succeeded:
      return "succeeded";
    case Kind::canceled:
      return "canceled";
    case Kind::failed:
      return "failed";
    case Kind::expired:
      return "expired";
  }
  return "unknown";
}

Result<Transition> apply(const PaymentState& state, const PaymentEvent& event) {
  // An explicit amount must be sane whatever the state, so that a bad one is never mistaken for a
  // repeat or a conflict.
  const bool carries_amount =
      event.kind == Kind::authorized || event.kind == Kind::captured || event.kind == Kind::succeeded;
  if (carries_amount && event.amount) {
    if (auto ok = check_amount(*event.amount, kMaxAmount, "the maximum"); !ok) return std::move(ok).error();
  }
  switch (state.status) {
    case Status::pending:
      return from_pending(state, event);
    case Status::waiting_for_capture:
      return from_waiting(state, event);
    case Status::succeeded:
      return from_succeeded(state, event);
    case Status::canceled:
    case Status::failed:
    case Status::expired:
      return from_ended_without_money(state, event);
  }
  return make_error(ErrorCode::internal, "payment status out of range");
}

bool is_expired(const PaymentState& state, std::int64_t now_ms) noexcept {
  return !is_final(state.status) && state.expires_at_ms.has_value() && now_ms >= *state.expires_at_ms;
}

std::optional<std::string_view> webhook_event_type(const Transition& transition) noexcept {
  if (!transition.changed) return std::nullopt;
  switch (transition.state.status) {
    case Status::waiting_for_capture:
      return kWebhookEventTypes[0];
    case Status::succeeded:
      return kWebhookEventTypes[1];
    case Status::canceled:
      return kWebhookEventTypes[2];
    case Status::failed:
      return kWebhookEventTypes[3];
    case Status::expired:
      return kWebhookEventTypes[4];
    case Status::pending:
      break;
  }
  return std::nullopt;
}

std::span<const std::string_view> payment_webhook_event_types() noexcept { return kWebhookEventTypes; }

}  // namespace vitrina::protocol
