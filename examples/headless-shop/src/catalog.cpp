#include "catalog.hpp"

#include <array>

#include "vitrina/protocol/json.hpp"

namespace shop {

namespace {

constexpr std::array kProducts = {
    Product{"georgian-black", "Georgian black, 2024 harvest", "Malty, honeyed, a hint of dried apricot.", 89000,
            "100 g"},
    Product{"yunnan-green", "Yunnan green “Mao Feng”", "Fresh, nutty, with a long sweet finish.", 125000, "100 g"},
    Product{"ivan-chai", "Ivan-chai with mint", "Fermented fireweed, caffeine-free, for the evening.", 54000, "100 g"},
    Product{"assam", "Assam second flush", "Strong and brisk; stands up to milk.", 76000, "100 g"},
};

}  // namespace

std::span<const Product> catalog() { return kProducts; }

const Product* find_product(std::string_view id) {
  for (const auto& p : kProducts) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

std::string catalog_json() {
  vitrina::protocol::JsonWriter w;
  w.begin_object().key("currency").value(kCurrency).key("products").begin_array();
  for (const auto& p : kProducts) {
    w.begin_object().key("id").value(p.id).key("name").value(p.name).key("note").value(p.note);
    w.key("price").value(p.price).key("unit").value(p.unit).end_object();
  }
  w.end_array().end_object();
  return std::move(w).str();
}

}  // namespace shop
