// headless-shop: a storefront with a cart and a "Pay" button, and the backend that takes the
// payment through Vitrina: it creates the payment with the SDK, sends the payer to the page
// Vitrina names, and marks the order paid when a verified webhook says so. See README.md.
#include <httplib.h>
#include <pthread.h>

#include <csignal>
#include <cstdio>
#include <string>
#include <thread>
#include <utility>

#include "config.hpp"
#include "log.hpp"
#include "routes.hpp"

namespace {

std::string host_for_url(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

// Ctrl-C and SIGTERM stop the server; requests in flight finish first.
void stop_on_signals(httplib::Server& server) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  // Blocked here, before the server's threads exist, so that they inherit the mask and only
  // this waiting thread ever receives the signals.
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::thread([&server, signals] {
    int signal = 0;
    sigwait(&signals, &signal);
    shop::log::info("stopping").num("signal", signal).emit();
    server.stop();
  }).detach();
}

}  // namespace

int main(int argc, char** argv) {
  auto config = shop::parse_config(argc, argv);
  if (!config) {
    std::fprintf(stderr, "headless-shop: %s\n\n%s", config.error().message.c_str(), shop::usage());
    return 2;
  }
  if (config->help) {
    std::fputs(shop::usage(), stdout);
    return 0;
  }

  vitrina::sdk::ClientOptions client_options;
  client_options.base_url = config->vitrina_url;
  client_options.secret_key = config->secret_key;
  shop::Shop app{.config = *config,
                 .client = vitrina::sdk::Client(std::move(client_options)),
                 .orders = shop::OrderBook(config->data_dir)};
  if (const auto& error = app.client.options_error()) {
    std::fprintf(stderr, "headless-shop: %s\n", error->message.c_str());
    return 2;
  }
  if (auto loaded = app.orders.load(); !loaded) {
    std::fprintf(stderr, "headless-shop: cannot read the orders: %s\n", loaded.error().message.c_str());
    return 1;
  }

  httplib::Server server;
  if (auto ready = shop::set_up(server, app); !ready) {
    std::fprintf(stderr, "headless-shop: %s\n", ready.error().message.c_str());
    return 1;
  }
  int port = config->listen_port;
  bool bound = false;
  if (port == 0) {
    port = server.bind_to_any_port(config->listen_host);  // the kernel picks a free port
    bound = port > 0;
  } else {
    bound = server.bind_to_port(config->listen_host, port);
  }
  if (!bound) {
    std::fprintf(stderr, "headless-shop: cannot listen on %s:%d\n", config->listen_host.c_str(), port);
    return 1;
  }
  const std::string address = host_for_url(config->listen_host) + ":" + std::to_string(port);
  app.public_url = config->public_url.empty() ? "http://" + address : config->public_url;

  stop_on_signals(server);
  shop::log::info("listening")
      .str("address", address)
      .str("public_url", app.public_url)
      .str("vitrina_url", config->vitrina_url)
      .emit();
  server.listen_after_bind();
  return 0;
}
