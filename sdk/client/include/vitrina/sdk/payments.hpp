#pragma once
/// \file
/// The payment and refund objects of the payments API (docs/api.md) as plain C++ values, and
/// the arguments of the calls that make them. Amounts are integers in the currency's minor
/// units (kopecks, cents); timestamps are the server's RFC 3339 strings, kept as sent.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "vitrina/protocol/payment.hpp"
#include "vitrina/protocol/refund.hpp"

namespace vitrina::sdk {

/// The payer, for receipts and the acquirer. Empty members are not sent.
struct Customer {
  /// Contains '@', at most 254 characters.
  std::string email;
  /// An optional leading '+' and 5–15 digits.
  std::string phone;
};

/// One receipt line: `quantity × amount` is what the line costs.
struct Item {
  /// 1–128 characters.
  std::string name;
  /// 1 to 10^6.
  std::int64_t quantity = 1;
  /// The price of one unit, in minor units.
  std::int64_t amount = 0;
};

/// The body of `POST /v1/payments`. Unset optionals are left out so that the server's
/// defaults apply; the server validates everything and answers `invalid` naming the field.
struct PaymentRequest {
  /// Required; minor units, > 0.
  std::int64_t amount = 0;
  /// Required; ISO 4217, upper case ("RUB", "EUR").
  std::string currency;
  /// Required; the shop's own reference, 1–128 characters.
  std::string order_id;
  /// Required; where the payer's browser returns, an absolute http(s) URL.
  std::string return_url;
  /// At most 256 characters; not sent when absent.
  std::optional<std::string> description;
  /// Not sent when absent.
  std::optional<Customer> customer;
  /// Receipt lines; not sent when empty. When given, their total must equal `amount`.
  std::vector<Item> items;
  /// String → string, at most 20 keys; returned as given and carried in webhooks. Not sent
  /// when empty.
  std::map<std::string, std::string> metadata;
  /// true: one stage (the default on the server); false: hold the money until capture.
  std::optional<bool> capture;
  /// The acquirer's name; the server's default (`sandbox`) when absent.
  std::optional<std::string> acquirer;
  /// Seconds until a pending payment expires (60–86400); the server's default when absent.
  std::optional<std::int64_t> expires_in;
};

/// A payment as the server reports it.
struct Payment {
  /// `pay_…`.
  std::string id;
  protocol::PaymentStatus status = protocol::PaymentStatus::pending;
  std::int64_t amount = 0;
  std::string currency;
  std::string order_id;
  /// Empty when the payment has none.
  std::string description;
  std::map<std::string, std::string> metadata;
  /// Absent when the payment was created without one.
  std::optional<Customer> customer;
  std::vector<Item> items;
  /// true: one stage; false: two stages (hold, then capture).
  bool capture = true;
  std::string acquirer;
  std::string return_url;
  /// Where the payer's browser goes to pay (`confirmation.url`); empty when the server sent none.
  std::string confirmation_url;
  std::int64_t authorized_amount = 0;
  std::int64_t captured_amount = 0;
  std::int64_t refunded_amount = 0;
  /// Only on failed payments; empty otherwise.
  std::string failure_reason;
  std::string created_at;
  std::string updated_at;
  std::string expires_at;
};

/// A refund of (part of) a succeeded payment.
struct Refund {
  /// `re_…`.
  std::string id;
  std::string payment_id;
  protocol::RefundStatus status = protocol::RefundStatus::pending;
  std::int64_t amount = 0;
  std::string currency;
  std::string order_id;
  std::map<std::string, std::string> metadata;
  std::string created_at;
};

/// Per-call settings of the calls that change something (`POST`s).
struct CallOptions {
  /// The `Idempotency-Key` (1–255 printable ASCII characters). Empty: the client draws a
  /// random one. Either way the same key is sent on every retry of this call, so a retry never
  /// does the work twice. Pass your own to make the call safe to repeat across process restarts
  /// (e.g. a key stored with the order); each call needs its own key.
  std::string idempotency_key;
};

}  // namespace vitrina::sdk
