#pragma once
// Where a webhook may be sent. Endpoint URLs are checked when they are added, and the host is
// resolved and checked again before every attempt (SSRF guard): loopback, private, link-local,
// multicast, unspecified and reserved addresses, IPv4-mapped or NAT64 forms included, are
// refused unless webhooks.allow_private_targets is set. The attempt then connects to the very
// address that was checked, so a DNS answer that changes in between (rebinding) is not used.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/store.hpp"
#include "vitrina/protocol/result.hpp"

namespace vitrina::webhooks {

inline constexpr std::size_t kMaxUrlLength = 2048;

struct TargetUrl {
  std::string scheme;  // "http" | "https"
  std::string host;    // a name, an IPv4 literal, or an IPv6 literal without brackets
  std::uint16_t port = 0;
  std::string target;  // path and query, at least "/"; the fragment is dropped
};

/// Parses an absolute http(s) URL. Refuses other schemes, userinfo ("user@host"), empty hosts,
/// bad ports, whitespace and control characters, and more than kMaxUrlLength characters.
protocol::Result<TargetUrl> parse_target_url(std::string_view url);

/// What an endpoint URL must be to be added: parse_target_url, https unless allow_private
/// (plain http is for local development and tests), and an IP-literal host must be public
/// unless allow_private. Names are resolved only when sending (they may change).
protocol::Result<TargetUrl> validate_endpoint_url(std::string_view url, bool allow_private);

/// True when the site's settings lift the SSRF rule for its own endpoints
/// (`allow_private_webhook_targets`, set by the server's administrator).
bool site_allows_private_targets(const store::Site& site);

enum class AddressKind { public_address, loopback, private_address, link_local, multicast, unspecified, reserved };

/// The kind of an IPv4 or IPv6 literal (IPv6 without brackets); nothing when it is neither.
std::optional<AddressKind> classify_address(std::string_view ip);
std::string_view to_string(AddressKind kind);

/// Resolves `host` and returns the address to connect to (the first one). Error "refused" when
/// any resolved address is not public and !allow_private (naming the kind of address), or
/// "unavailable" when the name does not resolve. Blocks (getaddrinfo).
protocol::Result<std::string> resolve_checked(const std::string& host, bool allow_private);

}  // namespace vitrina::webhooks
