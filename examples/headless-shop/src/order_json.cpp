#include "order_json.hpp"

#include <simdjson.h>

#include <set>
#include <utility>

#include "vitrina/protocol/json.hpp"

namespace shop {

using vitrina::protocol::JsonWriter;
using vitrina::protocol::make_error;
using vitrina::protocol::Result;

namespace {

void write_order(JsonWriter& w, const Order& o) {
  w.begin_object().key("id").value(o.id).key("status").value(to_string(o.status));
  w.key("amount").value(o.amount).key("currency").value(o.currency).key("lines").begin_array();
  for (const auto& l : o.lines) {
    w.begin_object().key("product_id").value(l.product_id).key("name").value(l.name);
    w.key("quantity").value(l.quantity).key("price").value(l.price).end_object();
  }
  w.end_array().key("payment_id").value(o.payment_id).key("failure_reason").value(o.failure_reason);
  w.key("created_at").value(o.created_at).key("updated_at").value(o.updated_at).end_object();
}

Result<simdjson::dom::element> parse(simdjson::dom::parser& parser, std::string_view text) {
  simdjson::dom::element doc;
  if (parser.parse(text.data(), text.size()).get(doc))
    return make_error(vitrina::protocol::ErrorCode::malformed, "not JSON", "body");
  return doc;
}

// A member of `object` as T (std::string_view, std::int64_t, dom::array, dom::object).
template <class T>
bool member(simdjson::dom::element object, std::string_view key, T& out) {
  return !object[key].get(out);
}

Result<Order> read_order(simdjson::dom::element e) {
  Order o;
  std::string_view id, status, currency, payment_id, failure_reason, created_at, updated_at;
  simdjson::dom::array lines;
  if (!member(e, "id", id) || !member(e, "status", status) || !member(e, "amount", o.amount) ||
      !member(e, "currency", currency) || !member(e, "lines", lines) || !member(e, "payment_id", payment_id) ||
      !member(e, "failure_reason", failure_reason) || !member(e, "created_at", created_at) ||
      !member(e, "updated_at", updated_at)) {
    return make_error(vitrina::protocol::ErrorCode::invalid, "an order in the data file lacks a member", "orders");
  }
  auto parsed_status = order_status_from(status);
  if (!parsed_status)
    return make_error(vitrina::protocol::ErrorCode::invalid, "unknown order status " + std::string(status), "status");
  o.id = std::string(id);
  o.status = *parsed_status;
  o.currency = std::string(currency);
  o.payment_id = std::string(payment_id);
  o.failure_reason = std::string(failure_reason);
  o.created_at = std::string(created_at);
  o.updated_at = std::string(updated_at);
  for (simdjson::dom::element l : lines) {
    OrderLine line;
    std::string_view product_id, name;
    if (!member(l, "product_id", product_id) || !member(l, "name", name) || !member(l, "quantity", line.quantity) ||
        !member(l, "price", line.price)) {
      return make_error(vitrina::protocol::ErrorCode::invalid, "an order line in the data file lacks a member",
                        "lines");
    }
    line.product_id = std::string(product_id);
    line.name = std::string(name);
    o.lines.push_back(std::move(line));
  }
  return o;
}

}  // namespace

std::string order_json(const Order& order) {
  JsonWriter w;
  write_order(w, order);
  return std::move(w).str();
}

std::string orders_file_json(const std::map<std::string, Order, std::less<>>& orders,
                             const std::deque<std::string>& webhook_ids) {
  JsonWriter w;
  w.begin_object().key("orders").begin_array();
  for (const auto& [id, order] : orders) write_order(w, order);
  w.end_array().key("webhook_ids").begin_array();
  for (const auto& id : webhook_ids) w.value(id);
  w.end_array().end_object();
  return std::move(w).str();
}

Result<void> read_orders_file(std::string_view text, std::map<std::string, Order, std::less<>>& orders,
                              std::vector<std::string>& webhook_ids) {
  simdjson::dom::parser parser;
  auto doc = parse(parser, text);
  if (!doc) return std::move(doc).error();
  simdjson::dom::array list, ids;
  if (!member(*doc, "orders", list) || !member(*doc, "webhook_ids", ids)) {
    return make_error(vitrina::protocol::ErrorCode::invalid, "the data file lacks orders or webhook_ids", "orders");
  }
  for (simdjson::dom::element e : list) {
    auto order = read_order(e);
    if (!order) return std::move(order).error();
    orders.insert_or_assign(order->id, std::move(*order));
  }
  for (simdjson::dom::element e : ids) {
    std::string_view id;
    if (e.get(id))
      return make_error(vitrina::protocol::ErrorCode::invalid, "a webhook id in the data file is not a string",
                        "webhook_ids");
    webhook_ids.emplace_back(id);
  }
  return {};
}

Result<std::vector<CartLine>> parse_cart(std::string_view body) {
  simdjson::dom::parser parser;
  auto doc = parse(parser, body);
  if (!doc) return std::move(doc).error();
  simdjson::dom::array items;
  if (!member(*doc, "items", items))
    return make_error(vitrina::protocol::ErrorCode::invalid, "items must be an array", "items");
  if (items.size() == 0 || items.size() > kMaxCartLines) {
    return make_error(vitrina::protocol::ErrorCode::invalid,
                      "an order has 1 to " + std::to_string(kMaxCartLines) + " lines", "items");
  }
  std::vector<CartLine> lines;
  std::set<std::string, std::less<>> seen;
  for (simdjson::dom::element item : items) {
    const std::string field = "items[" + std::to_string(lines.size()) + "]";
    std::string_view product_id;
    std::int64_t quantity = 0;
    if (!member(item, "product_id", product_id))
      return make_error(vitrina::protocol::ErrorCode::invalid, "product_id must be a string", field);
    if (!member(item, "quantity", quantity) || quantity < 1 || quantity > kMaxQuantity) {
      return make_error(vitrina::protocol::ErrorCode::invalid,
                        "quantity must be an integer from 1 to " + std::to_string(kMaxQuantity), field);
    }
    if (!seen.emplace(product_id).second)
      return make_error(vitrina::protocol::ErrorCode::invalid, "a product appears twice", field);
    lines.push_back({std::string(product_id), quantity});
  }
  return lines;
}

Result<PaymentEvent> parse_event(std::string_view body) {
  simdjson::dom::parser parser;
  auto doc = parse(parser, body);
  if (!doc) return std::move(doc).error();
  PaymentEvent event;
  std::string_view type;
  if (!member(*doc, "type", type))
    return make_error(vitrina::protocol::ErrorCode::invalid, "type must be a string", "type");
  event.type = std::string(type);
  if (!event.type.starts_with("payment.")) return event;

  simdjson::dom::element data;
  std::string_view id, order_id, currency, reason;
  if (!member(*doc, "data", data) || !member(data, "id", id) || !member(data, "order_id", order_id) ||
      !member(data, "amount", event.amount) || !member(data, "currency", currency)) {
    return make_error(vitrina::protocol::ErrorCode::invalid,
                      "a payment event needs data.id, order_id, amount and currency", "data");
  }
  member(data, "failure_reason", reason);  // only on failed payments
  event.payment_id = std::string(id);
  event.order_id = std::string(order_id);
  event.currency = std::string(currency);
  event.failure_reason = std::string(reason);
  return event;
}

}  // namespace shop
