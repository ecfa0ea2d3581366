#include "http/cookies.hpp"

namespace vitrina::http {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::vector<std::string_view> cookie_values(std::string_view header, std::string_view name) {
  std::vector<std::string_view> values;
  if (name.empty()) return values;
  while (!header.empty()) {
    const auto semicolon = header.find(';');
    const std::string_view pair = header.substr(0, semicolon);
    header = semicolon == std::string_view::npos ? std::string_view{} : header.substr(semicolon + 1);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    if (trim(pair.substr(0, eq)) != name) continue;
    std::string_view value = trim(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    values.push_back(value);
  }
  return values;
}

std::optional<std::string_view> find_cookie(std::string_view header, std::string_view name) {
  auto values = cookie_values(header, name);
  if (values.empty()) return std::nullopt;
  return values.front();
}

std::string make_set_cookie(std::string_view name, std::string_view value, const CookieAttributes& attributes) {
  std::string out;
  out.reserve(name.size() + value.size() + 80);
  out.append(name).append("=").append(value);
  out.append("; Path=/; HttpOnly; SameSite=Strict; Max-Age=");
  out.append(std::to_string(attributes.max_age_s < 0 ? 0 : attributes.max_age_s));
  if (attributes.secure) out.append("; Secure");
  return out;
}

}  // namespace vitrina::http
