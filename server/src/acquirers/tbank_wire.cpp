#include "acquirers/tbank_wire.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <ctime>

#include "acquirers/receipt.hpp"
#include "vitrina/protocol/json.hpp"

namespace vitrina::acquirers::tbank {

namespace {

using protocol::JsonType;
using protocol::JsonValue;

constexpr std::size_t kMaxDescription = 140;  // characters
constexpr std::size_t kMaxItemName = 128;     // characters

std::string sha256_hex(std::string_view text) {
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(text.data()), text.size());
  std::string hex(digest.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  hex.pop_back();
  return hex;
}

std::string scalar_text(const Scalar& value) {
  if (const auto* s = std::get_if<std::string>(&value)) return *s;
  if (const auto* n = std::get_if<std::int64_t>(&value)) return std::to_string(*n);
  return std::get<bool>(value) ? "true" : "false";
}

std::string token_of_pairs(std::vector<std::pair<std::string, std::string>> pairs, std::string_view password) {
  pairs.emplace_back("Password", std::string(password));
  std::sort(pairs.begin(), pairs.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string joined;
  for (const auto& [key, value] : pairs) joined += value;
  return sha256_hex(joined);
}

std::string text_of(const JsonValue* v) {
  if (v == nullptr) return {};
  if (v->is_string() || v->is_number()) return v->text;
  if (v->is_bool()) return v->boolean ? "true" : "false";
  return {};
}

std::optional<std::int64_t> int_of(const JsonValue* v) {
  if (v == nullptr) return std::nullopt;
  if (v->is_number()) return v->as_int64();
  if (v->is_string()) {
    JsonValue n{.type = JsonType::number, .boolean = false, .text = v->text, .items = {}, .members = {}};
    return n.as_int64();
  }
  return std::nullopt;
}

protocol::Result<std::string> receipt_json(const store::Payment& payment, const InitOptions& options) {
  auto source = receipt_source(payment, "T-Bank");
  if (!source) return std::move(source).error();
  protocol::JsonWriter w;
  w.begin_object();
  if (!source->email.empty()) w.key("Email").value(source->email);
  if (!source->phone.empty()) w.key("Phone").value(source->phone);
  w.key("Taxation").value(options.taxation).key("Items").begin_array();
  for (const auto& item : source->items) {
    w.begin_object()
        .key("Name")
        .value(clip_utf8(item.name, kMaxItemName))
        .key("Price")
        .value(item.price)
        .key("Quantity")
        .value(item.quantity)
        .key("Amount")
        .value(item.quantity * item.price)
        .key("Tax")
        .value(options.tax)
        .key("PaymentMethod")
        .value("full_payment")
        .key("PaymentObject")
        .value("commodity")
        .end_object();
  }
  w.end_array().end_object();
  return std::move(w).str();
}

}  // namespace

std::string token(const Fields& fields, std::string_view password) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto& [key, value] : fields) {
    if (key != "Token") pairs.emplace_back(key, scalar_text(value));
  }
  return token_of_pairs(std::move(pairs), password);
}

std::string token_of(const JsonValue& object, std::string_view password) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto& m : object.members) {
    if (m.key == "Token" || m.value.is_object() || m.value.is_array() || m.value.is_null()) continue;
    pairs.emplace_back(m.key, text_of(&m.value));
  }
  return token_of_pairs(std::move(pairs), password);
}

std::string signed_request(const Fields& fields, std::string_view password,
                           const std::vector<std::pair<std::string, std::string>>& nested) {
  protocol::JsonWriter w;
  w.begin_object();
  for (const auto& [key, value] : fields) {
    w.key(key);
    std::visit([&w](const auto& v) { w.value(v); }, value);
  }
  w.key("Token").value(token(fields, password));
  for (const auto& [key, raw] : nested) w.key(key).raw(raw);
  w.end_object();
  return std::move(w).str();
}

std::string iso8601_utc(std::int64_t unix_ms) {
  const std::time_t t = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::array<char, 32> buf{};
  std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%S+00:00", &tm);
  return buf.data();
}

protocol::Result<std::string> init_request(const store::Payment& payment, const InitOptions& options) {
  if (payment.currency != "RUB") {
    return protocol::make_error(protocol::ErrorCode::invalid, "T-Bank takes payments in RUB only", "currency");
  }
  Fields fields{{"TerminalKey", options.terminal_key},
                {"Amount", payment.amount},
                {"OrderId", payment.id},
                {"PayType", std::string(payment.capture ? "O" : "T")}};
  const std::string description = payment.description.empty() ? payment.order_id : payment.description;
  if (!description.empty()) fields.emplace_back("Description", clip_utf8(description, kMaxDescription));
  fields.emplace_back("NotificationURL", options.notification_url);
  fields.emplace_back("SuccessURL", options.success_url);
  fields.emplace_back("FailURL", options.fail_url);
  if (!options.redirect_due_date.empty()) fields.emplace_back("RedirectDueDate", options.redirect_due_date);
  std::vector<std::pair<std::string, std::string>> nested;
  // DATA is not signed; it lets an operator find the shop's order in T-Bank's dashboard.
  protocol::JsonWriter data;
  data.begin_object().key("vitrina_order_id").value(payment.order_id).end_object();
  nested.emplace_back("DATA", std::move(data).str());
  if (!options.taxation.empty()) {
    auto receipt = receipt_json(payment, options);
    if (!receipt) return std::move(receipt).error();
    nested.emplace_back("Receipt", std::move(*receipt));
  }
  return signed_request(fields, options.password, nested);
}

protocol::Result<Answer> parse_answer(std::string_view json) {
  auto parsed = protocol::parse_json(json, {.max_bytes = 1024 * 1024, .max_depth = 16, .max_values = 65536});
  if (!parsed || !parsed->is_object() || parsed->find("Success") == nullptr) {
    return protocol::make_error(protocol::ErrorCode::invalid, "T-Bank answered something other than its JSON answer",
                                "body");
  }
  const JsonValue& o = *parsed;
  Answer a;
  const JsonValue* success = o.find("Success");
  a.success = success->is_bool() && success->boolean;
  a.error_code = text_of(o.find("ErrorCode"));
  a.message = text_of(o.find("Message"));
  a.details = text_of(o.find("Details"));
  a.status = text_of(o.find("Status"));
  a.payment_id = text_of(o.find("PaymentId"));
  a.order_id = text_of(o.find("OrderId"));
  a.amount = int_of(o.find("Amount"));
  a.payment_url = text_of(o.find("PaymentURL"));
  if (const JsonValue* list = o.find("Payments"); list != nullptr && list->is_array()) {
    for (const auto& p : list->items) {
      a.payments.push_back({.payment_id = text_of(p.find("PaymentId")),
                            .status = text_of(p.find("Status")),
                            .amount = int_of(p.find("Amount"))});
    }
  }
  return a;
}

protocol::Result<Notification> verify_notification(std::string_view body, std::string_view password) {
  // The Token is inside the body, so the body is parsed as JSON first, but nothing in it is
  // believed before the Token over its root scalars matches.
  auto parsed = protocol::parse_json(body);
  if (!parsed || !parsed->is_object()) {
    return protocol::make_error(protocol::ErrorCode::unauthenticated, "the notification is not a JSON object", "Token");
  }
  const JsonValue* given = parsed->find("Token");
  if (given == nullptr || !given->is_string() || given->text.size() != crypto_hash_sha256_BYTES * 2) {
    return protocol::make_error(protocol::ErrorCode::unauthenticated, "the notification has no Token", "Token");
  }
  std::string expected = token_of(*parsed, password);
  std::string actual = given->text;
  std::transform(actual.begin(), actual.end(), actual.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (sodium_memcmp(expected.data(), actual.data(), expected.size()) != 0) {
    return protocol::make_error(protocol::ErrorCode::unauthenticated, "the notification's Token does not match",
                                "Token");
  }
  Notification n;
  n.terminal_key = text_of(parsed->find("TerminalKey"));
  n.order_id = text_of(parsed->find("OrderId"));
  n.payment_id = text_of(parsed->find("PaymentId"));
  n.status = text_of(parsed->find("Status"));
  n.error_code = text_of(parsed->find("ErrorCode"));
  const JsonValue* success = parsed->find("Success");
  n.success = success != nullptr && success->is_bool() && success->boolean;
  n.amount = int_of(parsed->find("Amount"));
  if (n.order_id.empty())
    return protocol::make_error(protocol::ErrorCode::invalid, "the notification has no OrderId", "OrderId");
  if (n.payment_id.empty())
    return protocol::make_error(protocol::ErrorCode::invalid, "the notification has no PaymentId", "PaymentId");
  if (n.status.empty())
    return protocol::make_error(protocol::ErrorCode::invalid, "the notification has no Status", "Status");
  return n;
}

std::string event_key(std::string_view payment_id, std::string_view status, std::optional<std::int64_t> amount) {
  std::string key = std::string(payment_id) + ":" + std::string(status);
  if (amount) key += ":" + std::to_string(*amount);
  return key;
}

std::optional<protocol::PaymentEvent> payment_event(std::string_view status, std::optional<std::int64_t> amount,
                                                    std::string_view error_code) {
  using protocol::PaymentEvent;
  if (status == "AUTHORIZED") return PaymentEvent::authorized(amount);
  if (status == "CONFIRMED") return PaymentEvent::succeeded(amount);
  if (status == "REVERSED" || status == "CANCELED") return PaymentEvent::canceled();
  if (status == "REJECTED" || status == "AUTH_FAIL") {
    return PaymentEvent::failed(error_code.empty() || error_code == "0" ? "declined"
                                                                        : "declined (" + std::string(error_code) + ")");
  }
  if (status == "DEADLINE_EXPIRED") return PaymentEvent::expired();
  return std::nullopt;
}

}  // namespace vitrina::acquirers::tbank
