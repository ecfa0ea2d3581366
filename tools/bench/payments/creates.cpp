// `vitrina-bench-load creates`: closed-loop POST /v1/payments on N keep-alive connections, a
// fresh Idempotency-Key for every request. Sending stops at the end of the run (or after
// --total requests); the requests then in flight are still answered and counted, so the 201s
// counted equal the payments the server created.

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <fstream>
#include <iostream>
#include <memory>

#include "load_common.hpp"

namespace vitrina::bench {

namespace {

namespace net = boost::asio;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

// Everything the connections share; one thread, so no locks.
struct CreatesRun {
  const CreatesArgs& args;
  tcp::endpoint endpoint;
  Clock::time_point measure_from;
  Clock::time_point stop_sending;
  std::uint64_t next_seq = 0;
  std::uint64_t sent = 0;
  std::uint64_t completed = 0;
  std::uint64_t created = 0;
  std::uint64_t non2xx = 0;
  std::uint64_t errors = 0;
  std::uint64_t reconnects = 0;
  std::uint64_t window_completed = 0;
  std::map<unsigned, std::uint64_t> statuses;
  std::string first_refusal;  // the body of the first non-2xx answer, to show what went wrong
  Latencies latencies;
  std::vector<std::string> ids;
  int open = 0;  // connections still working
  std::function<void()> on_all_done;

  bool may_send(Clock::time_point now) const {
    return args.total > 0 ? next_seq < static_cast<std::uint64_t>(args.total) : now < stop_sending;
  }
};

std::string request_for(const CreatesRun& run, std::uint64_t seq) {
  const std::string n = std::to_string(seq);
  const std::string body =
      R"({"amount":150000,"currency":"RUB","order_id":"order-)" + n +
      R"(","description":"Tea","return_url":"https://shop.example/back",)"
      R"("customer":{"email":"ann@example.com"},"items":[{"name":"Tea","quantity":3,"amount":50000}],)"
      R"("metadata":{"cart":"c-)" +
      n + R"("}})";
  std::string r;
  r.reserve(body.size() + 256);
  r.append("POST /v1/payments HTTP/1.1\r\nHost: ")
      .append(run.args.host)
      .append(":")
      .append(std::to_string(run.args.port))
      .append("\r\nAuthorization: Bearer ")
      .append(run.args.secret)
      .append("\r\nIdempotency-Key: ")
      .append(run.args.key_prefix)
      .append("-")
      .append(n)
      .append("\r\nContent-Type: application/json\r\nContent-Length: ")
      .append(std::to_string(body.size()))
      .append("\r\n\r\n")
      .append(body);
  return r;
}

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(net::io_context& ioc, CreatesRun& run) : socket_(ioc), run_(run) {}

  void start() {
    ++run_.open;
    connect();
  }
  void close() {
    boost::system::error_code ignored;
    socket_.close(ignored);
  }

 private:
  void connect() {
    socket_.async_connect(run_.endpoint, [self = shared_from_this()](boost::system::error_code ec) {
      if (ec) return self->fail(ec);
      self->socket_.set_option(tcp::no_delay(true), ec);
      self->send();
    });
  }

  void send() {
    const auto now = Clock::now();
    if (!run_.may_send(now)) return finish();
    request_ = request_for(run_, run_.next_seq++);
    ++run_.sent;
    sent_at_ = now;
    net::async_write(socket_, net::buffer(request_),
                     [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                       if (ec) return self->fail(ec);
                       self->read();
                     });
  }

  void read() {
    parser_.emplace();
    parser_->body_limit(1 << 20);
    http::async_read(socket_, buffer_, *parser_,
                     [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                       if (ec) return self->fail(ec);
                       self->answered();
                     });
  }

  void answered() {
    const auto now = Clock::now();
    const auto& res = parser_->get();
    const unsigned status = res.result_int();
    ++run_.completed;
    ++run_.statuses[status];
    if (status == 201) {
      ++run_.created;
      if (!run_.args.ids_out.empty()) run_.ids.emplace_back(json_string_after(res.body(), "id"));
    } else {
      ++run_.non2xx;
      if (run_.first_refusal.empty()) run_.first_refusal = std::to_string(status) + " " + res.body().substr(0, 300);
    }
    if (sent_at_ >= run_.measure_from && (run_.args.total > 0 || now <= run_.stop_sending)) {
      ++run_.window_completed;
      run_.latencies.add(micros(now - sent_at_));
    }
    if (!res.keep_alive()) {
      // The server closed the connection: open another one.
      ++run_.reconnects;
      close();
      socket_ = tcp::socket(socket_.get_executor());
      return connect();
    }
    send();
  }

  void fail(boost::system::error_code ec) {
    ++run_.errors;
    if (run_.errors <= 5) std::cerr << "creates: connection error: " << ec.message() << "\n";
    close();
    finish();
  }

  void finish() {
    if (finished_) return;
    finished_ = true;
    if (--run_.open == 0 && run_.on_all_done) run_.on_all_done();
  }

  tcp::socket socket_;
  CreatesRun& run_;
  std::string request_;
  boost::beast::flat_buffer buffer_;
  std::optional<http::response_parser<http::string_body>> parser_;
  Clock::time_point sent_at_;
  bool finished_ = false;
};

}  // namespace

int run_creates(const CreatesArgs& args) {
  net::io_context ioc(1);
  CreatesRun run{.args = args,
                 .endpoint = tcp::endpoint(net::ip::make_address(args.host), static_cast<unsigned short>(args.port))};
  run.latencies.reserve(1 << 20);
  const auto start = Clock::now();
  run.measure_from = start + std::chrono::seconds(args.total > 0 ? 0 : args.warmup_s);
  run.stop_sending = run.measure_from + std::chrono::seconds(args.seconds);
  // After sending stops, the last answers have this long; then whatever is open is cut.
  const auto hard_end = args.total > 0 ? start + std::chrono::seconds(args.seconds + args.drain_s)
                                       : run.stop_sending + std::chrono::seconds(args.drain_s);
  net::steady_timer deadline(ioc, hard_end);
  std::vector<std::shared_ptr<Connection>> connections;
  bool cut = false;
  deadline.async_wait([&](boost::system::error_code ec) {
    if (ec) return;
    cut = true;
    for (auto& c : connections) c->close();
  });
  run.on_all_done = [&] { deadline.cancel(); };
  for (int i = 0; i < args.connections; ++i) {
    connections.push_back(std::make_shared<Connection>(ioc, run));
    connections.back()->start();
  }
  ioc.run();
  const auto end = Clock::now();

  if (!args.ids_out.empty()) {
    std::ofstream out(args.ids_out);
    for (const auto& id : run.ids) out << id << "\n";
    if (!out) {
      std::cerr << "creates: cannot write " << args.ids_out << "\n";
      return 1;
    }
  }
  const double window_s = args.total > 0 ? std::chrono::duration<double>(end - start).count()
                                         : std::chrono::duration<double>(run.stop_sending - run.measure_from).count();
  std::string statuses;
  for (const auto& [status, count] : run.statuses) {
    statuses += (statuses.empty() ? "" : ",") + std::to_string(status) + ":" + std::to_string(count);
  }
  std::printf(
      "BENCH mode=creates connections=%d sent=%llu completed=%llu created=%llu non2xx=%llu errors=%llu "
      "unfinished=%llu reconnects=%llu window_s=%.3f window_completed=%llu rps=%.0f statuses=%s%s\n",
      args.connections, static_cast<unsigned long long>(run.sent), static_cast<unsigned long long>(run.completed),
      static_cast<unsigned long long>(run.created), static_cast<unsigned long long>(run.non2xx),
      static_cast<unsigned long long>(run.errors), static_cast<unsigned long long>(run.sent - run.completed),
      static_cast<unsigned long long>(run.reconnects), window_s, static_cast<unsigned long long>(run.window_completed),
      window_s > 0 ? static_cast<double>(run.window_completed) / window_s : 0.0,
      statuses.empty() ? "none" : statuses.c_str(), run.latencies.report().c_str());
  if (!run.first_refusal.empty()) std::cerr << "creates: first refusal: " << run.first_refusal << "\n";
  if (cut) std::cerr << "creates: answers still missing " << args.drain_s << " s after sending stopped\n";
  return 0;
}

}  // namespace vitrina::bench
