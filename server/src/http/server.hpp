#pragma once
// The HTTP/1.1 server: an accept loop and one coroutine per connection, each on its own strand.
// Every limit is explicit (config::HttpLimits). Handlers come from a Router; the server knows
// nothing of what they do.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "config/config.hpp"
#include "http/router.hpp"

namespace vitrina::http {

struct ServerOptions {
  config::HttpLimits limits;
  bool log_requests = true;
  // With one I/O thread, connections need no strands: everything already runs in order.
  std::uint32_t io_threads = 1;
};

class Server {
 public:
  Server(boost::asio::io_context& ioc, ServerOptions options, std::shared_ptr<const Router> router);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Binds and listens. A port of 0 picks a free one; the bound endpoint is returned. An
  /// address already in use is reported as such (Error::code "address_in_use").
  protocol::Result<boost::asio::ip::tcp::endpoint> listen(const std::string& host, std::uint16_t port);

  /// Starts accepting connections on the io_context.
  void start();

  /// Graceful stop: no new connections; idle connections close at once; a request in flight
  /// finishes and its connection then closes. After `grace` whatever is left is closed.
  /// `done` runs (on an I/O thread) once no connection remains.
  void shutdown(std::chrono::milliseconds grace, std::function<void()> done);

  struct State;

 private:
  boost::asio::io_context& ioc_;
  std::shared_ptr<State> state_;
};

}  // namespace vitrina::http
