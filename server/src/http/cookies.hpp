#pragma once
// Reading the Cookie request header and writing Set-Cookie (RFC 6265). Plain functions, no
// server, so they are unit-tested directly.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vitrina::http {

/// Every value of the cookie called `name` in one Cookie header ("a=1; b=2; a=3"), in order.
/// Pairs are split on ';', optional whitespace around names and values is dropped, a value in
/// double quotes is unquoted, and pairs without '=' are skipped. Names compare exactly
/// (cookie names are case-sensitive).
std::vector<std::string_view> cookie_values(std::string_view header, std::string_view name);

/// The first value of `name` in `header`, if any.
std::optional<std::string_view> find_cookie(std::string_view header, std::string_view name);

struct CookieAttributes {
  std::int64_t max_age_s = 0;  // 0 expires the cookie at once
  bool secure = false;
};

/// "name=value; Path=/; HttpOnly; SameSite=Strict; Max-Age=N[; Secure]". `value` must already
/// be a valid cookie-value (the session token is base62).
std::string make_set_cookie(std::string_view name, std::string_view value, const CookieAttributes& attributes);

}  // namespace vitrina::http
