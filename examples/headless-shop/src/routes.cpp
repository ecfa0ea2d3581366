#include "routes.hpp"

#include <exception>
#include <fstream>
#include <sstream>
#include <utility>

#include "catalog.hpp"
#include "log.hpp"
#include "order_json.hpp"
#include "vitrina/protocol/json.hpp"
#include "vitrina/sdk/webhook.hpp"
#include "vitrina/webhook/webhook.hpp"

namespace shop {

using vitrina::protocol::make_error;
using vitrina::protocol::Result;

namespace {

// The page loads only its own files and talks only to its own origin; all text goes in
// through textContent, so there is no inline script or style to allow.
constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

// Generous for a cart of kMaxCartLines lines and for Vitrina's webhooks.
constexpr std::size_t kBodyLimit = 64 * 1024;

const char* const kOrderPath = R"(/orders/(ord_[0-9A-Za-z]{24}))";
const char* const kOrderApiPath = R"(/api/orders/(ord_[0-9A-Za-z]{24}))";

void reply_json(httplib::Response& res, int status, const std::string& json) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(json, "application/json");
}

// `{"error": message, "field": field}`: what the page shows when something is refused.
void reply_error(httplib::Response& res, int status, std::string_view message, std::string_view field = {}) {
  vitrina::protocol::JsonWriter w;
  w.begin_object().key("error").value(message);
  if (!field.empty()) w.key("field").value(field);
  w.end_object();
  reply_json(res, status, w.str());
}

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(vitrina::protocol::ErrorCode::not_found, "cannot read " + path, "public-dir");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The cart as order lines, priced from the catalog.
Result<std::vector<OrderLine>> price_cart(const std::vector<CartLine>& cart) {
  std::vector<OrderLine> lines;
  for (const auto& item : cart) {
    const Product* product = find_product(item.product_id);
    if (!product)
      return make_error(vitrina::protocol::ErrorCode::invalid, "no such product: " + item.product_id, "product_id");
    lines.push_back({item.product_id, std::string(product->name), item.quantity, product->price});
  }
  return lines;
}

vitrina::sdk::PaymentRequest payment_request(const Order& order, const std::string& public_url) {
  vitrina::sdk::PaymentRequest request;
  request.amount = order.amount;
  request.currency = order.currency;
  request.order_id = order.id;
  // Where the sandbox (or the acquirer's page) sends the payer back when done.
  request.return_url = public_url + "/orders/" + order.id;
  std::int64_t packs = 0;
  for (const auto& line : order.lines) packs += line.quantity;
  request.description = "Samovar & Co.: " + std::to_string(packs) + (packs == 1 ? " pack" : " packs") + " of tea";
  for (const auto& line : order.lines) request.items.push_back({line.name, line.quantity, line.price});
  // Metadata comes back in every webhook about this payment.
  request.metadata = {{"shop", "headless-shop"}, {"cart_lines", std::to_string(order.lines.size())}};
  return request;
}

void create_order(Shop& shop, const httplib::Request& req, httplib::Response& res) {
  if (!req.get_header_value("Content-Type").starts_with("application/json")) {
    return reply_error(res, 415, "send the cart as application/json");
  }
  auto cart = parse_cart(req.body);
  if (!cart) return reply_error(res, 422, cart.error().message, cart.error().field);
  auto lines = price_cart(*cart);
  if (!lines) return reply_error(res, 422, lines.error().message, lines.error().field);
  auto order = shop.orders.create(std::move(*lines), kCurrency);
  if (!order) {
    log::error("cannot store the order").str("error", order.error().message).emit();
    return reply_error(res, 503, "The shop cannot take orders right now; please try again.");
  }

  // The order id names the idempotency key, so repeating this call for the same order could
  // never create a second payment.
  const auto payment =
      shop.client.create_payment(payment_request(*order, shop.public_url), {.idempotency_key = "create-" + order->id});
  if (!payment || payment->confirmation_url.empty()) {
    const auto& error =
        payment ? vitrina::protocol::make_error(vitrina::protocol::ErrorCode::invalid_response, "no confirmation URL")
                : payment.error();
    log::error("cannot create the payment")
        .str("order_id", order->id)
        .str("code", vitrina::protocol::error_code_name(error.code))
        .str("message", error.message)
        .emit();
    return reply_error(res, 502, "The payment service did not answer; please try again.");
  }
  if (auto saved = shop.orders.set_payment(order->id, payment->id); !saved) {
    // The webhook carries the payment id as well; the order learns it then.
    log::warn("cannot store the payment id").str("order_id", order->id).str("error", saved.error().message).emit();
  }
  log::info("payment created")
      .str("order_id", order->id)
      .str("payment_id", payment->id)
      .num("amount", payment->amount)
      .str("currency", payment->currency)
      .emit();

  vitrina::protocol::JsonWriter w;
  w.begin_object().key("order_id").value(order->id).key("confirmation_url").value(payment->confirmation_url);
  w.end_object();
  reply_json(res, 201, w.str());
}

void receive_webhook(Shop& shop, const httplib::Request& req, httplib::Response& res) {
  // Verify before parsing: the signature covers the raw body exactly as it arrived.
  const auto verified = vitrina::sdk::verify_webhook(req.headers, req.body, shop.config.webhook_secret);
  if (!verified) {
    log::warn("webhook refused")
        .str("reason", vitrina::protocol::error_code_name(verified.error().code))
        .str("remote", req.remote_addr)
        .emit();
    return reply_error(res, 401, "the webhook signature does not verify");
  }
  const std::string webhook_id = req.get_header_value(std::string(vitrina::webhook::kHeaderId).c_str());
  auto event = parse_event(req.body);
  if (!event) {
    log::error("webhook not understood").str("webhook_id", webhook_id).str("error", event.error().message).emit();
    return reply_error(res, 400, event.error().message, event.error().field);
  }
  auto outcome = shop.orders.apply(webhook_id, *event);
  if (!outcome) {
    log::error("cannot store the webhook's change").str("webhook_id", webhook_id).emit();
    // Vitrina tries again after Retry-After.
    res.set_header("Retry-After", "5");
    return reply_error(res, 503, "try again later");
  }
  log::info("webhook verified")
      .str("webhook_id", webhook_id)
      .str("type", event->type)
      .str("order_id", event->order_id)
      .str("payment_id", event->payment_id)
      .str("outcome", to_string(*outcome))
      .emit();
  res.status = 204;
}

}  // namespace

Result<void> set_up(httplib::Server& server, Shop& shop) {
  auto order_page = read_file(shop.config.public_dir + "/order.html");
  if (!order_page) return std::move(order_page).error();
  shop.order_page = std::move(*order_page);
  if (!server.set_mount_point("/", shop.config.public_dir, {{"Cache-Control", "no-cache"}})) {
    return make_error(vitrina::protocol::ErrorCode::not_found, "no directory " + shop.config.public_dir, "public-dir");
  }

  for (const auto& [extension, type] :
       {std::pair{"html", "text/html; charset=utf-8"}, std::pair{"js", "text/javascript; charset=utf-8"},
        std::pair{"css", "text/css; charset=utf-8"}}) {
    server.set_file_extension_and_mimetype_mapping(extension, type);
  }
  server.set_payload_max_length(kBodyLimit);
  server.set_read_timeout(std::chrono::seconds(10));
  server.set_write_timeout(std::chrono::seconds(10));
  server.set_default_headers({{"Content-Security-Policy", kContentSecurityPolicy},
                              {"X-Content-Type-Options", "nosniff"},
                              {"Referrer-Policy", "no-referrer"}});
  server.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    log::error("request failed").str("path", req.path).str("error", what).emit();
    reply_error(res, 500, "internal error");
  });

  server.Get("/api/products",
             [](const httplib::Request&, httplib::Response& res) { reply_json(res, 200, catalog_json()); });
  server.Post("/api/orders",
              [&shop](const httplib::Request& req, httplib::Response& res) { create_order(shop, req, res); });
  server.Get(kOrderApiPath, [&shop](const httplib::Request& req, httplib::Response& res) {
    const auto order = shop.orders.find(req.matches[1].str());
    if (!order) return reply_error(res, 404, "no such order");
    reply_json(res, 200, order_json(*order));
  });
  server.Get(kOrderPath, [&shop](const httplib::Request& req, httplib::Response& res) {
    if (!shop.orders.find(req.matches[1].str())) {
      res.status = 404;
      return res.set_content("No such order.\n", "text/plain; charset=utf-8");
    }
    res.set_header("Cache-Control", "no-cache");
    res.set_content(shop.order_page, "text/html; charset=utf-8");
  });
  server.Post("/webhooks/vitrina",
              [&shop](const httplib::Request& req, httplib::Response& res) { receive_webhook(shop, req, res); });
  return {};
}

}  // namespace shop
