#include "http/chat_socket.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "auth/session.hpp"
#include "http/api_support.hpp"
#include "http/console_auth.hpp"
#include "log/log.hpp"
#include "vitrina/protocol/chat_rules.hpp"

namespace vitrina::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace pc = protocol::chat;
using tcp = net::ip::tcp;

namespace {

constexpr auto use_tuple = net::as_tuple(net::use_awaitable);
// A frame this large is not even drained: Beast closes with 1009 straight away.
constexpr std::uint64_t kMaxDrainedFrame = 16 * 1024 * 1024;

std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::int64_t unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Response too_many(std::string_view detail) {
  Response r = problem(protocol::ErrorCode::too_many_connections, detail);
  r.head.set(Field::retry_after, "10");
  return r;
}

}  // namespace

class ChatSocket;

// Every open chat connection and the counts the limits need.
class ChatSockets {
 public:
  ChatSockets(chat::Service& chat_service, store::Store& chat_store, ChatSocketOptions chat_options)
      : service(chat_service), store(chat_store), options(chat_options) {}

  chat::Service& service;
  store::Store& store;
  const ChatSocketOptions options;

  // Reserves a slot under every limit that applies, or says which one is full.
  std::optional<Response> reserve(const std::string& ip, const std::string& site_id, const std::string& operator_id) {
    std::lock_guard lock(mu_);
    if (stopping_) return problem(protocol::ErrorCode::shutting_down);
    if (operator_id.empty()) {
      if (per_ip_[ip] >= options.max_per_ip) return too_many("too many connections from this address");
      if (per_site_[site_id] >= options.max_per_site) return too_many("too many connections to this site");
      ++per_ip_[ip];
      ++per_site_[site_id];
    } else {
      if (per_operator_[operator_id] >= options.max_per_operator)
        return too_many("too many connections of this operator");
      ++per_operator_[operator_id];
    }
    return std::nullopt;
  }

  void release(const std::string& ip, const std::string& site_id, const std::string& operator_id) {
    std::lock_guard lock(mu_);
    auto drop = [](std::unordered_map<std::string, std::size_t>& m, const std::string& key) {
      auto it = m.find(key);
      if (it != m.end() && --it->second == 0) m.erase(it);
    };
    if (operator_id.empty()) {
      drop(per_ip_, ip);
      drop(per_site_, site_id);
    } else {
      drop(per_operator_, operator_id);
    }
  }

  void add(const std::shared_ptr<ChatSocket>& s) {
    std::lock_guard lock(mu_);
    open_.insert(s);
  }
  void remove(const std::shared_ptr<ChatSocket>& s) {
    std::lock_guard lock(mu_);
    open_.erase(s);
  }
  std::vector<std::shared_ptr<ChatSocket>> stop() {
    std::lock_guard lock(mu_);
    stopping_ = true;
    return {open_.begin(), open_.end()};
  }

 private:
  std::mutex mu_;
  bool stopping_ = false;
  std::unordered_map<std::string, std::size_t> per_ip_;
  std::unordered_map<std::string, std::size_t> per_site_;
  std::unordered_map<std::string, std::size_t> per_operator_;
  std::unordered_set<std::shared_ptr<ChatSocket>> open_;
};

// One chat connection. Everything below runs on the socket's executor (a strand when there
// are several I/O threads); send() and close() may be called from anywhere and post there.
// Kept small: the read buffer is released after every frame, one timer does the hello
// deadline, the pings and the close deadline.
class ChatSocket final : public chat::Peer, public std::enable_shared_from_this<ChatSocket> {
 public:
  ChatSocket(std::shared_ptr<ChatSockets> owner, tcp::socket socket, std::string ip)
      : owner_(std::move(owner)), ws_(std::move(socket)), timer_(ws_.get_executor()), ip_(std::move(ip)) {}

  void start(Request req) {
    owner_->add(shared_from_this());
    net::co_spawn(ws_.get_executor(), run(shared_from_this(), std::move(req)), net::detached);
  }

  /// Operators: the session the connection belongs to; it is closed (4401) once that ends.
  void set_session(std::string token_hash) { session_hash_ = std::move(token_hash); }

  void send(std::shared_ptr<const std::string> frame) override {
    net::post(ws_.get_executor(),
              [self = shared_from_this(), frame = std::move(frame)]() mutable { self->enqueue(std::move(frame)); });
  }

  void close(int code, std::string_view reason) override {
    net::post(ws_.get_executor(),
              [self = shared_from_this(), code, reason = std::string(reason)] { self->begin_close(code, reason); });
  }

  void post(std::function<void()> work) override {
    net::post(ws_.get_executor(), [self = shared_from_this(), work = std::move(work)] { work(); });
  }

 private:
  static net::awaitable<void> run(std::shared_ptr<ChatSocket> self, Request req) {
    co_await self->serve(std::move(req));
  }

  // The upgrade request lives only in this frame: an idle connection does not keep its headers.
  net::awaitable<boost::system::error_code> accept(Request req) {
    // Frames over frame_bytes are refused by read_loop; this bounds what a refused one may cost.
    ws_.read_message_max(kMaxDrainedFrame);
    ws_.auto_fragment(false);
    ws_.set_option(
        websocket::stream_base::decorator([](websocket::response_type& res) { res.set(Field::server, "vitrina"); }));
    ws_.control_callback([this](websocket::frame_type, beast::string_view) { last_received_ms_ = steady_ms(); });
    auto [ec] = co_await ws_.async_accept(req, use_tuple);
    co_return ec;
  }

  net::awaitable<void> serve(Request req) {
    const auto& o = owner_->options;
    const auto accept_ec = co_await accept(std::move(req));
    if (!accept_ec) {
      last_received_ms_ = steady_ms();
      arm(o.hello_timeout);
      tokens_ = o.burst;
      refill_ms_ = last_received_ms_;
      co_await read_loop();
    }
    finished_ = true;
    timer_.cancel();
    owner_->service.on_closed(shared_from_this());
    owner_->release(ip_, state.role == pc::Role::visitor ? state.site->site.id : std::string(),
                    state.role == pc::Role::operator_ ? state.operator_id : std::string());
    owner_->remove(shared_from_this());
    boost::system::error_code ignored;
    beast::get_lowest_layer(ws_).close(ignored);
  }

  net::awaitable<void> read_loop() {
    const auto& o = owner_->options;
    const auto frame_bytes = static_cast<std::size_t>(owner_->service.limits().frame_bytes);
    for (;;) {
      // A frame is read piece by piece so that one over frame_bytes is noticed early and the
      // rest of it is drained rather than left unread (which would reset the connection before
      // the client has seen why it was closed).
      auto [ec, n] =
          co_await ws_.async_read_some(buffer_, frame_bytes + 1 - std::min(buffer_.size(), frame_bytes), use_tuple);
      if (ec) co_return;
      last_received_ms_ = steady_ms();
      if (closing_) {
        release_buffer();
        continue;
      }
      if (buffer_.size() > frame_bytes) {
        release_buffer();
        // close() is posted like the error frame, so the frame goes out before the close.
        owner_->service.refuse_too_large(shared_from_this());
        close(pc::kCloseTooBig, "frame too large");
        continue;
      }
      if (!ws_.is_message_done()) continue;
      if (!ws_.got_text()) {
        begin_close(pc::kCloseUnsupportedData, "binary frames are not accepted");
        release_buffer();
        continue;
      }
      if (!take_token()) {
        const auto wait = static_cast<std::int64_t>((1.0 - tokens_) * 1000.0 / o.frames_per_second) + 1;
        owner_->service.refuse_rate(shared_from_this(), wait);
        if (++strikes_ >= o.rate_strikes) close(pc::kCloseRateLimited, "rate limited");
        release_buffer();
        continue;
      }
      strikes_ = 0;
      const auto data = buffer_.cdata();
      owner_->service.on_frame(shared_from_this(),
                               std::string_view(static_cast<const char*>(data.data()), data.size()));
      release_buffer();
      // Once hello is accepted the timer switches from the hello deadline to pings.
      if (!pings_started_ && state.welcomed) {
        pings_started_ = true;
        arm(o.ping_interval);
      }
    }
  }

  // Idle connections hold no read buffer.
  void release_buffer() {
    buffer_.clear();
    buffer_.shrink_to_fit();
  }

  bool take_token() {
    const auto& o = owner_->options;
    const std::int64_t now = steady_ms();
    tokens_ = std::min(o.burst, tokens_ + static_cast<double>(now - refill_ms_) * o.frames_per_second / 1000.0);
    refill_ms_ = now;
    if (tokens_ < 1.0) return false;
    tokens_ -= 1.0;
    return true;
  }

  void arm(std::chrono::milliseconds after) {
    timer_.expires_after(after);
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec) self->on_timer();
    });
  }

  void on_timer() {
    if (finished_) return;
    const auto& o = owner_->options;
    if (closing_) {
      // The client did not finish the close handshake (or does not read): drop it.
      boost::system::error_code ignored;
      beast::get_lowest_layer(ws_).close(ignored);
      return;
    }
    if (!state.welcomed) return begin_close(pc::kCloseTimeout, "no hello in time");
    // An operator's connection lasts as long as the sign-in it was opened with.
    if (!session_hash_.empty() && !session_current()) return begin_close(pc::kCloseUnauthenticated, "session ended");
    const std::int64_t quiet = steady_ms() - last_received_ms_;
    if (quiet >= o.idle_timeout.count()) return begin_close(pc::kCloseTimeout, "idle");
    if (!pinging_ && !writing_) {
      pinging_ = true;
      ws_.async_ping({}, [self = shared_from_this()](boost::system::error_code) { self->pinging_ = false; });
    }
    arm(std::min(o.ping_interval, std::chrono::milliseconds(o.idle_timeout.count() - quiet)));
  }

  // False once the operator has signed out or the session has expired; a store that cannot be
  // read keeps the connection (the next tick asks again).
  bool session_current() {
    auto session = owner_->store.find_session(session_hash_);
    if (!session) return true;
    return *session && (*session)->expires_at > unix_ms();
  }

  void enqueue(std::shared_ptr<const std::string> frame) {
    if (closing_ || finished_) return;
    const auto& o = owner_->options;
    if (queue_.size() - queue_head_ >= o.queue_frames || queued_bytes_ + frame->size() > o.queue_bytes) {
      // A client that does not read is dropped; nobody else waits for it.
      clear_queue();
      return begin_close(pc::kCloseSlowConsumer, "not reading");
    }
    queued_bytes_ += frame->size();
    queue_.push_back(std::move(frame));
    if (!writing_) write_next();
  }

  void write_next() {
    if (queue_head_ == queue_.size() || finished_) {
      writing_ = false;
      if (close_pending_) start_close_handshake();
      return;
    }
    writing_ = true;
    ws_.text(true);
    // The handler owns the frame being written: the queue may be dropped meanwhile (4413).
    auto front = queue_[queue_head_];
    const auto bytes = net::buffer(*front);
    ws_.async_write(bytes,
                    [self = shared_from_this(), front = std::move(front)](boost::system::error_code ec, std::size_t) {
                      if (self->queue_head_ < self->queue_.size()) {
                        self->queued_bytes_ -= self->queue_[self->queue_head_]->size();
                        self->queue_[self->queue_head_++].reset();
                        if (self->queue_head_ == self->queue_.size()) self->clear_queue();
                      }
                      if (ec) {
                        self->writing_ = false;
                        self->clear_queue();
                        return;
                      }
                      self->write_next();
                    });
  }

  void clear_queue() {
    queue_.clear();
    queue_head_ = 0;
    queued_bytes_ = 0;
    // A burst's storage is given back once it has been written.
    if (queue_.capacity() > 16) queue_.shrink_to_fit();
  }

  // Frames already queued (an error frame explaining the close) go out first, unless the close
  // is for not reading them.
  void begin_close(int code, std::string_view reason) {
    if (closing_ || finished_) return;
    closing_ = true;
    close_code_ = code;
    close_reason_ = std::string(reason.substr(0, 120));
    arm(owner_->options.close_timeout);
    if (code == pc::kCloseSlowConsumer || !writing_) {
      start_close_handshake();
    } else {
      close_pending_ = true;
    }
  }

  void start_close_handshake() {
    if (close_started_) return;
    close_started_ = true;
    close_pending_ = false;
    websocket::close_reason reason;
    reason.code = static_cast<std::uint16_t>(close_code_);
    reason.reason = close_reason_;
    ws_.async_close(reason, [self = shared_from_this()](boost::system::error_code) {});
  }

  std::shared_ptr<ChatSockets> owner_;
  websocket::stream<tcp::socket> ws_;
  net::steady_timer timer_;
  beast::flat_buffer buffer_;
  std::string ip_;
  std::string session_hash_;  // operators: the hash of the session cookie they connected with
  // Frames not yet written, from queue_head_ on. A vector rather than a deque: an idle
  // connection's empty queue then costs no allocation.
  std::vector<std::shared_ptr<const std::string>> queue_;
  std::size_t queue_head_ = 0;
  std::size_t queued_bytes_ = 0;
  std::int64_t last_received_ms_ = 0;
  std::int64_t refill_ms_ = 0;
  double tokens_ = 0;
  std::size_t strikes_ = 0;
  int close_code_ = 0;
  std::string close_reason_;
  bool writing_ = false;
  bool pinging_ = false;
  bool pings_started_ = false;
  bool closing_ = false;
  bool close_pending_ = false;
  bool close_started_ = false;
  bool finished_ = false;

  friend void shutdown_chat(ChatSockets& sockets);
};

namespace {

Upgrade visitor_upgrade(const std::shared_ptr<ChatSockets>& sockets, const Request& req, Context& ctx) {
  Upgrade out;
  auto key = query_param(req, "site");
  if (!key || !*key || !(*key)->starts_with("pk_")) {
    out.refused = problem(protocol::ErrorCode::malformed, "site must be a pk_ key", "site");
    return out;
  }
  auto site = sockets->service.site_by_public_key(**key);
  if (!site) {
    out.refused = problem(site.error());
    return out;
  }
  if (!*site) {
    out.refused = problem(protocol::ErrorCode::not_found, "no site has this key", "site");
    return out;
  }
  const auto origin = req[Field::origin];
  const auto& allowed = (*site)->site.allowed_origins;
  if (origin.empty() || std::find(allowed.begin(), allowed.end(), origin) == allowed.end()) {
    out.refused = problem(protocol::ErrorCode::origin_not_allowed,
                          "the Origin is not one of the site's allowed origins", "Origin");
    return out;
  }
  if (auto full = sockets->reserve(ctx.remote_address, (*site)->site.id, {})) {
    out.refused = std::move(*full);
    return out;
  }
  out.takeover = [sockets, site = *site, ip = ctx.remote_address](tcp::socket socket, Request request) {
    auto s = std::make_shared<ChatSocket>(sockets, std::move(socket), ip);
    s->state.role = pc::Role::visitor;
    s->state.site = site;
    s->start(std::move(request));
  };
  return out;
}

Upgrade operator_upgrade(const std::shared_ptr<ChatSockets>& sockets, const Request& req, Context& ctx) {
  Upgrade out;
  if (!is_same_origin(req)) {
    out.refused = cross_origin();
    return out;
  }
  auto who = authenticate_operator(sockets->store, req);
  if (auto* refused = std::get_if<Response>(&who)) {
    out.refused = std::move(*refused);
    return out;
  }
  auto op = std::get<store::Operator>(std::move(who));
  auto site = sockets->service.site_by_id(op.site_id);
  if (!site || !*site) {
    out.refused = problem(protocol::ErrorCode::site_disabled);
    return out;
  }
  if (auto full = sockets->reserve(ctx.remote_address, (*site)->site.id, op.id)) {
    out.refused = std::move(*full);
    return out;
  }
  std::string session = auth::hash_session_token(session_token(req).value_or(""));
  out.takeover = [sockets, site = *site, op = std::move(op), ip = ctx.remote_address, session = std::move(session)](
                     tcp::socket socket, Request request) {
    auto s = std::make_shared<ChatSocket>(sockets, std::move(socket), ip);
    s->state.role = pc::Role::operator_;
    s->state.site = site;
    s->state.operator_id = op.id;
    s->state.operator_name = op.name;
    s->state.operator_role = chat_role(op);
    s->set_session(session);
    s->start(std::move(request));
  };
  return out;
}

}  // namespace

std::shared_ptr<ChatSockets> add_chat_routes(Router& router, chat::Service& service, store::Store& store,
                                             ChatSocketOptions options) {
  auto sockets = std::make_shared<ChatSockets>(service, store, options);
  router.upgrade("/v1/visitor/ws",
                 [sockets](const Request& req, Context& ctx) { return visitor_upgrade(sockets, req, ctx); });
  router.upgrade("/v1/console/ws",
                 [sockets](const Request& req, Context& ctx) { return operator_upgrade(sockets, req, ctx); });
  // A plain GET (no upgrade) gets a clear answer rather than the static mount's 404.
  for (const char* path : {"/v1/visitor/ws", "/v1/console/ws"}) {
    router.get(path, [](const Request&, Context&) {
      return problem(protocol::ErrorCode::upgrade_required, "this endpoint speaks WebSocket only");
    });
  }
  return sockets;
}

void shutdown_chat(ChatSockets& sockets) {
  for (auto& s : sockets.stop()) s->close(pc::kCloseGoingAway, "shutting down");
}

}  // namespace vitrina::http
