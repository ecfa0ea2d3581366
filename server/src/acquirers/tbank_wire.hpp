#pragma once
// T-Bank (Tinkoff) acquiring API v2's wire format, as plain functions with no I/O: the JSON
// requests Init, GetState, Confirm, Cancel and CheckOrder, each signed with the SHA-256 Token;
// their `{"Success", "ErrorCode", "Message", "Details", …}` answers; notifications, whose Token
// is checked before any of their fields is believed; and the mapping of T-Bank's statuses onto
// the payment's events.
//
// The Token: the root-level scalar fields (no objects, no arrays, not Token itself) plus
// {"Password": the terminal's password}, sorted by key, their values concatenated (strings as
// they are, numbers as written, booleans as true/false), SHA-256 of the UTF-8 bytes, lower-case
// hex.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "store/payment_records.hpp"
#include "vitrina/protocol/json_reader.hpp"
#include "vitrina/protocol/payment.hpp"
#include "vitrina/protocol/result.hpp"

namespace vitrina::acquirers::tbank {

/// A root-level scalar of a request, in the order it is written.
using Scalar = std::variant<std::string, std::int64_t, bool>;
using Fields = std::vector<std::pair<std::string, Scalar>>;

/// The Token over `fields` (root scalars) and `password`.
std::string token(const Fields& fields, std::string_view password);

/// The Token over the root scalars of a parsed JSON object (Token itself left out).
std::string token_of(const protocol::JsonValue& object, std::string_view password);

/// A request body: `fields` and their Token, then `nested` members (name, raw JSON), which the
/// Token does not cover.
std::string signed_request(const Fields& fields, std::string_view password,
                           const std::vector<std::pair<std::string, std::string>>& nested = {});

/// What a terminal's Init needs besides the payment.
struct InitOptions {
  std::string terminal_key;
  std::string password;
  std::string notification_url;   // our callback URL for this site
  std::string success_url;        // where the payer comes back after paying (the payment's return_url)
  std::string fail_url;           // where the payer comes back after a failure
  std::string redirect_due_date;  // the payment page's deadline, "2026-11-22T21:00:00+00:00"
  // 54-FZ receipts: sent when `taxation` is set ("osn", "usn_income", …), from the payment's
  // items and customer, each item taxed `tax` ("none", "vat20", …).
  std::string taxation;
  std::string tax = "none";
};

/// The Init body for `payment`: Amount in kopecks, OrderId = our payment id, PayType O (one
/// stage) or T (two stage), Description, the URLs, RedirectDueDate, Receipt. Errors "invalid"
/// naming the payment's field T-Bank cannot take (a currency other than RUB, a receipt without
/// items or contact, items that do not add up to the amount).
protocol::Result<std::string> init_request(const store::Payment& payment, const InitOptions& options);

/// The ISO 8601 time T-Bank takes in RedirectDueDate, from Unix milliseconds (UTC).
std::string iso8601_utc(std::int64_t unix_ms);

/// An API answer: the fields we use. PaymentId may arrive as a number or a string.
struct Answer {
  bool success = false;
  std::string error_code;  // "0" when fine
  std::string message;
  std::string details;
  std::string status;
  std::string payment_id;
  std::string order_id;
  std::optional<std::int64_t> amount;
  std::string payment_url;
  // CheckOrder: the order's payments, newest last.
  struct Entry {
    std::string payment_id;
    std::string status;
    std::optional<std::int64_t> amount;
  };
  std::vector<Entry> payments;
};
/// Parses an answer; errors "invalid" when it is not a JSON object with Success.
protocol::Result<Answer> parse_answer(std::string_view json);

/// A notification whose Token verified.
struct Notification {
  std::string terminal_key;
  std::string order_id;
  std::string payment_id;
  std::string status;
  std::string error_code;
  bool success = false;
  std::optional<std::int64_t> amount;  // kopecks
};

/// Checks the notification's Token against `password` in constant time, and only then reads
/// its fields. Errors "unauthenticated" (not a JSON object, no Token, a Token that does not
/// match) or "invalid" (signed, but without OrderId, PaymentId or Status).
[[nodiscard]] protocol::Result<Notification> verify_notification(std::string_view body, std::string_view password);

/// The dedupe key of a notification or a reading: payment, status and amount.
std::string event_key(std::string_view payment_id, std::string_view status, std::optional<std::int64_t> amount);

/// What a T-Bank status means for the payment, or nothing when it brings no news:
/// AUTHORIZED -> authorized(amount); CONFIRMED -> succeeded(amount) (a capture of a two-stage
/// payment, or a one-stage payment's success; also when it overtakes its AUTHORIZED);
/// REVERSED, CANCELED -> canceled; REJECTED, AUTH_FAIL -> failed;
/// DEADLINE_EXPIRED -> expired. NEW, FORM_SHOWED, AUTHORIZING, 3DS_CHECKING, 3DS_CHECKED,
/// CONFIRMING, REVERSING, PARTIAL_REVERSED (a hold made smaller), REFUNDING and the refund
/// statuses (REFUNDED, PARTIAL_REFUNDED,
/// which refunds report themselves) do not move the payment.
std::optional<protocol::PaymentEvent> payment_event(std::string_view status, std::optional<std::int64_t> amount,
                                                    std::string_view error_code);

}  // namespace vitrina::acquirers::tbank
