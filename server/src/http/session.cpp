// One HTTP/1.1 connection: read a request under the limits, dispatch it, write the response,
// repeat while keep-alive holds. Malformed or oversized input ends the connection with a
// problem response; nothing the network sends can crash the process.

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_suffix.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/span_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <chrono>
#include <cmath>
#include <ctime>
#include <optional>
#include <random>
#include <tuple>

#include "http/server_state.hpp"
#include "log/log.hpp"

namespace vitrina::http {

namespace {

constexpr auto use_tuple = net::as_tuple(net::use_awaitable);
using Clock = std::chrono::steady_clock;

// A client-supplied X-Request-Id is kept if it is short and plain; otherwise we make one.
std::string request_id_for(const Request& req) {
  const auto given = req["X-Request-Id"];
  if (!given.empty() && given.size() <= 64 &&
      given.find_first_not_of("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_.") ==
          std::string_view::npos) {
    return std::string(given);
  }
  // 15 characters of [0-9a-z] (~77 bits): unique enough to find a line, and short enough to
  // live in std::string's inline buffer.
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kAlphabet[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string id(15, '0');
  auto bits = rng();
  for (std::size_t i = 0; i < id.size(); ++i) {
    if (i == 12) bits = rng();
    id[i] = kAlphabet[bits % 36];
    bits /= 36;
  }
  return id;
}

// The Date header, formatted once per second per thread.
std::string_view http_date() {
  thread_local std::time_t cached_at = 0;
  thread_local char buf[40];
  const std::time_t now = std::time(nullptr);
  if (now != cached_at) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    cached_at = now;
  }
  return buf;
}

// The problem to answer with when reading a request failed, or none when the connection just
// went away.
std::optional<Response> problem_for_read_error(const boost::system::error_code& ec) {
  if (ec == bhttp::error::end_of_stream || ec == net::error::eof || ec == net::error::connection_reset ||
      ec == net::error::operation_aborted || ec == net::error::bad_descriptor) {
    return std::nullopt;
  }
  if (ec == beast::error::timeout) {
    return problem(protocol::ErrorCode::timeout, "the request was not received in time");
  }
  if (ec == bhttp::error::header_limit) {
    return problem(protocol::ErrorCode::header_too_large, "the request line and headers exceed the limit");
  }
  if (ec == bhttp::error::body_limit) {
    return problem(protocol::ErrorCode::too_large, "the request body exceeds the limit", "body");
  }
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category()) {
    return problem(protocol::ErrorCode::malformed, ec.message());
  }
  return std::nullopt;
}

void log_request(const Request* req, std::string_view rid, unsigned status, Clock::time_point start,
                 std::size_t bytes) {
  auto line = log::info("request");
  line.str("rid", rid);
  if (req != nullptr) {
    const auto target = req->target();
    line.str("method", req->method_string()).str("path", target.substr(0, target.find('?')));
  }
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  line.num("status", status).real("ms", std::round(ms * 1000) / 1000).num("bytes", static_cast<std::int64_t>(bytes));
  line.emit();
}

net::awaitable<Response> dispatch(const Server::State& state, const Request& req, Context& ctx) {
  auto split = split_target(req.target());
  if (!split) {
    co_return problem(protocol::ErrorCode::malformed, split.error().message, "target");
  }
  ctx.path = std::move(split->first);
  const auto match = state.router->match(req.method_string(), ctx.path, ctx);
  try {
    if (match.sync != nullptr) co_return (*match.sync)(req, ctx);
    if (match.async != nullptr) co_return co_await (*match.async)(req, ctx);
  } catch (const std::exception& e) {
    log::error("handler failed").str("rid", ctx.request_id).str("error", e.what()).emit();
    co_return problem(protocol::ErrorCode::internal);
  }
  if (!match.allow.empty()) {
    Response r = problem(protocol::ErrorCode::method_not_allowed);
    r.head.set(Field::allow, match.allow);
    co_return r;
  }
  co_return problem(protocol::ErrorCode::not_found);
}

// Sends `res`; returns the body bytes written, or an error.
net::awaitable<std::pair<boost::system::error_code, std::size_t>> send(Connection& conn, const Server::State& state,
                                                                       Response& res, unsigned version, bool keep_alive,
                                                                       bool head_only, std::string_view rid) {
  const auto status_code = res.head.result_int();
  const bool no_body = status_code == 204 || status_code == 304 || (status_code >= 100 && status_code < 200);
  if (res.raw_fields) {
    // Prepared headers: one gather write of status line, fixed fields, per-request fields, body.
    std::string& head = conn.head;
    head.clear();
    head += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
    head += std::to_string(status_code);
    head += ' ';
    head += bhttp::obsolete_reason(res.head.result());
    head += "\r\n";
    head += *res.raw_fields;
    head += "Date: ";
    head += http_date();
    head += "\r\n";
    if (!rid.empty()) {
      head += "X-Request-Id: ";
      head += rid;
      head += "\r\n";
    }
    if (version >= 11 && !keep_alive) head += "Connection: close\r\n";
    if (version == 10 && keep_alive) head += "Connection: keep-alive\r\n";
    head += "\r\n";
    const bool with_body = !head_only && !no_body;
    const std::array<net::const_buffer, 2> buffers{
        net::buffer(head), with_body ? net::buffer(res.body.data(), res.body.size()) : net::const_buffer{}};
    const std::size_t sent_body = with_body ? res.body.size() : std::size_t{0};
    // Try the kernel's send buffer first: a small response usually fits, and then no timer or
    // asynchronous operation is needed. Whatever does not fit goes out asynchronously.
    boost::system::error_code ec;
    auto& socket = conn.stream.socket();
    if (!socket.non_blocking()) socket.non_blocking(true, ec);
    const std::size_t written = ec ? 0 : socket.write_some(buffers, ec);
    if (!ec && written == net::buffer_size(buffers)) co_return std::pair{ec, sent_body};
    if (ec && ec != net::error::would_block) co_return std::pair{ec, sent_body};
    beast::buffers_suffix<std::array<net::const_buffer, 2>> rest(buffers);
    rest.consume(written);
    conn.stream.expires_after(std::chrono::milliseconds(state.options.limits.write_timeout_ms));
    std::tie(ec, std::ignore) = co_await net::async_write(conn.stream, rest, use_tuple);
    co_return std::pair{ec, sent_body};
  }

  bhttp::response<bhttp::span_body<const char>> msg{std::move(res.head)};
  msg.version(version);
  msg.keep_alive(keep_alive);
  msg.set(Field::date, http_date());
  if (!rid.empty()) msg.set("X-Request-Id", rid);
  const bool bodiless = no_body;
  if (!bodiless) {
    if (head_only) {
      msg.content_length(res.body.size());
    } else {
      msg.body() = {res.body.data(), res.body.size()};
      msg.prepare_payload();
    }
  }
  conn.stream.expires_after(std::chrono::milliseconds(state.options.limits.write_timeout_ms));
  auto [ec, n] = co_await bhttp::async_write(conn.stream, msg, use_tuple);
  co_return std::pair{ec, head_only || bodiless ? std::size_t{0} : res.body.size()};
}

// After an error response, stop sending and drain what the client still sends for a moment, so
// the response is not lost to a TCP reset from closing with unread data.
net::awaitable<void> close_gracefully(Connection& conn) {
  boost::system::error_code ec;
  conn.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  conn.stream.expires_after(std::chrono::seconds(2));
  char scratch[16 * 1024];
  std::size_t drained = 0;
  while (drained < (1u << 20)) {
    auto [read_ec, n] = co_await conn.stream.async_read_some(net::buffer(scratch), use_tuple);
    if (read_ec) break;
    drained += n;
  }
  conn.stream.socket().close(ec);
}

}  // namespace

net::awaitable<void> run_session(std::shared_ptr<Server::State> state, std::shared_ptr<Connection> conn) {
  const auto& limits = state->options.limits;
  boost::system::error_code endpoint_ec;
  const auto remote = conn->stream.socket().remote_endpoint(endpoint_ec);
  const std::string remote_address = endpoint_ec ? std::string() : remote.address().to_string();
  beast::flat_buffer buffer;
  bool graceful_close = false;
  try {
    for (;;) {
      // Wait for the first byte of the next request under the idle timeout; the request
      // timeout starts only once a request has begun.
      if (buffer.size() == 0) {
        conn->idle = true;
        if (state->stopping) break;
        conn->stream.expires_after(std::chrono::milliseconds(limits.idle_timeout_ms));
        auto [ec, n] = co_await conn->stream.async_read_some(buffer.prepare(4096), use_tuple);
        conn->idle = false;
        if (ec) break;
        buffer.commit(n);
      }
      const auto start = Clock::now();
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(limits.header_limit));
      parser.body_limit(limits.body_limit);
      // Most requests arrive whole in the first read: parse them from the buffer without
      // arming a timer or another read.
      boost::system::error_code ec;
      parser.eager(true);
      while (buffer.size() > 0 && !parser.is_done()) {
        const auto used = parser.put(buffer.data(), ec);
        buffer.consume(used);
        if (ec == bhttp::error::need_more) ec = {};
        if (ec || used == 0) break;
      }
      if (!ec && !parser.is_done()) {
        conn->stream.expires_never();
        conn->timed_out = false;
        conn->deadline.expires_after(std::chrono::milliseconds(limits.request_timeout_ms));
        conn->deadline.async_wait([c = conn](boost::system::error_code tec) {
          if (tec) return;
          c->timed_out = true;
          c->stream.socket().cancel(tec);
        });
        if (!parser.is_header_done()) {
          std::tie(ec, std::ignore) = co_await bhttp::async_read_header(conn->stream, buffer, parser, use_tuple);
        }
        if (!ec && !parser.is_done()) {
          // Clients such as curl wait for this before sending a large body.
          if (bhttp::token_list{parser.get()[Field::expect]}.exists("100-continue")) {
            static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
            std::tie(ec, std::ignore) = co_await net::async_write(conn->stream, net::buffer(kContinue), use_tuple);
          }
          if (!ec) std::tie(ec, std::ignore) = co_await bhttp::async_read(conn->stream, buffer, parser, use_tuple);
        }
        conn->deadline.cancel();
        if (ec == net::error::operation_aborted && conn->timed_out) ec = beast::error::timeout;
      }
      if (ec) {
        auto problem = problem_for_read_error(ec);
        if (!problem) break;
        const unsigned status = problem->head.result_int();
        auto [wec, bytes] = co_await send(*conn, *state, *problem, 11, false, false, {});
        if (state->options.log_requests) log_request(nullptr, {}, status, start, bytes);
        graceful_close = !wec;
        break;
      }

      Request req = parser.release();
      Context ctx;
      ctx.request_id = request_id_for(req);
      ctx.remote_address = remote_address;
      if (beast::websocket::is_upgrade(req)) {
        const UpgradeHandler* upgrade = nullptr;
        if (auto split = split_target(req.target())) upgrade = state->router->find_upgrade(split->first);
        if (upgrade != nullptr && !state->stopping) {
          Upgrade answer;
          try {
            answer = (*upgrade)(req, ctx);
          } catch (const std::exception& e) {
            log::error("upgrade failed").str("rid", ctx.request_id).str("error", e.what()).emit();
            answer.refused = problem(protocol::ErrorCode::internal);
          }
          if (!answer.refused && answer.takeover) {
            if (state->options.log_requests) log_request(&req, ctx.request_id, 101, start, 0);
            // The WebSocket session owns the socket from here; this connection is done.
            conn->deadline.cancel();
            conn->stream.expires_never();
            answer.takeover(conn->stream.release_socket(), std::move(req));
            state->remove(conn.get());
            co_return;
          }
          Response& res = *answer.refused;
          const unsigned status = res.head.result_int();
          auto [wec, bytes] = co_await send(*conn, *state, res, req.version(), false, false, ctx.request_id);
          if (state->options.log_requests) log_request(&req, ctx.request_id, status, start, bytes);
          graceful_close = !wec;
          break;
        }
      }
      Response res = co_await dispatch(*state, req, ctx);
      const unsigned status = res.head.result_int();
      const bool keep_alive = req.keep_alive() && !state->stopping;
      auto [wec, bytes] = co_await send(*conn, *state, res, req.version(), keep_alive,
                                        req.method() == bhttp::verb::head, ctx.request_id);
      if (state->options.log_requests) log_request(&req, ctx.request_id, status, start, bytes);
      if (wec || !keep_alive) break;
    }
  } catch (const std::exception& e) {
    log::error("connection failed").str("error", e.what()).emit();
  }
  if (graceful_close) {
    co_await close_gracefully(*conn);
  } else {
    boost::system::error_code ec;
    conn->stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    conn->stream.socket().close(ec);
  }
  state->remove(conn.get());
}

}  // namespace vitrina::http
