#include "payments/request.hpp"

#include <simdjson.h>

#include <set>

#include "vitrina/protocol/amount.hpp"
#include "vitrina/protocol/json.hpp"

namespace vitrina::payments {

namespace {

using protocol::Error;
using protocol::make_error;
using protocol::Result;
namespace dom = simdjson::dom;

Error invalid(std::string field, std::string message) {
  return make_error(protocol::ErrorCode::invalid, std::move(message), std::move(field));
}

// Characters, not bytes: simdjson has already checked the UTF-8.
std::size_t char_count(std::string_view s) noexcept {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

bool has_control(std::string_view s) noexcept {
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  }
  return false;
}

Result<std::string> text(dom::element e, const std::string& field, std::size_t min_chars, std::size_t max_chars) {
  std::string_view s;
  if (e.get_string().get(s)) return invalid(field, "must be a string");
  const auto n = char_count(s);
  if (n < min_chars) return invalid(field, min_chars == 1 ? "must not be empty" : "is too short");
  if (n > max_chars) return invalid(field, "must be at most " + std::to_string(max_chars) + " characters");
  return std::string(s);
}

// Only JSON integers: 100.0, 1e2 and "100" are refused, as is anything beyond int64.
Result<std::int64_t> integer(dom::element e, const std::string& field) {
  if (e.type() == dom::element_type::INT64) return e.get_int64().value_unsafe();
  if (e.type() == dom::element_type::UINT64) return invalid(field, "is too large");
  if (e.type() == dom::element_type::DOUBLE) return invalid(field, "must be an integer (minor units)");
  return invalid(field, "must be an integer");
}

// Walks an object's members once, refusing duplicates; `on` handles each.
template <class On>
Result<void> members(dom::object object, const std::string& prefix, On&& on) {
  std::set<std::string_view> seen;
  for (auto [key, value] : object) {
    const std::string field = prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
    if (!seen.insert(key).second) return invalid(field, "appears more than once");
    if (auto r = on(key, value, field); !r) return r;
  }
  return {};
}

Result<Customer> parse_customer(dom::element e) {
  dom::object object;
  if (e.get_object().get(object)) return invalid("customer", "must be an object");
  Customer c;
  auto r =
      members(object, "customer", [&](std::string_view key, dom::element v, const std::string& field) -> Result<void> {
        if (key == "email") {
          auto s = text(v, field, 1, kMaxEmail);
          if (!s) return std::move(s).error();
          const auto at = s->find('@');
          if (at == std::string::npos || at == 0 || at + 1 == s->size() || has_control(*s) ||
              s->find(' ') != std::string::npos) {
            return invalid(field, "must be an e-mail address");
          }
          c.email = std::move(*s);
          return {};
        }
        if (key == "phone") {
          auto s = text(v, field, 1, kMaxPhone);
          if (!s) return std::move(s).error();
          std::size_t digits = 0;
          for (std::size_t i = 0; i < s->size(); ++i) {
            const char ch = (*s)[i];
            if (ch >= '0' && ch <= '9') {
              ++digits;
            } else if (!(ch == '+' && i == 0)) {
              return invalid(field, "must be digits with an optional leading +");
            }
          }
          if (digits < 5 || digits > 15) return invalid(field, "must have 5 to 15 digits");
          c.phone = std::move(*s);
          return {};
        }
        return invalid(field, "is not a known field");
      });
  if (!r) return std::move(r).error();
  return c;
}

Result<std::vector<Item>> parse_items(dom::element e, const protocol::Currency& currency) {
  dom::array array;
  if (e.get_array().get(array)) return invalid("items", "must be an array");
  if (array.size() > kMaxItems) return invalid("items", "must hold at most " + std::to_string(kMaxItems) + " items");
  std::vector<Item> items;
  std::size_t index = 0;
  for (dom::element element : array) {
    const std::string prefix = "items[" + std::to_string(index++) + "]";
    dom::object object;
    if (element.get_object().get(object)) return invalid(prefix, "must be an object");
    Item item;
    bool has_name = false, has_amount = false;
    auto r =
        members(object, prefix, [&](std::string_view key, dom::element v, const std::string& field) -> Result<void> {
          if (key == "name") {
            auto s = text(v, field, 1, kMaxItemName);
            if (!s) return std::move(s).error();
            item.name = std::move(*s);
            has_name = true;
            return {};
          }
          if (key == "quantity") {
            auto q = integer(v, field);
            if (!q) return std::move(q).error();
            if (*q <= 0 || *q > kMaxQuantity) {
              return invalid(field, "must be from 1 to " + std::to_string(kMaxQuantity));
            }
            item.quantity = *q;
            return {};
          }
          if (key == "amount") {
            auto a = integer(v, field);
            if (!a) return std::move(a).error();
            if (auto ok = protocol::validate_amount(*a, currency, field); !ok) return ok;
            item.amount = *a;
            has_amount = true;
            return {};
          }
          return invalid(field, "is not a known field");
        });
    if (!r) return std::move(r).error();
    if (!has_name) return invalid(prefix + ".name", "is required");
    if (!has_amount) return invalid(prefix + ".amount", "is required");
    items.push_back(std::move(item));
  }
  return items;
}

Result<std::vector<std::pair<std::string, std::string>>> parse_metadata(dom::element e) {
  dom::object object;
  if (e.get_object().get(object)) return invalid("metadata", "must be an object of strings");
  std::vector<std::pair<std::string, std::string>> out;
  auto r =
      members(object, "metadata", [&](std::string_view key, dom::element v, const std::string& field) -> Result<void> {
        if (out.size() == kMaxMetadataKeys) {
          return invalid("metadata", "must have at most " + std::to_string(kMaxMetadataKeys) + " keys");
        }
        if (key.empty() || char_count(key) > kMaxMetadataKey) {
          return invalid(field, "keys must have 1 to " + std::to_string(kMaxMetadataKey) + " characters");
        }
        auto s = text(v, field, 0, kMaxMetadataValue);
        if (!s) return std::move(s).error();
        out.emplace_back(std::string(key), std::move(*s));
        return {};
      });
  if (!r) return std::move(r).error();
  return out;
}

namespace od = simdjson::ondemand;

// The path of the first number that simdjson cannot hold (an integer beyond 64 bits, 1e400),
// found with On Demand, which reads numbers lazily; "" when there is none.
std::string out_of_range_number(od::value value, const std::string& path, int depth) {
  if (depth > 32) return {};
  od::json_type type{};
  if (value.type().get(type)) return {};
  if (type == od::json_type::object) {
    od::object object;
    if (value.get_object().get(object)) return {};
    for (auto field : object) {
      std::string_view key;
      od::value member;
      if (field.unescaped_key().get(key) || field.value().get(member)) return {};
      auto found =
          out_of_range_number(member, path.empty() ? std::string(key) : path + "." + std::string(key), depth + 1);
      if (!found.empty()) return found;
    }
  } else if (type == od::json_type::array) {
    od::array array;
    if (value.get_array().get(array)) return {};
    std::size_t index = 0;
    for (auto element : array) {
      od::value item;
      if (element.get(item)) return {};
      auto found = out_of_range_number(item, path + "[" + std::to_string(index++) + "]", depth + 1);
      if (!found.empty()) return found;
    }
  } else if (type == od::json_type::number) {
    const std::string_view token = value.raw_json_token();
    const bool integral = token.find_first_of(".eE") == std::string_view::npos;
    std::int64_t i = 0;
    double d = 0;
    if (integral ? static_cast<bool>(value.get_int64().get(i)) : static_cast<bool>(value.get_double().get(d))) {
      return path.empty() ? std::string("body") : path;
    }
  }
  return {};
}

// Parses the whole body up front: broken JSON is 400 whatever it holds. A well-formed number
// too large to hold is the member's fault, not the body's: 422 naming it.
Result<dom::element> parse_body(dom::parser& parser, std::string_view body) {
  dom::element root;
  if (auto error = parser.parse(body.data(), body.size()).get(root); error) {
    if (error == simdjson::NUMBER_ERROR) {
      od::parser od_parser;
      const simdjson::padded_string padded(body);
      od::document doc;
      od::value top;
      if (!od_parser.iterate(padded).get(doc) && !doc.get_value().get(top)) {
        if (auto path = out_of_range_number(top, "", 0); !path.empty()) {
          return invalid(path, "is out of range");
        }
      }
    }
    return make_error(protocol::ErrorCode::malformed,
                      "the body is not JSON: " + std::string(simdjson::error_message(error)), "body");
  }
  return root;
}

}  // namespace

bool is_http_url(std::string_view url) noexcept {
  std::string_view rest;
  if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else {
    return false;
  }
  const auto host_end = rest.find_first_of("/?#");
  const auto authority = rest.substr(0, host_end);
  if (authority.empty() || authority.find('@') != std::string_view::npos) return false;
  if (authority.front() == ':') return false;
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '\\') return false;
  }
  return true;
}

Result<CreatePaymentRequest> parse_create_request(std::string_view body, const CreateRules& rules) {
  thread_local dom::parser parser;
  auto root = parse_body(parser, body);
  if (!root) return std::move(root).error();
  dom::object object;
  if (root->get_object().get(object)) return invalid("body", "must be a JSON object");

  // Currency first: amounts are checked against it, whatever order the members come in.
  std::optional<dom::element> amount, items;
  CreatePaymentRequest req;
  req.acquirer = rules.default_acquirer;
  bool has_currency = false, has_order = false, has_return = false;
  auto r = members(object, "", [&](std::string_view key, dom::element v, const std::string& field) -> Result<void> {
    if (key == "amount") {
      amount = v;
    } else if (key == "items") {
      items = v;
    } else if (key == "currency") {
      std::string_view code;
      if (v.get_string().get(code)) return invalid(field, "must be a string");
      auto c = protocol::find_currency(code);
      if (!c) return std::move(c).error();
      req.currency = *c;
      has_currency = true;
    } else if (key == "order_id") {
      auto s = text(v, field, 1, kMaxOrderId);
      if (!s) return std::move(s).error();
      if (has_control(*s)) return invalid(field, "must not contain control characters");
      req.order_id = std::move(*s);
      has_order = true;
    } else if (key == "description") {
      auto s = text(v, field, 0, kMaxDescription);
      if (!s) return std::move(s).error();
      req.description = std::move(*s);
    } else if (key == "return_url") {
      std::string_view s;
      if (v.get_string().get(s)) return invalid(field, "must be a string");
      if (s.size() > kMaxReturnUrl) return invalid(field, "must be at most 2048 bytes");
      if (!is_http_url(s)) return invalid(field, "must be an absolute http or https URL");
      req.return_url = std::string(s);
      has_return = true;
    } else if (key == "customer") {
      auto c = parse_customer(v);
      if (!c) return std::move(c).error();
      req.customer = std::move(*c);
    } else if (key == "metadata") {
      auto m = parse_metadata(v);
      if (!m) return std::move(m).error();
      req.metadata = std::move(*m);
    } else if (key == "capture") {
      bool b = true;
      if (v.get_bool().get(b)) return invalid(field, "must be true or false");
      req.capture = b;
    } else if (key == "acquirer") {
      std::string_view s;
      if (v.get_string().get(s)) return invalid(field, "must be a string");
      req.acquirer = std::string(s);
    } else if (key == "expires_in") {
      auto n = integer(v, field);
      if (!n) return std::move(n).error();
      req.expires_in_s = *n;
    } else {
      return invalid(field, "is not a known field");
    }
    return {};
  });
  if (!r) return std::move(r).error();

  if (!amount) return invalid("amount", "is required");
  if (!has_currency) return invalid("currency", "is required");
  auto a = integer(*amount, "amount");
  if (!a) return std::move(a).error();
  if (auto ok = protocol::validate_amount(*a, req.currency, "amount"); !ok) return std::move(ok).error();
  req.amount = *a;
  if (!has_order) return invalid("order_id", "is required");
  if (!has_return) return invalid("return_url", "is required");
  if (items) {
    auto parsed = parse_items(*items, req.currency);
    if (!parsed) return std::move(parsed).error();
    req.items = std::move(*parsed);
    // Receipts list what was paid for: the items must add up to the amount. Each product is at
    // most 10^6 * 10^15 < 2^63 / 9, and the sum stops as soon as it passes the amount.
    std::int64_t total = 0;
    for (const auto& item : req.items) {
      if (item.amount > (protocol::kMaxAmount - total) / item.quantity) {
        return invalid("items", "the items add up to more than amount");
      }
      total += item.quantity * item.amount;
    }
    if (!req.items.empty() && total != req.amount) {
      return invalid("items",
                     "the items add up to " + std::to_string(total) + ", not amount " + std::to_string(req.amount));
    }
  }
  bool known = false;
  std::string names;
  for (const auto& name : rules.acquirers) {
    known = known || req.acquirer == name;
    names.append(names.empty() ? "" : ", ").append(name);
  }
  if (!known) return invalid("acquirer", "must be one of: " + names);
  if (req.expires_in_s < rules.min_expires_in_s || req.expires_in_s > kMaxExpiresIn) {
    return invalid("expires_in", "must be from " + std::to_string(rules.min_expires_in_s) + " to " +
                                     std::to_string(kMaxExpiresIn) + " seconds");
  }
  return req;
}

Result<CaptureRequest> parse_capture_request(std::string_view body) {
  CaptureRequest req;
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return req;
  thread_local dom::parser parser;
  auto root = parse_body(parser, body);
  if (!root) return std::move(root).error();
  dom::object object;
  if (root->get_object().get(object)) return invalid("body", "must be a JSON object");
  auto r = members(object, "", [&](std::string_view key, dom::element v, const std::string& field) -> Result<void> {
    if (key != "amount") return invalid(field, "is not a known field");
    auto a = integer(v, field);
    if (!a) return std::move(a).error();
    if (*a <= 0 || *a > protocol::kMaxAmount) return invalid(field, "must be a positive amount in minor units");
    req.amount = *a;
    return {};
  });
  if (!r) return std::move(r).error();
  return req;
}

Result<void> parse_cancel_request(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return {};
  thread_local dom::parser parser;
  auto root = parse_body(parser, body);
  if (!root) return std::move(root).error();
  dom::object object;
  if (root->get_object().get(object)) return invalid("body", "must be a JSON object");
  for (auto [key, value] : object) {
    (void)value;
    return invalid(std::string(key), "is not a known field");
  }
  return {};
}

std::string customer_json(const std::optional<Customer>& customer) {
  if (!customer) return "null";
  protocol::JsonWriter w;
  w.begin_object();
  if (!customer->email.empty()) w.key("email").value(customer->email);
  if (!customer->phone.empty()) w.key("phone").value(customer->phone);
  w.end_object();
  return std::move(w).str();
}

std::string items_json(const std::vector<Item>& items) {
  protocol::JsonWriter w;
  w.begin_array();
  for (const auto& item : items) {
    w.begin_object().key("name").value(item.name).key("quantity").value(item.quantity);
    w.key("amount").value(item.amount).end_object();
  }
  w.end_array();
  return std::move(w).str();
}

std::string metadata_json(const std::vector<std::pair<std::string, std::string>>& metadata) {
  protocol::JsonWriter w;
  w.begin_object();
  for (const auto& [k, v] : metadata) w.key(k).value(v);
  w.end_object();
  return std::move(w).str();
}

}  // namespace vitrina::payments
