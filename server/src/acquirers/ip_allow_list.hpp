#pragma once
// An allow-list of IP networks ("185.71.76.0/27", "2a02:5180::/32", single addresses), for
// acquirers whose callbacks are not signed and are recognised by where they come from.

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "vitrina/protocol/result.hpp"

namespace vitrina::acquirers {

class IpAllowList {
 public:
  /// Parses comma-separated networks; errors "invalid" naming the entry.
  static protocol::Result<IpAllowList> parse(std::string_view text);

  /// True when `address` (textual IPv4 or IPv6, IPv4-mapped IPv6 included) is in a network.
  bool allows(std::string_view address) const;
  bool empty() const noexcept { return networks_.empty(); }

 private:
  struct Network {
    std::array<std::uint8_t, 16> bytes{};  // IPv4 as IPv4-mapped IPv6
    int prefix_bits = 128;
  };
  std::vector<Network> networks_;
};

}  // namespace vitrina::acquirers
