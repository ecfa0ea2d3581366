#pragma once
// What the shop sells. Prices live here, on the server: the page sends product ids and
// quantities, never prices, so a visitor cannot pay less by editing the page.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace shop {

struct Product {
  std::string_view id;
  std::string_view name;
  std::string_view note;
  /// Price of one unit in kopecks (minor units of RUB).
  std::int64_t price;
  std::string_view unit;
};

inline constexpr std::string_view kCurrency = "RUB";

/// Every product, in the order the page shows them.
std::span<const Product> catalog();

/// The product with this id, or nullptr.
const Product* find_product(std::string_view id);

/// `{"currency":"RUB","products":[{"id","name","note","price","unit"}, …]}` for the page.
std::string catalog_json();

}  // namespace shop
