#pragma once
// Outgoing calls to an acquirer's API over cpp-httplib: one request per call on a fresh
// connection (connectors are called from several threads at once and keep no per-call state),
// explicit connect and read timeouts, a bounded answer, and TLS verified against the system's
// CA store or a configured CA file. Plain http is accepted only for loopback base URLs (the
// emulators in tests); anything else must be https.

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "acquirers/acquirer.hpp"

namespace vitrina::acquirers {

struct HttpClientOptions {
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds read_timeout{30000};
  std::string ca_file;                         // PEM trust anchors; empty: the system's store
  std::size_t max_answer_bytes = 1024 * 1024;  // a longer answer is an error
};

/// An API's base URL split up: "https://api.example.com:8443/v3" -> https, api.example.com,
/// 8443, "/v3".
struct BaseUrl {
  std::string scheme;  // "https", or "http" for loopback hosts only
  std::string host;
  int port = 443;
  std::string prefix;  // path prefix without a trailing slash; may be empty

  std::string origin() const;  // scheme://host:port
};

/// Errors "invalid" when the URL is not http(s)://host[:port][/path], has a query or
/// credentials, or is plain http to a host other than 127.0.0.1, ::1 or localhost.
Result<BaseUrl> parse_base_url(std::string_view text);

struct HttpReply {
  int status = 0;
  std::string body;
  RawHeaders headers;
};

class HttpClient {
 public:
  HttpClient(BaseUrl base, HttpClientOptions options) : base_(std::move(base)), options_(std::move(options)) {}

  /// Sends one request to base prefix + `path` and returns the answer, whatever its status.
  /// Never throws. Errors "unavailable" when no answer came (connection, TLS, timeout; the
  /// message names which), or the answer exceeded max_answer_bytes.
  Result<HttpReply> send(std::string_view method, std::string_view path, const RawHeaders& headers,
                         std::string_view body = {}, std::string_view content_type = {}) const;

  /// As send, for requests the acquirer deduplicates (an idempotency key in the headers): a
  /// request that got no answer or a 5xx is sent again, up to `attempts` times in all, after
  /// 200 ms, 400 ms, …; the last outcome is returned. Never use it for requests that are not
  /// idempotent at the acquirer.
  Result<HttpReply> send_idempotent(std::string_view method, std::string_view path, const RawHeaders& headers,
                                    std::string_view body, std::string_view content_type, int attempts = 3) const;

  const BaseUrl& base() const noexcept { return base_; }

 private:
  BaseUrl base_;
  HttpClientOptions options_;
};

}  // namespace vitrina::acquirers
