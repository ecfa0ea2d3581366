#pragma once
// Stripe's wire format, as plain functions with no I/O: the form-encoded requests (Checkout
// Sessions, PaymentIntent capture/cancel, refunds), the objects in its answers and webhook
// events, and what those mean for our state machine. The connector (stripe.cpp) adds the HTTP.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/payment_records.hpp"
#include "vitrina/protocol/payment.hpp"
#include "vitrina/protocol/refund.hpp"
#include "vitrina/protocol/result.hpp"

namespace vitrina::acquirers::stripe {

/// Metadata keys we put on sessions and their PaymentIntents; Stripe hands them back on events.
inline constexpr std::string_view kPaymentIdKey = "vitrina_payment_id";
inline constexpr std::string_view kSiteIdKey = "vitrina_site_id";
inline constexpr std::string_view kCaptureKey = "vitrina_capture";  // "manual" for two-stage

/// Checkout Sessions live between 30 minutes and 24 hours (Stripe refuses other expires_at).
inline constexpr std::int64_t kMinSessionS = 30 * 60 + 60;  // a minute of margin for clock skew
inline constexpr std::int64_t kMaxSessionS = 24 * 60 * 60 - 60;

/// Ordered form fields; keys use Stripe's bracket nesting ("line_items[0][quantity]").
using FormFields = std::vector<std::pair<std::string, std::string>>;

/// application/x-www-form-urlencoded: every byte but A-Z a-z 0-9 - . _ ~ percent-encoded (the
/// brackets in keys too), pairs joined with '&'.
std::string form_encode(const FormFields& fields);

/// The fields of POST /v1/checkout/sessions for `payment` at `now_s`: one line item carrying the
/// whole amount (so the total is exactly ours), our ids in metadata of the session and of its
/// PaymentIntent, capture_method=manual for two-stage payments, expires_at from the payment's
/// deadline clamped into Stripe's 30 min … 24 h window.
FormFields checkout_session_form(const store::Payment& payment, std::int64_t now_s);

/// A Checkout Session as answered by the API or carried by an event.
struct Session {
  std::string id;                     // cs_…
  std::string url;                    // the hosted page (while open)
  std::string status;                 // open | complete | expired
  std::string payment_status;         // paid | unpaid | no_payment_required
  std::string payment_intent;         // pi_…, empty until Stripe made one
  std::string payment_intent_status;  // when the answer expanded payment_intent
  std::string currency;               // ISO 4217 code, upper-cased
  std::int64_t amount_total = 0;
  std::int64_t expires_at = 0;
  std::string payment_id;  // our metadata
  std::string site_id;
  bool manual_capture = false;
};

/// A Charge as carried by charge.refunded.
struct Charge {
  std::string id;  // ch_…
  std::string payment_intent;
  std::string currency;
  std::int64_t amount = 0;
  std::int64_t amount_captured = 0;
  std::int64_t amount_refunded = 0;  // the running total of refunds
  std::string payment_id;            // metadata copied from the PaymentIntent
  std::string site_id;
};

/// A Refund as answered by POST /v1/refunds.
struct Refund {
  std::string id;
  std::string status;  // pending | requires_action | succeeded | failed | canceled
  std::int64_t amount = 0;
  std::string failure_reason;
};

/// A webhook event. Only the types we act on carry an object; the rest are acknowledged.
struct Event {
  std::string id;  // evt_…: the dedupe key
  std::string type;
  std::int64_t created = 0;
  std::optional<Session> session;  // checkout.session.*
  std::optional<Charge> charge;    // charge.refunded
};

protocol::Result<Session> parse_session(std::string_view json);
protocol::Result<Refund> parse_refund(std::string_view json);
/// Parses an event body (after its signature was verified). Errors have code "invalid".
protocol::Result<Event> parse_event(std::string_view json);

/// Stripe's error object: {"error": {"type", "code", "decline_code", "message", "param"}}.
struct ApiError {
  std::string type;  // api_error | card_error | idempotency_error | invalid_request_error | …
  std::string code;
  std::string message;
  std::string param;
};
/// The error in an error answer; an empty ApiError when the body has none.
ApiError parse_api_error(std::string_view json);

/// What a session event means for the payment, or nothing when it brings no news:
/// - checkout.session.completed: paid -> succeeded(amount_total); unpaid on a two-stage
///   session -> authorized(amount_total); unpaid otherwise (an asynchronous method still
///   settling) -> nothing.
/// - checkout.session.async_payment_succeeded -> succeeded; …async_payment_failed -> failed.
/// - checkout.session.expired -> expired.
std::optional<protocol::PaymentEvent> payment_event(const Event& event);

/// The status a session (retrieved with expand[]=payment_intent) says the payment has, or
/// nothing when it says no more than "pending".
std::optional<protocol::PaymentStatus> session_status(const Session& session);

/// A refund's answer as our refund status: succeeded, failed (failed, canceled) or pending.
protocol::RefundStatus refund_status(const Refund& refund);

}  // namespace vitrina::acquirers::stripe
