#include "payment_json.hpp"

#include <utility>

#include "answer_json.hpp"
#include "vitrina/protocol/json.hpp"

namespace vitrina::sdk::detail {

namespace {

using protocol::JsonType;
using protocol::JsonValue;
using protocol::make_error;

protocol::Error bad(std::string_view what, const std::string& field) {
  return make_error(protocol::ErrorCode::invalid_response,
                    std::string(what) + ": \"" + field + "\" is missing or of the wrong type", field);
}

// Each reader returns false when the member is present but of the wrong type, or when it is
// required and absent; an absent optional member leaves *out as it was.
bool read_string(const JsonValue& obj, std::string_view name, bool required, std::string* out) {
  const JsonValue* v = obj.find(name);
  if (!v || (!required && v->type == JsonType::null)) return !required;
  if (v->type != JsonType::string) return false;
  *out = v->text;
  return true;
}

bool read_int(const JsonValue& obj, std::string_view name, bool required, std::int64_t* out) {
  const JsonValue* v = obj.find(name);
  if (!v) return !required;
  const auto n = v->as_int64();
  if (!n) return false;
  *out = *n;
  return true;
}

bool read_bool(const JsonValue& obj, std::string_view name, bool* out) {
  const JsonValue* v = obj.find(name);
  if (!v) return true;
  if (v->type != JsonType::boolean) return false;
  *out = v->boolean;
  return true;
}

bool read_metadata(const JsonValue& obj, std::map<std::string, std::string>* out) {
  const JsonValue* v = obj.find("metadata");
  if (!v || v->type == JsonType::null) return true;
  if (v->type != JsonType::object) return false;
  for (const protocol::JsonMember& m : v->members) {
    if (m.value.type != JsonType::string) return false;
    out->emplace(m.key, m.value.text);
  }
  return true;
}

bool read_customer(const JsonValue& obj, std::optional<Customer>* out) {
  const JsonValue* v = obj.find("customer");
  if (!v || v->type == JsonType::null) return true;
  if (v->type != JsonType::object) return false;
  Customer c;
  if (!read_string(*v, "email", false, &c.email) || !read_string(*v, "phone", false, &c.phone)) return false;
  *out = std::move(c);
  return true;
}

bool read_items(const JsonValue& obj, std::vector<Item>* out) {
  const JsonValue* v = obj.find("items");
  if (!v || v->type == JsonType::null) return true;
  if (v->type != JsonType::array) return false;
  for (const JsonValue& e : v->items) {
    Item item;
    if (e.type != JsonType::object || !read_string(e, "name", true, &item.name) ||
        !read_int(e, "quantity", false, &item.quantity) || !read_int(e, "amount", true, &item.amount)) {
      return false;
    }
    out->push_back(std::move(item));
  }
  return true;
}

protocol::Result<Payment> payment_from(const JsonValue& obj) {
  constexpr std::string_view kWhat = "payment";
  if (obj.type != JsonType::object)
    return make_error(protocol::ErrorCode::invalid_response, "a payment is not a JSON object");
  Payment p;
  std::string status;
  if (!read_string(obj, "id", true, &p.id)) return bad(kWhat, "id");
  if (!read_string(obj, "status", true, &status)) return bad(kWhat, "status");
  auto parsed_status = protocol::parse_payment_status(status);
  if (!parsed_status) {
    return make_error(protocol::ErrorCode::invalid_response, "payment: unknown status \"" + status + "\"", "status");
  }
  p.status = *parsed_status;
  if (!read_int(obj, "amount", true, &p.amount)) return bad(kWhat, "amount");
  if (!read_string(obj, "currency", true, &p.currency)) return bad(kWhat, "currency");
  if (!read_string(obj, "order_id", true, &p.order_id)) return bad(kWhat, "order_id");
  if (!read_string(obj, "description", false, &p.description)) return bad(kWhat, "description");
  if (!read_metadata(obj, &p.metadata)) return bad(kWhat, "metadata");
  if (!read_customer(obj, &p.customer)) return bad(kWhat, "customer");
  if (!read_items(obj, &p.items)) return bad(kWhat, "items");
  if (!read_bool(obj, "capture", &p.capture)) return bad(kWhat, "capture");
  if (!read_string(obj, "acquirer", false, &p.acquirer)) return bad(kWhat, "acquirer");
  if (!read_string(obj, "return_url", false, &p.return_url)) return bad(kWhat, "return_url");
  if (const JsonValue* c = obj.find("confirmation"); c && c->type != JsonType::null) {
    if (c->type != JsonType::object || !read_string(*c, "url", false, &p.confirmation_url)) {
      return bad(kWhat, "confirmation");
    }
  }
  if (!read_int(obj, "authorized_amount", false, &p.authorized_amount)) return bad(kWhat, "authorized_amount");
  if (!read_int(obj, "captured_amount", false, &p.captured_amount)) return bad(kWhat, "captured_amount");
  if (!read_int(obj, "refunded_amount", false, &p.refunded_amount)) return bad(kWhat, "refunded_amount");
  if (!read_string(obj, "failure_reason", false, &p.failure_reason)) return bad(kWhat, "failure_reason");
  if (!read_string(obj, "created_at", true, &p.created_at)) return bad(kWhat, "created_at");
  if (!read_string(obj, "updated_at", false, &p.updated_at)) return bad(kWhat, "updated_at");
  if (!read_string(obj, "expires_at", false, &p.expires_at)) return bad(kWhat, "expires_at");
  return p;
}

}  // namespace

std::string write_payment_request(const PaymentRequest& r) {
  protocol::JsonWriter w;
  w.begin_object();
  w.key("amount").value(r.amount);
  w.key("currency").value(r.currency);
  w.key("order_id").value(r.order_id);
  w.key("return_url").value(r.return_url);
  if (r.description) w.key("description").value(*r.description);
  if (r.customer) {
    w.key("customer").begin_object();
    if (!r.customer->email.empty()) w.key("email").value(r.customer->email);
    if (!r.customer->phone.empty()) w.key("phone").value(r.customer->phone);
    w.end_object();
  }
  if (!r.items.empty()) {
    w.key("items").begin_array();
    for (const Item& item : r.items) {
      w.begin_object().key("name").value(item.name).key("quantity").value(item.quantity);
      w.key("amount").value(item.amount).end_object();
    }
    w.end_array();
  }
  if (!r.metadata.empty()) {
    w.key("metadata").begin_object();
    for (const auto& [key, value] : r.metadata) w.key(key).value(value);
    w.end_object();
  }
  if (r.capture) w.key("capture").value(*r.capture);
  if (r.acquirer) w.key("acquirer").value(*r.acquirer);
  if (r.expires_in) w.key("expires_in").value(*r.expires_in);
  w.end_object();
  return std::move(w).str();
}

std::string write_amount_body(std::optional<std::int64_t> amount) {
  if (!amount) return {};
  protocol::JsonWriter w;
  w.begin_object().key("amount").value(*amount).end_object();
  return std::move(w).str();
}

protocol::Result<Payment> parse_payment(std::string_view json) {
  auto root = parse_answer(json);
  if (!root) return std::move(root).error();
  return payment_from(*root);
}

protocol::Result<Refund> parse_refund(std::string_view json) {
  constexpr std::string_view kWhat = "refund";
  auto root = parse_answer(json);
  if (!root) return std::move(root).error();
  if (root->type != JsonType::object)
    return make_error(protocol::ErrorCode::invalid_response, "a refund is not a JSON object");
  const JsonValue& obj = *root;
  Refund r;
  std::string status;
  if (!read_string(obj, "id", true, &r.id)) return bad(kWhat, "id");
  if (!read_string(obj, "payment_id", true, &r.payment_id)) return bad(kWhat, "payment_id");
  if (!read_string(obj, "status", true, &status)) return bad(kWhat, "status");
  auto parsed_status = protocol::parse_refund_status(status);
  if (!parsed_status)
    return make_error(protocol::ErrorCode::invalid_response, "refund: unknown status \"" + status + "\"", "status");
  r.status = *parsed_status;
  if (!read_int(obj, "amount", true, &r.amount)) return bad(kWhat, "amount");
  if (!read_string(obj, "currency", true, &r.currency)) return bad(kWhat, "currency");
  if (!read_string(obj, "order_id", false, &r.order_id)) return bad(kWhat, "order_id");
  if (!read_metadata(obj, &r.metadata)) return bad(kWhat, "metadata");
  if (!read_string(obj, "created_at", true, &r.created_at)) return bad(kWhat, "created_at");
  return r;
}

protocol::Result<std::vector<Payment>> parse_payment_list(std::string_view json) {
  auto root = parse_answer(json);
  if (!root) return std::move(root).error();
  const JsonValue* items = root->find("items");
  if (!items || items->type != JsonType::array) return bad("payment list", "items");
  std::vector<Payment> out;
  out.reserve(items->items.size());
  for (const JsonValue& e : items->items) {
    auto p = payment_from(e);
    if (!p) {
      auto error = std::move(p).error();
      error.field = "items[" + std::to_string(out.size()) + "]." + error.field;
      return error;
    }
    out.push_back(std::move(p).value());
  }
  return out;
}

std::optional<protocol::Error> parse_problem(std::string_view json, std::size_t max_message) {
  const auto root = parse_answer(json);
  if (!root || root->type != JsonType::object) return std::nullopt;
  std::string type;
  if (!read_string(*root, "type", true, &type) || !type.starts_with(kProblemTypePrefix) ||
      type.size() == kProblemTypePrefix.size()) {
    return std::nullopt;
  }
  // A type this client does not know (a newer server) is no Vitrina problem it can name.
  const auto code = protocol::error_code_from_problem_type(std::string_view(type).substr(kProblemTypePrefix.size()));
  if (!code) return std::nullopt;
  protocol::Error error;
  error.code = *code;
  if (!read_string(*root, "detail", true, &error.message)) {
    if (!read_string(*root, "title", true, &error.message)) error.message = protocol::error_info(*code).title;
  }
  if (error.message.size() > max_message) {
    std::size_t n = max_message;  // do not split a UTF-8 sequence
    while (n > 0 && (static_cast<unsigned char>(error.message[n]) & 0xC0) == 0x80) --n;
    error.message.resize(n);
  }
  if (!read_string(*root, "field", false, &error.field)) error.field.clear();
  return error;
}

}  // namespace vitrina::sdk::detail
