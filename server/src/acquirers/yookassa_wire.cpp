#include "acquirers/yookassa_wire.hpp"

#include "acquirers/hmac_sha256.hpp"
#include "acquirers/receipt.hpp"
#include "vitrina/protocol/amount.hpp"
#include "vitrina/protocol/json.hpp"
#include "vitrina/protocol/json_reader.hpp"

namespace vitrina::acquirers::yookassa {

namespace {

using protocol::JsonValue;

constexpr std::size_t kMaxDescription = 128;  // characters, payments and receipt items alike
constexpr protocol::JsonReadLimits kAnswerLimits{.max_bytes = 1024 * 1024, .max_depth = 16, .max_values = 65536};

std::string text_of(const JsonValue* v) {
  if (v == nullptr) return {};
  if (v->is_string() || v->is_number()) return v->text;
  return {};
}

const JsonValue* path(const JsonValue& root, std::string_view a, std::string_view b = {}) {
  const JsonValue* v = root.find(a);
  if (v != nullptr && !b.empty()) v = v->find(b);
  return v;
}

void write_amount(protocol::JsonWriter& w, std::int64_t amount, std::string_view currency) {
  const auto c = protocol::find_currency(currency);
  w.begin_object()
      .key("value")
      .value(c ? protocol::format_amount(amount, *c) : std::to_string(amount))
      .key("currency")
      .value(currency)
      .end_object();
}

protocol::Result<void> write_receipt(protocol::JsonWriter& w, const store::Payment& payment,
                                     const ReceiptOptions& options) {
  auto source = receipt_source(payment, "YooKassa");
  if (!source) return std::move(source).error();
  w.key("receipt").begin_object().key("customer").begin_object();
  if (!source->email.empty()) w.key("email").value(source->email);
  // YooKassa takes the phone as digits in international format, without "+".
  if (!source->phone.empty()) {
    w.key("phone").value(source->phone.starts_with('+') ? source->phone.substr(1) : source->phone);
  }
  w.end_object().key("items").begin_array();
  for (const auto& item : source->items) {
    w.begin_object().key("description").value(clip_utf8(item.name, kMaxDescription));
    w.key("quantity").value(item.quantity).key("amount");
    write_amount(w, item.price, payment.currency);
    w.key("vat_code")
        .value(options.vat_code)
        .key("payment_subject")
        .value(options.payment_subject)
        .key("payment_mode")
        .value(options.payment_mode)
        .end_object();
  }
  w.end_array();
  if (options.tax_system_code) w.key("tax_system_code").value(*options.tax_system_code);
  w.end_object();
  return {};
}

}  // namespace

std::string basic_auth(std::string_view shop_id, std::string_view secret_key) {
  return "Basic " + base64_encode(std::string(shop_id) + ":" + std::string(secret_key));
}

protocol::Result<std::string> create_request(const store::Payment& payment, std::string_view return_url,
                                             const ReceiptOptions& receipt) {
  protocol::JsonWriter w;
  w.begin_object().key("amount");
  write_amount(w, payment.amount, payment.currency);
  w.key("capture").value(payment.capture);
  w.key("confirmation").begin_object().key("type").value("redirect").key("return_url").value(return_url).end_object();
  const std::string description = payment.description.empty() ? payment.order_id : payment.description;
  if (!description.empty()) w.key("description").value(clip_utf8(description, kMaxDescription));
  w.key("metadata")
      .begin_object()
      .key(kPaymentIdKey)
      .value(payment.id)
      .key("vitrina_order_id")
      .value(clip_utf8(payment.order_id, 128))
      .end_object();
  if (receipt.enabled) {
    if (auto r = write_receipt(w, payment, receipt); !r) return std::move(r).error();
  }
  w.end_object();
  return std::move(w).str();
}

std::string capture_request(std::int64_t amount, std::string_view currency) {
  protocol::JsonWriter w;
  w.begin_object().key("amount");
  write_amount(w, amount, currency);
  w.end_object();
  return std::move(w).str();
}

std::string refund_request(std::string_view yookassa_payment_id, std::int64_t amount, std::string_view currency) {
  protocol::JsonWriter w;
  w.begin_object().key("payment_id").value(yookassa_payment_id).key("amount");
  write_amount(w, amount, currency);
  w.end_object();
  return std::move(w).str();
}

protocol::Result<PaymentObject> parse_payment(std::string_view json) {
  auto parsed = protocol::parse_json(json, kAnswerLimits);
  if (!parsed || !parsed->is_object())
    return protocol::make_error(protocol::ErrorCode::invalid, "not a YooKassa payment object", "body");
  const JsonValue& o = *parsed;
  PaymentObject p;
  p.id = text_of(o.find("id"));
  p.status = text_of(o.find("status"));
  p.currency = text_of(path(o, "amount", "currency"));
  if (p.id.empty() || p.status.empty()) {
    return protocol::make_error(protocol::ErrorCode::invalid, "the YooKassa payment has no id or status", "id");
  }
  const auto currency = protocol::find_currency(p.currency);
  if (!currency)
    return protocol::make_error(protocol::ErrorCode::invalid, "the YooKassa payment has an unknown currency", "amount");
  auto amount = protocol::parse_amount(text_of(path(o, "amount", "value")), *currency, "amount");
  if (!amount) return std::move(amount).error();
  p.amount = *amount;
  p.confirmation_url = text_of(path(o, "confirmation", "confirmation_url"));
  p.cancellation_party = text_of(path(o, "cancellation_details", "party"));
  p.cancellation_reason = text_of(path(o, "cancellation_details", "reason"));
  p.vitrina_payment_id = text_of(path(o, "metadata", kPaymentIdKey));
  return p;
}

protocol::Result<RefundObject> parse_refund(std::string_view json) {
  auto parsed = protocol::parse_json(json, kAnswerLimits);
  if (!parsed || !parsed->is_object())
    return protocol::make_error(protocol::ErrorCode::invalid, "not a YooKassa refund object", "body");
  RefundObject r;
  r.id = text_of(parsed->find("id"));
  r.status = text_of(parsed->find("status"));
  r.cancellation_reason = text_of(path(*parsed, "cancellation_details", "reason"));
  if (r.id.empty() || r.status.empty()) {
    return protocol::make_error(protocol::ErrorCode::invalid, "the YooKassa refund has no id or status", "id");
  }
  return r;
}

ErrorObject parse_error(std::string_view json) {
  ErrorObject e{.code = "unknown", .description = "YooKassa answered with an error", .parameter = {}};
  auto parsed = protocol::parse_json(json, kAnswerLimits);
  if (!parsed || !parsed->is_object()) return e;
  if (auto code = text_of(parsed->find("code")); !code.empty()) e.code = code;
  if (auto d = text_of(parsed->find("description")); !d.empty()) e.description = d;
  e.parameter = text_of(parsed->find("parameter"));
  return e;
}

protocol::Result<Notification> parse_notification(std::string_view body) {
  auto parsed = protocol::parse_json(body);
  if (!parsed || !parsed->is_object())
    return protocol::make_error(protocol::ErrorCode::invalid, "not a JSON object", "body");
  Notification n;
  n.event = text_of(parsed->find("event"));
  n.object_id = text_of(path(*parsed, "object", "id"));
  n.payment_id = text_of(path(*parsed, "object", "payment_id"));
  if (text_of(parsed->find("type")) != "notification" || n.event.empty()) {
    return protocol::make_error(protocol::ErrorCode::invalid, "not a YooKassa notification", "event");
  }
  if (n.object_id.empty())
    return protocol::make_error(protocol::ErrorCode::invalid, "the notification names no object", "object.id");
  return n;
}

std::optional<protocol::PaymentEvent> payment_event(const PaymentObject& p) {
  using protocol::PaymentEvent;
  if (p.status == "waiting_for_capture") return PaymentEvent::authorized(p.amount);
  if (p.status == "succeeded") return PaymentEvent::succeeded(p.amount);
  if (p.status != "canceled") return std::nullopt;
  if (p.cancellation_reason == "expired_on_confirmation") return PaymentEvent::expired();
  if (p.cancellation_party == "merchant" || p.cancellation_reason == "expired_on_capture" ||
      p.cancellation_reason == "canceled_by_merchant") {
    return PaymentEvent::canceled();
  }
  return PaymentEvent::failed(p.cancellation_reason.empty() ? "declined" : p.cancellation_reason);
}

std::string event_key(const PaymentObject& p) {
  return p.id + ":" + p.status + ":" + std::to_string(p.amount) + (p.cancellation_reason.empty() ? "" : ":") +
         p.cancellation_reason;
}

}  // namespace vitrina::acquirers::yookassa
