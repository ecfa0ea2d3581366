#include "http/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "http/server_state.hpp"
#include "log/log.hpp"

namespace vitrina::http {

namespace {

constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

net::awaitable<void> accept_loop(std::shared_ptr<Server::State> state, net::io_context& ioc) {
  for (;;) {
    if (state->stopping) co_return;
    // At the connection limit, leave further clients in the kernel's backlog until one closes.
    while (state->count() >= state->options.limits.max_connections && !state->stopping) {
      state->gate.expires_after(std::chrono::seconds(1));
      co_await state->gate.async_wait(use_tuple);
    }
    const net::any_io_executor executor = state->options.io_threads > 1 ? net::any_io_executor(net::make_strand(ioc))
                                                                        : net::any_io_executor(ioc.get_executor());
    auto [ec, socket] = co_await state->acceptor.async_accept(executor, use_tuple);
    if (ec == net::error::operation_aborted || state->stopping) co_return;
    if (ec) {
      // Typically EMFILE: back off briefly rather than spin on a failing accept.
      log::warn("accept failed").str("error", ec.message()).emit();
      state->gate.expires_after(std::chrono::milliseconds(50));
      co_await state->gate.async_wait(use_tuple);
      continue;
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    auto conn = std::make_shared<Connection>(std::move(socket));
    state->add(conn);
    net::co_spawn(executor, run_session(state, std::move(conn)), net::detached);
  }
}

void force_close_all(Server::State& state) {
  std::vector<std::shared_ptr<Connection>> left;
  {
    std::lock_guard lock(state.mu);
    for (auto& [raw, weak] : state.connections) {
      if (auto c = weak.lock()) left.push_back(std::move(c));
    }
  }
  if (left.empty()) return;
  log::warn("closing connections after the shutdown grace period")
      .num("count", static_cast<std::int64_t>(left.size()))
      .emit();
  for (auto& c : left) {
    net::post(c->stream.get_executor(), [c] {
      boost::system::error_code ignored;
      c->stream.socket().close(ignored);
    });
  }
}

}  // namespace

void Server::State::add(const std::shared_ptr<Connection>& c) {
  std::lock_guard lock(mu);
  connections.emplace(c.get(), c);
}

void Server::State::remove(Connection* c) {
  std::function<void()> done;
  {
    std::lock_guard lock(mu);
    connections.erase(c);
    if (stopping && connections.empty()) done = std::exchange(on_drained, nullptr);
    net::post(accept_strand, [this, drained = static_cast<bool>(done)] {
      gate.cancel();
      if (drained) grace_timer.cancel();
    });
  }
  if (done) done();
}

std::size_t Server::State::count() {
  std::lock_guard lock(mu);
  return connections.size();
}

Server::Server(net::io_context& ioc, ServerOptions options, std::shared_ptr<const Router> router)
    : ioc_(ioc), state_(std::make_shared<State>(ioc, std::move(options), std::move(router))) {}

Server::~Server() = default;

protocol::Result<tcp::endpoint> Server::listen(const std::string& host, std::uint16_t port) {
  using protocol::make_error;
  boost::system::error_code ec;
  const auto address = net::ip::make_address(host, ec);
  if (ec) return make_error(protocol::ErrorCode::invalid, "listen: \"" + host + "\" is not an IP address", "listen");
  const tcp::endpoint endpoint(address, port);
  auto& acceptor = state_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (ec == net::error::address_in_use) {
    return make_error(protocol::ErrorCode::address_in_use,
                      "address " + host + ":" + std::to_string(port) + " is already in use by another process",
                      "listen");
  }
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return make_error(protocol::ErrorCode::unavailable,
                      "cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message(), "listen");
  }
  return acceptor.local_endpoint();
}

void Server::start() { net::co_spawn(state_->accept_strand, accept_loop(state_, ioc_), net::detached); }

void Server::shutdown(std::chrono::milliseconds grace, std::function<void()> done) {
  auto state = state_;
  state->stopping = true;
  net::post(state->accept_strand, [state] {
    boost::system::error_code ignored;
    state->acceptor.close(ignored);
    state->gate.cancel();
  });

  std::vector<std::shared_ptr<Connection>> open;
  {
    std::lock_guard lock(state->mu);
    if (state->connections.empty()) {
      net::post(state->accept_strand, std::move(done));
      return;
    }
    state->on_drained = std::move(done);
    for (auto& [raw, weak] : state->connections) {
      if (auto c = weak.lock()) open.push_back(std::move(c));
    }
    // Posted under the lock so that the drained notice (posted by remove() under the same
    // lock) always comes after it and can cancel it.
    net::post(state->accept_strand, [state, grace] {
      state->grace_timer.expires_after(grace);
      state->grace_timer.async_wait([state](boost::system::error_code ec) {
        if (ec == net::error::operation_aborted) return;
        force_close_all(*state);
      });
    });
  }
  // Idle connections close now; busy ones notice `stopping` after their response.
  for (auto& c : open) {
    net::post(c->stream.get_executor(), [c] {
      if (c->idle) c->stream.cancel();
    });
  }
}

}  // namespace vitrina::http
