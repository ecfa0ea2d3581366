#pragma once
// CloudPayments' wire format, as plain functions with no I/O: the JSON requests of its API
// (orders/create for the hosted payment link, payments/confirm, payments/void, payments/refund,
// v2/payments/find, orders/cancel), its `{"Success", "Message", "Model"}` answers, and its
// notifications Check, Pay, Fail, Confirm, Refund and Cancel, which arrive form-encoded or as
// JSON and are authenticated by Content-HMAC / X-Content-HMAC (base64 HMAC-SHA256 of the raw
// body, keyed with the API secret).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "acquirers/acquirer.hpp"
#include "store/payment_records.hpp"
#include "vitrina/protocol/payment.hpp"
#include "vitrina/protocol/result.hpp"

namespace vitrina::acquirers::cloudpayments {

inline constexpr std::string_view kHmacHeader = "Content-HMAC";
inline constexpr std::string_view kXHmacHeader = "X-Content-HMAC";

/// Checks the notification's MAC in constant time: either header may carry it, and one that
/// matches is enough. Errors have code "unauthenticated" and field "Content-HMAC".
[[nodiscard]] protocol::Result<void> verify_hmac(const RawHeaders& headers, std::string_view body,
                                                 std::string_view api_secret);

/// The MAC CloudPayments puts in Content-HMAC for `body`.
std::string content_hmac(std::string_view body, std::string_view api_secret);

/// "Authorization: Basic base64(publicId:apiSecret)".
std::string basic_auth(std::string_view public_id, std::string_view api_secret);

/// The notification kinds; each is registered at its own URL, so the kind comes from the URL.
enum class Kind { check, pay, fail, confirm, refund, cancel };
/// "check", "pay", … (case-insensitive), or nothing.
std::optional<Kind> parse_kind(std::string_view text);
std::string_view to_string(Kind kind) noexcept;

/// The fields of a notification that we use. Amounts are in minor units of `currency`.
struct Notification {
  Kind kind = Kind::pay;
  std::string transaction_id;          // for Refund: the refund's own transaction
  std::string payment_transaction_id;  // Refund: the payment it refunds
  std::string invoice_id;              // our pay_…
  std::string account_id;
  std::string currency;
  std::int64_t amount = 0;
  std::string status;          // Pay/Check: Completed | Authorized
  std::string operation_type;  // Payment | Refund | CardPayout
  std::string reason;          // Fail
  std::string reason_code;     // Fail
  bool test_mode = false;
};

/// Parses a verified notification body, form-encoded or JSON (decided by the first non-space
/// byte: '{' is JSON). Errors have code "invalid" and name the field.
protocol::Result<Notification> parse_notification(Kind kind, std::string_view body);

/// The dedupe key of a notification: CloudPayments has no event ids, so it is the kind and the
/// transaction ("pay:504").
std::string event_key(const Notification& n);

/// What a notification means for the payment, or nothing when it brings no news:
/// Pay Completed -> succeeded(amount); Pay Authorized -> authorized(amount); Confirm ->
/// succeeded(amount) (a capture, which also holds when it overtakes the Pay); Cancel ->
/// canceled. Check, Fail and Refund do not move the payment (a Fail is one declined attempt:
/// the payer may try again on the same link).
std::optional<protocol::PaymentEvent> payment_event(const Notification& n);

/// Answer codes for notifications ({"code": N}).
enum class Answer : int {
  ok = 0,
  wrong_invoice = 10,
  wrong_account = 11,
  wrong_amount = 12,
  cannot_accept = 13,
  expired = 20,
};
std::string answer_body(Answer answer);

// Requests. Amounts go as JSON numbers with the currency's decimals ("Amount":1500.00).

/// orders/create: the hosted payment link for `payment`.
std::string create_order_request(const store::Payment& payment);
std::string confirm_request(std::string_view transaction_id, std::int64_t amount, std::string_view currency);
std::string void_request(std::string_view transaction_id);
std::string refund_request(std::string_view transaction_id, std::int64_t amount, std::string_view currency);
std::string find_request(std::string_view invoice_id);
std::string cancel_order_request(std::string_view order_id);

/// An API answer: Success, Message and the parts of Model we use.
struct ApiAnswer {
  bool success = false;
  std::string message;
  // orders/create
  std::string order_id;
  std::string url;
  // v2/payments/find, payments/refund
  std::string transaction_id;
  std::string status;  // AwaitingAuthentication | Authorized | Completed | Cancelled | Declined
  std::string reason;
  std::string reason_code;
  std::int64_t amount = 0;
  std::string currency;
};
/// Parses an answer; amounts are read in `currency` (the payment's) when Model has none.
protocol::Result<ApiAnswer> parse_answer(std::string_view json, std::string_view currency);

/// What a transaction's status says the payment is, or nothing for "still pending".
std::optional<protocol::PaymentStatus> transaction_status(std::string_view status);

}  // namespace vitrina::acquirers::cloudpayments
