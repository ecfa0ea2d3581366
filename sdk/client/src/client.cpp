#include "vitrina/sdk/client.hpp"

#include <httplib.h>

#include <charconv>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

#include "answer_json.hpp"
#include "base_url.hpp"
#include "vitrina/protocol/keys.hpp"

namespace vitrina::sdk {

namespace {

using protocol::make_error;

// How much of a server's problem title/detail is copied into an Error message.
constexpr std::size_t kMaxProblemText = 200;

bool is_header_safe(std::string_view value) noexcept {
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) return false;  // CR/LF would let a value inject headers
  }
  return true;
}

std::optional<protocol::Error> validate(const ClientOptions& o) {
  using std::chrono::milliseconds;
  if (!o.secret_key.empty() && !protocol::is_secret_key(o.secret_key)) {
    // The message must not echo the key: it may be a real secret pasted into the wrong field.
    return make_error(protocol::ErrorCode::invalid_options,
                      "secret_key is not a site secret key (sk_ followed by 43 base62 characters)", "secret_key");
  }
  if (o.connect_timeout <= milliseconds::zero()) {
    return make_error(protocol::ErrorCode::invalid_options, "connect_timeout must be positive", "connect_timeout");
  }
  if (o.read_timeout <= milliseconds::zero()) {
    return make_error(protocol::ErrorCode::invalid_options, "read_timeout must be positive", "read_timeout");
  }
  if (o.write_timeout <= milliseconds::zero()) {
    return make_error(protocol::ErrorCode::invalid_options, "write_timeout must be positive", "write_timeout");
  }
  if (!is_header_safe(o.user_agent)) {
    return make_error(protocol::ErrorCode::invalid_options, "user_agent may not contain control characters",
                      "user_agent");
  }
  if (o.max_response_bytes == 0) {
    return make_error(protocol::ErrorCode::invalid_options, "max_response_bytes must be positive",
                      "max_response_bytes");
  }
  if (o.retry.max_attempts < 1 || o.retry.max_attempts > 10) {
    return make_error(protocol::ErrorCode::invalid_options, "retry.max_attempts must be 1 to 10", "retry.max_attempts");
  }
  if (o.retry.initial_backoff < milliseconds::zero() || o.retry.max_backoff < o.retry.initial_backoff) {
    return make_error(protocol::ErrorCode::invalid_options,
                      "retry backoffs must satisfy 0 <= initial_backoff <= max_backoff", "retry.initial_backoff");
  }
  return std::nullopt;
}

std::unique_ptr<httplib::ClientImpl> make_transport(const std::string& scheme, const std::string& host, int port,
                                                    const ClientOptions& o) {
  std::unique_ptr<httplib::ClientImpl> cli;
  if (scheme == "https") {
    auto ssl = std::make_unique<httplib::SSLClient>(host, port);
    ssl->enable_server_certificate_verification(true);
    if (!o.ca_cert_file.empty()) ssl->set_ca_cert_path(o.ca_cert_file);
    cli = std::move(ssl);
  } else {
    cli = std::make_unique<httplib::ClientImpl>(host, port);
  }
  cli->set_connection_timeout(o.connect_timeout);
  cli->set_read_timeout(o.read_timeout);
  cli->set_write_timeout(o.write_timeout);
  // A redirect would carry the secret key to wherever the Location points; the API never
  // redirects, so a 3xx is reported as an error instead of followed.
  cli->set_follow_location(false);
  cli->set_keep_alive(false);
  return cli;
}

// httplib's own names ("Connection", "Read") say little to someone reading a log.
std::string_view describe(httplib::Error error) {
  switch (error) {
    case httplib::Error::Connection:
      return "could not connect: refused, unreachable or unknown host";
    case httplib::Error::ConnectionTimeout:
      return "connect timed out";
    case httplib::Error::BindIPAddress:
      return "could not bind the local address";
    case httplib::Error::Read:
      return "reading the answer failed or timed out";
    case httplib::Error::Write:
      return "sending the request failed or timed out";
    case httplib::Error::SSLConnection:
      return "TLS handshake failed";
    case httplib::Error::SSLLoadingCerts:
      return "could not load the CA certificates";
    case httplib::Error::SSLServerVerification:
      return "the server's certificate is not trusted";
    case httplib::Error::Compression:
      return "could not decompress the answer";
    case httplib::Error::ExceedRedirectCount:
      return "too many redirects";
    case httplib::Error::Canceled:
      return "canceled";
    default:
      return "transport error";
  }
}

// Cuts `s` to at most `n` bytes without splitting a UTF-8 sequence.
std::string_view truncate_utf8(std::string_view s, std::size_t n) {
  if (s.size() <= n) return s;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

}  // namespace

Client::Client(ClientOptions options) : options_(std::move(options)) {
  auto base = detail::parse_base_url(options_.base_url);
  if (!base) {
    options_error_ = std::move(base).error();
    return;
  }
  scheme_ = std::move(base->scheme);
  host_ = std::move(base->host);
  port_ = base->port;
  path_prefix_ = std::move(base->path_prefix);
  options_error_ = validate(options_);
}

protocol::Result<Health> Client::health() const {
  constexpr std::string_view kPath = "/healthz";
  auto response = request("GET", kPath);
  if (!response) return std::move(response).error();
  if (response->status < 200 || response->status > 299) {
    return http_error("GET", kPath, *response);
  }
  auto root = detail::parse_answer(response->body);
  if (!root) {
    auto error = std::move(root).error();
    error.message = "GET /healthz: " + error.message;
    return error;
  }
  if (!root->is_object()) {
    return make_error(protocol::ErrorCode::invalid_response, "GET /healthz: the answer is not a JSON object");
  }
  const protocol::JsonValue* status = root->find("status");
  if (!status) {
    return make_error(protocol::ErrorCode::invalid_response, "GET /healthz: the answer has no \"status\"", "status");
  }
  if (!status->is_string()) {
    return make_error(protocol::ErrorCode::invalid_response, "GET /healthz: \"status\" is not a string", "status");
  }
  return Health{status->text};
}

protocol::Result<Client::Response> Client::request(std::string_view method, std::string_view path,
                                                   std::string_view body, std::string_view content_type,
                                                   std::string_view idempotency_key, bool* retryable) const {
  if (retryable) *retryable = false;
  if (options_error_) return *options_error_;
  const std::string what = std::string(method) + " " + std::string(path);

  httplib::Request req;
  req.method = std::string(method);
  req.path = path_prefix_ + std::string(path);
  req.headers.emplace("Accept", "application/json");
  req.headers.emplace("User-Agent", options_.user_agent);
  if (!options_.secret_key.empty()) {
    req.headers.emplace("Authorization", "Bearer " + options_.secret_key);
  }
  if (!idempotency_key.empty()) req.headers.emplace("Idempotency-Key", std::string(idempotency_key));
  if (!body.empty() || !content_type.empty()) {
    req.body = std::string(body);
    req.headers.emplace("Content-Type", content_type.empty() ? "application/json" : std::string(content_type));
  }

  // The body is collected here rather than by httplib so that max_response_bytes holds for
  // every answer, including a compressed one that inflates past it.
  Response out;
  bool too_large = false;
  const std::size_t limit = options_.max_response_bytes;
  req.response_handler = [&](const httplib::Response& r) {
    const std::string length = r.get_header_value("Content-Length");
    std::uint64_t announced = 0;
    const auto [ptr, ec] = std::from_chars(length.data(), length.data() + length.size(), announced);
    if (ec == std::errc{} && ptr == length.data() + length.size() && announced > limit) {
      too_large = true;  // refuse before reading a byte of it
      return false;
    }
    return true;
  };
  req.content_receiver = [&](const char* data, std::size_t n, std::uint64_t, std::uint64_t) {
    if (n > limit - out.body.size()) {
      too_large = true;
      return false;
    }
    out.body.append(data, n);
    return true;
  };

  auto transport = make_transport(scheme_, host_, port_, options_);
  const httplib::Result result = transport->send(req);
  if (too_large) {
    return make_error(protocol::ErrorCode::response_too_large,
                      what + ": the answer is larger than " + std::to_string(limit) + " bytes");
  }
  if (!result) {
    std::string message = what + ": no answer from " + host_ + ":" + std::to_string(port_) + ": ";
    message += describe(result.error());
    // Only failures where the request may simply not have got through, or its answer not back;
    // a certificate that is not trusted will not become trusted by asking again.
    switch (result.error()) {
      case httplib::Error::Connection:
      case httplib::Error::ConnectionTimeout:
      case httplib::Error::Read:
      case httplib::Error::Write:
        if (retryable) *retryable = true;
        break;
      default:
        break;
    }
    return make_error(protocol::ErrorCode::transport, std::move(message));
  }
  out.status = result->status;
  out.content_type = result->get_header_value("Content-Type");
  out.retry_after = result->get_header_value("Retry-After");
  return out;
}

protocol::Error Client::http_error(std::string_view method, std::string_view path, const Response& response) {
  std::string message =
      std::string(method) + " " + std::string(path) + ": the server answered " + std::to_string(response.status);
  // RFC 9457: prefer the occurrence-specific detail, fall back to the problem type's title.
  if (response.content_type.starts_with("application/problem+json") ||
      response.content_type.starts_with("application/json")) {
    const auto root = detail::parse_answer(response.body);
    const protocol::JsonValue* text = root ? root->find("detail") : nullptr;
    if (!text || !text->is_string()) text = root ? root->find("title") : nullptr;
    if (text && text->is_string()) {
      message += ": ";
      message += truncate_utf8(text->text, kMaxProblemText);
    }
  }
  auto error = make_error(protocol::ErrorCode::http_status, std::move(message));
  error.http_status = response.status;
  return error;
}

}  // namespace vitrina::sdk
