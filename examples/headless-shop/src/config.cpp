#include "config.hpp"

#include <charconv>
#include <cstdlib>
#include <string_view>

#include "vitrina/protocol/keys.hpp"
#include "vitrina/webhook/webhook.hpp"

namespace shop {

using vitrina::protocol::make_error;
using vitrina::protocol::Result;

namespace {

std::string env_or(const char* name, std::string fallback) {
  const char* value = std::getenv(name);
  return value && *value ? std::string(value) : fallback;
}

bool is_http_url(std::string_view url) { return url.starts_with("http://") || url.starts_with("https://"); }

// HOST:PORT, or [IPv6]:PORT.
Result<void> parse_listen(std::string_view text, Config& config) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return make_error(vitrina::protocol::ErrorCode::invalid,
                      "--listen expects HOST:PORT, got \"" + std::string(text) + "\"", "listen");
  }
  std::string_view host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const std::string_view port = text.substr(colon + 1);
  int value = -1;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || end != port.data() + port.size() || value < 0 || value > 65535) {
    return make_error(vitrina::protocol::ErrorCode::invalid, "--listen: bad port \"" + std::string(port) + "\"",
                      "listen");
  }
  config.listen_host = std::string(host);
  config.listen_port = value;
  return {};
}

}  // namespace

const char* usage() {
  return "usage: headless-shop [--listen HOST:PORT] [--vitrina-url URL] [--public-url URL]\n"
         "                     [--data DIR] [--public-dir DIR]\n"
         "\n"
         "  --listen      where to listen (SHOP_LISTEN; default 127.0.0.1:8081; port 0 picks one)\n"
         "  --vitrina-url the Vitrina server (VITRINA_URL; default http://127.0.0.1:8080)\n"
         "  --public-url  the shop as browsers reach it (SHOP_PUBLIC_URL; default http://<listen>)\n"
         "  --data        keep orders in DIR/orders.json (SHOP_DATA; default: in memory only)\n"
         "  --public-dir  the storefront's files (SHOP_PUBLIC_DIR)\n"
         "\n"
         "Secrets come from the environment only:\n"
         "  VITRINA_SECRET_KEY      the site's secret key, sk_...\n"
         "  VITRINA_WEBHOOK_SECRET  the webhook endpoint's signing secret, whsec_...\n";
}

Result<Config> parse_config(int argc, char** argv) {
  Config config;
  std::string listen = env_or("SHOP_LISTEN", "127.0.0.1:8081");
  config.vitrina_url = env_or("VITRINA_URL", config.vitrina_url);
  config.public_url = env_or("SHOP_PUBLIC_URL", "");
  config.data_dir = env_or("SHOP_DATA", "");
  config.public_dir = env_or("SHOP_PUBLIC_DIR", HEADLESS_SHOP_PUBLIC_DIR);
  config.secret_key = env_or("VITRINA_SECRET_KEY", "");
  config.webhook_secret = env_or("VITRINA_WEBHOOK_SECRET", "");

  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      config.help = true;
      return config;
    }
    std::string* target = flag == "--listen"        ? &listen
                          : flag == "--vitrina-url" ? &config.vitrina_url
                          : flag == "--public-url"  ? &config.public_url
                          : flag == "--data"        ? &config.data_dir
                          : flag == "--public-dir"  ? &config.public_dir
                                                    : nullptr;
    if (!target)
      return make_error(vitrina::protocol::ErrorCode::invalid, "unknown flag " + std::string(flag), std::string(flag));
    if (i + 1 == argc)
      return make_error(vitrina::protocol::ErrorCode::invalid, std::string(flag) + " needs a value", std::string(flag));
    *target = argv[++i];
  }

  if (auto ok = parse_listen(listen, config); !ok) return std::move(ok).error();
  if (!is_http_url(config.vitrina_url)) {
    return make_error(vitrina::protocol::ErrorCode::invalid, "--vitrina-url must start with http:// or https://",
                      "vitrina-url");
  }
  if (!config.public_url.empty() && !is_http_url(config.public_url)) {
    return make_error(vitrina::protocol::ErrorCode::invalid, "--public-url must start with http:// or https://",
                      "public-url");
  }
  while (config.public_url.ends_with('/')) config.public_url.pop_back();
  if (!vitrina::protocol::is_secret_key(config.secret_key)) {
    return make_error(vitrina::protocol::ErrorCode::invalid,
                      "VITRINA_SECRET_KEY must hold the site's secret key (sk_...)", "VITRINA_SECRET_KEY");
  }
  // Parsed once here so that a mistyped secret stops the shop now, not at the first webhook.
  if (!config.webhook_secret.starts_with(vitrina::webhook::kSecretPrefix) ||
      !vitrina::webhook::verify_key_parse(config.webhook_secret)) {
    return make_error(vitrina::protocol::ErrorCode::invalid,
                      "VITRINA_WEBHOOK_SECRET must hold the endpoint's signing secret (whsec_...)",
                      "VITRINA_WEBHOOK_SECRET");
  }
  return config;
}

}  // namespace shop
