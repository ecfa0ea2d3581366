// The payment calls of vitrina::sdk::Client: paths, idempotency keys, retries and the mapping of
// answers onto Payment / Refund values or Errors. Transport details live in client.cpp.
#include <sodium.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <string>
#include <system_error>
#include <thread>
#include <utility>

#include "idempotency.hpp"
#include "payment_json.hpp"
#include "vitrina/sdk/client.hpp"

namespace vitrina::sdk {

namespace {

using protocol::make_error;

// How much of a server's problem detail is copied into an Error message.
constexpr std::size_t kMaxProblemText = 200;
constexpr std::size_t kMaxIdLength = 255;

// Payment ids are `pay_` and base62; anything outside [A-Za-z0-9_-] could change the path.
bool is_path_safe_id(std::string_view id) noexcept {
  if (id.empty() || id.size() > kMaxIdLength) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

std::string percent_encode(std::string_view s) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0x0F]);
    }
  }
  return out;
}

// The caller's key when given (checked, so a bad one fails here rather than as a 400), else a
// fresh random one. Drawn once per call, before the first attempt, so every retry reuses it.
protocol::Result<std::string> idempotency_key_for(const CallOptions& opts) {
  if (opts.idempotency_key.empty()) return detail::random_idempotency_key();
  if (!detail::is_valid_idempotency_key(opts.idempotency_key)) {
    return make_error(protocol::ErrorCode::invalid_argument, "idempotency_key must be 1-255 printable ASCII characters",
                      "idempotency_key");
  }
  return opts.idempotency_key;
}

protocol::Error bad_id() {
  return make_error(protocol::ErrorCode::invalid_argument,
                    "a payment id is 1-255 characters of A-Z, a-z, 0-9, '_' and '-'", "id");
}

// The pause before retry number `retry` (1 for the first): doubling from initial_backoff, capped,
// less a random jitter of up to half. A server's Retry-After (whole seconds) wins, capped too.
std::chrono::milliseconds pause_before(int retry, const RetryPolicy& policy, std::string_view retry_after) {
  using std::chrono::milliseconds;
  std::int64_t seconds = 0;
  const auto [ptr, ec] = std::from_chars(retry_after.data(), retry_after.data() + retry_after.size(), seconds);
  if (!retry_after.empty() && ec == std::errc{} && ptr == retry_after.data() + retry_after.size() && seconds >= 0) {
    // Capped before multiplying, so an absurd value cannot overflow.
    return std::min(milliseconds(std::min<std::int64_t>(seconds, 86400) * 1000), policy.max_backoff);
  }
  milliseconds pause = policy.initial_backoff;
  for (int i = 1; i < retry && pause < policy.max_backoff; ++i) pause *= 2;
  pause = std::min(pause, policy.max_backoff);
  const auto half = static_cast<std::uint32_t>(pause.count() / 2);
  if (half > 0) pause -= milliseconds(randombytes_uniform(half + 1));
  return pause;
}

}  // namespace

protocol::Result<Client::Response> Client::call(std::string_view method, std::string_view path, std::string_view body,
                                                std::string_view idempotency_key) const {
  const RetryPolicy& policy = options_.retry;
  for (int attempt = 1;; ++attempt) {
    bool retryable = false;
    auto response = request(method, path, body, body.empty() ? std::string_view{} : "application/json", idempotency_key,
                            &retryable);
    std::string_view retry_after;
    if (response) {
      retry_after = response->retry_after;
      if (response->status == 503) {
        retryable = true;
      } else if (response->status == 409) {
        // Only "the same key is still being answered": a state conflict will not go away.
        const auto problem = detail::parse_problem(response->body, kMaxProblemText);
        retryable = problem && problem->code == protocol::ErrorCode::request_in_flight;
      } else if (response->status == 502) {
        // The acquirer could not be reached: nothing was stored and the key is still free.
        const auto problem = detail::parse_problem(response->body, kMaxProblemText);
        retryable = problem && problem->code == protocol::ErrorCode::acquirer_unavailable;
      }
    }
    if (!retryable || attempt >= policy.max_attempts) return response;
    std::this_thread::sleep_for(pause_before(attempt, policy, retry_after));
  }
}

protocol::Error Client::api_error(std::string_view method, std::string_view path, const Response& response) {
  if (response.content_type.starts_with("application/problem+json") ||
      response.content_type.starts_with("application/json")) {
    if (auto problem = detail::parse_problem(response.body, kMaxProblemText)) {
      problem->http_status = response.status;
      return std::move(*problem);
    }
  }
  return http_error(method, path, response);
}

namespace {

// Every payment call ends the same way: no answer stays the transport error, a non-2xx answer
// becomes an Error through `to_error`, and a 2xx body is parsed into the promised value.
template <class Response, class Parse, class ToError>
auto finish(protocol::Result<Response> response, std::string_view method, std::string_view path, Parse parse,
            ToError to_error) -> decltype(parse(std::string_view{})) {
  if (!response) return std::move(response).error();
  if (response->status < 200 || response->status > 299) return to_error(method, path, *response);
  auto parsed = parse(response->body);
  if (parsed) return parsed;
  auto error = std::move(parsed).error();
  error.message = std::string(method) + " " + std::string(path) + ": " + error.message;
  return error;
}

}  // namespace

protocol::Result<Payment> Client::create_payment(const PaymentRequest& request, const CallOptions& opts) const {
  constexpr std::string_view kPath = "/v1/payments";
  auto key = idempotency_key_for(opts);
  if (!key) return std::move(key).error();
  auto response = call("POST", kPath, detail::write_payment_request(request), *key);
  return finish(std::move(response), "POST", kPath, detail::parse_payment,
                [](auto m, auto p, const auto& r) { return api_error(m, p, r); });
}

protocol::Result<Payment> Client::get_payment(std::string_view id) const {
  if (!is_path_safe_id(id)) return bad_id();
  const std::string path = "/v1/payments/" + std::string(id);
  auto response = call("GET", path, {}, {});
  return finish(std::move(response), "GET", path, detail::parse_payment,
                [](auto m, auto p, const auto& r) { return api_error(m, p, r); });
}

protocol::Result<std::vector<Payment>> Client::list_payments_by_order(std::string_view order_id,
                                                                      std::optional<int> limit) const {
  if (order_id.empty())
    return make_error(protocol::ErrorCode::invalid_argument, "order_id must not be empty", "order_id");
  std::string path = "/v1/payments?order_id=" + percent_encode(order_id);
  if (limit) path += "&limit=" + std::to_string(*limit);
  auto response = call("GET", path, {}, {});
  return finish(std::move(response), "GET", path, detail::parse_payment_list,
                [](auto m, auto p, const auto& r) { return api_error(m, p, r); });
}

protocol::Result<Client::Response> Client::post_payment_action(std::string_view id, std::string_view action,
                                                               std::optional<std::int64_t> amount,
                                                               const CallOptions& opts) const {
  if (!is_path_safe_id(id)) return bad_id();
  auto key = idempotency_key_for(opts);
  if (!key) return std::move(key).error();
  const std::string path = "/v1/payments/" + std::string(id) + "/" + std::string(action);
  return call("POST", path, detail::write_amount_body(amount), *key);
}

protocol::Result<Payment> Client::capture_payment(std::string_view id, std::optional<std::int64_t> amount,
                                                  const CallOptions& opts) const {
  const std::string path = "/v1/payments/" + std::string(id) + "/capture";
  auto response = post_payment_action(id, "capture", amount, opts);
  return finish(std::move(response), "POST", path, detail::parse_payment,
                [](auto m, auto p, const auto& r) { return api_error(m, p, r); });
}

protocol::Result<Payment> Client::cancel_payment(std::string_view id, const CallOptions& opts) const {
  const std::string path = "/v1/payments/" + std::string(id) + "/cancel";
  auto response = post_payment_action(id, "cancel", std::nullopt, opts);
  return finish(std::move(response), "POST", path, detail::parse_payment,
                [](auto m, auto p, const auto& r) { return api_error(m, p, r); });
}

protocol::Result<Refund> Client::refund_payment(std::string_view id, std::optional<std::int64_t> amount,
                                                const CallOptions& opts) const {
  const std::string path = "/v1/payments/" + std::string(id) + "/refunds";
  auto response = post_payment_action(id, "refunds", amount, opts);
  return finish(std::move(response), "POST", path, detail::parse_refund,
                [](auto m, auto p, const auto& r) { return api_error(m, p, r); });
}

}  // namespace vitrina::sdk
