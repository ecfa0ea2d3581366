#include "acquirers/cloudpayments_wire.hpp"

#include <simdjson.h>

#include <map>

#include "acquirers/hmac_sha256.hpp"
#include "vitrina/protocol/amount.hpp"
#include "vitrina/protocol/currency.hpp"
#include "vitrina/protocol/form.hpp"
#include "vitrina/protocol/json.hpp"

namespace vitrina::acquirers::cloudpayments {

namespace {

namespace ondemand = simdjson::ondemand;

// Notifications carry a few dozen short fields; the callback endpoint bounds the body anyway.
constexpr std::size_t kMaxFields = 128;

protocol::Error invalid(std::string field, std::string message) {
  return protocol::make_error(protocol::ErrorCode::invalid, std::move(message), std::move(field));
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// The flat fields of a notification, as text: strings unquoted, numbers and booleans as written.
using Fields = std::map<std::string, std::string, std::less<>>;

protocol::Result<Fields> form_fields(std::string_view body) {
  Fields fields;
  while (!body.empty()) {
    const std::size_t amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    auto key = protocol::form_decode(pair.substr(0, eq));
    auto value = protocol::form_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
    if (!key || !value) return invalid("body", "is not valid form encoding");
    if (fields.size() == kMaxFields) return invalid("body", "has too many fields");
    fields.emplace(std::move(*key), std::move(*value));
  }
  return fields;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t'))
    s.remove_suffix(1);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\r' || s.front() == '\t'))
    s.remove_prefix(1);
  return s;
}

// Collects the scalars of `object` into `fields` under `prefix`; the members of the nested
// object named `descend` (API answers' "Model") are collected too, as "Model.Id" and so on.
protocol::Result<void> collect(ondemand::object object, Fields& fields, const std::string& prefix,
                               std::string_view descend) {
  for (auto field : object) {
    std::string_view key;
    ondemand::value value;
    ondemand::json_type type;
    if (field.unescaped_key().get(key) || field.value().get(value) || value.type().get(type)) {
      return invalid("body", "is not valid JSON");
    }
    if (fields.size() == kMaxFields) return invalid("body", "has too many fields");
    const std::string name = prefix + std::string(key);
    std::string text;
    if (type == ondemand::json_type::string) {
      std::string_view s;
      if (value.get_string().get(s)) return invalid(name, "is not a valid string");
      text = std::string(s);
    } else if (type == ondemand::json_type::number || type == ondemand::json_type::boolean) {
      text = std::string(trim(value.raw_json_token()));
    } else if (type == ondemand::json_type::object && !descend.empty() && key == descend) {
      ondemand::object inner;
      if (value.get_object().get(inner)) return invalid(name, "is not valid JSON");
      auto nested = collect(inner, fields, name + ".", {});
      if (!nested) return nested;
      continue;
    } else {
      // Other nested objects (Data, CustomFields), arrays and nulls are not needed.
      continue;
    }
    fields.emplace(name, std::move(text));
  }
  return {};
}

protocol::Result<Fields> json_fields(std::string_view body, std::string_view descend = {}) {
  ondemand::parser parser;
  simdjson::padded_string padded(body);
  ondemand::document doc;
  ondemand::object object;
  if (parser.iterate(padded).get(doc) || doc.get_object().get(object)) {
    return invalid("body", "is not a JSON object");
  }
  Fields fields;
  auto collected = collect(object, fields, {}, descend);
  if (!collected) return std::move(collected).error();
  return fields;
}

std::string field_of(const Fields& f, std::string_view key) {
  const auto it = f.find(key);
  return it == f.end() ? std::string{} : it->second;
}

// CloudPayments writes amounts as decimals ("100", "100.5", "100.00"); JSON numbers as written.
protocol::Result<std::int64_t> minor_units(std::string_view text, std::string_view currency_code, std::string field) {
  auto currency = protocol::find_currency(currency_code);
  if (!currency) return invalid("Currency", "is not a known currency");
  return protocol::parse_amount(text, *currency, field);
}

std::string decimal(std::int64_t amount, std::string_view currency_code) {
  auto currency = protocol::find_currency(currency_code);
  // Stored payments always carry a known currency; RUB's two decimals are the fallback.
  return protocol::format_amount(amount, currency ? *currency : protocol::Currency{"RUB", 643, 2});
}

}  // namespace

protocol::Result<void> verify_hmac(const RawHeaders& headers, std::string_view body, std::string_view api_secret) {
  const auto unauthenticated = [](std::string message) {
    return protocol::make_error(protocol::ErrorCode::unauthenticated, std::move(message), std::string(kHmacHeader));
  };
  const std::string_view first = header_value(headers, kHmacHeader);
  const std::string_view second = header_value(headers, kXHmacHeader);
  if (first.empty() && second.empty()) return unauthenticated("missing Content-HMAC");
  const Mac expected = hmac_sha256(api_secret, {body});
  bool match = false;
  for (std::string_view given : {first, second}) {
    if (auto mac = mac_from_base64(given)) match |= same_mac(*mac, expected);
  }
  if (!match) return unauthenticated("Content-HMAC does not match");
  return {};
}

std::string content_hmac(std::string_view body, std::string_view api_secret) {
  return to_base64(hmac_sha256(api_secret, {body}));
}

std::string basic_auth(std::string_view public_id, std::string_view api_secret) {
  std::string credentials;
  credentials.append(public_id).append(1, ':').append(api_secret);
  std::string header = "Basic " + base64_encode(credentials);
  sodium_memzero(credentials.data(), credentials.size());
  return header;
}

std::optional<Kind> parse_kind(std::string_view text) {
  std::string k;
  for (char c : text.substr(0, 16)) k += lower(c);
  if (k == "check") return Kind::check;
  if (k == "pay") return Kind::pay;
  if (k == "fail") return Kind::fail;
  if (k == "confirm") return Kind::confirm;
  if (k == "refund") return Kind::refund;
  if (k == "cancel") return Kind::cancel;
  return std::nullopt;
}

std::string_view to_string(Kind kind) noexcept {
  switch (kind) {
    case Kind::check:
      return "check";
    case Kind::pay:
      return "pay";
    case Kind::fail:
      return "fail";
    case Kind::confirm:
      return "confirm";
    case Kind::refund:
      return "refund";
    case Kind::cancel:
      return "cancel";
  }
  return "pay";
}

protocol::Result<Notification> parse_notification(Kind kind, std::string_view body) {
  const std::string_view trimmed = trim(body);
  auto parsed = (!trimmed.empty() && trimmed.front() == '{') ? json_fields(trimmed) : form_fields(trimmed);
  if (!parsed) return std::move(parsed).error();
  const Fields& f = *parsed;
  Notification n;
  n.kind = kind;
  n.transaction_id = field_of(f, "TransactionId");
  n.payment_transaction_id = field_of(f, "PaymentTransactionId");
  n.invoice_id = field_of(f, "InvoiceId");
  n.account_id = field_of(f, "AccountId");
  n.currency = field_of(f, "Currency");
  n.status = field_of(f, "Status");
  n.operation_type = field_of(f, "OperationType");
  n.reason = field_of(f, "Reason");
  n.reason_code = field_of(f, "ReasonCode");
  const std::string test_mode = field_of(f, "TestMode");
  n.test_mode = test_mode == "1" || test_mode == "true" || test_mode == "True";
  if (n.transaction_id.empty() || n.transaction_id.size() > 32) {
    return invalid("TransactionId", "is missing or too long");
  }
  for (char c : n.transaction_id) {
    if (c < '0' || c > '9') return invalid("TransactionId", "is not a number");
  }
  if (n.invoice_id.empty() || n.invoice_id.size() > 64) return invalid("InvoiceId", "is missing or too long");
  // Confirm and Cancel may leave Currency out; RUB is CloudPayments' default then.
  if (n.currency.empty()) n.currency = "RUB";
  const std::string amount_text = field_of(f, "Amount");
  if (amount_text.empty()) {
    if (kind != Kind::cancel) return invalid("Amount", "is missing");
  } else {
    auto amount = minor_units(amount_text, n.currency, "Amount");
    if (!amount) return std::move(amount).error();
    n.amount = *amount;
  }
  if (kind == Kind::pay && n.status != "Completed" && n.status != "Authorized") {
    return invalid("Status", "is neither Completed nor Authorized");
  }
  if (kind == Kind::refund && n.payment_transaction_id.empty()) {
    return invalid("PaymentTransactionId", "is missing");
  }
  return n;
}

std::string event_key(const Notification& n) { return std::string(to_string(n.kind)) + ":" + n.transaction_id; }

std::optional<protocol::PaymentEvent> payment_event(const Notification& n) {
  const std::optional<std::int64_t> amount = n.amount > 0 ? std::optional<std::int64_t>(n.amount) : std::nullopt;
  switch (n.kind) {
    case Kind::pay:
      if (n.status == "Authorized") return protocol::PaymentEvent::authorized(amount);
      return protocol::PaymentEvent::succeeded(amount);
    case Kind::confirm:
      // A capture; as "succeeded" it also holds when it overtakes the Pay it confirms.
      return protocol::PaymentEvent::succeeded(amount);
    case Kind::cancel:
      return protocol::PaymentEvent::canceled();
    case Kind::check:
    case Kind::fail:
    case Kind::refund:
      return std::nullopt;
  }
  return std::nullopt;
}

std::string answer_body(Answer answer) { return "{\"code\":" + std::to_string(static_cast<int>(answer)) + "}"; }

std::string create_order_request(const store::Payment& payment) {
  protocol::JsonWriter w;
  w.begin_object()
      .key("Amount")
      .raw(decimal(payment.amount, payment.currency))
      .key("Currency")
      .value(payment.currency)
      .key("Description")
      .value(payment.description.empty() ? "Order " + payment.order_id : payment.description)
      .key("InvoiceId")
      .value(payment.id)
      .key("RequireConfirmation")
      .value(!payment.capture)
      .key("SendEmail")
      .value(false)
      .key("SuccessRedirectUrl")
      .value(payment.return_url)
      .key("FailRedirectUrl")
      .value(payment.return_url);
  simdjson::dom::parser parser;
  simdjson::dom::element customer;
  std::string_view email, phone;
  if (!parser.parse(payment.customer_json).get(customer) && customer.is_object()) {
    if (!customer["email"].get(email) && !email.empty()) w.key("Email").value(email);
    if (!customer["phone"].get(phone) && !phone.empty()) w.key("Phone").value(phone);
  }
  w.end_object();
  return std::move(w).str();
}

std::string confirm_request(std::string_view transaction_id, std::int64_t amount, std::string_view currency) {
  return "{\"TransactionId\":" + std::string(transaction_id) + ",\"Amount\":" + decimal(amount, currency) + "}";
}

std::string void_request(std::string_view transaction_id) {
  return "{\"TransactionId\":" + std::string(transaction_id) + "}";
}

std::string refund_request(std::string_view transaction_id, std::int64_t amount, std::string_view currency) {
  return confirm_request(transaction_id, amount, currency);
}

std::string find_request(std::string_view invoice_id) {
  protocol::JsonWriter w;
  w.begin_object().key("InvoiceId").value(invoice_id).end_object();
  return std::move(w).str();
}

std::string cancel_order_request(std::string_view order_id) {
  protocol::JsonWriter w;
  w.begin_object().key("Id").value(order_id).end_object();
  return std::move(w).str();
}

protocol::Result<ApiAnswer> parse_answer(std::string_view json, std::string_view currency) {
  auto parsed = json_fields(json, "Model");
  if (!parsed) return std::move(parsed).error();
  const Fields& f = *parsed;
  ApiAnswer a;
  a.success = field_of(f, "Success") == "true";
  a.message = field_of(f, "Message");
  a.order_id = field_of(f, "Model.Id");
  a.url = field_of(f, "Model.Url");
  a.transaction_id = field_of(f, "Model.TransactionId");
  a.status = field_of(f, "Model.Status");
  a.reason = field_of(f, "Model.Reason");
  a.reason_code = field_of(f, "Model.ReasonCode");
  a.currency = field_of(f, "Model.Currency");
  if (a.currency.empty()) a.currency = std::string(currency);
  const std::string amount = field_of(f, "Model.Amount");
  if (!amount.empty()) {
    auto minor = minor_units(amount, a.currency, "Model.Amount");
    if (!minor) return std::move(minor).error();
    a.amount = *minor;
  }
  return a;
}

std::optional<protocol::PaymentStatus> transaction_status(std::string_view status) {
  using protocol::PaymentStatus;
  if (status == "Completed") return PaymentStatus::succeeded;
  if (status == "Authorized") return PaymentStatus::waiting_for_capture;
  if (status == "Cancelled") return PaymentStatus::canceled;
  // Declined is one failed attempt; the link stays payable until it expires.
  return std::nullopt;
}

}  // namespace vitrina::acquirers::cloudpayments
