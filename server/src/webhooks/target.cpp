#include "webhooks/target.hpp"

#include <simdjson.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <memory>
#include <optional>

namespace vitrina::webhooks {

namespace {

using protocol::make_error;

using V4 = std::array<std::uint8_t, 4>;
using V6 = std::array<std::uint8_t, 16>;

bool in_v4(const V4& a, std::uint8_t b0, std::uint8_t b1, int prefix) {
  const std::uint32_t ip =
      (std::uint32_t{a[0]} << 24) | (std::uint32_t{a[1]} << 16) | (std::uint32_t{a[2]} << 8) | a[3];
  const std::uint32_t net = (std::uint32_t{b0} << 24) | (std::uint32_t{b1} << 16);
  const std::uint32_t mask = prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
  return (ip & mask) == (net & mask);
}

AddressKind classify_v4(const V4& a) {
  if (a[0] == 0) return AddressKind::unspecified;  // 0.0.0.0/8 ("this network")
  if (a[0] == 127) return AddressKind::loopback;
  if (a[0] == 10 || in_v4(a, 172, 16, 12) || in_v4(a, 192, 168, 16) || in_v4(a, 100, 64, 10)) {
    return AddressKind::private_address;  // RFC 1918 and carrier-grade NAT
  }
  if (in_v4(a, 169, 254, 16)) return AddressKind::link_local;
  if (a[0] >= 224 && a[0] <= 239) return AddressKind::multicast;
  if (a[0] >= 240) return AddressKind::reserved;  // includes 255.255.255.255
  if ((a[0] == 192 && a[1] == 0 && (a[2] == 0 || a[2] == 2)) || in_v4(a, 198, 18, 15) ||
      (a[0] == 198 && a[1] == 51 && a[2] == 100) || (a[0] == 203 && a[1] == 0 && a[2] == 113)) {
    return AddressKind::reserved;  // IETF protocol assignments, documentation, benchmarking
  }
  return AddressKind::public_address;
}

AddressKind classify_v6(const V6& a) {
  const bool first80_zero = std::all_of(a.begin(), a.begin() + 10, [](std::uint8_t b) { return b == 0; });
  if (first80_zero && a[10] == 0xff && a[11] == 0xff) {  // ::ffff:a.b.c.d, IPv4-mapped
    return classify_v4({a[12], a[13], a[14], a[15]});
  }
  if (first80_zero && a[10] == 0 && a[11] == 0) {
    if (std::all_of(a.begin() + 12, a.end() - 1, [](std::uint8_t b) { return b == 0; })) {
      if (a[15] == 0) return AddressKind::unspecified;
      if (a[15] == 1) return AddressKind::loopback;
    }
    return AddressKind::reserved;  // deprecated IPv4-compatible addresses
  }
  // 64:ff9b::/96, NAT64: the embedded IPv4 address is where the packet goes.
  if (a[0] == 0x00 && a[1] == 0x64 && a[2] == 0xff && a[3] == 0x9b &&
      std::all_of(a.begin() + 4, a.begin() + 12, [](std::uint8_t b) { return b == 0; })) {
    return classify_v4({a[12], a[13], a[14], a[15]});
  }
  if (a[0] == 0xff) return AddressKind::multicast;
  if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) return AddressKind::link_local;       // fe80::/10
  if (a[0] == 0xfe && (a[1] & 0xc0) == 0xc0) return AddressKind::private_address;  // fec0::/10
  if ((a[0] & 0xfe) == 0xfc) return AddressKind::private_address;                  // fc00::/7
  if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8) return AddressKind::reserved;
  return AddressKind::public_address;
}

bool is_ipv6_literal(std::string_view host) { return host.find(':') != std::string_view::npos; }

}  // namespace

std::string_view to_string(AddressKind kind) {
  switch (kind) {
    case AddressKind::public_address:
      return "public";
    case AddressKind::loopback:
      return "loopback";
    case AddressKind::private_address:
      return "private";
    case AddressKind::link_local:
      return "link-local";
    case AddressKind::multicast:
      return "multicast";
    case AddressKind::unspecified:
      return "unspecified";
    case AddressKind::reserved:
      return "reserved";
  }
  return "unknown";
}

std::optional<AddressKind> classify_address(std::string_view ip) {
  const std::string text(ip);
  V4 v4{};
  if (::inet_pton(AF_INET, text.c_str(), v4.data()) == 1) return classify_v4(v4);
  V6 v6{};
  if (::inet_pton(AF_INET6, text.c_str(), v6.data()) == 1) return classify_v6(v6);
  return std::nullopt;
}

protocol::Result<TargetUrl> parse_target_url(std::string_view url) {
  auto bad = [](std::string message) { return make_error(protocol::ErrorCode::invalid, std::move(message), "url"); };
  if (url.size() > kMaxUrlLength) return bad("the URL is longer than 2048 characters");
  if (std::any_of(url.begin(), url.end(), [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; })) {
    return bad("the URL contains spaces or control characters");
  }
  TargetUrl out;
  if (url.starts_with("https://")) {
    out.scheme = "https";
    out.port = 443;
    url.remove_prefix(8);
  } else if (url.starts_with("http://")) {
    out.scheme = "http";
    out.port = 80;
    url.remove_prefix(7);
  } else {
    return bad("the URL must start with https:// (or http://)");
  }
  const auto end = url.find_first_of("/?#");
  const std::string_view authority = url.substr(0, end);
  std::string_view rest = end == std::string_view::npos ? std::string_view() : url.substr(end);
  if (authority.find('@') != std::string_view::npos) return bad("the URL must not contain a user name or password");
  std::string_view host = authority;
  std::string_view port;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return bad("the URL's IPv6 host lacks its closing bracket");
    host = authority.substr(1, close - 1);
    const auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad("unexpected characters after the URL's IPv6 host");
      port = after.substr(1);
    }
    if (!is_ipv6_literal(host) || !classify_address(host)) return bad("the URL's IPv6 host is not an IPv6 address");
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return bad("the URL has no host");
  if (authority.find(':') != std::string_view::npos && port.empty() && !authority.starts_with('[')) {
    return bad("the URL's port is empty");
  }
  if (!port.empty()) {
    unsigned n = 0;
    const auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), n);
    if (ec != std::errc{} || ptr != port.data() + port.size() || n == 0 || n > 65535) {
      return bad("the URL's port must be a number from 1 to 65535");
    }
    out.port = static_cast<std::uint16_t>(n);
  }
  out.host = std::string(host);
  std::transform(out.host.begin(), out.host.end(), out.host.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  out.target = rest.empty() || rest.front() != '/' ? "/" + std::string(rest) : std::string(rest);
  return out;
}

protocol::Result<TargetUrl> validate_endpoint_url(std::string_view url, bool allow_private) {
  auto parsed = parse_target_url(url);
  if (!parsed) return parsed;
  if (allow_private) return parsed;
  if (parsed->scheme != "https") {
    return make_error(protocol::ErrorCode::invalid,
                      "the URL must use https (http only with webhooks.allow_private_targets)", "url");
  }
  if (const auto kind = classify_address(parsed->host); kind && *kind != AddressKind::public_address) {
    return make_error(protocol::ErrorCode::invalid, "the URL points to a " + std::string(to_string(*kind)) + " address",
                      "url");
  }
  if (parsed->host == "localhost" || parsed->host.ends_with(".localhost")) {
    return make_error(protocol::ErrorCode::invalid, "the URL points to localhost", "url");
  }
  return parsed;
}

bool site_allows_private_targets(const store::Site& site) {
  thread_local simdjson::dom::parser parser;
  bool allowed = false;
  auto doc = parser.parse(site.settings_json);
  return !doc.error() && !doc["allow_private_webhook_targets"].get(allowed) && allowed;
}

protocol::Result<std::string> resolve_checked(const std::string& host, bool allow_private) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (const int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &found); rc != 0) {
    return make_error(protocol::ErrorCode::unavailable, "cannot resolve " + host + ": " + ::gai_strerror(rc));
  }
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> owned(found, &::freeaddrinfo);
  std::string first;
  for (const addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
    char text[INET6_ADDRSTRLEN] = {};
    const void* addr = ai->ai_family == AF_INET
                           ? static_cast<const void*>(&reinterpret_cast<const sockaddr_in*>(ai->ai_addr)->sin_addr)
                           : static_cast<const void*>(&reinterpret_cast<const sockaddr_in6*>(ai->ai_addr)->sin6_addr);
    if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6) continue;
    if (::inet_ntop(ai->ai_family, addr, text, sizeof text) == nullptr) continue;
    const auto kind = classify_address(text);
    if (!kind) continue;
    // One bad address refuses the name: which one a client would pick is not ours to guess.
    if (*kind != AddressKind::public_address && !allow_private) {
      return make_error(protocol::ErrorCode::not_allowed, "refused to connect: " + host + " resolves to a " +
                                                              std::string(to_string(*kind)) + " address (" + text +
                                                              ")");
    }
    if (first.empty()) first = text;
  }
  if (first.empty())
    return make_error(protocol::ErrorCode::unavailable, "cannot resolve " + host + ": no usable address");
  return first;
}

}  // namespace vitrina::webhooks
