#include "orders.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <utility>

#include "log.hpp"
#include "order_json.hpp"
#include "vitrina/protocol/keys.hpp"

namespace shop {

using vitrina::protocol::make_error;
using vitrina::protocol::Result;

std::string_view to_string(OrderStatus status) {
  switch (status) {
    case OrderStatus::awaiting_payment:
      return "awaiting_payment";
    case OrderStatus::paid:
      return "paid";
    case OrderStatus::failed:
      return "failed";
    case OrderStatus::canceled:
      return "canceled";
    case OrderStatus::expired:
      return "expired";
  }
  return "awaiting_payment";
}

std::optional<OrderStatus> order_status_from(std::string_view text) {
  for (auto s : {OrderStatus::awaiting_payment, OrderStatus::paid, OrderStatus::failed, OrderStatus::canceled,
                 OrderStatus::expired}) {
    if (to_string(s) == text) return s;
  }
  return std::nullopt;
}

std::string_view to_string(EventOutcome outcome) {
  switch (outcome) {
    case EventOutcome::applied:
      return "applied";
    case EventOutcome::duplicate:
      return "duplicate";
    case EventOutcome::ignored:
      return "ignored";
    case EventOutcome::unknown_order:
      return "unknown_order";
    case EventOutcome::mismatch:
      return "mismatch";
  }
  return "ignored";
}

namespace {

// The order state each payment event leads to; nothing for the types the shop does not act on
// (payment.waiting_for_capture never comes: the shop captures in one stage; refund.succeeded
// would be handled by a shop that refunds).
std::optional<OrderStatus> status_after(std::string_view type) {
  if (type == "payment.succeeded") return OrderStatus::paid;
  if (type == "payment.failed") return OrderStatus::failed;
  if (type == "payment.canceled") return OrderStatus::canceled;
  if (type == "payment.expired") return OrderStatus::expired;
  return std::nullopt;
}

std::string new_order_id() {
  thread_local std::random_device random;
  return vitrina::protocol::make_key("ord_", vitrina::protocol::kPublicBodyLength, [] { return random(); });
}

}  // namespace

OrderBook::OrderBook(std::string data_dir) : data_dir_(std::move(data_dir)) {}

Result<void> OrderBook::load() {
  if (data_dir_.empty()) return {};
  std::error_code ec;
  std::filesystem::create_directories(data_dir_, ec);
  if (ec)
    return make_error(vitrina::protocol::ErrorCode::unavailable, "cannot create " + data_dir_ + ": " + ec.message(),
                      "data");
  std::ifstream in(data_dir_ + "/orders.json", std::ios::binary);
  if (!in) return {};  // first start
  std::ostringstream text;
  text << in.rdbuf();
  std::lock_guard lock(mu_);
  std::vector<std::string> webhook_ids;
  auto read = read_orders_file(text.str(), orders_, webhook_ids);
  if (!read) return read;
  for (auto& id : webhook_ids) remember_locked(std::move(id));
  return {};
}

Result<Order> OrderBook::create(std::vector<OrderLine> lines, std::string_view currency) {
  Order order;
  order.id = new_order_id();
  for (const auto& line : lines) order.amount += line.quantity * line.price;
  order.lines = std::move(lines);
  order.currency = std::string(currency);
  order.created_at = order.updated_at = now_rfc3339();

  std::lock_guard lock(mu_);
  orders_.emplace(order.id, order);
  if (auto saved = save_locked(); !saved) {
    orders_.erase(order.id);
    return std::move(saved).error();
  }
  return order;
}

Result<void> OrderBook::set_payment(std::string_view order_id, std::string_view payment_id) {
  std::lock_guard lock(mu_);
  auto it = orders_.find(order_id);
  if (it == orders_.end())
    return make_error(vitrina::protocol::ErrorCode::not_found, "no order " + std::string(order_id), "order_id");
  it->second.payment_id = std::string(payment_id);
  return save_locked();
}

std::optional<Order> OrderBook::find(std::string_view order_id) const {
  std::lock_guard lock(mu_);
  auto it = orders_.find(order_id);
  if (it == orders_.end()) return std::nullopt;
  return it->second;
}

Result<EventOutcome> OrderBook::apply(std::string_view webhook_id, const PaymentEvent& event) {
  std::lock_guard lock(mu_);
  if (seen_webhooks_.contains(webhook_id)) return EventOutcome::duplicate;

  auto it = orders_.find(event.order_id);
  const std::optional<Order> before = it == orders_.end() ? std::nullopt : std::optional<Order>(it->second);
  const auto outcome = apply_locked(event);
  remember_locked(std::string(webhook_id));
  // Answer 2xx only once the change is in the file; otherwise undo it, so that Vitrina's retry
  // finds the order as it was and applies the event then.
  if (auto saved = save_locked(); !saved) {
    if (before) it->second = *before;
    seen_webhooks_.erase(seen_webhooks_.find(webhook_id));
    seen_order_.pop_back();
    return std::move(saved).error();
  }
  return outcome;
}

EventOutcome OrderBook::apply_locked(const PaymentEvent& event) {
  const auto next = status_after(event.type);
  if (!next) return EventOutcome::ignored;
  auto it = orders_.find(event.order_id);
  if (it == orders_.end()) return EventOutcome::unknown_order;
  Order& order = it->second;
  // The signature proves Vitrina sent this, but not that it is about this order's payment:
  // check that the money matches what the order asked for before handing over the goods.
  if ((!order.payment_id.empty() && order.payment_id != event.payment_id) || order.amount != event.amount ||
      order.currency != event.currency) {
    return EventOutcome::mismatch;
  }
  // An order ends once. Vitrina's state machine never sends two endings for one payment; a
  // shop that lets a payer retry with a new payment would look at each payment's id here.
  if (order.status != OrderStatus::awaiting_payment) return EventOutcome::ignored;
  order.status = *next;
  order.payment_id = event.payment_id;
  order.failure_reason = *next == OrderStatus::failed ? event.failure_reason : std::string();
  order.updated_at = now_rfc3339();
  return EventOutcome::applied;
}

void OrderBook::remember_locked(std::string webhook_id) {
  if (!seen_webhooks_.insert(webhook_id).second) return;
  seen_order_.push_back(std::move(webhook_id));
  if (seen_order_.size() > kRememberedWebhooks) {
    seen_webhooks_.erase(seen_order_.front());
    seen_order_.pop_front();
  }
}

Result<void> OrderBook::save_locked() const {
  if (data_dir_.empty()) return {};
  const std::string path = data_dir_ + "/orders.json";
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << orders_file_json(orders_, seen_order_);
    out.flush();
    if (!out) return make_error(vitrina::protocol::ErrorCode::unavailable, "cannot write " + tmp, "data");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0)
    return make_error(vitrina::protocol::ErrorCode::unavailable, "cannot replace " + path, "data");
  return {};
}

}  // namespace shop
