#pragma once
// The shop's HTTP side: the storefront's files, the order API the page calls, the order page,
// and the endpoint Vitrina sends webhooks to.
//
//   GET  /                      the storefront (public/index.html, shop.js, shop.css)
//   GET  /api/products          the catalog, with prices
//   POST /api/orders            {"items":[{"product_id","quantity"}]} → 201 {"order_id","confirmation_url"}
//   GET  /orders/{id}           the order page (public/order.html), where the payer returns
//   GET  /api/orders/{id}       the order, polled by the order page
//   POST /webhooks/vitrina      Standard Webhooks from Vitrina: 401 unless the signature verifies

#include <httplib.h>

#include <string>

#include "config.hpp"
#include "orders.hpp"
#include "vitrina/protocol/result.hpp"
#include "vitrina/sdk/client.hpp"

namespace shop {

/// What the handlers share. Lives as long as the server.
struct Shop {
  Config config;
  vitrina::sdk::Client client;
  OrderBook orders;
  /// The shop's address as browsers see it (config.public_url, or where it listens).
  std::string public_url;
  /// public/order.html, served for every known order.
  std::string order_page;
};

/// Limits, security headers, static files and routes. Fails when the public directory or its
/// order page cannot be read.
[[nodiscard]] vitrina::protocol::Result<void> set_up(httplib::Server& server, Shop& shop);

}  // namespace shop
