#pragma once
// Internal to the http module: what the accept loop and the sessions share.

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "http/server.hpp"

namespace vitrina::http {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

// One accepted connection. Everything in it is touched only on its stream's executor (a strand
// when there are several I/O threads).
struct Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)), deadline(stream.get_executor()) {}
  beast::tcp_stream stream;
  // The request timeout. tcp_stream's own timeout closes the socket, which would leave no way
  // to answer 408, so reading a request is bounded by this timer cancelling the read instead.
  net::steady_timer deadline;
  bool idle = true;        // waiting for the first byte of a request
  bool timed_out = false;  // the deadline cancelled the current read
  std::string head;        // reused to write prepared responses
};

struct Server::State {
  State(net::io_context& ioc, ServerOptions o, std::shared_ptr<const Router> r)
      : options(std::move(o)),
        router(std::move(r)),
        accept_strand(net::make_strand(ioc)),
        acceptor(accept_strand),
        gate(accept_strand),
        grace_timer(accept_strand) {}

  ServerOptions options;
  std::shared_ptr<const Router> router;
  net::strand<net::io_context::executor_type> accept_strand;
  tcp::acceptor acceptor;
  net::steady_timer gate;         // the accept loop waits on it while at max_connections
  net::steady_timer grace_timer;  // ends the shutdown grace period

  std::atomic<bool> stopping{false};
  std::mutex mu;
  std::unordered_map<Connection*, std::weak_ptr<Connection>> connections;
  std::function<void()> on_drained;

  void add(const std::shared_ptr<Connection>& c);
  void remove(Connection* c);
  std::size_t count();
};

net::awaitable<void> run_session(std::shared_ptr<Server::State> state, std::shared_ptr<Connection> conn);

}  // namespace vitrina::http
