#pragma once
// Internal to vitrina::sdk: splitting a ClientOptions::base_url into what cpp-httplib needs.

#include <string>
#include <string_view>

#include "vitrina/protocol/result.hpp"

namespace vitrina::sdk::detail {

struct BaseUrl {
  std::string scheme;       // "http" or "https"
  std::string host;         // a DNS name, IPv4 address or IPv6 address (without brackets)
  int port = 0;             // explicit, or 80/443 from the scheme
  std::string path_prefix;  // "" or "/a/b": never ends in '/'
};

/// Accepts `scheme://host[:port][/path]` where `scheme://host[:port]` is a valid origin (see
/// protocol::is_valid_origin) and the path has no query, fragment, spaces or control bytes.
/// Errors have code `invalid_options` and field `base_url`.
protocol::Result<BaseUrl> parse_base_url(std::string_view url);

}  // namespace vitrina::sdk::detail
