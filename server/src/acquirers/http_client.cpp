#include "acquirers/http_client.hpp"

#include <httplib.h>

#include <charconv>
#include <thread>

namespace vitrina::acquirers {

namespace {

bool is_loopback(std::string_view host) { return host == "127.0.0.1" || host == "::1" || host == "localhost"; }

void set_timeout(std::chrono::milliseconds ms, auto&& setter) {
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(ms);
  const auto usecs = std::chrono::duration_cast<std::chrono::microseconds>(ms - secs);
  setter(static_cast<time_t>(secs.count()), static_cast<time_t>(usecs.count()));
}

}  // namespace

std::string BaseUrl::origin() const {
  const bool v6 = host.find(':') != std::string::npos;
  return scheme + "://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<BaseUrl> parse_base_url(std::string_view text) {
  const auto invalid = [](std::string message) {
    return protocol::make_error(protocol::ErrorCode::invalid, std::move(message), "base_url");
  };
  BaseUrl url;
  std::string_view rest;
  if (text.starts_with("https://")) {
    url.scheme = "https";
    url.port = 443;
    rest = text.substr(8);
  } else if (text.starts_with("http://")) {
    url.scheme = "http";
    url.port = 80;
    rest = text.substr(7);
  } else {
    return invalid("must start with https://");
  }
  if (rest.find_first_of("?#@") != std::string_view::npos) return invalid("must not hold a query, fragment or user");
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  url.prefix = std::string(path);
  std::string_view port_text;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return invalid("has a malformed IPv6 host");
    url.host = std::string(authority.substr(1, close - 1));
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return invalid("has a malformed port");
      port_text = authority.substr(close + 2);
    }
  } else {
    const auto colon = authority.find(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (url.host.empty()) return invalid("has no host");
  if (!port_text.empty() || authority.ends_with(':')) {
    int port = 0;
    const auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (port_text.empty() || ec != std::errc{} || ptr != port_text.data() + port_text.size() || port < 1 ||
        port > 65535) {
      return invalid("has a malformed port");
    }
    url.port = port;
  }
  if (url.scheme == "http" && !is_loopback(url.host)) {
    return invalid("must use https (plain http only for 127.0.0.1, ::1 or localhost)");
  }
  return url;
}

Result<HttpReply> HttpClient::send(std::string_view method, std::string_view path, const RawHeaders& headers,
                                   std::string_view body, std::string_view content_type) const {
  httplib::Client client(base_.origin());
  set_timeout(options_.connect_timeout, [&](time_t s, time_t us) { client.set_connection_timeout(s, us); });
  set_timeout(options_.read_timeout, [&](time_t s, time_t us) { client.set_read_timeout(s, us); });
  set_timeout(options_.read_timeout, [&](time_t s, time_t us) { client.set_write_timeout(s, us); });
  client.set_follow_location(false);
  client.set_keep_alive(false);
  if (base_.scheme == "https") {
    if (!options_.ca_file.empty()) client.set_ca_cert_path(options_.ca_file.c_str());
    client.enable_server_certificate_verification(true);
  }

  httplib::Request req;
  req.method = std::string(method);
  req.path = base_.prefix + std::string(path);
  for (const auto& [name, value] : headers) req.headers.emplace(name, value);
  if (!content_type.empty()) req.headers.emplace("Content-Type", std::string(content_type));
  req.body = std::string(body);

  HttpReply reply;
  bool too_long = false;
  req.content_receiver = [&](const char* data, std::size_t length, std::uint64_t, std::uint64_t) {
    if (reply.body.size() + length > options_.max_answer_bytes) {
      too_long = true;
      return false;
    }
    reply.body.append(data, length);
    return true;
  };
  httplib::Response res;
  httplib::Error error = httplib::Error::Success;
  const bool sent = client.send(req, res, error);
  if (too_long)
    return protocol::make_error(protocol::ErrorCode::acquirer_unavailable, "the acquirer's answer is too long");
  if (!sent) {
    return protocol::make_error(protocol::ErrorCode::acquirer_unavailable,
                                "no answer from the acquirer (" + httplib::to_string(error) + ")");
  }
  reply.status = res.status;
  for (const auto& [name, value] : res.headers) reply.headers.emplace_back(name, value);
  return reply;
}

Result<HttpReply> HttpClient::send_idempotent(std::string_view method, std::string_view path, const RawHeaders& headers,
                                              std::string_view body, std::string_view content_type,
                                              int attempts) const {
  std::chrono::milliseconds pause{200};
  for (int attempt = 1;; ++attempt) {
    auto reply = send(method, path, headers, body, content_type);
    const bool again = !reply || reply->status >= 500;
    if (!again || attempt >= attempts) return reply;
    std::this_thread::sleep_for(pause);
    pause *= 2;
  }
}

}  // namespace vitrina::acquirers
