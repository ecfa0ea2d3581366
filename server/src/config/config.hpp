#pragma once
// Server configuration: built-in defaults, overridden by a TOML file, then by VITRINA_*
// environment variables, then by command-line flags. Every key is declared once in the schema
// (schema.cpp); unknown keys and bad values are refused with a message naming the key and
// where the value came from.

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "vitrina/protocol/result.hpp"

namespace vitrina::config {

using protocol::Result;

struct HttpLimits {
  std::size_t header_limit = 16 * 1024;      // bytes of request line + headers (431 past it)
  std::size_t body_limit = 1024 * 1024;      // bytes of request body (413 past it)
  std::uint32_t request_timeout_ms = 15000;  // to receive a whole request once it has started
  std::uint32_t idle_timeout_ms = 60000;     // a keep-alive connection with no request
  std::uint32_t write_timeout_ms = 30000;    // to send a whole response
  std::uint32_t max_connections = 10000;     // further accepts wait until some close
};

struct ConsoleSettings {
  std::uint32_t session_ttl_ms = 12 * 60 * 60 * 1000;  // an operator stays signed in this long
  bool secure_cookies = false;                         // add Secure to the session cookie (serving over HTTPS)
  // Failed sign-ins within 15 minutes that block an e-mail, and a client address (a NAT hides
  // many people behind one address: a wider budget), until the window ends.
  std::uint32_t login_failures_per_email = 10;
  std::uint32_t login_failures_per_address = 50;
};

struct WebhookSettings {
  // Delays before the 2nd, 3rd… attempt (the first is immediate): the Standard Webhooks
  // schedule 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h. Each gets ±10% jitter.
  std::vector<std::int64_t> retry_schedule_ms = {5'000,      300'000,    1'800'000,  7'200'000, 18'000'000,
                                                 36'000'000, 50'400'000, 72'000'000, 86'400'000};
  std::uint32_t timeout_ms = 15000;       // one attempt, connect to last byte
  bool allow_private_targets = false;     // permit loopback/private/link-local targets (tests, dev)
  std::uint32_t concurrency = 4;          // attempts in flight at once
  std::uint32_t poll_interval_ms = 1000;  // how often the worker looks for due deliveries
};

struct PaymentSettings {
  std::uint32_t min_expires_in_s = 60;         // the smallest expires_in a payment may ask for
  std::uint32_t sweep_interval_ms = 1000;      // how often pending payments past expires_at are expired
  std::uint32_t idempotency_retention_h = 48;  // how long an Idempotency-Key is kept (at least 24)
  // Reconciliation: a payment still pending this long after its last change is re-read from
  // its acquirer, looking every interval.
  std::uint32_t reconcile_after_ms = 10 * 60 * 1000;
  std::uint32_t reconcile_interval_ms = 60 * 1000;
};

/// One acquirer's table, `[acquirers.<name>]`: its own keys as text (the connector checks them
/// at start and names the key it refuses), and each site's credentials from
/// `[acquirers.<name>.sites.<site_id>]`. Arrays of strings arrive joined with ",".
struct AcquirerSection {
  std::map<std::string, std::string> settings;
  std::map<std::string, std::map<std::string, std::string>> sites;
};

struct AcquirerSettings {
  std::uint32_t connect_timeout_ms = 5000;          // outgoing calls to acquirers: connecting
  std::uint32_t read_timeout_ms = 30000;            // outgoing calls to acquirers: each read
  std::string ca_file;                              // PEM trust anchors; empty: the system's CA store
  std::map<std::string, AcquirerSection> sections;  // by acquirer name; configured ones only
};

// Live chat limits (docs/protocol.md, "Limits and close codes").
struct ChatSettings {
  std::uint32_t message_bytes = 4096;         // a message's text, bytes of UTF-8
  std::uint32_t message_chars = 2000;         // a message's text, characters
  std::uint32_t frame_bytes = 32 * 1024;      // one WebSocket frame (close 1009 beyond)
  std::uint32_t frames_per_second = 20;       // per connection, sustained
  std::uint32_t frame_burst = 40;             // per connection, at once
  std::uint32_t max_per_ip = 20;              // visitor connections from one IP address
  std::uint32_t max_per_site = 10000;         // visitor connections to one site
  std::uint32_t max_per_operator = 10;        // console connections of one operator
  std::uint32_t queue_frames = 256;           // outbound frames not yet written (close 4413 beyond)
  std::uint32_t queue_bytes = 1024 * 1024;    // outbound bytes not yet written
  std::uint32_t hello_timeout_ms = 10000;     // from the upgrade to hello
  std::uint32_t ping_interval_ms = 30000;     // the server pings this often
  std::uint32_t idle_timeout_ms = 75000;      // nothing received this long: close 4408
  std::uint32_t presence_refresh_ms = 15000;  // how often business hours are re-checked for visitors
};

/// Parses "5000,300000,…" (positive milliseconds, non-decreasing is not required).
Result<std::vector<std::int64_t>> parse_ms_list(std::string_view text);

struct Config {
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 8080;
  std::string data_dir = "data";
  std::uint32_t io_threads = 1;  // vitrina-server defaults it to the number of cores
  HttpLimits http;
  std::uint32_t shutdown_grace_ms = 10000;  // in-flight requests get this long after SIGTERM
  std::string widget_dir;                   // served under /v1/
  std::string site_dir;                     // served under /, optional
  std::string console_dir;                  // the operator console, served under /console/
  std::string log_level = "info";
  bool log_requests = true;
  std::string store_engine = "sqlite";
  std::uint32_t store_max_batch = 512;
  std::uint32_t store_cache_kib = 64 * 1024;
  std::uint32_t store_wal_checkpoint_pages = 1000;
  ConsoleSettings console;
  WebhookSettings webhooks;
  PaymentSettings payments;
  AcquirerSettings acquirers;
  ChatSettings chat;
  // The server's address as payers' browsers reach it, for payment redirect URLs
  // ("https://pay.example.com"); empty: "http://" + the bound listen address.
  std::string public_url;

  std::string listen() const;
};

/// Where the values come from. `env` holds the process's VITRINA_* variables, `flags` the
/// (key, value) pairs given on the command line, in order.
struct Sources {
  std::string config_file;  // empty: none
  std::vector<std::pair<std::string, std::string>> env;
  std::vector<std::pair<std::string, std::string>> flags;
};

/// Builds the configuration. Errors name the key (Error::field) and the source.
Result<Config> load(const Sources& sources, Config defaults = {});

/// The process's VITRINA_* environment variables, VITRINA_CONFIG included.
std::vector<std::pair<std::string, std::string>> environment();

/// Every key the schema knows, with its environment variable and a one-line description, for
/// `--help` and docs/operations.md.
struct KeyInfo {
  std::string key;
  std::string env;
  std::string description;
};
std::vector<KeyInfo> keys();

/// Splits "host:port" / "[v6]:port"; port 0 is allowed (pick a free port).
Result<std::pair<std::string, std::uint16_t>> parse_listen(std::string_view text);

}  // namespace vitrina::config
