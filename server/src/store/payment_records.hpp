#pragma once
// What the store keeps about payments and the idempotency keys of the payments API. Plain
// records: the rules (validation, the state machine) live in sdk/protocol and server/payments.

#include <cstdint>
#include <optional>
#include <string>

#include "store/webhook_records.hpp"
#include "vitrina/protocol/payment.hpp"
#include "vitrina/protocol/refund.hpp"

namespace vitrina::store {

struct Payment {
  std::string id;  // pay_…
  std::string site_id;
  protocol::PaymentStatus status = protocol::PaymentStatus::pending;
  std::int64_t amount = 0;  // minor units
  std::string currency;     // ISO 4217 code
  std::string order_id;
  std::string description;
  std::string return_url;
  std::string customer_json = "null";  // canonical JSON written by the payments module
  std::string items_json = "[]";
  std::string metadata_json = "{}";
  bool capture = true;
  std::string acquirer = "sandbox";
  std::string confirmation_url;
  std::string acquirer_ref;  // the acquirer's own id of the payment ("" when it has none)
  std::int64_t authorized_amount = 0;
  std::int64_t captured_amount = 0;
  std::int64_t refunded_amount = 0;
  std::string failure_reason;
  std::int64_t expires_at = 0;  // unix milliseconds
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::int64_t version = 1;  // grows by one with every change: updates compare it
};

/// A refund of (part of) a succeeded payment.
struct Refund {
  std::string id;  // re_…
  std::string payment_id;
  std::string site_id;
  protocol::RefundStatus status = protocol::RefundStatus::pending;
  std::int64_t amount = 0;  // minor units of the payment's currency
  std::string failure_reason;
  std::int64_t created_at = 0;  // unix milliseconds
  std::int64_t updated_at = 0;
};

/// The stored answer to a request made with an Idempotency-Key.
struct IdempotencyRecord {
  std::string site_id;
  std::string key;
  std::string request_hash;  // hex SHA-256 of method, path and body
  int status_code = 0;
  std::string response_body;
  std::int64_t created_at = 0;
};

/// A change to a payment: `payment` (with the version it had when read, `expected_version`,
/// and the new one) replaces the row if nobody changed it meanwhile; the idempotency record
/// the new refund and the webhook event, when present, commit with it.
struct PaymentUpdate {
  Payment payment;
  std::int64_t expected_version = 0;
  std::optional<IdempotencyRecord> idempotency;
  std::optional<NewWebhookEvent> event;
  std::optional<Refund> refund;
};

}  // namespace vitrina::store
