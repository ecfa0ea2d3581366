#include "payments/refund.hpp"

#include "auth/keys.hpp"
#include "payments/payment.hpp"
#include "vitrina/protocol/json.hpp"
#include "vitrina/protocol/refund.hpp"
#include "webhooks/event.hpp"

namespace vitrina::payments {

namespace {

void write_refund(protocol::JsonWriter& w, const store::Refund& refund, const store::Payment& payment) {
  w.begin_object()
      .key("id")
      .value(refund.id)
      .key("payment_id")
      .value(refund.payment_id)
      .key("status")
      .value(protocol::to_string(refund.status))
      .key("amount")
      .value(refund.amount)
      .key("currency")
      .value(payment.currency)
      .key("order_id")
      .value(payment.order_id)
      .key("metadata")
      .raw(payment.metadata_json);
  if (!refund.failure_reason.empty()) w.key("failure_reason").value(refund.failure_reason);
  w.key("created_at").value(webhooks::rfc3339_ms(refund.created_at)).end_object();
}

}  // namespace

std::string refund_json(const store::Refund& refund, const store::Payment& payment) {
  protocol::JsonWriter w;
  write_refund(w, refund, payment);
  return std::move(w).str();
}

std::string refund_list_json(const std::vector<store::Refund>& refunds, const store::Payment& payment) {
  protocol::JsonWriter w;
  w.begin_object().key("items").begin_array();
  for (const auto& r : refunds) write_refund(w, r, payment);
  w.end_array().end_object();
  return std::move(w).str();
}

protocol::Result<std::int64_t> refund_amount(const store::Payment& current, std::optional<std::int64_t> amount) {
  const protocol::PaymentState state = to_state(current);
  const std::int64_t asked = amount.value_or(protocol::refundable_amount(state));
  if (auto ok = protocol::can_refund(state, asked); !ok) return std::move(ok).error();
  return asked;
}

protocol::Result<RefundPlan> plan_refund(const store::Payment& current, std::int64_t amount,
                                         const protocol::RefundEvent& answer, std::int64_t now_ms) {
  auto opening = protocol::open_refund(to_state(current), amount);
  if (!opening) return std::move(opening).error();
  auto done = protocol::apply(opening->payment, opening->refund, answer);
  if (!done) return std::move(done).error();

  RefundPlan plan;
  plan.refund.id = auth::generate_id(kRefundPrefix);
  plan.refund.payment_id = current.id;
  plan.refund.site_id = current.site_id;
  plan.refund.status = done->refund.status;
  plan.refund.amount = done->refund.amount;
  plan.refund.failure_reason = done->refund.failure_reason;
  plan.refund.created_at = now_ms;
  plan.refund.updated_at = now_ms;

  store::Payment p = current;
  p.refunded_amount = done->payment.refunded_amount;
  p.updated_at = now_ms;
  p.version = current.version + 1;
  plan.update = {.payment = p, .expected_version = current.version, .idempotency = {}, .event = {}, .refund = {}};
  if (auto type = protocol::webhook_event_type(*done)) {
    plan.update.event = webhooks::make_event(p.site_id, std::string(*type), refund_json(plan.refund, p), now_ms);
  }
  plan.update.refund = plan.refund;
  return plan;
}

}  // namespace vitrina::payments
