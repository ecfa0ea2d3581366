#include "payments/payment.hpp"

#include "auth/keys.hpp"
#include "vitrina/protocol/json.hpp"
#include "webhooks/event.hpp"

namespace vitrina::payments {

store::Payment new_payment(const CreatePaymentRequest& request, std::string site_id, std::int64_t now_ms) {
  store::Payment p;
  p.id = auth::generate_id(kPaymentPrefix);
  p.site_id = std::move(site_id);
  p.status = protocol::PaymentStatus::pending;
  p.amount = request.amount;
  p.currency = std::string(request.currency.code);
  p.order_id = request.order_id;
  p.description = request.description;
  p.return_url = request.return_url;
  p.customer_json = customer_json(request.customer);
  p.items_json = items_json(request.items);
  p.metadata_json = metadata_json(request.metadata);
  p.capture = request.capture;
  p.acquirer = request.acquirer;
  p.expires_at = now_ms + request.expires_in_s * 1000;
  p.created_at = now_ms;
  p.updated_at = now_ms;
  p.version = 1;
  return p;
}

namespace {

void write_payment(protocol::JsonWriter& w, const store::Payment& p) {
  w.begin_object()
      .key("id")
      .value(p.id)
      .key("status")
      .value(protocol::to_string(p.status))
      .key("amount")
      .value(p.amount)
      .key("currency")
      .value(p.currency)
      .key("order_id")
      .value(p.order_id)
      .key("description")
      .value(p.description)
      .key("metadata")
      .raw(p.metadata_json)
      .key("customer")
      .raw(p.customer_json)
      .key("items")
      .raw(p.items_json)
      .key("capture")
      .value(p.capture)
      .key("acquirer")
      .value(p.acquirer)
      .key("return_url")
      .value(p.return_url)
      .key("confirmation")
      .begin_object()
      .key("type")
      .value("redirect")
      .key("url")
      .value(p.confirmation_url)
      .end_object()
      .key("authorized_amount")
      .value(p.authorized_amount)
      .key("captured_amount")
      .value(p.captured_amount)
      .key("refunded_amount")
      .value(p.refunded_amount);
  if (!p.failure_reason.empty()) w.key("failure_reason").value(p.failure_reason);
  w.key("created_at")
      .value(webhooks::rfc3339_ms(p.created_at))
      .key("updated_at")
      .value(webhooks::rfc3339_ms(p.updated_at))
      .key("expires_at")
      .value(webhooks::rfc3339_ms(p.expires_at))
      .end_object();
}

}  // namespace

std::string payment_json(const store::Payment& payment) {
  protocol::JsonWriter w;
  write_payment(w, payment);
  return std::move(w).str();
}

std::string payment_list_json(const std::vector<store::Payment>& payments) {
  protocol::JsonWriter w;
  w.begin_object().key("items").begin_array();
  for (const auto& p : payments) write_payment(w, p);
  w.end_array().end_object();
  return std::move(w).str();
}

protocol::PaymentState to_state(const store::Payment& payment) {
  protocol::PaymentState s;
  s.status = payment.status;
  s.amount = payment.amount;
  s.authorized_amount = payment.authorized_amount;
  s.captured_amount = payment.captured_amount;
  s.refunded_amount = payment.refunded_amount;
  s.expires_at_ms = payment.expires_at;
  s.failure_reason = payment.failure_reason;
  return s;
}

protocol::Result<Change> plan_change(const store::Payment& current, const protocol::PaymentEvent& event,
                                     std::int64_t now_ms) {
  auto transition = protocol::apply(to_state(current), event);
  if (!transition) return std::move(transition).error();
  Change change{current, std::nullopt};
  if (!transition->changed) return change;
  const auto& s = transition->state;
  store::Payment& p = change.payment;
  p.status = s.status;
  p.authorized_amount = s.authorized_amount;
  p.captured_amount = s.captured_amount;
  p.refunded_amount = s.refunded_amount;
  p.failure_reason = s.failure_reason;
  p.updated_at = now_ms;
  p.version = current.version + 1;
  store::PaymentUpdate update{.payment = p, .expected_version = current.version, .idempotency = {}, .event = {}};
  if (auto type = protocol::webhook_event_type(*transition)) {
    update.event = webhooks::make_event(p.site_id, std::string(*type), payment_json(p), now_ms);
  }
  change.update = std::move(update);
  return change;
}

}  // namespace vitrina::payments
