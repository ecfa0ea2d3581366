#include "vitrina/protocol/keys.hpp"

#include <charconv>

namespace vitrina::protocol {

namespace {

bool is_base62(char c) noexcept { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

bool is_hex(char c) noexcept { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f'); }

// A DNS name (or dotted IPv4 address): labels of 1..63 letters, digits and hyphens, separated by
// single dots, no label starting or ending with a hyphen, 253 characters at most.
bool is_valid_host_name(std::string_view host) noexcept {
  if (host.empty() || host.size() > 253) return false;
  std::size_t start = 0;
  while (true) {
    const auto dot = host.find('.', start);
    const auto label = host.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!is_base62(c) && c != '-') return false;
    }
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

// The inside of an IPv6 literal's brackets. Deliberately a shape check (hex groups, colons, an
// optional dotted IPv4 tail), not a full RFC 4291 parser: enough to reject junk and paths.
bool is_plausible_ipv6(std::string_view inner) noexcept {
  if (inner.size() < 2 || inner.size() > 45 || inner.find(':') == std::string_view::npos) {
    return false;
  }
  for (char c : inner) {
    if (!is_hex(c) && c != ':' && c != '.') return false;
  }
  return true;
}

// A port as an origin serialises it: 1..65535, decimal, no sign and no leading zero.
bool is_valid_port(std::string_view port) noexcept {
  if (port.empty() || port.size() > 5 || port.front() == '0') return false;
  unsigned value = 0;
  const auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  return ec == std::errc{} && ptr == port.data() + port.size() && value >= 1 && value <= 65535;
}

}  // namespace

bool is_key_of(std::string_view key, std::string_view prefix, std::size_t body_length) noexcept {
  if (key.size() != prefix.size() + body_length || !key.starts_with(prefix)) return false;
  for (char c : key.substr(prefix.size())) {
    if (!is_base62(c)) return false;
  }
  return true;
}

bool is_valid_origin(std::string_view origin) noexcept {
  std::string_view rest;
  if (origin.starts_with("https://")) {
    rest = origin.substr(8);
  } else if (origin.starts_with("http://")) {
    rest = origin.substr(7);
  } else {
    return false;
  }
  if (rest.empty()) return false;
  if (rest.front() == '[') {  // IPv6 literal
    const auto close = rest.find(']');
    if (close == std::string_view::npos || !is_plausible_ipv6(rest.substr(1, close - 1))) {
      return false;
    }
    rest = rest.substr(close + 1);
    if (rest.empty()) return true;
    return rest.front() == ':' && is_valid_port(rest.substr(1));
  }
  const auto colon = rest.find(':');
  if (colon == std::string_view::npos) return is_valid_host_name(rest);
  return is_valid_host_name(rest.substr(0, colon)) && is_valid_port(rest.substr(colon + 1));
}

}  // namespace vitrina::protocol
