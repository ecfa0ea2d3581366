#include "acquirers/stripe_wire.hpp"

#include <simdjson.h>

#include <algorithm>

namespace vitrina::acquirers::stripe {

namespace {

namespace dom = simdjson::dom;

protocol::Error invalid(std::string field, std::string message) {
  return protocol::make_error(protocol::ErrorCode::invalid, std::move(message), std::move(field));
}

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

void append_encoded(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : text) {
    if (unreserved(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  return out;
}

// Optional members: absent or null leaves the default; a member of the wrong type is an error.
bool read(dom::element object, std::string_view key, std::string& out) {
  dom::element e;
  if (object[key].get(e) || e.is_null()) return true;
  std::string_view v;
  if (e.get(v)) return false;
  out = std::string(v);
  return true;
}

bool read(dom::element object, std::string_view key, std::int64_t& out) {
  dom::element e;
  if (object[key].get(e) || e.is_null()) return true;
  return !e.get(out);
}

// payment_intent is an id, or the whole object when the request expanded it.
bool read_payment_intent(dom::element object, Session& s) {
  dom::element e;
  if (object["payment_intent"].get(e) || e.is_null()) return true;
  std::string_view id;
  if (!e.get(id)) {
    s.payment_intent = std::string(id);
    return true;
  }
  if (!e.is_object()) return false;
  return read(e, "id", s.payment_intent) && read(e, "status", s.payment_intent_status);
}

bool read_metadata(dom::element object, std::string& payment_id, std::string& site_id, bool* manual = nullptr) {
  dom::element metadata;
  if (object["metadata"].get(metadata) || metadata.is_null()) return true;
  if (!metadata.is_object()) return false;
  std::string capture;
  if (!read(metadata, kPaymentIdKey, payment_id) || !read(metadata, kSiteIdKey, site_id) ||
      !read(metadata, kCaptureKey, capture)) {
    return false;
  }
  if (manual != nullptr) *manual = capture == "manual";
  return true;
}

protocol::Result<Session> session_of(dom::element o) {
  Session s;
  std::string currency;
  if (!read(o, "id", s.id) || !read(o, "url", s.url) || !read(o, "status", s.status) ||
      !read(o, "payment_status", s.payment_status) || !read(o, "currency", currency) ||
      !read(o, "amount_total", s.amount_total) || !read(o, "expires_at", s.expires_at) || !read_payment_intent(o, s) ||
      !read_metadata(o, s.payment_id, s.site_id, &s.manual_capture)) {
    return invalid("data.object", "is not a Checkout Session");
  }
  if (s.id.empty()) return invalid("id", "a Checkout Session needs an id");
  s.currency = upper(currency);
  return s;
}

protocol::Result<Charge> charge_of(dom::element o) {
  Charge c;
  std::string currency;
  if (!read(o, "id", c.id) || !read(o, "payment_intent", c.payment_intent) || !read(o, "currency", currency) ||
      !read(o, "amount", c.amount) || !read(o, "amount_captured", c.amount_captured) ||
      !read(o, "amount_refunded", c.amount_refunded) || !read_metadata(o, c.payment_id, c.site_id)) {
    return invalid("data.object", "is not a Charge");
  }
  c.currency = upper(currency);
  return c;
}

template <class F>
auto parse_with(std::string_view json, F&& f) -> decltype(f(dom::element{})) {
  dom::parser parser;
  dom::element root;
  if (parser.parse(json.data(), json.size()).get(root) || !root.is_object()) {
    return invalid("body", "is not a JSON object");
  }
  return f(root);
}

}  // namespace

std::string form_encode(const FormFields& fields) {
  std::string out;
  for (const auto& [key, value] : fields) {
    if (!out.empty()) out += '&';
    append_encoded(out, key);
    out += '=';
    append_encoded(out, value);
  }
  return out;
}

FormFields checkout_session_form(const store::Payment& payment, std::int64_t now_s) {
  const std::string item = "line_items[0]";
  std::string name = payment.description.empty() ? "Order " + payment.order_id : payment.description;
  FormFields f{
      {"mode", "payment"},
      {"success_url", payment.return_url},
      {"cancel_url", payment.return_url},
      {"client_reference_id", payment.id},
      {item + "[quantity]", "1"},
      {item + "[price_data][currency]", lower(payment.currency)},
      {item + "[price_data][unit_amount]", std::to_string(payment.amount)},
      {item + "[price_data][product_data][name]", std::move(name)},
      {"metadata[" + std::string(kPaymentIdKey) + "]", payment.id},
      {"metadata[" + std::string(kSiteIdKey) + "]", payment.site_id},
      {"payment_intent_data[metadata][" + std::string(kPaymentIdKey) + "]", payment.id},
      {"payment_intent_data[metadata][" + std::string(kSiteIdKey) + "]", payment.site_id},
  };
  if (!payment.description.empty()) f.emplace_back("payment_intent_data[description]", payment.description);
  if (!payment.capture) {
    f.emplace_back("payment_intent_data[capture_method]", "manual");
    f.emplace_back("metadata[" + std::string(kCaptureKey) + "]", "manual");
  }
  // The customer's email pre-fills the page and gets Stripe's receipt.
  dom::parser parser;
  dom::element customer;
  std::string_view email;
  if (!parser.parse(payment.customer_json).get(customer) && customer.is_object() && !customer["email"].get(email) &&
      !email.empty()) {
    f.emplace_back("customer_email", std::string(email));
  }
  std::int64_t expires = payment.expires_at > 0 ? payment.expires_at / 1000 : now_s + kMaxSessionS;
  expires = std::clamp(expires, now_s + kMinSessionS, now_s + kMaxSessionS);
  f.emplace_back("expires_at", std::to_string(expires));
  return f;
}

protocol::Result<Session> parse_session(std::string_view json) {
  return parse_with(json, [](dom::element root) { return session_of(root); });
}

protocol::Result<Refund> parse_refund(std::string_view json) {
  return parse_with(json, [](dom::element o) -> protocol::Result<Refund> {
    Refund r;
    if (!read(o, "id", r.id) || !read(o, "status", r.status) || !read(o, "amount", r.amount) ||
        !read(o, "failure_reason", r.failure_reason)) {
      return invalid("body", "is not a Refund");
    }
    return r;
  });
}

protocol::Result<Event> parse_event(std::string_view json) {
  return parse_with(json, [](dom::element root) -> protocol::Result<Event> {
    Event e;
    std::string object_kind;
    if (!read(root, "id", e.id) || !read(root, "type", e.type) || !read(root, "object", object_kind) ||
        !read(root, "created", e.created)) {
      return invalid("body", "is not a Stripe event");
    }
    if (object_kind != "event" || e.id.empty() || e.id.size() > 255 || e.type.empty()) {
      return invalid("id", "is not a Stripe event");
    }
    dom::element object;
    const bool has_object = !root.at_pointer("/data/object").get(object) && object.is_object();
    if (e.type.starts_with("checkout.session.")) {
      if (!has_object) return invalid("data.object", "is missing");
      auto session = session_of(object);
      if (!session) return std::move(session).error();
      e.session = std::move(*session);
    } else if (e.type == "charge.refunded") {
      if (!has_object) return invalid("data.object", "is missing");
      auto charge = charge_of(object);
      if (!charge) return std::move(charge).error();
      e.charge = std::move(*charge);
    }
    return e;
  });
}

ApiError parse_api_error(std::string_view json) {
  ApiError out;
  dom::parser parser;
  dom::element error;
  if (parser.parse(json.data(), json.size()).get(error) || !error.is_object() || error["error"].get(error) ||
      !error.is_object()) {
    return out;
  }
  std::string decline_code;
  (void)read(error, "type", out.type);
  (void)read(error, "code", out.code);
  (void)read(error, "decline_code", decline_code);
  (void)read(error, "message", out.message);
  (void)read(error, "param", out.param);
  if (!decline_code.empty()) out.code += (out.code.empty() ? "" : ":") + decline_code;
  return out;
}

std::optional<protocol::PaymentEvent> payment_event(const Event& event) {
  if (!event.session) return std::nullopt;
  const Session& s = *event.session;
  const std::optional<std::int64_t> amount =
      s.amount_total > 0 ? std::optional<std::int64_t>(s.amount_total) : std::nullopt;
  if (event.type == "checkout.session.completed") {
    if (s.payment_status == "paid") return protocol::PaymentEvent::succeeded(amount);
    if (s.payment_status == "unpaid" && s.manual_capture) return protocol::PaymentEvent::authorized(amount);
    return std::nullopt;
  }
  if (event.type == "checkout.session.async_payment_succeeded") return protocol::PaymentEvent::succeeded(amount);
  if (event.type == "checkout.session.async_payment_failed") {
    return protocol::PaymentEvent::failed("async_payment_failed");
  }
  if (event.type == "checkout.session.expired") return protocol::PaymentEvent::expired();
  return std::nullopt;
}

std::optional<protocol::PaymentStatus> session_status(const Session& s) {
  using protocol::PaymentStatus;
  const std::string& pi = s.payment_intent_status;
  if (pi == "canceled") return PaymentStatus::canceled;
  if (s.status == "expired") return PaymentStatus::expired;
  if (s.status != "complete") return std::nullopt;
  if (s.payment_status == "paid" || pi == "succeeded") return PaymentStatus::succeeded;
  if (pi == "requires_capture") return PaymentStatus::waiting_for_capture;
  return std::nullopt;
}

protocol::RefundStatus refund_status(const Refund& refund) {
  if (refund.status == "succeeded") return protocol::RefundStatus::succeeded;
  if (refund.status == "failed" || refund.status == "canceled") return protocol::RefundStatus::failed;
  return protocol::RefundStatus::pending;
}

}  // namespace vitrina::acquirers::stripe
