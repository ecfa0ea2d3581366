#pragma once
/// \file
/// The client a shop backend uses to call a Vitrina server over HTTP(S).
///
/// Errors are values: every call returns a `protocol::Result<T>` and no call throws on network,
/// HTTP or parse failures (only `std::bad_alloc` can escape). Error codes are stable:
///
/// | code               | meaning                                                              |
/// |--------------------|----------------------------------------------------------------------|
/// | `invalid_options`  | the `ClientOptions` are unusable; `field` names the option            |
/// | `transport`        | no HTTP answer: refused, DNS, TLS, timeout, connection dropped        |
/// | `response_too_large` | the answer exceeded `ClientOptions::max_response_bytes`            |
/// | `http_<status>`    | the server answered with a non-2xx status, e.g. `http_401`            |
/// | `invalid_response` | a 2xx answer whose body is not what the API promises                  |

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "vitrina/protocol/result.hpp"

namespace vitrina::sdk {

/// How to reach a Vitrina server. All limits are explicit; the defaults suit a backend that
/// calls the server over a LAN or the internet.
struct ClientOptions {
  /// `http://host[:port]` or `https://host[:port]`, optionally followed by a path prefix when
  /// the server is mounted below one (`https://shop.example/vitrina`). No query or fragment.
  std::string base_url;
  /// The site's secret key (`sk_…`). When set it is sent as `Authorization: Bearer …` on every
  /// call; it is never logged and never copied into an `Error`. Empty: no Authorization header.
  std::string secret_key;
  std::chrono::milliseconds connect_timeout{5000};
  /// Upper bound on each wait for data from the server (not on the whole call).
  std::chrono::milliseconds read_timeout{10000};
  std::chrono::milliseconds write_timeout{10000};
  std::string user_agent = "vitrina-sdk-cpp/0.1";
  /// Answers larger than this (after decompression) are abandoned with `response_too_large`.
  std::size_t max_response_bytes = std::size_t{1} << 20;
  /// https only: a PEM file of CAs to trust instead of the system store (e.g. a dev CA).
  /// Server certificates are always verified.
  std::string ca_cert_file;
};

/// The answer of `GET /healthz`.
struct Health {
  /// The server's own word for its state; `"ok"` when it is serving.
  std::string status;
};

/// A client for one Vitrina server and one site.
///
/// Construction never fails: unusable options are reported by `options_error()` and by every
/// call, which then returns that error without touching the network. A `Client` holds no
/// connection; each call opens its own and closes it, so one `Client` may be used from several
/// threads at once, and copies are independent.
class Client {
 public:
  explicit Client(ClientOptions options);

  /// Why the options are unusable (code `invalid_options`), or nothing when they are fine.
  [[nodiscard]] const std::optional<protocol::Error>& options_error() const noexcept { return options_error_; }

  /// `GET /healthz`. Succeeds when the server answers 2xx with a JSON object whose `status` is
  /// a string; that string is returned as is (the caller decides whether only "ok" will do).
  [[nodiscard]] protocol::Result<Health> health() const;

 private:
  struct Response {
    int status = 0;
    std::string content_type;
    std::string body;
  };

  /// Sends one request to `path` (below the base URL's prefix; starts with '/') and returns the
  /// status and body of any HTTP answer, 4xx/5xx included. Fails only when there is no usable
  /// answer (`invalid_options`, `transport`, `response_too_large`).
  protocol::Result<Response> request(std::string_view method, std::string_view path, std::string_view body = {},
                                     std::string_view content_type = {}) const;

  /// The error for a non-2xx answer: code `http_<status>`, with the server's problem title or
  /// detail in the message when it sent an RFC 9457 body.
  static protocol::Error http_error(std::string_view method, std::string_view path, const Response& response);

  ClientOptions options_;
  std::string scheme_;  // "http" or "https"
  std::string host_;    // without IPv6 brackets
  int port_ = 0;
  std::string path_prefix_;  // "" or "/prefix", never ending in '/'
  std::optional<protocol::Error> options_error_;
};

}  // namespace vitrina::sdk
