#include "acquirers/ip_allow_list.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>
#include <optional>
#include <string>

namespace vitrina::acquirers {

namespace {

// IPv4 addresses become IPv4-mapped IPv6 (::ffff:a.b.c.d) so that one comparison serves both.
std::optional<std::array<std::uint8_t, 16>> to_bytes(std::string_view text, bool* v4) {
  std::array<std::uint8_t, 16> out{};
  const std::string s(text);
  in_addr a4{};
  if (inet_pton(AF_INET, s.c_str(), &a4) == 1) {
    out[10] = 0xff;
    out[11] = 0xff;
    std::memcpy(out.data() + 12, &a4, 4);
    if (v4) *v4 = true;
    return out;
  }
  in6_addr a6{};
  if (inet_pton(AF_INET6, s.c_str(), &a6) == 1) {
    std::memcpy(out.data(), &a6, 16);
    if (v4) *v4 = false;
    return out;
  }
  return std::nullopt;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

protocol::Result<IpAllowList> IpAllowList::parse(std::string_view text) {
  IpAllowList list;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    const auto entry =
        trim(text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    start = comma == std::string_view::npos ? text.size() + 1 : comma + 1;
    if (entry.empty()) continue;
    const auto slash = entry.find('/');
    bool v4 = false;
    auto bytes = to_bytes(entry.substr(0, slash), &v4);
    if (!bytes) {
      return protocol::make_error(protocol::ErrorCode::invalid,
                                  "\"" + std::string(entry) + "\" is not an IP address or network", "allowed_ips");
    }
    Network network{.bytes = *bytes, .prefix_bits = 128};
    if (slash != std::string_view::npos) {
      const auto bits_text = entry.substr(slash + 1);
      int bits = -1;
      const auto [ptr, ec] = std::from_chars(bits_text.data(), bits_text.data() + bits_text.size(), bits);
      const int max = v4 ? 32 : 128;
      if (ec != std::errc{} || ptr != bits_text.data() + bits_text.size() || bits < 0 || bits > max) {
        return protocol::make_error(protocol::ErrorCode::invalid,
                                    "\"" + std::string(entry) + "\" has a bad prefix length", "allowed_ips");
      }
      network.prefix_bits = v4 ? 96 + bits : bits;
    }
    list.networks_.push_back(network);
  }
  return list;
}

bool IpAllowList::allows(std::string_view address) const {
  const auto bytes = to_bytes(address, nullptr);
  if (!bytes) return false;
  for (const auto& n : networks_) {
    int bits = n.prefix_bits;
    bool match = true;
    for (std::size_t i = 0; i < 16 && bits > 0 && match; ++i, bits -= 8) {
      const std::uint8_t mask = bits >= 8 ? 0xff : static_cast<std::uint8_t>(0xff << (8 - bits));
      match = ((*bytes)[i] & mask) == (n.bytes[i] & mask);
    }
    if (match) return true;
  }
  return false;
}

}  // namespace vitrina::acquirers
