#include "base_url.hpp"

#include <charconv>
#include <system_error>
#include <utility>

#include "vitrina/protocol/keys.hpp"

namespace vitrina::sdk::detail {

namespace {

protocol::Error bad_base_url(std::string message) {
  return protocol::make_error(protocol::ErrorCode::invalid_options, std::move(message), "base_url");
}

bool is_path_byte(unsigned char c) noexcept {
  // Printable ASCII only; '?' and '#' would start a query or fragment we would silently drop.
  return c > 0x20 && c < 0x7F && c != '?' && c != '#' && c != '\\';
}

}  // namespace

protocol::Result<BaseUrl> parse_base_url(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    return bad_base_url("base_url must start with http:// or https://");
  }
  BaseUrl out;
  out.scheme = std::string(url.substr(0, scheme_end));
  if (out.scheme != "http" && out.scheme != "https") {
    return bad_base_url("base_url must start with http:// or https://");
  }
  const auto authority_start = scheme_end + 3;
  const auto path_start = url.find('/', authority_start);
  const auto origin = url.substr(0, path_start);
  // is_valid_origin rejects user info, queries and fragments in the authority, bad ports and
  // malformed host names, so what follows only has to split a known-good string.
  if (!protocol::is_valid_origin(origin)) {
    return bad_base_url("base_url is not scheme://host[:port] with a valid host and port");
  }
  std::string_view authority = origin.substr(authority_start);
  std::string_view port;
  if (authority.front() == '[') {
    const auto close = authority.find(']');
    out.host = std::string(authority.substr(1, close - 1));
    if (close + 1 < authority.size()) port = authority.substr(close + 2);
  } else {
    const auto colon = authority.find(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (port.empty()) {
    out.port = out.scheme == "https" ? 443 : 80;
  } else {
    const auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), out.port);
    if (ec != std::errc{} || ptr != port.data() + port.size()) {
      return bad_base_url("base_url has an invalid port");  // cannot happen: validated above
    }
  }

  if (path_start != std::string_view::npos) {
    std::string_view path = url.substr(path_start);
    for (char c : path) {
      if (!is_path_byte(static_cast<unsigned char>(c))) {
        return bad_base_url("base_url's path may not contain spaces, control bytes, '?' or '#'");
      }
    }
    while (!path.empty() && path.back() == '/') path.remove_suffix(1);
    out.path_prefix = std::string(path);
  }
  return out;
}

}  // namespace vitrina::sdk::detail
