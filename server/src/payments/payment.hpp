#pragma once
// A payment's record and its JSON: building a new payment from a validated request, the
// answer every endpoint gives, and turning a state-machine event into a store update with its
// webhook event (protocol::apply decides; nothing here re-implements the rules).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "payments/request.hpp"
#include "store/payment_records.hpp"
#include "vitrina/protocol/payment.hpp"

namespace vitrina::payments {

inline constexpr std::string_view kPaymentPrefix = "pay_";

/// A pending payment for `request` with a fresh pay_… id; its confirmation_url is the
/// acquirer's to give (Acquirer::create).
store::Payment new_payment(const CreatePaymentRequest& request, std::string site_id, std::int64_t now_ms);

/// The payment as the API shows it (and as webhook events carry it in `data`).
std::string payment_json(const store::Payment& payment);

/// `{"items":[…]}` of payments, newest first.
std::string payment_list_json(const std::vector<store::Payment>& payments);

protocol::PaymentState to_state(const store::Payment& payment);

/// What an event does to a payment: the update to write (state, version + 1, and the webhook
/// event when the status changed), or nothing when the event changes nothing (a repeat).
/// Errors as protocol::apply: "conflict", "invalid" (field "amount").
struct Change {
  store::Payment payment;                      // the payment after the event
  std::optional<store::PaymentUpdate> update;  // empty when nothing changed
};
protocol::Result<Change> plan_change(const store::Payment& current, const protocol::PaymentEvent& event,
                                     std::int64_t now_ms);

}  // namespace vitrina::payments
