// The composition root of the running server. serve() reads as the list of components: each
// is made by one small function that returns a Result, every failure takes one path (a log line
// naming the step, exit code 1), and the running components live in one struct, made in start
// order and destroyed in the reverse.

#include "serve.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <csignal>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "acquirers/connector_config.hpp"
#include "acquirers/sandbox.hpp"
#include "auth/keys.hpp"
#include "chat/service.hpp"
#include "chat/visitor_token.hpp"
#include "clock/clock.hpp"
#include "http/blocking_pool.hpp"
#include "http/callback_request_routes.hpp"
#include "http/callback_routes.hpp"
#include "http/canned_routes.hpp"
#include "http/chat_routes.hpp"
#include "http/chat_socket.hpp"
#include "http/console_routes.hpp"
#include "http/health.hpp"
#include "http/payment_routes.hpp"
#include "http/sandbox_routes.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"
#include "http/webhook_routes.hpp"
#include "http/widget_routes.hpp"
#include "log/log.hpp"
#include "payments/reconciler.hpp"
#include "payments/sweeper.hpp"
#include "webhooks/worker.hpp"

namespace vitrina {

namespace net = boost::asio;
namespace fs = std::filesystem;

protocol::Result<std::unique_ptr<store::Store>> open_store(const config::Config& config) {
  std::error_code ec;
  fs::create_directories(config.data_dir, ec);
  if (ec) {
    return protocol::make_error(protocol::ErrorCode::unavailable,
                                "cannot create data directory " + config.data_dir + ": " + ec.message(), "data_dir");
  }
  store::SqliteOptions options;
  options.path = (fs::path(config.data_dir) / "vitrina.db").string();
  options.max_batch = config.store_max_batch;
  options.writer_cache_kib = config.store_cache_kib;
  options.wal_checkpoint_pages = config.store_wal_checkpoint_pages;
  return store::open_sqlite(options);
}

namespace {

// Mounts a static directory at `prefix` ("/v1/" or "/"), after every other route so API
// routes under the same prefix win.
protocol::Result<void> mount_static(http::Router& router, const std::string& dir, std::string prefix,
                                    http::StaticOptions options) {
  auto files = http::StaticFiles::load(dir, options);
  if (!files) return std::move(files).error();
  log::info("static files loaded")
      .str("dir", dir)
      .str("prefix", prefix)
      .num("files", static_cast<std::int64_t>((*files)->file_count()))
      .emit();
  const std::string pattern = prefix + "*";
  router.get(pattern, [files = *files, prefix](const http::Request& req, http::Context& ctx) {
    // The mount also matches its directory without the slash ("/console"): send the browser to
    // "/console/", so the page's relative URLs resolve inside it.
    if (ctx.path.size() < prefix.size()) {
      http::Response r;
      r.head.result(http::Status::moved_permanently);
      r.head.set(http::Field::location, prefix);
      return r;
    }
    return files->serve(req, std::string_view(ctx.path).substr(prefix.size()));
  });
  return {};
}

std::string default_widget_dir() {
#ifdef VITRINA_DEFAULT_WIDGET_DIR
  return VITRINA_DEFAULT_WIDGET_DIR;
#else
  return {};
#endif
}

// Nothing inline, nothing from elsewhere, no HTML built from strings (Trusted Types): visitor
// text can only ever become text. 'self' in connect-src covers the same-origin WebSocket.
constexpr std::string_view kConsolePolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; "
    "require-trusted-types-for 'script'; trusted-types 'none'";

// The configured console directory, else the source tree's (a build), else the installed one.
std::string console_dir(const config::Config& config) {
  if (!config.console_dir.empty()) return config.console_dir;
  std::error_code ec;
#ifdef VITRINA_SOURCE_CONSOLE_DIR
  if (fs::is_directory(VITRINA_SOURCE_CONSOLE_DIR, ec)) return VITRINA_SOURCE_CONSOLE_DIR;
#endif
#ifdef VITRINA_INSTALLED_CONSOLE_DIR
  if (fs::is_directory(VITRINA_INSTALLED_CONSOLE_DIR, ec)) return VITRINA_INSTALLED_CONSOLE_DIR;
#endif
  return {};
}

// Why start-up stopped: the step that failed (the log line's message) and its error.
struct StartError {
  std::string_view step;
  protocol::Error error;
};

// Everything the running server is made of, in start order: members are destroyed in the
// reverse, so nothing outlives what it refers to.
struct Components {
  explicit Components(const config::Config& config) : ioc(static_cast<int>(config.io_threads)) {}

  std::unique_ptr<store::Store> store;
  // The one clock every component reads the time from.
  clock::SystemClock clock;
  std::function<std::int64_t()> now_ms = [this] { return clock.now_ms(); };
  std::unique_ptr<webhooks::Worker> webhook_worker;
  std::function<void()> notify_webhooks = [this] { webhook_worker->notify(); };
  net::io_context ioc;
  std::optional<net::strand<net::io_context::executor_type>> hub_strand;
  std::unique_ptr<chat::Service> chat;
  // Argon2id verification for sign-in: two threads, at most 32 sign-ins waiting (then 503).
  http::BlockingPool cpu_pool{2, 32};
  std::shared_ptr<http::Router> router = std::make_shared<http::Router>();
  std::shared_ptr<http::ChatSockets> chat_sockets;
  std::shared_ptr<acquirers::Registry> acquirers = std::make_shared<acquirers::Registry>();
  // Commands of connectors that wait on the network: eight at a time, at most 256 waiting.
  http::BlockingPool acquirer_pool{8, 256};
  std::shared_ptr<http::PaymentApi> payment_api;
  std::unique_ptr<payments::Sweeper> payment_sweeper;
  std::unique_ptr<payments::Reconciler> reconciler;
  std::unique_ptr<http::Server> server;
};

using Started = protocol::Result<void>;

// Outbound webhooks: started now so messages left pending by the last run go out; stopped
// after the listeners, before the store closes.
void start_webhooks(Components& c, const config::Config& config) {
  c.webhook_worker = std::make_unique<webhooks::Worker>(
      *c.store,
      webhooks::WorkerOptions{.policy = {.delays_ms = config.webhooks.retry_schedule_ms, .jitter = 0.1},
                              .timeout = std::chrono::milliseconds(config.webhooks.timeout_ms),
                              .allow_private_targets = config.webhooks.allow_private_targets,
                              .concurrency = config.webhooks.concurrency,
                              .poll_interval = std::chrono::milliseconds(config.webhooks.poll_interval_ms)},
      c.now_ms);
  c.webhook_worker->start();
}

// Live chat: visitor tokens signed with a key kept beside the database; every change to the
// set of chat connections and every fan-out runs on one strand (the hub).
Started make_chat(Components& c, const config::Config& config) {
  auto token_keys = chat::load_or_create_token_keys((fs::path(config.data_dir) / "visitor-token.key").string());
  if (!token_keys) return std::move(token_keys).error();
  c.hub_strand.emplace(net::make_strand(c.ioc));
  c.chat = std::make_unique<chat::Service>(
      *c.store, chat::VisitorTokens(std::move(*token_keys)), c.clock,
      chat::ServiceOptions{.limits = {.message_bytes = config.chat.message_bytes,
                                      .message_chars = config.chat.message_chars,
                                      .frame_bytes = config.chat.frame_bytes,
                                      .frames_per_second = config.chat.frames_per_second},
                           .post_hub = [&c](std::function<void()> work) { net::post(*c.hub_strand, std::move(work)); },
                           .on_event = c.notify_webhooks,
                           .new_id = [](std::string_view prefix) { return auth::generate_id(prefix); }});
  return {};
}

void add_console_and_chat_routes(Components& c, const config::Config& config) {
  http::Router& router = *c.router;
  http::add_health_routes(router, *c.store);
  http::add_console_routes(router, *c.store, c.cpu_pool, config.console);
  http::add_canned_routes(router, *c.store, config.console);
  http::add_chat_console_routes(router, *c.chat, *c.store);
  const auto& cc = config.chat;
  c.chat_sockets = http::add_chat_routes(router, *c.chat, *c.store,
                                         {.max_per_ip = cc.max_per_ip,
                                          .max_per_site = cc.max_per_site,
                                          .max_per_operator = cc.max_per_operator,
                                          .queue_frames = cc.queue_frames,
                                          .queue_bytes = cc.queue_bytes,
                                          .frames_per_second = static_cast<double>(cc.frames_per_second),
                                          .burst = static_cast<double>(cc.frame_burst),
                                          .hello_timeout = std::chrono::milliseconds(cc.hello_timeout_ms),
                                          .ping_interval = std::chrono::milliseconds(cc.ping_interval_ms),
                                          .idle_timeout = std::chrono::milliseconds(cc.idle_timeout_ms)});
}

// The sandbox acquirer signs its callbacks with a key made at first start and kept beside the
// database; real acquirers are only those with a table in the configuration.
protocol::Result<std::shared_ptr<const acquirers::Sandbox>> make_acquirers(Components& c,
                                                                           const config::Config& config) {
  auto sandbox_keys =
      acquirers::load_or_create_sandbox_keys((fs::path(config.data_dir) / "sandbox-ed25519.key").string());
  if (!sandbox_keys) return std::move(sandbox_keys).error();
  auto sandbox = std::make_shared<const acquirers::Sandbox>(*sandbox_keys);
  c.acquirers->add(sandbox);
  return sandbox;
}

// Payments API (its redirect URLs need the bound address, set once it is known), the webhook
// API, and inbound callbacks (the sandbox's and real acquirers') through one processor.
void add_payment_routes(Components& c, const config::Config& config,
                        std::shared_ptr<const acquirers::Sandbox> sandbox) {
  c.payment_api = http::add_payment_routes(*c.router, *c.store,
                                           {.public_url = config.public_url,
                                            .min_expires_in_s = config.payments.min_expires_in_s,
                                            .on_event = c.notify_webhooks,
                                            .acquirers = c.acquirers,
                                            .acquirer_pool = &c.acquirer_pool});
  http::add_webhook_routes(
      *c.router, *c.store,
      {.allow_private_targets = config.webhooks.allow_private_targets, .on_event = c.notify_webhooks});
  auto callbacks =
      std::make_shared<http::CallbackProcessor>(*c.store, c.acquirers, c.notify_webhooks, &c.acquirer_pool);
  http::add_callback_routes(*c.router, callbacks);
  http::add_sandbox_routes(*c.router, *c.store, std::move(sandbox), callbacks);
}

// Proof-of-work challenges for the widgets are signed with a key made at first start and kept
// beside the database, like the sandbox's.
Started add_widget_routes(Components& c, const config::Config& config) {
  auto challenge_keys = chat::load_or_create_token_keys((fs::path(config.data_dir) / "challenge.key").string());
  if (!challenge_keys) return std::move(challenge_keys).error();
  http::add_widget_routes(*c.router, *c.store,
                          {.challenges = std::make_shared<const callbacks::Challenges>(std::move(*challenge_keys)),
                           .on_event = c.notify_webhooks,
                           .now_ms = c.now_ms,
                           .chat = c.chat.get()});
  http::add_callback_request_routes(*c.router, *c.store, {.on_event = c.notify_webhooks, .chat = c.chat.get()});
  return {};
}

void make_payment_workers(Components& c, const config::Config& config) {
  c.payment_sweeper = std::make_unique<payments::Sweeper>(
      *c.store,
      payments::SweeperOptions{
          .interval = std::chrono::milliseconds(config.payments.sweep_interval_ms),
          .idempotency_retention_ms = std::int64_t{config.payments.idempotency_retention_h} * 3600 * 1000},
      c.now_ms, c.notify_webhooks);
  c.reconciler = std::make_unique<payments::Reconciler>(
      *c.store, c.acquirers,
      payments::ReconcilerOptions{.interval = std::chrono::milliseconds(config.payments.reconcile_interval_ms),
                                  .after = std::chrono::milliseconds(config.payments.reconcile_after_ms),
                                  .batch = 100},
      c.now_ms, c.notify_webhooks);
}

// The widget's assets, the console and the site's own pages, after every other route.
std::optional<StartError> mount_static_files(Components& c, const config::Config& config) {
  std::string widget_dir = config.widget_dir;
  if (widget_dir.empty()) widget_dir = default_widget_dir();
  std::error_code ec;
  if (!widget_dir.empty() && (fs::is_directory(widget_dir, ec) || !config.widget_dir.empty())) {
    auto mounted =
        mount_static(*c.router, widget_dir, "/v1/", {.cache_control = "public, max-age=300", .cross_origin = true});
    if (!mounted) return StartError{"cannot load widget assets", std::move(mounted).error()};
  } else {
    log::warn("widget assets not found; /v1/vitrina.js will not be served").str("dir", widget_dir).emit();
  }
  // The console's pages carry the strictest policy: scripts, styles and connections from this
  // origin only, never framed.
  if (const std::string dir = console_dir(config); !dir.empty()) {
    auto mounted = mount_static(*c.router, dir, "/console/",
                                {.cache_control = "no-cache",
                                 .index_html = true,
                                 .content_security_policy = std::string(kConsolePolicy),
                                 .deny_framing = true});
    if (!mounted) return StartError{"cannot load the console", std::move(mounted).error()};
  } else {
    log::warn("console files not found; /console/ will not be served").emit();
  }
  if (!config.site_dir.empty()) {
    auto mounted = mount_static(*c.router, config.site_dir, "/", {.cache_control = "no-cache", .index_html = true});
    if (!mounted) return StartError{"cannot load site pages", std::move(mounted).error()};
  }
  return std::nullopt;
}

// Binds the listener; the payments API learns its public URL from the bound address.
Started listen(Components& c, const config::Config& config) {
  c.server = std::make_unique<http::Server>(
      c.ioc,
      http::ServerOptions{.limits = config.http, .log_requests = config.log_requests, .io_threads = config.io_threads},
      c.router);
  auto endpoint = c.server->listen(config.listen_host, config.listen_port);
  if (!endpoint) return std::move(endpoint).error();
  const std::string address =
      config::Config{.listen_host = endpoint->address().to_string(), .listen_port = endpoint->port()}.listen();
  log::info("listening")
      .str("address", address)
      .num("port", endpoint->port())
      .num("io_threads", config.io_threads)
      .emit();
  http::set_public_url(*c.payment_api, config.public_url.empty() ? "http://" + address : config.public_url);
  return {};
}

// Wires the components and binds the listener; the step that failed, if one did.
std::optional<StartError> start(Components& c, const config::Config& config) {
  if (auto init = auth::initialize(); !init) return StartError{"cannot initialise cryptography", init.error()};
  auto opened = open_store(config);
  if (!opened) return StartError{"cannot open the store", std::move(opened).error()};
  c.store = std::move(opened).value();
  start_webhooks(c, config);
  if (auto made = make_chat(c, config); !made) return StartError{"cannot load the visitor token key", made.error()};
  add_console_and_chat_routes(c, config);
  auto sandbox = make_acquirers(c, config);
  if (!sandbox) return StartError{"cannot load the sandbox key", std::move(sandbox).error()};
  if (auto added = acquirers::add_configured_connectors(*c.acquirers, config.acquirers); !added) {
    return StartError{"cannot configure acquirers", added.error()};
  }
  for (const auto& name : c.acquirers->names()) log::info("acquirer ready").str("acquirer", name).emit();
  add_payment_routes(c, config, std::move(*sandbox));
  if (auto added = add_widget_routes(c, config); !added) {
    return StartError{"cannot load the challenge key", added.error()};
  }
  make_payment_workers(c, config);
  if (auto failed = mount_static_files(c, config)) return failed;
  if (auto listening = listen(c, config); !listening) return StartError{"cannot listen", listening.error()};
  return std::nullopt;
}

// Runs the I/O threads until a signal has stopped the listeners (a second signal stops at once).
void run(Components& c, const config::Config& config) {
  c.payment_sweeper->start();
  c.reconciler->start();
  c.server->start();

  // Business hours open and close with nobody acting: visitors' presence is recomputed on a tick.
  // The tick has its own strand, not the hub's: it reads changed site settings before the hub
  // looks at them.
  auto presence_strand = net::make_strand(c.ioc);
  net::steady_timer presence_timer(presence_strand);
  bool presence_stopped = false;  // touched on presence_strand only
  std::function<void()> presence_tick = [&] {
    presence_timer.expires_after(std::chrono::milliseconds(config.chat.presence_refresh_ms));
    presence_timer.async_wait([&](boost::system::error_code wait_ec) {
      if (wait_ec || presence_stopped) return;
      c.chat->refresh_presence();
      presence_tick();
    });
  };
  net::post(presence_strand, presence_tick);

  net::signal_set signals(net::make_strand(c.ioc), SIGINT, SIGTERM);
  std::function<void(boost::system::error_code, int)> on_signal = [&](boost::system::error_code sec, int sig) {
    if (sec) return;
    static bool second = false;
    if (second) {
      log::warn("second signal: stopping at once").emit();
      c.ioc.stop();
      return;
    }
    second = true;
    log::info("shutting down").num("signal", sig).emit();
    http::shutdown_chat(*c.chat_sockets);
    net::post(presence_strand, [&] {
      presence_stopped = true;
      presence_timer.cancel();
    });
    c.server->shutdown(std::chrono::milliseconds(config.shutdown_grace_ms),
                       [&signals] { net::post(signals.get_executor(), [&signals] { signals.cancel(); }); });
    signals.async_wait(on_signal);
  };
  signals.async_wait(on_signal);

  std::vector<std::thread> threads;
  for (std::uint32_t i = 1; i < config.io_threads; ++i) threads.emplace_back([&c] { c.ioc.run(); });
  c.ioc.run();
  for (auto& t : threads) t.join();
}

// The background workers stop before the store is flushed and closed.
void stop(Components& c) {
  c.reconciler->stop();
  c.payment_sweeper->stop();
  c.webhook_worker->stop();
  c.store->flush();
  c.store.reset();
}

}  // namespace

int serve(const config::Config& config) {
  std::signal(SIGPIPE, SIG_IGN);
  Components components(config);
  // The one failure path of start-up: a line naming the step, then exit code 1.
  if (auto failed = start(components, config)) {
    log::error(failed->step).str("error", failed->error.message).emit();
    log::flush();
    return 1;
  }
  run(components, config);
  stop(components);
  log::info("stopped").emit();
  log::flush();
  return 0;
}

}  // namespace vitrina
