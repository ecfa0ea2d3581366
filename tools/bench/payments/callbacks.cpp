// `vitrina-bench-load callbacks`: signed sandbox callbacks at a fixed rate (open loop: each is
// sent at its scheduled time whether or not earlier ones have been answered), and a webhook
// receiver that times each payment.succeeded webhook from the moment its callback was written
// to the socket. Callbacks are signed before the run, so signing costs the sender nothing.

#include <sodium.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <deque>
#include <fstream>
#include <iostream>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "load_common.hpp"
#include "receiver.hpp"
#include "vitrina/webhook/webhook.hpp"

namespace vitrina::bench {

namespace {

namespace net = boost::asio;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

constexpr int kInitialConnections = 16;

struct Callback {
  std::string request;  // the whole signed HTTP request
  Clock::time_point scheduled;
  Clock::time_point sent;
  Clock::time_point answered;
  Clock::time_point arrived;  // its webhook, at the receiver
  unsigned status = 0;        // 0: no answer (yet)
  bool has_arrived = false;
};

class Sender;

struct CallbacksRun {
  const CallbacksArgs& args;
  tcp::endpoint endpoint;
  std::vector<Callback> callbacks;
  std::unordered_map<std::string, std::size_t> by_payment;
  std::size_t measured_from = 0;    // callbacks before this index are the warm-up
  std::size_t next = 0;             // the next callback to schedule
  std::deque<std::size_t> waiting;  // due, but every connection busy and no more may open
  std::vector<std::shared_ptr<Sender>> idle;
  std::vector<std::shared_ptr<Sender>> all;
  std::uint64_t answered = 0, ok = 0, non2xx = 0, errors = 0, queued = 0;
  std::uint64_t webhooks = 0, bad_signature = 0, duplicates = 0, other_type = 0, unmatched = 0, arrived = 0;
  std::unordered_set<std::string> webhook_ids;
  std::string first_refusal;
  bool schedule_done = false;
  std::function<void()> check_done;
};

std::string sign_callback(const CallbacksRun& run, const std::string& event_id, const std::string& payment_id,
                          std::int64_t ts, const std::array<unsigned char, crypto_sign_SECRETKEYBYTES>& sk) {
  const std::string body = R"({"id":")" + event_id + R"(","site_id":")" + run.args.site + R"(","payment_id":")" +
                           payment_id + R"(","outcome":"succeeded","amount":)" + std::to_string(run.args.amount) +
                           R"(,"reason":""})";
  const std::string content = std::to_string(ts) + "." + body;
  std::array<unsigned char, crypto_sign_BYTES> sig{};
  crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const unsigned char*>(content.data()), content.size(),
                       sk.data());
  std::array<char, sodium_base64_ENCODED_LEN(crypto_sign_BYTES, sodium_base64_VARIANT_ORIGINAL)> b64{};
  sodium_bin2base64(b64.data(), b64.size(), sig.data(), sig.size(), sodium_base64_VARIANT_ORIGINAL);
  std::string r = "POST /v1/callbacks/sandbox/" + run.args.site + " HTTP/1.1\r\nHost: " + run.args.host + ":" +
                  std::to_string(run.args.port) +
                  "\r\nContent-Type: application/json\r\nSandbox-Timestamp: " + std::to_string(ts) +
                  "\r\nSandbox-Signature: v1," + std::string(b64.data()) +
                  "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  return r;
}

// One keep-alive connection carrying callbacks, one at a time.
class Sender : public std::enable_shared_from_this<Sender> {
 public:
  Sender(net::io_context& ioc, CallbacksRun& run) : socket_(ioc), run_(run) {}

  /// Connects, then sends callback `first` (if any) or joins the idle list.
  void connect(std::optional<std::size_t> first) {
    socket_.async_connect(run_.endpoint, [self = shared_from_this(), first](boost::system::error_code ec) {
      if (ec) {
        if (first) self->failed(*first, ec);
        return;
      }
      self->socket_.set_option(tcp::no_delay(true), ec);
      if (first) return self->send(*first);
      self->run_.idle.push_back(self);
      self->run_.check_done();
    });
  }

  void send(std::size_t i) {
    Callback& cb = run_.callbacks[i];
    cb.sent = Clock::now();
    net::async_write(socket_, net::buffer(cb.request),
                     [self = shared_from_this(), i](boost::system::error_code ec, std::size_t) {
                       if (ec) return self->failed(i, ec);
                       self->parser_.emplace();
                       self->parser_->body_limit(1 << 16);
                       http::async_read(self->socket_, self->buffer_, *self->parser_,
                                        [self, i](boost::system::error_code rec, std::size_t) {
                                          if (rec) return self->failed(i, rec);
                                          self->answered(i);
                                        });
                     });
  }

  void close() {
    boost::system::error_code ignored;
    socket_.close(ignored);
  }

 private:
  void answered(std::size_t i) {
    Callback& cb = run_.callbacks[i];
    cb.answered = Clock::now();
    cb.status = parser_->get().result_int();
    ++run_.answered;
    if (cb.status == 200) {
      ++run_.ok;
    } else {
      ++run_.non2xx;
      if (run_.first_refusal.empty()) {
        run_.first_refusal = std::to_string(cb.status) + " " + parser_->get().body().substr(0, 300);
      }
    }
    if (!parser_->get().keep_alive()) {
      close();  // the next callback opens a fresh connection
    } else if (!run_.waiting.empty()) {
      const std::size_t next = run_.waiting.front();
      run_.waiting.pop_front();
      send(next);
    } else {
      run_.idle.push_back(shared_from_this());
    }
    run_.check_done();
  }

  void failed(std::size_t i, boost::system::error_code ec) {
    ++run_.errors;
    ++run_.answered;
    if (run_.errors <= 5) std::cerr << "callbacks: callback " << i << ": " << ec.message() << "\n";
    close();
    run_.check_done();
  }

  tcp::socket socket_;
  CallbacksRun& run_;
  boost::beast::flat_buffer buffer_;
  std::optional<http::response_parser<http::string_body>> parser_;
};

void dispatch(net::io_context& ioc, CallbacksRun& run, std::size_t i) {
  if (!run.idle.empty()) {
    auto sender = std::move(run.idle.back());
    run.idle.pop_back();
    return sender->send(i);
  }
  if (static_cast<int>(run.all.size()) < run.args.max_connections) {
    run.all.push_back(std::make_shared<Sender>(ioc, run));
    return run.all.back()->connect(i);
  }
  ++run.queued;
  run.waiting.push_back(i);
}

std::vector<std::string> read_lines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

// The receiver's view of one webhook: verified, deduplicated, matched to its callback.
void on_webhook(CallbacksRun& run, const webhook::VerifyKey& key, const WebhookRequest& req, Clock::time_point at) {
  ++run.webhooks;
  const webhook::Headers headers{.id = std::string(req["webhook-id"]),
                                 .timestamp = std::string(req["webhook-timestamp"]),
                                 .signature = std::string(req["webhook-signature"])};
  if (!webhook::verify(headers, req.body(), key, webhook::unix_now())) {
    ++run.bad_signature;
    return;
  }
  if (!run.webhook_ids.insert(headers.id).second) {
    ++run.duplicates;
    return;
  }
  const std::string_view body = req.body();
  if (json_string_after(body, "type") != "payment.succeeded") {
    ++run.other_type;
    return;
  }
  const auto data = body.find("\"data\":");
  const auto found = run.by_payment.find(std::string(json_string_after(body, "id", data == body.npos ? 0 : data)));
  if (found == run.by_payment.end()) {
    ++run.unmatched;
    return;
  }
  Callback& cb = run.callbacks[found->second];
  if (cb.has_arrived) {
    ++run.duplicates;
    return;
  }
  cb.arrived = at;
  cb.has_arrived = true;
  ++run.arrived;
  run.check_done();
}

}  // namespace

int run_callbacks(const CallbacksArgs& args) {
  if (sodium_init() < 0) return 1;
  std::array<unsigned char, crypto_sign_SECRETKEYBYTES> sk{};
  {
    std::ifstream in(args.sandbox_key, std::ios::binary);
    in.read(reinterpret_cast<char*>(sk.data()), static_cast<std::streamsize>(sk.size()));
    if (in.gcount() != static_cast<std::streamsize>(sk.size())) {
      std::cerr << "callbacks: " << args.sandbox_key << " is not a 64-byte Ed25519 secret key\n";
      return 1;
    }
  }
  auto key = webhook::verify_key_parse(args.whsec);
  if (!key) {
    std::cerr << "callbacks: --whsec: " << key.error().message << "\n";
    return 1;
  }
  const auto payments = read_lines(args.ids);
  const std::size_t n = static_cast<std::size_t>(args.rate) * static_cast<std::size_t>(args.warmup_s + args.seconds);
  if (payments.size() < n) {
    std::cerr << "callbacks: " << args.ids << " has " << payments.size() << " payments, the run needs " << n << "\n";
    return 1;
  }

  net::io_context ioc(1);
  CallbacksRun run{.args = args,
                   .endpoint = tcp::endpoint(net::ip::make_address(args.host), static_cast<unsigned short>(args.port))};
  run.callbacks.resize(n);
  run.measured_from = static_cast<std::size_t>(args.rate) * static_cast<std::size_t>(args.warmup_s);
  std::array<unsigned char, 6> nonce{};
  randombytes_buf(nonce.data(), nonce.size());
  std::array<char, 13> hex{};
  sodium_bin2hex(hex.data(), hex.size(), nonce.data(), nonce.size());
  const std::int64_t ts = webhook::unix_now();
  for (std::size_t i = 0; i < n; ++i) {
    const std::string event_id = "sbxevt_bench" + std::string(hex.data()) + "x" + std::to_string(i);
    run.callbacks[i].request = sign_callback(run, event_id, payments[i], ts, sk);
    run.by_payment.emplace(payments[i], i);
  }
  sodium_memzero(sk.data(), sk.size());

  Receiver receiver(ioc, static_cast<unsigned short>(args.receiver_port),
                    [&run, &key](const WebhookRequest& req, Clock::time_point at) { on_webhook(run, *key, req, at); });
  net::steady_timer ticker(ioc);
  net::steady_timer drain(ioc);
  Clock::time_point start;
  Clock::time_point last_dispatch;
  bool started = false, finished = false;
  const auto finish = [&] {
    if (finished) return;
    finished = true;
    ticker.cancel();
    drain.cancel();
    receiver.stop();
    for (auto& s : run.all) s->close();
    ioc.stop();
  };
  std::function<void(boost::system::error_code)> tick = [&](boost::system::error_code ec) {
    if (ec) return;
    const auto now = Clock::now();
    // Every callback whose time has come goes out now, however late the timer woke.
    while (run.next < n) {
      const auto due =
          start + std::chrono::nanoseconds(static_cast<std::int64_t>(run.next) * 1'000'000'000LL / args.rate);
      if (due > now) {
        ticker.expires_at(due);
        return ticker.async_wait(tick);
      }
      run.callbacks[run.next].scheduled = due;
      dispatch(ioc, run, run.next++);
    }
    last_dispatch = now;
    run.schedule_done = true;
    drain.expires_after(std::chrono::seconds(args.drain_s));
    drain.async_wait([&](boost::system::error_code dec) {
      if (!dec) finish();
    });
    run.check_done();
  };
  run.check_done = [&] {
    if (!started) {
      // The schedule starts once the first connections are open, so connecting costs no callback.
      if (static_cast<int>(run.idle.size()) < kInitialConnections) return;
      started = true;
      start = Clock::now() + std::chrono::milliseconds(5);
      ticker.expires_at(start);
      ticker.async_wait(tick);
      return;
    }
    if (run.schedule_done && run.answered == n && run.arrived >= run.ok) finish();
  };
  for (int i = 0; i < kInitialConnections; ++i) {
    run.all.push_back(std::make_shared<Sender>(ioc, run));
    run.all.back()->connect(std::nullopt);
  }
  // Bounded even if nothing ever connects.
  net::steady_timer limit(ioc, std::chrono::seconds(args.warmup_s + args.seconds + args.drain_s + 10));
  limit.async_wait([&](boost::system::error_code ec) {
    if (!ec) finish();
  });
  ioc.run();

  Latencies e2e, e2e_scheduled, answer, lag;
  std::uint64_t missing = 0, measured = 0;
  for (std::size_t i = run.measured_from; i < n; ++i) {
    const Callback& cb = run.callbacks[i];
    if (cb.status != 200) continue;
    ++measured;
    answer.add(micros(cb.answered - cb.sent));
    lag.add(micros(cb.sent - cb.scheduled));
    if (!cb.has_arrived) {
      ++missing;
      continue;
    }
    e2e.add(micros(cb.arrived - cb.sent));
    e2e_scheduled.add(micros(cb.arrived - cb.scheduled));
  }
  const double span = started ? std::chrono::duration<double>(last_dispatch - start).count() : 0;
  std::printf(
      "BENCH mode=callbacks callbacks=%zu measured=%llu rate_target=%d rate_actual=%.0f ok=%llu non2xx=%llu "
      "errors=%llu queued=%llu connections=%zu webhooks=%llu arrived=%llu missing=%llu bad_signature=%llu "
      "duplicates=%llu other_type=%llu unmatched=%llu receiver_connections=%llu%s%s%s%s\n",
      n, static_cast<unsigned long long>(measured), args.rate, span > 0 ? static_cast<double>(n - 1) / span : 0.0,
      static_cast<unsigned long long>(run.ok), static_cast<unsigned long long>(run.non2xx),
      static_cast<unsigned long long>(run.errors), static_cast<unsigned long long>(run.queued), run.all.size(),
      static_cast<unsigned long long>(run.webhooks), static_cast<unsigned long long>(run.arrived),
      static_cast<unsigned long long>(missing), static_cast<unsigned long long>(run.bad_signature),
      static_cast<unsigned long long>(run.duplicates), static_cast<unsigned long long>(run.other_type),
      static_cast<unsigned long long>(run.unmatched), static_cast<unsigned long long>(receiver.connections()),
      e2e.report().c_str(), e2e_scheduled.report("sched_").c_str(), answer.report("answer_").c_str(),
      lag.report("lag_").c_str());
  if (!run.first_refusal.empty()) std::cerr << "callbacks: first refusal: " << run.first_refusal << "\n";
  return 0;
}

}  // namespace vitrina::bench
