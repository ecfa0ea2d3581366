#pragma once
// The shop's JSON: orders for the page and the data file, the cart the page sends, and the
// payment webhooks Vitrina sends. Writing uses the SDK's JsonWriter, reading simdjson.

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "orders.hpp"
#include "vitrina/protocol/result.hpp"

namespace shop {

/// `{"id","status","amount","currency","lines":[…],"payment_id","failure_reason","created_at","updated_at"}`.
std::string order_json(const Order& order);

/// The data file: `{"orders":[order, …],"webhook_ids":[…]}`.
std::string orders_file_json(const std::map<std::string, Order, std::less<>>& orders,
                             const std::deque<std::string>& webhook_ids);
[[nodiscard]] vitrina::protocol::Result<void> read_orders_file(std::string_view text,
                                                               std::map<std::string, Order, std::less<>>& orders,
                                                               std::vector<std::string>& webhook_ids);

/// One line of the cart as the page sends it.
struct CartLine {
  std::string product_id;
  std::int64_t quantity = 0;
};

/// At most this many different products in one order, and of each.
inline constexpr std::size_t kMaxCartLines = 20;
inline constexpr std::int64_t kMaxQuantity = 99;

/// `{"items":[{"product_id":"assam","quantity":2}, …]}`: 1 to kMaxCartLines lines, each
/// product once, quantities 1 to kMaxQuantity. Whether the products exist is the caller's check.
[[nodiscard]] vitrina::protocol::Result<std::vector<CartLine>> parse_cart(std::string_view body);

/// A webhook body, `{"type","timestamp","data"}`: for `payment.*` types the payment's id,
/// order_id, amount, currency and failure_reason; for others only the type. Call it only on a
/// body whose signature has been verified.
[[nodiscard]] vitrina::protocol::Result<PaymentEvent> parse_event(std::string_view body);

}  // namespace shop
