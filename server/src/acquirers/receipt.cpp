#include "acquirers/receipt.hpp"

#include <algorithm>

#include "vitrina/protocol/json_reader.hpp"
#include "vitrina/protocol/utf8.hpp"

namespace vitrina::acquirers {

namespace {

std::string text_of(const protocol::JsonValue* v) { return v != nullptr && v->is_string() ? v->text : std::string(); }

std::int64_t int_of(const protocol::JsonValue* v) {
  return v != nullptr && v->is_number() ? v->as_int64().value_or(0) : 0;
}

}  // namespace

protocol::Result<ReceiptSource> receipt_source(const store::Payment& payment, std::string_view acquirer) {
  const std::string who(acquirer);
  auto items = protocol::parse_json(payment.items_json);
  auto customer = protocol::parse_json(payment.customer_json);
  if (!items || !items->is_array() || !customer) {
    return protocol::make_error(protocol::ErrorCode::invalid, "the payment's items or customer cannot be read",
                                "items");
  }
  if (items->items.empty()) {
    return protocol::make_error(protocol::ErrorCode::invalid, "a " + who + " receipt (54-FZ) needs the payment's items",
                                "items");
  }
  ReceiptSource out;
  out.email = text_of(customer->find("email"));
  out.phone = text_of(customer->find("phone"));
  if (out.email.empty() && out.phone.empty()) {
    return protocol::make_error(protocol::ErrorCode::invalid,
                                "a " + who + " receipt (54-FZ) needs the customer's email or phone", "customer");
  }
  std::int64_t total = 0;
  for (const auto& item : items->items) {
    ReceiptItem r{.name = text_of(item.find("name")),
                  .quantity = int_of(item.find("quantity")),
                  .price = int_of(item.find("amount"))};
    total += r.quantity * r.price;
    out.items.push_back(std::move(r));
  }
  if (total != payment.amount) {
    return protocol::make_error(
        protocol::ErrorCode::invalid,
        "the items add up to " + std::to_string(total) + ", not the payment's amount: a receipt must match it",
        "items");
  }
  return out;
}

std::string clip_utf8(std::string_view text, std::size_t max) {
  std::size_t i = 0;
  for (std::size_t n = 0; i < text.size() && n < max; ++n) i += protocol::utf8_sequence_length(text, i);
  return std::string(text.substr(0, std::min(i, text.size())));
}

}  // namespace vitrina::acquirers
