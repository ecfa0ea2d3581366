#pragma once
/// \file
/// The client a shop backend uses to call a Vitrina server over HTTP(S).
///
/// Errors are values: every call returns a `protocol::Result<T>` and no call throws on network,
/// HTTP or parse failures (only `std::bad_alloc` can escape). Error codes are
/// `protocol::ErrorCode` values (vitrina/protocol/error_code.hpp):
///
/// | code                 | meaning                                                            |
/// |----------------------|--------------------------------------------------------------------|
/// | `invalid_options`    | the `ClientOptions` are unusable; `field` names the option          |
/// | `transport`          | no HTTP answer: refused, DNS, TLS, timeout, connection dropped      |
/// | `response_too_large` | the answer exceeded `ClientOptions::max_response_bytes`            |
/// | `http_status`        | the server answered with a non-2xx status; `Error::http_status` has it |
/// | `invalid_response`   | a 2xx answer whose body is not what the API promises                |
/// | `invalid_argument`   | a call's argument cannot be sent (e.g. a payment id with a '/'); `field` names it |
///
/// The payment calls map an RFC 9457 problem answer onto the error instead: `code` is the code
/// whose problem type the answer names (`urn:vitrina:problem:not-found` is `not_found`,
/// `idempotency-key-reused` is `idempotency_key_reused`…), `message` its `detail` (or `title`),
/// `field` its `field` and `http_status` the answer's status. A non-2xx answer that is not such a
/// problem stays `http_status`.
///
/// Retries: the payment calls retry, up to `RetryPolicy::max_attempts` in all, when no answer
/// came (refused, reset, timed out) or the server answered `503`, `409 request-in-flight` or
/// `502 acquirer-unavailable`, after a short growing pause. Every attempt of a `POST` carries the same
/// `Idempotency-Key`, so the server does the work at most once. No other 4xx is ever retried.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vitrina/protocol/result.hpp"
#include "vitrina/sdk/payments.hpp"

namespace vitrina::sdk {

/// How the payment calls retry. The bounds keep a call's worst case short: with the defaults at
/// most 3 attempts and about 0.6 s of pauses on top of the timeouts.
struct RetryPolicy {
  /// Attempts in all, the first included: 1 disables retries. At most 10.
  int max_attempts = 3;
  /// The pause before the first retry; each further pause doubles, up to `max_backoff`. A
  /// random jitter of up to half the pause is taken off so clients do not retry in lockstep.
  std::chrono::milliseconds initial_backoff{200};
  /// The longest pause, also the cap on a server's `Retry-After`.
  std::chrono::milliseconds max_backoff{2000};
};

/// How to reach a Vitrina server. All limits are explicit; the defaults suit a backend that
/// calls the server over a LAN or the internet.
struct ClientOptions {
  /// `http://host[:port]` or `https://host[:port]`, optionally followed by a path prefix when
  /// the server is mounted below one (`https://shop.example/vitrina`). No query or fragment.
  std::string base_url;
  /// The site's secret key (`sk_…`). When set it is sent as `Authorization: Bearer …` on every
  /// call; it is never logged and never copied into an `Error`. Empty: no Authorization header.
  std::string secret_key;
  /// How long to wait for the TCP (and TLS) connection.
  std::chrono::milliseconds connect_timeout{5000};
  /// Upper bound on each wait for data from the server (not on the whole call).
  std::chrono::milliseconds read_timeout{10000};
  /// Upper bound on each wait while sending the request.
  std::chrono::milliseconds write_timeout{10000};
  /// Sent as `User-Agent`; no control characters.
  std::string user_agent = "vitrina-sdk-cpp/0.1";
  /// Answers larger than this (after decompression) are abandoned with `response_too_large`.
  std::size_t max_response_bytes = std::size_t{1} << 20;
  /// https only: a PEM file of CAs to trust instead of the system store (e.g. a dev CA).
  /// Server certificates are always verified.
  std::string ca_cert_file;
  /// When and how often the payment calls retry.
  RetryPolicy retry;
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
  /// Keeps `options`; never fails (see `options_error()`).
  explicit Client(ClientOptions options);

  /// Why the options are unusable (code `invalid_options`), or nothing when they are fine.
  [[nodiscard]] const std::optional<protocol::Error>& options_error() const noexcept { return options_error_; }

  /// `GET /healthz`. Succeeds when the server answers 2xx with a JSON object whose `status` is
  /// a string; that string is returned as is (the caller decides whether only "ok" will do).
  [[nodiscard]] protocol::Result<Health> health() const;

  /// `POST /v1/payments`: creates a payment and returns it (status `pending`, with the
  /// `confirmation_url` to send the payer to). Replaying the same key answers the first payment.
  [[nodiscard]] protocol::Result<Payment> create_payment(const PaymentRequest& request,
                                                         const CallOptions& call = {}) const;

  /// `GET /v1/payments/{id}`; `not-found` when this site has no such payment.
  [[nodiscard]] protocol::Result<Payment> get_payment(std::string_view id) const;

  /// `GET /v1/payments?order_id=…`: this site's payments for one order, newest first. `limit`
  /// (1–100) caps how many; the server's default (20) when absent.
  [[nodiscard]] protocol::Result<std::vector<Payment>> list_payments_by_order(
      std::string_view order_id, std::optional<int> limit = std::nullopt) const;

  /// `POST /v1/payments/{id}/capture`: takes held money (`waiting_for_capture` → `succeeded`);
  /// everything held when `amount` is absent, else that much.
  [[nodiscard]] protocol::Result<Payment> capture_payment(std::string_view id,
                                                          std::optional<std::int64_t> amount = std::nullopt,
                                                          const CallOptions& call = {}) const;

  /// `POST /v1/payments/{id}/cancel`: `pending` or `waiting_for_capture` → `canceled`; a
  /// payment that already ended without money is returned unchanged; `conflict` once succeeded.
  [[nodiscard]] protocol::Result<Payment> cancel_payment(std::string_view id, const CallOptions& call = {}) const;

  /// `POST /v1/payments/{id}/refunds`: refunds everything still refundable when `amount` is
  /// absent, else that much; `conflict` unless the payment succeeded.
  [[nodiscard]] protocol::Result<Refund> refund_payment(std::string_view id,
                                                        std::optional<std::int64_t> amount = std::nullopt,
                                                        const CallOptions& call = {}) const;

 private:
  struct Response {
    int status = 0;
    std::string content_type;
    std::string body;
    std::string retry_after;  // the Retry-After header, as sent
  };

  /// Sends one request to `path` (below the base URL's prefix; starts with '/') and returns the
  /// status and body of any HTTP answer, 4xx/5xx included. Fails only when there is no usable
  /// answer (`invalid_options`, `transport`, `response_too_large`).
  /// `idempotency_key`, when not empty, is sent as `Idempotency-Key`. `*retryable` (when given)
  /// is set when the failure is one where the request may not have arrived or not have been
  /// answered (refused, reset, timed out), as opposed to e.g. a certificate that is not trusted.
  protocol::Result<Response> request(std::string_view method, std::string_view path, std::string_view body = {},
                                     std::string_view content_type = {}, std::string_view idempotency_key = {},
                                     bool* retryable = nullptr) const;

  /// `request()` under the RetryPolicy: retries transport failures, 503, 502 acquirer-unavailable and 409
  /// request-in-flight with the same key. Returns the last answer or error.
  protocol::Result<Response> call(std::string_view method, std::string_view path, std::string_view body,
                                  std::string_view idempotency_key) const;

  /// A POST to a payment's sub-resource (`/v1/payments/{id}/<action>`), with an optional
  /// `{"amount": n}` body.
  protocol::Result<Response> post_payment_action(std::string_view id, std::string_view action,
                                                 std::optional<std::int64_t> amount, const CallOptions& call) const;

  /// The error for a non-2xx answer: code `http_status`, with the server's problem title or
  /// detail in the message when it sent an RFC 9457 body.
  static protocol::Error http_error(std::string_view method, std::string_view path, const Response& response);

  /// The error for a non-2xx answer to a payment call: the server's Vitrina problem as
  /// {slug, detail, field} when it sent one, else `http_error`.
  static protocol::Error api_error(std::string_view method, std::string_view path, const Response& response);

  ClientOptions options_;
  std::string scheme_;  // "http" or "https"
  std::string host_;    // without IPv6 brackets
  int port_ = 0;
  std::string path_prefix_;  // "" or "/prefix", never ending in '/'
  std::optional<protocol::Error> options_error_;
};

}  // namespace vitrina::sdk
