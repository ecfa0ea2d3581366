#include "config/schema.hpp"

#include <limits>

namespace vitrina::config::detail {

namespace {

template <class T>
std::function<void(Config&, const Value&)> set_int(T Config::*member) {
  return [member](Config& c, const Value& v) { c.*member = static_cast<T>(std::get<std::int64_t>(v)); };
}

template <class T>
std::function<void(Config&, const Value&)> set_http(T HttpLimits::*member) {
  return [member](Config& c, const Value& v) { c.http.*member = static_cast<T>(std::get<std::int64_t>(v)); };
}

template <class T>
std::function<void(Config&, const Value&)> set_chat(T ChatSettings::*member) {
  return [member](Config& c, const Value& v) { c.chat.*member = static_cast<T>(std::get<std::int64_t>(v)); };
}

std::function<void(Config&, const Value&)> set_str(std::string Config::*member) {
  return [member](Config& c, const Value& v) { c.*member = std::get<std::string>(v); };
}

constexpr std::int64_t kU32 = std::numeric_limits<std::uint32_t>::max();

std::vector<Entry> build() {
  std::vector<Entry> s;
  s.push_back({"listen", "VITRINA_LISTEN", "address to listen on, HOST:PORT; port 0 picks a free port", Kind::listen, 0,
               0, [](Config& c, const Value& v) {
                 auto parsed = parse_listen(std::get<std::string>(v));
                 c.listen_host = parsed->first;
                 c.listen_port = parsed->second;
               }});
  s.push_back({"data_dir", "VITRINA_DATA", "directory holding the SQLite database (created if missing)", Kind::string,
               1, 4096, set_str(&Config::data_dir)});
  s.push_back({"io_threads", "VITRINA_IO_THREADS", "threads running network I/O (default: one per core)", Kind::integer,
               1, 256, set_int(&Config::io_threads)});
  s.push_back({"http.header_limit", "VITRINA_HTTP_HEADER_LIMIT",
               "largest request line plus headers, bytes (431 beyond)", Kind::integer, 1024, 1 << 20,
               set_http(&HttpLimits::header_limit)});
  s.push_back({"http.body_limit", "VITRINA_HTTP_BODY_LIMIT", "largest request body, bytes (413 beyond)", Kind::integer,
               0, 1LL << 30, set_http(&HttpLimits::body_limit)});
  s.push_back({"http.request_timeout_ms", "VITRINA_HTTP_REQUEST_TIMEOUT_MS",
               "time to receive a whole request once it has started (408 beyond)", Kind::integer, 100, kU32,
               set_http(&HttpLimits::request_timeout_ms)});
  s.push_back({"http.idle_timeout_ms", "VITRINA_HTTP_IDLE_TIMEOUT_MS",
               "how long an idle keep-alive connection is kept open", Kind::integer, 100, kU32,
               set_http(&HttpLimits::idle_timeout_ms)});
  s.push_back({"http.write_timeout_ms", "VITRINA_HTTP_WRITE_TIMEOUT_MS", "time to send a whole response", Kind::integer,
               100, kU32, set_http(&HttpLimits::write_timeout_ms)});
  s.push_back({"http.max_connections", "VITRINA_HTTP_MAX_CONNECTIONS",
               "open connections at most; further clients wait to be accepted", Kind::integer, 1, 1000000,
               set_http(&HttpLimits::max_connections)});
  s.push_back({"shutdown.grace_ms", "VITRINA_SHUTDOWN_GRACE_MS",
               "after SIGTERM/SIGINT, how long in-flight requests may take to finish", Kind::integer, 0, kU32,
               set_int(&Config::shutdown_grace_ms)});
  s.push_back({"static.widget_dir", "VITRINA_STATIC_WIDGET_DIR", "widget assets, served under /v1/", Kind::string, 1,
               4096, set_str(&Config::widget_dir)});
  s.push_back({"static.console_dir", "VITRINA_STATIC_CONSOLE_DIR",
               "the operator console's files, served under /console/", Kind::string, 1, 4096,
               set_str(&Config::console_dir)});
  s.push_back({"static.site_dir", "VITRINA_STATIC_SITE_DIR", "optional site pages, served under /", Kind::string, 0,
               4096, set_str(&Config::site_dir)});
  s.push_back({"log.level", "VITRINA_LOG_LEVEL", "debug, info, warn or error", Kind::log_level, 0, 0,
               set_str(&Config::log_level)});
  s.push_back({"log.requests", "VITRINA_LOG_REQUESTS", "one log line per HTTP request", Kind::boolean, 0, 0,
               [](Config& c, const Value& v) { c.log_requests = std::get<bool>(v); }});
  s.push_back({"store.engine", "VITRINA_STORE_ENGINE", "storage engine: sqlite", Kind::engine, 0, 0,
               set_str(&Config::store_engine)});
  s.push_back({"store.max_batch", "VITRINA_STORE_MAX_BATCH", "most writes grouped into one commit", Kind::integer, 1,
               100000, set_int(&Config::store_max_batch)});
  s.push_back({"store.cache_kib", "VITRINA_STORE_CACHE_KIB", "most memory the writer's page cache may hold, in KiB",
               Kind::integer, 2048, 16LL * 1024 * 1024, set_int(&Config::store_cache_kib)});
  s.push_back({"store.wal_checkpoint_pages", "VITRINA_STORE_WAL_CHECKPOINT_PAGES",
               "pages the write-ahead log holds before they are copied into the database file", Kind::integer, 100,
               1000000, set_int(&Config::store_wal_checkpoint_pages)});
  s.push_back({"console.session_ttl_ms", "VITRINA_CONSOLE_SESSION_TTL_MS",
               "how long an operator console sign-in lasts (the cookie's Max-Age)", Kind::integer, 1000,
               30LL * 24 * 60 * 60 * 1000, [](Config& c, const Value& v) {
                 c.console.session_ttl_ms = static_cast<std::uint32_t>(std::get<std::int64_t>(v));
               }});
  s.push_back({"console.secure_cookies", "VITRINA_CONSOLE_SECURE_COOKIES",
               "mark the console session cookie Secure (set when clients reach the server over HTTPS)", Kind::boolean,
               0, 0, [](Config& c, const Value& v) { c.console.secure_cookies = std::get<bool>(v); }});
  s.push_back({"console.login_failures_per_email", "VITRINA_CONSOLE_LOGIN_FAILURES_PER_EMAIL",
               "failed sign-ins within 15 minutes that block an e-mail until the window ends", Kind::integer, 1, 10000,
               [](Config& c, const Value& v) {
                 c.console.login_failures_per_email = static_cast<std::uint32_t>(std::get<std::int64_t>(v));
               }});
  s.push_back({"console.login_failures_per_address", "VITRINA_CONSOLE_LOGIN_FAILURES_PER_ADDRESS",
               "failed sign-ins within 15 minutes that block a client address until the window ends", Kind::integer, 1,
               100000, [](Config& c, const Value& v) {
                 c.console.login_failures_per_address = static_cast<std::uint32_t>(std::get<std::int64_t>(v));
               }});
  s.push_back(
      {"webhooks.retry_schedule_ms", "VITRINA_WEBHOOKS_RETRY_SCHEDULE_MS",
       "delays before each webhook retry, comma-separated milliseconds (each gets +-10% jitter)", Kind::ms_list, 0, 0,
       [](Config& c, const Value& v) { c.webhooks.retry_schedule_ms = *parse_ms_list(std::get<std::string>(v)); }});
  s.push_back({"webhooks.timeout_ms", "VITRINA_WEBHOOKS_TIMEOUT_MS", "time limit of one webhook delivery attempt",
               Kind::integer, 10, 120000, [](Config& c, const Value& v) {
                 c.webhooks.timeout_ms = static_cast<std::uint32_t>(std::get<std::int64_t>(v));
               }});
  s.push_back({"webhooks.allow_private_targets", "VITRINA_WEBHOOKS_ALLOW_PRIVATE_TARGETS",
               "allow webhook URLs on loopback, private and link-local addresses, and plain http (tests, development)",
               Kind::boolean, 0, 0,
               [](Config& c, const Value& v) { c.webhooks.allow_private_targets = std::get<bool>(v); }});
  s.push_back({"webhooks.concurrency", "VITRINA_WEBHOOKS_CONCURRENCY", "webhook attempts in flight at once",
               Kind::integer, 1, 256, [](Config& c, const Value& v) {
                 c.webhooks.concurrency = static_cast<std::uint32_t>(std::get<std::int64_t>(v));
               }});
  s.push_back({"webhooks.poll_interval_ms", "VITRINA_WEBHOOKS_POLL_INTERVAL_MS",
               "how often the webhook worker looks for due deliveries (it is also woken on each new event)",
               Kind::integer, 10, 60000, [](Config& c, const Value& v) {
                 c.webhooks.poll_interval_ms = static_cast<std::uint32_t>(std::get<std::int64_t>(v));
               }});
  s.push_back({"public_url", "VITRINA_PUBLIC_URL",
               "base URL payers' browsers reach the server at, for payment redirects (default: http:// + listen)",
               Kind::string, 0, 2048, set_str(&Config::public_url)});
  s.push_back({"payments.min_expires_in_s", "VITRINA_PAYMENTS_MIN_EXPIRES_IN_S",
               "smallest expires_in a payment may ask for, seconds (tests lower it)", Kind::integer, 1, 86400,
               [](Config& c, const Value& v) {
                 c.payments.min_expires_in_s = static_cast<std::uint32_t>(std::get<std::int64_t>(v));
               }});
  s.push_back({"payments.sweep_interval_ms", "VITRINA_PAYMENTS_SWEEP_INTERVAL_MS",
               "how often pending payments past their expires_at are moved to expired", Kind::integer, 10, 600000,
               [](Config& c, const Value& v) {
                 c.payments.sweep_interval_ms = static_cast<std::uint32_t>(std::get<std::int64_t>(v));
               }});
  s.push_back({"payments.idempotency_retention_h", "VITRINA_PAYMENTS_IDEMPOTENCY_RETENTION_H",
               "hours an Idempotency-Key and its answer are kept before the key may be used again", Kind::integer, 24,
               8760, [](Config& c, const Value& v) {
                 c.payments.idempotency_retention_h = static_cast<std::uint32_t>(std::get<std::int64_t>(v));
               }});
  s.push_back({"payments.reconcile_after_ms", "VITRINA_PAYMENTS_RECONCILE_AFTER_MS",
               "a payment pending this long after its last change is re-read from its acquirer", Kind::integer, 100,
               30LL * 24 * 60 * 60 * 1000, [](Config& c, const Value& v) {
                 c.payments.reconcile_after_ms = static_cast<std::uint32_t>(std::get<std::int64_t>(v));
               }});
  s.push_back({"payments.reconcile_interval_ms", "VITRINA_PAYMENTS_RECONCILE_INTERVAL_MS",
               "how often the reconciliation worker looks for payments to re-read", Kind::integer, 10, 3600000,
               [](Config& c, const Value& v) {
                 c.payments.reconcile_interval_ms = static_cast<std::uint32_t>(std::get<std::int64_t>(v));
               }});
  s.push_back({"acquirers.connect_timeout_ms", "VITRINA_ACQUIRERS_CONNECT_TIMEOUT_MS",
               "time limit for connecting to an acquirer's API", Kind::integer, 10, 120000,
               [](Config& c, const Value& v) {
                 c.acquirers.connect_timeout_ms = static_cast<std::uint32_t>(std::get<std::int64_t>(v));
               }});
  s.push_back({"acquirers.read_timeout_ms", "VITRINA_ACQUIRERS_READ_TIMEOUT_MS",
               "time limit for each read of an acquirer's answer", Kind::integer, 10, 300000,
               [](Config& c, const Value& v) {
                 c.acquirers.read_timeout_ms = static_cast<std::uint32_t>(std::get<std::int64_t>(v));
               }});
  s.push_back({"acquirers.ca_file", "VITRINA_ACQUIRERS_CA_FILE",
               "PEM file of CA certificates trusted for acquirer APIs (default: the system's store)", Kind::string, 0,
               4096, [](Config& c, const Value& v) { c.acquirers.ca_file = std::get<std::string>(v); }});
  s.push_back({"chat.message_bytes", "VITRINA_CHAT_MESSAGE_BYTES", "largest chat message text, bytes of UTF-8",
               Kind::integer, 16, 65536, set_chat(&ChatSettings::message_bytes)});
  s.push_back({"chat.message_chars", "VITRINA_CHAT_MESSAGE_CHARS", "largest chat message text, characters",
               Kind::integer, 1, 65536, set_chat(&ChatSettings::message_chars)});
  s.push_back({"chat.frame_bytes", "VITRINA_CHAT_FRAME_BYTES",
               "largest chat WebSocket frame, bytes (the connection closes with 1009 beyond)", Kind::integer, 1024,
               1 << 20, set_chat(&ChatSettings::frame_bytes)});
  s.push_back({"chat.frames_per_second", "VITRINA_CHAT_FRAMES_PER_SECOND",
               "chat frames a connection may send per second, sustained", Kind::integer, 1, 1000000,
               set_chat(&ChatSettings::frames_per_second)});
  s.push_back({"chat.frame_burst", "VITRINA_CHAT_FRAME_BURST", "chat frames a connection may send at once",
               Kind::integer, 1, 1000000, set_chat(&ChatSettings::frame_burst)});
  s.push_back({"chat.max_per_ip", "VITRINA_CHAT_MAX_PER_IP", "visitor WebSocket connections from one IP address",
               Kind::integer, 1, 1000000, set_chat(&ChatSettings::max_per_ip)});
  s.push_back({"chat.max_per_site", "VITRINA_CHAT_MAX_PER_SITE", "visitor WebSocket connections to one site",
               Kind::integer, 1, 10000000, set_chat(&ChatSettings::max_per_site)});
  s.push_back({"chat.max_per_operator", "VITRINA_CHAT_MAX_PER_OPERATOR",
               "console WebSocket connections of one operator", Kind::integer, 1, 1000,
               set_chat(&ChatSettings::max_per_operator)});
  s.push_back({"chat.queue_frames", "VITRINA_CHAT_QUEUE_FRAMES",
               "chat frames waiting to be written to one connection before it is closed (4413)", Kind::integer, 8,
               1000000, set_chat(&ChatSettings::queue_frames)});
  s.push_back({"chat.queue_bytes", "VITRINA_CHAT_QUEUE_BYTES",
               "bytes waiting to be written to one chat connection before it is closed (4413)", Kind::integer, 65536,
               1LL << 30, set_chat(&ChatSettings::queue_bytes)});
  s.push_back({"chat.hello_timeout_ms", "VITRINA_CHAT_HELLO_TIMEOUT_MS",
               "time from the WebSocket upgrade to hello (close 4408 beyond)", Kind::integer, 100, 600000,
               set_chat(&ChatSettings::hello_timeout_ms)});
  s.push_back({"chat.ping_interval_ms", "VITRINA_CHAT_PING_INTERVAL_MS", "how often the server pings a chat connection",
               Kind::integer, 100, 3600000, set_chat(&ChatSettings::ping_interval_ms)});
  s.push_back({"chat.idle_timeout_ms", "VITRINA_CHAT_IDLE_TIMEOUT_MS",
               "a chat connection that sends nothing (no frame, no pong) this long is closed (4408)", Kind::integer,
               200, 36000000, set_chat(&ChatSettings::idle_timeout_ms)});
  s.push_back({"chat.presence_refresh_ms", "VITRINA_CHAT_PRESENCE_REFRESH_MS",
               "how often visitors' presence is recomputed, so business hours opening and closing reach them",
               Kind::integer, 100, 3600000, set_chat(&ChatSettings::presence_refresh_ms)});
  return s;
}

}  // namespace

const std::vector<Entry>& schema() {
  static const std::vector<Entry> s = build();
  return s;
}

const Entry* find_by_key(std::string_view key) {
  for (const auto& e : schema()) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

const Entry* find_by_env(std::string_view env) {
  for (const auto& e : schema()) {
    if (e.env == env) return &e;
  }
  return nullptr;
}

}  // namespace vitrina::config::detail
