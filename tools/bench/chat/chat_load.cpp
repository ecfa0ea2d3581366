// vitrina-bench-chat: the WebSocket load generator of tools/bench/chat/run. Speaks the chat
// protocol of docs/protocol.md as visitors and operators, on 127.0.0.1 only, one thread, every
// mode bounded in time. Prints "READY …" lines while it holds connections and one
// "BENCH key=value …" line at the end.
//
//   vitrina-bench-chat idle --port P --site pk_… --origin O --steps 1000,2000,…
//       [--hold 600] [--concurrency 200]
//     Opens visitor connections (upgrade, hello, welcome) up to each step, prints
//     "READY n=… ok=… failed=…" and waits for a line on standard input before the next step;
//     after the last one, waits for a line (or --hold seconds) and exits.
//   vitrina-bench-chat fanout --port P --site pk_… --origin O --cookies FILE --visitors V
//       --rate R [--warmup 2] [--seconds 10] [--drain 5] [--server-pid PID]
//     V visitors and one operator per line of FILE (a Cookie header value each). Visitors send R
//     messages a second in all (open loop, round robin); the operator whose number is the
//     visitor's modulo the operator count answers each one. Every delivered message frame is
//     counted and timed from its sending.
//   vitrina-bench-chat durable --port P --site pk_… --origin O --visitors V --window W
//       [--warmup 2] [--seconds 10] [--server-pid PID]
//     V visitors each keep W messages unacknowledged (closed loop); counts acks.

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <charconv>
#include <deque>
#include <thread>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

#include "bench_common.hpp"

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace http = beast::http;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;
using vitrina::bench::Clock;
using vitrina::bench::json_string_after;
using vitrina::bench::Latencies;
using vitrina::bench::micros;
using vitrina::bench::Options;

constexpr auto kToken = net::use_awaitable;

const Clock::time_point kStart = Clock::now();
std::int64_t now_us() { return micros(Clock::now() - kStart); }

struct Target {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string site;    // pk_…
  std::string origin;  // visitors' Origin
  int server_pid = 0;  // whose CPU time the measured window reports
};

/// One WebSocket connection with a queue of frames to write (Beast allows one write at a time).
struct Conn {
  explicit Conn(net::any_io_executor ex) : ws(ex) {}
  websocket::stream<beast::tcp_stream> ws;
  beast::flat_buffer buffer;
  std::deque<std::string> out;
  bool writing = false;
  bool dead = false;
  int index = 0;
  std::string conversation_id;
  std::int64_t sent = 0;
};
using ConnPtr = std::shared_ptr<Conn>;

net::awaitable<void> write_loop(ConnPtr c) {
  while (!c->out.empty() && !c->dead) {
    beast::error_code ec;
    co_await c->ws.async_write(net::buffer(c->out.front()), net::redirect_error(kToken, ec));
    if (ec) {
      c->dead = true;
      break;
    }
    c->out.pop_front();
  }
  c->out.clear();
  c->writing = false;
}

void send(const ConnPtr& c, std::string frame) {
  if (c->dead) return;
  c->out.push_back(std::move(frame));
  if (c->writing) return;
  c->writing = true;
  net::co_spawn(c->ws.get_executor(), write_loop(c), net::detached);
}

/// Reads one text frame into `text`; false when the connection ended.
net::awaitable<bool> read_frame(Conn& c, std::string& text) {
  beast::error_code ec;
  c.buffer.consume(c.buffer.size());
  co_await c.ws.async_read(c.buffer, net::redirect_error(kToken, ec));
  if (ec) {
    c.dead = true;
    co_return false;
  }
  const auto data = c.buffer.cdata();
  text.assign(static_cast<const char*>(data.data()), data.size());
  co_return true;
}

std::string_view frame_type(std::string_view text) { return json_string_after(text, "type"); }

/// Upgrade and hello; true once the server's welcome arrived.
net::awaitable<bool> open(const ConnPtr& c, const Target& t, std::string path, std::string origin,
                          std::string cookie) {
  beast::error_code ec;
  auto& tcp_layer = beast::get_lowest_layer(c->ws);
  tcp_layer.expires_after(15s);
  const tcp::endpoint endpoint(net::ip::make_address(t.host), static_cast<unsigned short>(t.port));
  co_await tcp_layer.async_connect(endpoint, net::redirect_error(kToken, ec));
  if (ec) co_return false;
  tcp_layer.socket().set_option(tcp::no_delay(true), ec);
  tcp_layer.expires_never();
  auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::client);
  timeouts.handshake_timeout = 15s;
  c->ws.set_option(timeouts);
  c->ws.set_option(websocket::stream_base::decorator([origin, cookie](websocket::request_type& req) {
    req.set(http::field::origin, origin);
    if (!cookie.empty()) req.set(http::field::cookie, cookie);
  }));
  c->ws.text(true);
  const std::string host = t.host + ":" + std::to_string(t.port);
  co_await c->ws.async_handshake(host, path, net::redirect_error(kToken, ec));
  if (ec) co_return false;
  send(c, R"({"type":"hello","v":1})");
  std::string text;
  while (co_await read_frame(*c, text)) {
    const auto type = frame_type(text);
    if (type == "welcome") co_return true;
    if (type == "error") co_return false;
  }
  co_return false;
}

/// User plus system CPU time of a process in microseconds, from /proc; 0 when unknown.
std::int64_t process_cpu_us(int pid) {
  if (pid <= 0) return 0;
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  std::int64_t utime = 0;
  std::int64_t stime = 0;
  // After the name: state is field 3, utime 14 and stime 15.
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::stoll(field);
    if (i == 15) stime = std::stoll(field);
  }
  return (utime + stime) * 1'000'000 / sysconf(_SC_CLK_TCK);
}

std::string visitor_path(const Target& t) { return "/v1/visitor/ws?site=" + t.site; }
std::string server_origin(const Target& t) { return "http://" + t.host + ":" + std::to_string(t.port); }

/// Reads and drops whatever arrives, so the server's pings are answered.
net::awaitable<void> drain_forever(ConnPtr c) {
  std::string text;
  while (co_await read_frame(*c, text)) {
  }
}

// --- idle ---------------------------------------------------------------------------------------

struct IdleArgs {
  Target target;
  std::vector<int> steps;
  int hold_s = 600;
  int concurrency = 200;
};

struct IdleState {
  std::vector<ConnPtr> conns;
  int next = 0;
  int goal = 0;
  int ok = 0;
  int failed = 0;
  int running = 0;
};

net::awaitable<void> idle_opener(IdleState& s, const IdleArgs& a) {
  auto ex = co_await net::this_coro::executor;
  while (s.next < s.goal) {
    ++s.next;
    auto c = std::make_shared<Conn>(ex);
    if (co_await open(c, a.target, visitor_path(a.target), a.target.origin, "")) {
      ++s.ok;
      s.conns.push_back(c);
      net::co_spawn(ex, drain_forever(c), net::detached);
    } else {
      ++s.failed;
    }
  }
  --s.running;
}

int run_idle(const IdleArgs& a) {
  net::io_context io;
  // Keeps run_one_for and run_for working between phases that leave nothing pending.
  auto work = net::make_work_guard(io);
  IdleState s;
  std::string line;
  for (const int step : a.steps) {
    s.goal = step;
    s.running = a.concurrency;
    for (int i = 0; i < a.concurrency; ++i) net::co_spawn(io, idle_opener(s, a), net::detached);
    while (s.running > 0) io.run_one_for(100ms);
    // Let the welcomes' follow-up frames settle before the memory is read.
    io.run_for(500ms);
    int alive = 0;
    for (const auto& c : s.conns) alive += c->dead ? 0 : 1;
    std::cout << "READY n=" << step << " ok=" << s.ok << " failed=" << s.failed << " alive=" << alive << std::endl;
    if (!std::getline(std::cin, line)) break;
  }
  // Hold the connections until told (or the bound), still answering pings.
  net::steady_timer hold(io, std::chrono::seconds(a.hold_s));
  bool released = false;
  hold.async_wait([&](beast::error_code) { released = true; });
  std::thread waiter([&] {
    std::getline(std::cin, line);
    net::post(io, [&] { released = true; });
  });
  while (!released) io.run_one_for(200ms);
  int alive = 0;
  for (const auto& c : s.conns) alive += c->dead ? 0 : 1;
  std::cout << "BENCH mode=idle opened=" << s.ok << " failed=" << s.failed << " alive=" << alive << std::endl;
  waiter.detach();
  std::_Exit(0);  // thousands of sockets: the kernel closes them faster than the destructors
}

// --- fanout -------------------------------------------------------------------------------------

struct FanoutArgs {
  Target target;
  std::vector<std::string> cookies;
  int visitors = 1000;
  int rate = 1000;
  int warmup_s = 2;
  int seconds = 10;
  int drain_s = 5;
};

struct FanoutState {
  std::vector<ConnPtr> visitors;
  std::vector<ConnPtr> operators;
  bool measuring = false;
  // Message frames count when they were sent in the measured window [from_us, to_us).
  std::int64_t from_us = std::numeric_limits<std::int64_t>::max();
  std::int64_t to_us = std::numeric_limits<std::int64_t>::max();
  bool in_window(std::int64_t sent_us) const { return sent_us >= from_us && sent_us < to_us; }
  std::int64_t delivered = 0;
  std::int64_t delivered_to_ops = 0;
  std::int64_t delivered_to_visitors = 0;
  std::int64_t sent_visitor = 0;       // visitor messages sent while measuring
  std::int64_t sent_replies = 0;
  std::int64_t errors = 0;             // error frames
  std::string first_error;
  std::int64_t acks = 0;
  Latencies latency;
};

/// "b <visitor> <sent_us>" or "r <visitor> <sent_us>" from a message frame's text.
bool parse_text(std::string_view frame, char& kind, int& visitor, std::int64_t& sent_us) {
  const auto text = json_string_after(frame, "text");
  if (text.size() < 5 || text[1] != ' ') return false;
  kind = text[0];
  const char* p = text.data() + 2;
  const char* end = text.data() + text.size();
  auto r = std::from_chars(p, end, visitor);
  if (r.ec != std::errc{} || r.ptr == end || *r.ptr != ' ') return false;
  r = std::from_chars(r.ptr + 1, end, sent_us);
  return r.ec == std::errc{};
}

std::string message_frame(std::string_view conversation_id, std::string_view client_id, std::string_view text) {
  std::string f = R"({"type":"message",)";
  if (!conversation_id.empty()) f.append(R"("conversation_id":")").append(conversation_id).append("\",");
  f.append(R"("client_id":")").append(client_id).append(R"(","text":")").append(text).append("\"}");
  return f;
}

net::awaitable<void> fanout_operator_reader(ConnPtr c, FanoutState& s) {
  std::string text;
  const auto ops = static_cast<int>(s.operators.size());
  while (co_await read_frame(*c, text)) {
    const auto type = frame_type(text);
    if (type == "error") {
      ++s.errors;
      continue;
    }
    if (type == "ack") continue;
    if (type != "message") continue;
    char kind = 0;
    int visitor = 0;
    std::int64_t sent_us = 0;
    if (!parse_text(text, kind, visitor, sent_us)) continue;
    if (s.in_window(sent_us)) {
      ++s.delivered;
      ++s.delivered_to_ops;
      s.latency.add(now_us() - sent_us);
    }
    if (kind == 'b' && visitor % ops == c->index) {
      const auto conversation = std::string(json_string_after(text, "conversation_id"));
      const auto n = ++c->sent;
      const auto at = now_us();
      const std::string reply_text = "r " + std::to_string(visitor) + " " + std::to_string(at);
      send(c, message_frame(conversation, "operator-" + std::to_string(c->index) + "-" + std::to_string(n), reply_text));
      if (s.in_window(at)) ++s.sent_replies;
    }
  }
}

net::awaitable<void> fanout_visitor_reader(ConnPtr c, FanoutState& s) {
  std::string text;
  while (co_await read_frame(*c, text)) {
    const auto type = frame_type(text);
    if (type == "ack") {
      ++s.acks;
      if (c->conversation_id.empty()) c->conversation_id = json_string_after(text, "conversation_id");
      continue;
    }
    if (type == "error") {
      if (s.first_error.empty()) s.first_error = text;
      ++s.errors;
      continue;
    }
    if (type != "message") continue;
    char kind = 0;
    int visitor = 0;
    std::int64_t sent_us = 0;
    if (!parse_text(text, kind, visitor, sent_us)) continue;
    if (s.in_window(sent_us)) {
      ++s.delivered;
      ++s.delivered_to_visitors;
      s.latency.add(now_us() - sent_us);
    }
  }
}

net::awaitable<void> open_group(std::vector<ConnPtr>& conns, std::size_t first, std::size_t step, const Target& t,
                                std::vector<std::string> cookies, int& failed, int& running) {
  for (std::size_t i = first; i < conns.size(); i += step) {
    const bool op = !cookies.empty();
    // Named locals, not conditional temporaries, as co_await's arguments (GCC 12).
    std::string path = visitor_path(t);
    std::string origin = t.origin;
    std::string cookie;
    if (op) {
      path = "/v1/console/ws";
      origin = server_origin(t);
      cookie = cookies[i];
    }
    const bool opened = co_await open(conns[i], t, path, origin, cookie);
    if (!opened) ++failed;
  }
  --running;
}

/// Opens every connection, at most `concurrency` at a time; the number that failed.
int open_all(net::io_context& io, std::vector<ConnPtr>& conns, const Target& t, const std::vector<std::string>& cookies,
             int concurrency) {
  int failed = 0;
  int running = static_cast<int>(std::min<std::size_t>(concurrency, conns.size()));
  const auto groups = static_cast<std::size_t>(running);
  for (std::size_t g = 0; g < groups; ++g) {
    net::co_spawn(io, open_group(conns, g, groups, t, cookies, failed, running), net::detached);
  }
  while (running > 0) io.run_one_for(100ms);
  return failed;
}

int run_fanout(const FanoutArgs& a) {
  net::io_context io;
  // Keeps run_one_for and run_for working between phases that leave nothing pending.
  auto work = net::make_work_guard(io);
  FanoutState s;
  for (std::size_t i = 0; i < a.cookies.size(); ++i) {
    auto c = std::make_shared<Conn>(io.get_executor());
    c->index = static_cast<int>(i);
    s.operators.push_back(c);
  }
  for (int i = 0; i < a.visitors; ++i) {
    auto c = std::make_shared<Conn>(io.get_executor());
    c->index = i;
    s.visitors.push_back(c);
  }
  if (const int f = open_all(io, s.operators, a.target, a.cookies, 16); f > 0) {
    std::cerr << "vitrina-bench-chat: " << f << " operator connections failed\n";
    return 1;
  }
  for (const auto& op : s.operators) {
    send(op, R"({"type":"presence","status":"online"})");
    net::co_spawn(io, fanout_operator_reader(op, s), net::detached);
  }
  if (const int f = open_all(io, s.visitors, a.target, {}, 200); f > 0) {
    std::cerr << "vitrina-bench-chat: " << f << " visitor connections failed\n";
    return 1;
  }
  // Each visitor starts its conversation and learns its id from the ack.
  for (const auto& v : s.visitors) {
    net::co_spawn(io, fanout_visitor_reader(v, s), net::detached);
    const auto n = ++v->sent;
    send(v, message_frame("", "visitor-" + std::to_string(v->index) + "-" + std::to_string(n),
                          "b " + std::to_string(v->index) + " " + std::to_string(now_us())));
  }
  const auto started = Clock::now();
  while (s.acks < a.visitors && Clock::now() - started < 30s) io.run_one_for(50ms);
  if (s.acks < a.visitors) {
    std::cerr << "vitrina-bench-chat: only " << s.acks << " of " << a.visitors << " conversations started\n";
    if (!s.first_error.empty()) std::cerr << "first error frame: " << s.first_error << "\n";
    return 1;
  }
  io.run_for(1s);  // the operators' replies to the first messages

  // Open loop: message k of the run is due at k / rate seconds; visitors take turns.
  const auto begin = Clock::now();
  const auto measure_from = begin + std::chrono::seconds(a.warmup_s);
  const auto measure_to = measure_from + std::chrono::seconds(a.seconds);
  std::int64_t issued = 0;
  std::int64_t lag_max_us = 0;
  std::size_t turn = 0;
  net::steady_timer tick(io);
  Clock::time_point measured_from{};
  Clock::time_point measured_to{};
  std::int64_t cpu_from = 0;
  while (true) {
    const auto now = Clock::now();
    if (!s.measuring && measured_from == Clock::time_point{} && now >= measure_from) {
      s.measuring = true;
      measured_from = now;
      s.from_us = micros(now - kStart);
      cpu_from = process_cpu_us(a.target.server_pid);
    }
    if (now >= measure_to) break;
    const auto due = static_cast<std::int64_t>(static_cast<double>(micros(now - begin)) * a.rate / 1e6);
    if (due - issued > 1) lag_max_us = std::max(lag_max_us, (due - issued) * 1'000'000 / a.rate);
    while (issued < due) {
      const auto& v = s.visitors[turn++ % s.visitors.size()];
      ++issued;
      if (v->dead || v->conversation_id.empty()) continue;
      const auto n = ++v->sent;
      const auto at = now_us();
      send(v, message_frame(v->conversation_id, "visitor-" + std::to_string(v->index) + "-" + std::to_string(n),
                            "b " + std::to_string(v->index) + " " + std::to_string(at)));
      if (s.in_window(at)) ++s.sent_visitor;
    }
    tick.expires_after(500us);
    tick.async_wait([](beast::error_code) {});
    io.run_one();
    while (io.poll_one() > 0) {
    }
  }
  measured_to = Clock::now();
  s.to_us = micros(measured_to - kStart);
  const auto cpu_to = process_cpu_us(a.target.server_pid);
  // Deliveries of what was sent in the window still count; nothing new is sent.
  const auto stop_at = Clock::now() + std::chrono::seconds(a.drain_s);
  const auto expected = [&] {
    const auto ops = static_cast<std::int64_t>(s.operators.size());
    // Each visitor message reaches every operator; each reply its visitor and the other operators.
    return s.sent_visitor * ops + s.sent_replies * ops;
  };
  while (Clock::now() < stop_at && s.delivered < expected()) io.run_one_for(50ms);
  s.measuring = false;
  int dead = 0;
  for (const auto& c : s.visitors) dead += c->dead ? 1 : 0;
  for (const auto& c : s.operators) dead += c->dead ? 1 : 0;
  const double window_s = static_cast<double>(micros(measured_to - measured_from)) / 1e6;
  std::cout << "BENCH mode=fanout visitors=" << a.visitors << " operators=" << s.operators.size()
            << " rate=" << a.rate << " window_s=" << window_s << " sent_visitor=" << s.sent_visitor
            << " sent_replies=" << s.sent_replies << " delivered=" << s.delivered
            << " delivered_to_operators=" << s.delivered_to_ops << " delivered_to_visitors=" << s.delivered_to_visitors
            << " expected=" << expected() << " errors=" << s.errors << " dead=" << dead
            << " sender_lag_max_us=" << lag_max_us << " server_cpu_us=" << (cpu_to - cpu_from)
            << s.latency.report() << std::endl;
  if (!s.first_error.empty()) std::cerr << "first error frame: " << s.first_error << "\n";
  std::_Exit(0);
}

// --- durable ------------------------------------------------------------------------------------

struct DurableArgs {
  Target target;
  int visitors = 500;
  int window = 8;
  int warmup_s = 2;
  int seconds = 10;
};

struct DurableState {
  bool measuring = false;
  bool stopping = false;
  std::int64_t acks = 0;
  std::int64_t started = 0;  // conversations
  std::int64_t errors = 0;
  std::string first_error;
  Latencies latency;
};

net::awaitable<void> durable_visitor(ConnPtr c, DurableState& s, int window) {
  std::string text;
  // In flight: the send time of each unacknowledged message, by its number.
  std::deque<std::int64_t> in_flight;
  const auto send_next = [&] {
    const auto n = ++c->sent;
    in_flight.push_back(now_us());
    send(c, message_frame(c->conversation_id, "durable-" + std::to_string(c->index) + "-" + std::to_string(n),
                          "durable message " + std::to_string(n)));
  };
  send_next();  // starts the conversation
  while (co_await read_frame(*c, text)) {
    const auto type = frame_type(text);
    if (type == "error") {
      if (s.first_error.empty()) s.first_error = text;
      ++s.errors;
      continue;
    }
    if (type != "ack") continue;
    if (!in_flight.empty()) {
      if (s.measuring) {
        ++s.acks;
        s.latency.add(now_us() - in_flight.front());
      }
      in_flight.pop_front();
    }
    if (c->conversation_id.empty()) {
      c->conversation_id = json_string_after(text, "conversation_id");
      ++s.started;
    }
    if (s.stopping) continue;
    while (static_cast<int>(in_flight.size()) < window) send_next();
  }
}

int run_durable(const DurableArgs& a) {
  net::io_context io;
  // Keeps run_one_for and run_for working between phases that leave nothing pending.
  auto work = net::make_work_guard(io);
  DurableState s;
  std::vector<ConnPtr> conns;
  for (int i = 0; i < a.visitors; ++i) {
    auto c = std::make_shared<Conn>(io.get_executor());
    c->index = i;
    conns.push_back(c);
  }
  if (const int f = open_all(io, conns, a.target, {}, 200); f > 0) {
    std::cerr << "vitrina-bench-chat: " << f << " visitor connections failed\n";
    return 1;
  }
  for (const auto& c : conns) net::co_spawn(io, durable_visitor(c, s, a.window), net::detached);
  io.run_for(std::chrono::seconds(a.warmup_s));
  s.measuring = true;
  const auto from = Clock::now();
  const auto cpu_from = process_cpu_us(a.target.server_pid);
  io.run_for(std::chrono::seconds(a.seconds));
  s.measuring = false;
  const auto to = Clock::now();
  const auto cpu_to = process_cpu_us(a.target.server_pid);
  s.stopping = true;
  int dead = 0;
  for (const auto& c : conns) dead += c->dead ? 1 : 0;
  const double window_s = static_cast<double>(micros(to - from)) / 1e6;
  std::cout << "BENCH mode=durable visitors=" << a.visitors << " window=" << a.window << " window_s=" << window_s
            << " acks=" << s.acks << " acks_per_s=" << static_cast<std::int64_t>(static_cast<double>(s.acks) / window_s)
            << " conversations=" << s.started << " errors=" << s.errors << " dead=" << dead
            << " server_cpu_us=" << (cpu_to - cpu_from) << s.latency.report()
            << std::endl;
  if (!s.first_error.empty()) std::cerr << "first error frame: " << s.first_error << "\n";
  std::_Exit(0);
}

// --- main ---------------------------------------------------------------------------------------

int usage() {
  std::cerr << "usage: vitrina-bench-chat idle|fanout|durable --name value … (see the top of chat_load.cpp)\n";
  return 2;
}

bool report(const Options& o) {
  const auto errors = o.errors();
  for (const auto& e : errors) std::cerr << "vitrina-bench-chat: " << e << "\n";
  return errors.empty();
}

Target target_of(Options& o) {
  return Target{.host = o.str("host", "127.0.0.1"),
                .port = static_cast<int>(o.num("port", 0, 1, 65535)),
                .site = o.str("site"),
                .origin = o.str("origin"),
                .server_pid = static_cast<int>(o.num("server-pid", 0, 0, 1 << 30))};
}

// Stays well under the 20,000 open files a process may hold.
constexpr int kMaxConnections = 17'000;

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  const std::string_view mode = argv[1];
  Options o;
  if (!o.parse(argc, argv, 2)) return usage();
  if (mode == "idle") {
    IdleArgs a{.target = target_of(o),
               .hold_s = static_cast<int>(o.num("hold", 600, 1, 3600)),
               .concurrency = static_cast<int>(o.num("concurrency", 200, 1, 1000))};
    const auto steps = o.str("steps");
    std::string_view rest = steps;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      const auto part = rest.substr(0, comma);
      int n = 0;
      const auto r = std::from_chars(part.data(), part.data() + part.size(), n);
      if (r.ec != std::errc{} || r.ptr != part.data() + part.size() || n < 1 || n > kMaxConnections ||
          (!a.steps.empty() && n <= a.steps.back())) {
        std::cerr << "vitrina-bench-chat: --steps must be increasing counts from 1 to " << kMaxConnections << "\n";
        return 2;
      }
      a.steps.push_back(n);
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
    if (!report(o)) return 2;
    return run_idle(a);
  }
  if (mode == "fanout") {
    FanoutArgs a{.target = target_of(o),
                 .visitors = static_cast<int>(o.num("visitors", 1000, 1, kMaxConnections - 100)),
                 .rate = static_cast<int>(o.num("rate", 1000, 1, 100'000)),
                 .warmup_s = static_cast<int>(o.num("warmup", 2, 0, 60)),
                 .seconds = static_cast<int>(o.num("seconds", 10, 1, 300)),
                 .drain_s = static_cast<int>(o.num("drain", 5, 1, 60))};
    const auto file = o.str("cookies");
    if (!report(o)) return 2;
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) a.cookies.push_back(line);
    }
    if (a.cookies.empty() || a.cookies.size() > 100) {
      std::cerr << "vitrina-bench-chat: --cookies needs 1 to 100 lines, one Cookie header value each\n";
      return 2;
    }
    return run_fanout(a);
  }
  if (mode == "durable") {
    DurableArgs a{.target = target_of(o),
                  .visitors = static_cast<int>(o.num("visitors", 500, 1, kMaxConnections)),
                  .window = static_cast<int>(o.num("window", 8, 1, 256)),
                  .warmup_s = static_cast<int>(o.num("warmup", 2, 0, 60)),
                  .seconds = static_cast<int>(o.num("seconds", 10, 1, 300))};
    if (!report(o)) return 2;
    return run_durable(a);
  }
  return usage();
}
