#pragma once
// Maps method + path to a handler. Patterns are literal segments and "{name}" captures
// ("/v1/payments/{id}"); a pattern ending in "/*" matches everything below it. Routes without
// "/*" are tried first, then mounts; within each, the first match wins. A path that matches
// only with other methods gets 405 and an Allow header.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "http/message.hpp"

namespace vitrina::http {

using SyncHandler = std::function<Response(const Request&, Context&)>;
using AsyncHandler = std::function<boost::asio::awaitable<Response>(const Request&, Context&)>;

/// Takes over a connection whose WebSocket upgrade was accepted: the socket and the upgrade
/// request are its own from then on (the HTTP server forgets the connection).
using Takeover = std::function<void(boost::asio::ip::tcp::socket, Request)>;
/// The answer to an upgrade request: a refusal (an ordinary response, the connection then
/// closes), or who takes the connection over.
struct Upgrade {
  std::optional<Response> refused;
  Takeover takeover;
};
using UpgradeHandler = std::function<Upgrade(const Request&, Context&)>;

class Router {
 public:
  // Each takes a SyncHandler or an AsyncHandler (a lambda converts to whichever it fits).
  Router& get(std::string pattern, SyncHandler h) { return add("GET", std::move(pattern), std::move(h)); }
  Router& get(std::string pattern, AsyncHandler h) { return add("GET", std::move(pattern), std::move(h)); }
  Router& post(std::string pattern, SyncHandler h) { return add("POST", std::move(pattern), std::move(h)); }
  Router& post(std::string pattern, AsyncHandler h) { return add("POST", std::move(pattern), std::move(h)); }
  Router& patch(std::string pattern, AsyncHandler h) { return add("PATCH", std::move(pattern), std::move(h)); }
  Router& del(std::string pattern, AsyncHandler h) { return add("DELETE", std::move(pattern), std::move(h)); }
  Router& add(std::string method, std::string pattern, SyncHandler h);
  Router& add(std::string method, std::string pattern, AsyncHandler h) {
    return add_async(std::move(method), std::move(pattern), std::move(h));
  }
  Router& add_async(std::string method, std::string pattern, AsyncHandler h);
  /// A WebSocket endpoint at exactly `path`: GET requests that ask for an upgrade go to `h`.
  Router& upgrade(std::string path, UpgradeHandler h) {
    upgrades_.emplace_back(std::move(path), std::move(h));
    return *this;
  }
  const UpgradeHandler* find_upgrade(std::string_view path) const {
    for (const auto& [p, h] : upgrades_) {
      if (p == path) return &h;
    }
    return nullptr;
  }

  struct Match {
    const SyncHandler* sync = nullptr;
    const AsyncHandler* async = nullptr;
    std::string allow;  // set when the path exists but not for this method
  };

  /// Finds the handler for `method` and the already-decoded `path`, filling ctx.params.
  /// HEAD is served by GET handlers.
  Match match(std::string_view method, std::string_view path, Context& ctx) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    bool wildcard = false;
    std::variant<SyncHandler, AsyncHandler> handler;
  };
  static bool matches(const Route& r, std::string_view path, Context* ctx);
  Router& push(std::string method, std::string pattern, std::variant<SyncHandler, AsyncHandler> h);

  std::vector<Route> routes_;
  std::vector<std::pair<std::string, UpgradeHandler>> upgrades_;
};

/// Splits the request target into its decoded path and raw query. Fails (400) on a target that
/// is not origin-form, on bad percent-encoding, on NUL or backslash, and on "." or ".."
/// segments, so no handler ever sees a path that could climb out of a directory.
protocol::Result<std::pair<std::string, std::string_view>> split_target(std::string_view target);

}  // namespace vitrina::http
