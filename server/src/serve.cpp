// The composition root of the running server: store, routes, HTTP server, signals.

#include "serve.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <csignal>
#include <filesystem>
#include <thread>

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

}  // namespace

int serve(const config::Config& config) {
  std::signal(SIGPIPE, SIG_IGN);
  if (auto init = auth::initialize(); !init) {
    log::error("cannot initialise cryptography").str("error", init.error().message).emit();
    log::flush();
    return 1;
  }

  auto opened = open_store(config);
  if (!opened) {
    log::error("cannot open the store").str("error", opened.error().message).emit();
    log::flush();
    return 1;
  }
  std::unique_ptr<store::Store> store = std::move(opened).value();
  // The one clock every component reads the time from.
  const clock::SystemClock clock;
  const auto now_ms = [&clock] { return clock.now_ms(); };

  // Outbound webhooks: started now so messages left pending by the last run go out; stopped
  // after the listeners, before the store closes.
  webhooks::Worker webhook_worker(*store,
                                  {.policy = {.delays_ms = config.webhooks.retry_schedule_ms, .jitter = 0.1},
                                   .timeout = std::chrono::milliseconds(config.webhooks.timeout_ms),
                                   .allow_private_targets = config.webhooks.allow_private_targets,
                                   .concurrency = config.webhooks.concurrency,
                                   .poll_interval = std::chrono::milliseconds(config.webhooks.poll_interval_ms)},
                                  now_ms);
  webhook_worker.start();

  net::io_context ioc(static_cast<int>(config.io_threads));

  // Live chat: visitor tokens signed with a key kept beside the database; every change to the
  // set of chat connections and every fan-out runs on one strand (the hub).
  auto token_keys = chat::load_or_create_token_keys((fs::path(config.data_dir) / "visitor-token.key").string());
  if (!token_keys) {
    log::error("cannot load the visitor token key").str("error", token_keys.error().message).emit();
    log::flush();
    return 1;
  }
  auto hub_strand = net::make_strand(ioc);
  chat::Service chat_service(
      *store, chat::VisitorTokens(std::move(*token_keys)), clock,
      {.limits = {.message_bytes = config.chat.message_bytes,
                  .message_chars = config.chat.message_chars,
                  .frame_bytes = config.chat.frame_bytes,
                  .frames_per_second = config.chat.frames_per_second},
       .post_hub = [&hub_strand](std::function<void()> work) { net::post(hub_strand, std::move(work)); },
       .on_event = [&webhook_worker] { webhook_worker.notify(); },
       .new_id = [](std::string_view prefix) { return auth::generate_id(prefix); }});

  // Argon2id verification for sign-in: two threads, at most 32 sign-ins waiting (then 503).
  http::BlockingPool cpu_pool(2, 32);
  auto router = std::make_shared<http::Router>();
  http::add_health_routes(*router, *store);
  http::add_console_routes(*router, *store, cpu_pool, config.console);
  http::add_canned_routes(*router, *store, config.console);
  http::add_chat_console_routes(*router, chat_service, *store);
  const auto& cc = config.chat;
  auto chat_sockets = http::add_chat_routes(*router, chat_service, *store,
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
  // The sandbox acquirer signs its callbacks with a key made at first start and kept beside the
  // database; inbound callbacks (its own and real acquirers') go through one processor.
  auto sandbox_keys =
      acquirers::load_or_create_sandbox_keys((fs::path(config.data_dir) / "sandbox-ed25519.key").string());
  if (!sandbox_keys) {
    log::error("cannot load the sandbox key").str("error", sandbox_keys.error().message).emit();
    log::flush();
    return 1;
  }
  auto sandbox = std::make_shared<const acquirers::Sandbox>(*sandbox_keys);
  auto acquirer_registry = std::make_shared<acquirers::Registry>();
  acquirer_registry->add(sandbox);
  // Real acquirers: only those with a table in the configuration, each with its credentials.
  if (auto added = acquirers::add_configured_connectors(*acquirer_registry, config.acquirers); !added) {
    log::error("cannot configure acquirers").str("error", added.error().message).emit();
    log::flush();
    return 1;
  }
  for (const auto& name : acquirer_registry->names()) log::info("acquirer ready").str("acquirer", name).emit();
  // Commands of connectors that wait on the network: eight at a time, at most 256 waiting.
  http::BlockingPool acquirer_pool(8, 256);
  // Payments API; its redirect URLs need the bound address, set below once it is known.
  auto payment_api = http::add_payment_routes(*router, *store,
                                              {.public_url = config.public_url,
                                               .min_expires_in_s = config.payments.min_expires_in_s,
                                               .on_event = [&webhook_worker] { webhook_worker.notify(); },
                                               .acquirers = acquirer_registry,
                                               .acquirer_pool = &acquirer_pool});
  http::add_webhook_routes(*router, *store,
                           {.allow_private_targets = config.webhooks.allow_private_targets,
                            .on_event = [&webhook_worker] { webhook_worker.notify(); }});
  auto callbacks = std::make_shared<http::CallbackProcessor>(
      *store, acquirer_registry, [&webhook_worker] { webhook_worker.notify(); }, &acquirer_pool);
  http::add_callback_routes(*router, callbacks);
  http::add_sandbox_routes(*router, *store, sandbox, callbacks);
  // Proof-of-work challenges for the widgets are signed with a key made at first start and kept
  // beside the database, like the sandbox's.
  auto challenge_keys = chat::load_or_create_token_keys((fs::path(config.data_dir) / "challenge.key").string());
  if (!challenge_keys) {
    log::error("cannot load the challenge key").str("error", challenge_keys.error().message).emit();
    log::flush();
    return 1;
  }
  http::add_widget_routes(*router, *store,
                          {.challenges = std::make_shared<const callbacks::Challenges>(std::move(*challenge_keys)),
                           .on_event = [&webhook_worker] { webhook_worker.notify(); },
                           .now_ms = now_ms,
                           .chat = &chat_service});
  http::add_callback_request_routes(
      *router, *store, {.on_event = [&webhook_worker] { webhook_worker.notify(); }, .chat = &chat_service});
  payments::Sweeper payment_sweeper(
      *store,
      {.interval = std::chrono::milliseconds(config.payments.sweep_interval_ms),
       .idempotency_retention_ms = std::int64_t{config.payments.idempotency_retention_h} * 3600 * 1000},
      now_ms, [&webhook_worker] { webhook_worker.notify(); });
  payments::Reconciler reconciler(*store, acquirer_registry,
                                  {.interval = std::chrono::milliseconds(config.payments.reconcile_interval_ms),
                                   .after = std::chrono::milliseconds(config.payments.reconcile_after_ms),
                                   .batch = 100},
                                  now_ms, [&webhook_worker] { webhook_worker.notify(); });

  std::string widget_dir = config.widget_dir;
  if (widget_dir.empty()) widget_dir = default_widget_dir();
  std::error_code ec;
  if (!widget_dir.empty() && (fs::is_directory(widget_dir, ec) || !config.widget_dir.empty())) {
    auto mounted =
        mount_static(*router, widget_dir, "/v1/", {.cache_control = "public, max-age=300", .cross_origin = true});
    if (!mounted) {
      log::error("cannot load widget assets").str("error", mounted.error().message).emit();
      log::flush();
      return 1;
    }
  } else {
    log::warn("widget assets not found; /v1/vitrina.js will not be served").str("dir", widget_dir).emit();
  }
  // The console's pages carry the strictest policy: scripts, styles and connections from this
  // origin only, never framed.
  if (const std::string dir = console_dir(config); !dir.empty()) {
    auto mounted = mount_static(*router, dir, "/console/",
                                {.cache_control = "no-cache",
                                 .index_html = true,
                                 .content_security_policy = std::string(kConsolePolicy),
                                 .deny_framing = true});
    if (!mounted) {
      log::error("cannot load the console").str("error", mounted.error().message).emit();
      log::flush();
      return 1;
    }
  } else {
    log::warn("console files not found; /console/ will not be served").emit();
  }
  if (!config.site_dir.empty()) {
    auto mounted = mount_static(*router, config.site_dir, "/", {.cache_control = "no-cache", .index_html = true});
    if (!mounted) {
      log::error("cannot load site pages").str("error", mounted.error().message).emit();
      log::flush();
      return 1;
    }
  }

  http::Server server(
      ioc, {.limits = config.http, .log_requests = config.log_requests, .io_threads = config.io_threads}, router);
  auto endpoint = server.listen(config.listen_host, config.listen_port);
  if (!endpoint) {
    log::error("cannot listen").str("error", endpoint.error().message).emit();
    log::flush();
    return 1;
  }
  const std::string address =
      config::Config{.listen_host = endpoint->address().to_string(), .listen_port = endpoint->port()}.listen();
  log::info("listening")
      .str("address", address)
      .num("port", endpoint->port())
      .num("io_threads", config.io_threads)
      .emit();
  http::set_public_url(*payment_api, config.public_url.empty() ? "http://" + address : config.public_url);
  payment_sweeper.start();
  reconciler.start();
  server.start();

  // Business hours open and close with nobody acting: visitors' presence is recomputed on a tick.
  // The tick has its own strand, not the hub's: it reads changed site settings before the hub
  // looks at them.
  auto presence_strand = net::make_strand(ioc);
  net::steady_timer presence_timer(presence_strand);
  bool presence_stopped = false;  // touched on presence_strand only
  std::function<void()> presence_tick = [&] {
    presence_timer.expires_after(std::chrono::milliseconds(config.chat.presence_refresh_ms));
    presence_timer.async_wait([&](boost::system::error_code wait_ec) {
      if (wait_ec || presence_stopped) return;
      chat_service.refresh_presence();
      presence_tick();
    });
  };
  net::post(presence_strand, presence_tick);

  net::signal_set signals(net::make_strand(ioc), SIGINT, SIGTERM);
  std::function<void(boost::system::error_code, int)> on_signal = [&](boost::system::error_code sec, int sig) {
    if (sec) return;
    static bool second = false;
    if (second) {
      log::warn("second signal: stopping at once").emit();
      ioc.stop();
      return;
    }
    second = true;
    log::info("shutting down").num("signal", sig).emit();
    http::shutdown_chat(*chat_sockets);
    net::post(presence_strand, [&] {
      presence_stopped = true;
      presence_timer.cancel();
    });
    server.shutdown(std::chrono::milliseconds(config.shutdown_grace_ms),
                    [&signals] { net::post(signals.get_executor(), [&signals] { signals.cancel(); }); });
    signals.async_wait(on_signal);
  };
  signals.async_wait(on_signal);

  std::vector<std::thread> threads;
  for (std::uint32_t i = 1; i < config.io_threads; ++i) threads.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : threads) t.join();

  reconciler.stop();
  payment_sweeper.stop();
  webhook_worker.stop();
  store->flush();
  store.reset();
  log::info("stopped").emit();
  log::flush();
  return 0;
}

}  // namespace vitrina
