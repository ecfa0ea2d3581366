#pragma once
// The payments API's request bodies: JSON in, a validated struct or an Error naming the field
// out. Plain functions, unit-tested with no server. Error codes: "malformed" (field "body":
// not JSON) and "invalid" (the field at fault, e.g. "amount", "items[2].quantity",
// "metadata.color").

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vitrina/protocol/currency.hpp"
#include "vitrina/protocol/result.hpp"

namespace vitrina::payments {

inline constexpr std::size_t kMaxBody = 64 * 1024;
inline constexpr std::size_t kMaxOrderId = 128;      // characters
inline constexpr std::size_t kMaxDescription = 256;  // characters
inline constexpr std::size_t kMaxReturnUrl = 2048;   // bytes
inline constexpr std::size_t kMaxItems = 100;
inline constexpr std::size_t kMaxItemName = 128;  // characters
inline constexpr std::int64_t kMaxQuantity = 1'000'000;
inline constexpr std::size_t kMaxMetadataKeys = 20;
inline constexpr std::size_t kMaxMetadataKey = 40;     // characters
inline constexpr std::size_t kMaxMetadataValue = 500;  // characters
inline constexpr std::size_t kMaxEmail = 254;
inline constexpr std::size_t kMaxPhone = 32;
inline constexpr std::int64_t kMaxExpiresIn = 86400;  // seconds
inline constexpr std::int64_t kDefaultExpiresIn = 3600;

struct Customer {
  std::string email;  // "" when not given
  std::string phone;
};

struct Item {
  std::string name;
  std::int64_t quantity = 1;
  std::int64_t amount = 0;  // minor units per item
};

struct CreatePaymentRequest {
  std::int64_t amount = 0;
  protocol::Currency currency{};
  std::string order_id;
  std::string description;
  std::string return_url;
  std::optional<Customer> customer;
  std::vector<Item> items;
  std::vector<std::pair<std::string, std::string>> metadata;  // in the order given
  bool capture = true;
  std::string acquirer;
  std::int64_t expires_in_s = kDefaultExpiresIn;
};

struct CreateRules {
  std::string default_acquirer = "sandbox";          // when the body names none
  std::vector<std::string> acquirers = {"sandbox"};  // the names `acquirer` may take
  std::int64_t min_expires_in_s = 60;        // config payments.min_expires_in_s
};

/// Parses and checks a POST /v1/payments body (docs/api.md lists every rule).
protocol::Result<CreatePaymentRequest> parse_create_request(std::string_view body, const CreateRules& rules);

/// POST /v1/payments/{id}/capture: an empty body or `{"amount"?: integer}`.
struct CaptureRequest {
  std::optional<std::int64_t> amount;
};
protocol::Result<CaptureRequest> parse_capture_request(std::string_view body);

/// POST /v1/payments/{id}/refunds: the same shape; without an amount, everything still refundable.
inline protocol::Result<CaptureRequest> parse_refund_request(std::string_view body) {
  return parse_capture_request(body);
}

/// POST /v1/payments/{id}/cancel: an empty body or `{}`.
protocol::Result<void> parse_cancel_request(std::string_view body);

/// The canonical JSON stored and answered for the parts kept as JSON.
std::string customer_json(const std::optional<Customer>& customer);
std::string items_json(const std::vector<Item>& items);
std::string metadata_json(const std::vector<std::pair<std::string, std::string>>& metadata);

/// True for an absolute http:// or https:// URL with a host and no spaces or control characters.
bool is_http_url(std::string_view url) noexcept;

}  // namespace vitrina::payments
