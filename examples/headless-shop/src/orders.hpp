#pragma once
// The shop's orders and what the payment webhooks do to them. Everything here is plain data
// and one mutex; the HTTP side lives in routes.cpp.

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "vitrina/protocol/result.hpp"

namespace shop {

enum class OrderStatus { awaiting_payment, paid, failed, canceled, expired };

std::string_view to_string(OrderStatus status);
std::optional<OrderStatus> order_status_from(std::string_view text);

struct OrderLine {
  std::string product_id;
  std::string name;
  std::int64_t quantity = 0;
  /// Price of one unit in minor units, as it was when the order was placed.
  std::int64_t price = 0;
};

struct Order {
  /// `ord_…`: also the capability to see the order, so it is long and random.
  std::string id;
  OrderStatus status = OrderStatus::awaiting_payment;
  std::vector<OrderLine> lines;
  std::int64_t amount = 0;
  std::string currency;
  /// Vitrina's `pay_…`, once the payment is created.
  std::string payment_id;
  /// Vitrina's reason when the payment failed (`card_declined`…).
  std::string failure_reason;
  std::string created_at;
  std::string updated_at;
};

/// What a verified `payment.*` webhook says. Other event types carry only `type`.
struct PaymentEvent {
  std::string type;
  std::string payment_id;
  std::string order_id;
  std::int64_t amount = 0;
  std::string currency;
  std::string failure_reason;
};

enum class EventOutcome {
  applied,        ///< the order changed
  duplicate,      ///< this webhook-id was handled before
  ignored,        ///< a type the shop does not act on, or the order has already ended
  unknown_order,  ///< not one of this shop's orders
  mismatch,       ///< the payment's id, amount or currency is not the order's: not applied
};

std::string_view to_string(EventOutcome outcome);

/// All orders, kept in memory and, with a data directory, in `<dir>/orders.json`, rewritten
/// (to a temporary file, then renamed) before any change is reported as done. Thread-safe.
class OrderBook {
 public:
  /// Keeps orders in `<data_dir>/orders.json` (the directory is made on `load`); an empty
  /// `data_dir` keeps them in memory only.
  explicit OrderBook(std::string data_dir);
  [[nodiscard]] vitrina::protocol::Result<void> load();

  /// Stores a new order awaiting payment and returns it.
  [[nodiscard]] vitrina::protocol::Result<Order> create(std::vector<OrderLine> lines, std::string_view currency);
  /// Records the Vitrina payment made for an order.
  [[nodiscard]] vitrina::protocol::Result<void> set_payment(std::string_view order_id, std::string_view payment_id);
  [[nodiscard]] std::optional<Order> find(std::string_view order_id) const;

  /// Applies one verified webhook, at most once per `webhook_id`. An error means it could not
  /// be stored: nothing changed, and the sender should try again.
  [[nodiscard]] vitrina::protocol::Result<EventOutcome> apply(std::string_view webhook_id, const PaymentEvent& event);

  /// How many webhook ids are remembered for deduplication. Vitrina's retries end within about
  /// three days; a busy shop would keep ids for that long in its database instead.
  static constexpr std::size_t kRememberedWebhooks = 10000;

 private:
  EventOutcome apply_locked(const PaymentEvent& event);
  void remember_locked(std::string webhook_id);
  vitrina::protocol::Result<void> save_locked() const;

  std::string data_dir_;
  mutable std::mutex mu_;
  std::map<std::string, Order, std::less<>> orders_;
  std::set<std::string, std::less<>> seen_webhooks_;
  std::deque<std::string> seen_order_;  // oldest first, to forget the oldest
};

}  // namespace shop
