#include "payments/refund.hpp"

#include "auth/keys.hpp"
#include "payments/payment.hpp"
#include "vitrina/protocol/json.hpp"
#include "vitrina/protocol/refund.hpp"
#include "webhooks/event.hpp"

namespace vitrina::payments {

std::string refund_json(const store::Refund& refund, const store::Payment& payment) {
  protocol::JsonWriter w;
  w.begin_object()
      .key("id")
      .value(refund.id)
      .key("payment_id")
      .value(refund.payment_id)
      .key("status")
      .value(refund.status)
      .key("amount")
      .value(refund.amount)
      .key("currency")
      .value(payment.currency)
      .key("order_id")
      .value(payment.order_id)
      .key("metadata")
      .raw(payment.metadata_json)
      .key("created_at")
      .value(webhooks::rfc3339_ms(refund.created_at))
      .end_object();
  return std::move(w).str();
}

protocol::Result<RefundPlan> plan_sandbox_refund(const store::Payment& current, std::optional<std::int64_t> amount,
                                                 std::int64_t now_ms) {
  const protocol::PaymentState state = to_state(current);
  auto opening = protocol::open_refund(state, amount.value_or(protocol::refundable_amount(state)));
  if (!opening) return std::move(opening).error();
  auto done = protocol::apply(opening->payment, opening->refund, protocol::RefundEvent::succeeded());
  if (!done) return std::move(done).error();

  RefundPlan plan;
  plan.refund.id = auth::generate_id(kRefundPrefix);
  plan.refund.payment_id = current.id;
  plan.refund.site_id = current.site_id;
  plan.refund.status = std::string(protocol::to_string(done->refund.status));
  plan.refund.amount = done->refund.amount;
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
