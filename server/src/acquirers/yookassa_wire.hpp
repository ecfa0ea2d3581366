#pragma once
// YooKassa API v3's wire format, as plain functions with no I/O: the JSON bodies of
// POST /v3/payments (redirect confirmation, capture true/false, 54-FZ receipt),
// POST /v3/payments/{id}/capture and POST /v3/refunds; the payment, refund and error objects it
// answers with; and its notifications, which carry no signature: only the object's id is read
// from them, and what happened is taken from re-reading the payment (GET /v3/payments/{id}).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/payment_records.hpp"
#include "vitrina/protocol/payment.hpp"
#include "vitrina/protocol/result.hpp"

namespace vitrina::acquirers::yookassa {

/// YooKassa's published notification sources.
inline constexpr std::string_view kDefaultAllowedIps =
    "185.71.76.0/27,185.71.77.0/27,77.75.153.0/25,77.75.154.128/25,77.75.156.11,77.75.156.35,2a02:5180::/32";

/// The metadata key under which a YooKassa payment names ours.
inline constexpr std::string_view kPaymentIdKey = "vitrina_payment_id";

/// 54-FZ receipt settings of a site: sent when `enabled`, from the payment's items and customer.
struct ReceiptOptions {
  bool enabled = false;
  int vat_code = 1;                    // 1: without VAT … 6 (YooKassa's codes)
  std::optional<int> tax_system_code;  // 1…6, when the shop has several
  std::string payment_subject = "commodity";
  std::string payment_mode = "full_payment";
};

/// "Authorization: Basic base64(shopId:secretKey)".
std::string basic_auth(std::string_view shop_id, std::string_view secret_key);

/// The POST /v3/payments body. Errors "invalid" naming the payment's field YooKassa cannot take
/// (a receipt without items or contact, items that do not add up to the amount).
protocol::Result<std::string> create_request(const store::Payment& payment, std::string_view return_url,
                                             const ReceiptOptions& receipt);
/// POST /v3/payments/{id}/capture with the amount to take.
std::string capture_request(std::int64_t amount, std::string_view currency);
/// POST /v3/refunds.
std::string refund_request(std::string_view yookassa_payment_id, std::int64_t amount, std::string_view currency);

/// A payment object, the fields we use; amounts in minor units of `currency`.
struct PaymentObject {
  std::string id;
  std::string status;  // pending | waiting_for_capture | succeeded | canceled
  std::int64_t amount = 0;
  std::string currency;
  std::string confirmation_url;
  std::string cancellation_party;   // yoo_money | payment_network | merchant
  std::string cancellation_reason;  // expired_on_confirmation, card_expired, …
  std::string vitrina_payment_id;   // metadata.vitrina_payment_id
};
/// Errors "invalid" when `json` is not a payment object.
protocol::Result<PaymentObject> parse_payment(std::string_view json);

struct RefundObject {
  std::string id;
  std::string status;  // pending | succeeded | canceled
  std::string cancellation_reason;
};
protocol::Result<RefundObject> parse_refund(std::string_view json);

/// An error answer: {"type":"error","id","code","description","parameter"}.
struct ErrorObject {
  std::string code;
  std::string description;
  std::string parameter;
};
/// The error in `json`, or a generic one when it cannot be read.
ErrorObject parse_error(std::string_view json);

/// An unverified notification: which event it claims and the object's id. Errors "invalid".
struct Notification {
  std::string event;       // payment.waiting_for_capture | payment.succeeded | payment.canceled | refund.succeeded …
  std::string object_id;   // the payment's id, or for refund.* the refund's
  std::string payment_id;  // for refund.*: the refund's payment_id
};
protocol::Result<Notification> parse_notification(std::string_view body);

/// What a payment object says about ours, or nothing for "still pending": waiting_for_capture
/// -> authorized(amount); succeeded -> succeeded(amount); canceled -> expired when the payer
/// never confirmed in time (expired_on_confirmation), canceled when the shop canceled or the
/// hold lapsed (party merchant, expired_on_capture), failed(reason) otherwise.
std::optional<protocol::PaymentEvent> payment_event(const PaymentObject& payment);

/// The dedupe key of a reading: payment, status and amount.
std::string event_key(const PaymentObject& payment);

}  // namespace vitrina::acquirers::yookassa
