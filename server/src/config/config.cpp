#include "config/config.hpp"

#include <toml++/toml.h>
#include <charconv>
#include <cstdlib>
#include <filesystem>

#include "config/schema.hpp"

extern char** environ;

namespace vitrina::config {

using detail::Entry;
using detail::Kind;
using detail::Value;
using protocol::make_error;

namespace {

std::string in_quotes(std::string_view s) { return "\"" + std::string(s) + "\""; }

Result<Value> refuse(const Entry& e, std::string_view what, std::string_view origin) {
  return make_error(protocol::ErrorCode::invalid,
                    std::string(e.key) + ": " + std::string(what) + " (" + std::string(origin) + ")",
                    std::string(e.key));
}

// Checks a value that has the right type against its entry's rules.
Result<Value> check(const Entry& e, Value v, std::string_view origin) {
  switch (e.kind) {
    case Kind::integer: {
      const auto n = std::get<std::int64_t>(v);
      if (n < e.min || n > e.max) {
        return refuse(
            e,
            "must be between " + std::to_string(e.min) + " and " + std::to_string(e.max) + ", got " + std::to_string(n),
            origin);
      }
      return v;
    }
    case Kind::boolean:
      return v;
    case Kind::string: {
      const auto& s = std::get<std::string>(v);
      if (static_cast<std::int64_t>(s.size()) < e.min) return refuse(e, "must not be empty", origin);
      if (static_cast<std::int64_t>(s.size()) > e.max) return refuse(e, "is too long", origin);
      return v;
    }
    case Kind::listen: {
      auto parsed = parse_listen(std::get<std::string>(v));
      if (!parsed) return refuse(e, parsed.error().message, origin);
      return v;
    }
    case Kind::log_level: {
      const auto& s = std::get<std::string>(v);
      if (s != "debug" && s != "info" && s != "warn" && s != "error") {
        return refuse(e, "must be one of debug, info, warn, error; got " + in_quotes(s), origin);
      }
      return v;
    }
    case Kind::engine: {
      const auto& s = std::get<std::string>(v);
      if (s != "sqlite") return refuse(e, "must be \"sqlite\"; got " + in_quotes(s), origin);
      return v;
    }
    case Kind::ms_list: {
      auto parsed = parse_ms_list(std::get<std::string>(v));
      if (!parsed) return refuse(e, parsed.error().message, origin);
      return v;
    }
  }
  return v;
}

// A value written as text (environment variable or flag).
Result<Value> from_text(const Entry& e, std::string_view text, std::string_view origin) {
  switch (e.kind) {
    case Kind::integer: {
      std::int64_t n = 0;
      const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
      if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size()) {
        return refuse(e, "expected an integer, got " + in_quotes(text), origin);
      }
      return check(e, n, origin);
    }
    case Kind::boolean:
      if (text == "true" || text == "1" || text == "yes" || text == "on") return Value{true};
      if (text == "false" || text == "0" || text == "no" || text == "off") return Value{false};
      return refuse(e, "expected true or false, got " + in_quotes(text), origin);
    default:
      return check(e, std::string(text), origin);
  }
}

Result<Value> from_toml(const Entry& e, const toml::node& node, std::string_view origin) {
  switch (e.kind) {
    case Kind::integer:
      if (auto n = node.value_exact<std::int64_t>()) return check(e, *n, origin);
      return refuse(e, "expected an integer", origin);
    case Kind::boolean:
      if (auto b = node.value_exact<bool>()) return Value{*b};
      return refuse(e, "expected true or false", origin);
    default:
      if (auto s = node.value_exact<std::string>()) return check(e, *s, origin);
      return refuse(e, "expected a string", origin);
  }
}

bool is_name(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
      return false;
    }
  }
  return true;
}

// Acquirer keys are the connector's to check; here they only need a name and a text value.
// Values are never echoed in messages: they may be secrets.
Result<std::string> acquirer_value(const toml::node& node, const std::string& key, const std::string& origin) {
  if (auto s = node.value_exact<std::string>()) return *s;
  if (auto n = node.value_exact<std::int64_t>()) return std::to_string(*n);
  if (auto b = node.value_exact<bool>()) return std::string(*b ? "true" : "false");
  if (const auto* array = node.as_array()) {
    std::string joined;
    for (const auto& item : *array) {
      auto text = item.value_exact<std::string>();
      if (!text)
        return make_error(protocol::ErrorCode::invalid, key + ": expected an array of strings (" + origin + ")", key);
      if (!joined.empty()) joined += ',';
      joined += *text;
    }
    return joined;
  }
  return make_error(protocol::ErrorCode::invalid,
                    key + ": expected a string, an integer, a boolean or an array of strings (" + origin + ")", key);
}

Result<void> set_acquirer_key(Config& config, const std::vector<std::string>& parts, std::string value,
                              const std::string& key, const std::string& origin) {
  // acquirers.<name>.<key> or acquirers.<name>.sites.<site_id>.<key>
  for (const auto& part : parts) {
    if (!is_name(part))
      return make_error(protocol::ErrorCode::invalid, "malformed key \"" + key + "\" (" + origin + ")", key);
  }
  if (parts.size() == 3 && parts[2] != "sites") {
    config.acquirers.sections[parts[1]].settings[parts[2]] = std::move(value);
    return {};
  }
  if (parts.size() == 5 && parts[2] == "sites") {
    config.acquirers.sections[parts[1]].sites[parts[3]][parts[4]] = std::move(value);
    return {};
  }
  return make_error(protocol::ErrorCode::invalid,
                    "unknown key \"" + key + "\" (" + origin +
                        "); acquirer keys are acquirers.NAME.KEY or acquirers.NAME.sites.SITE_ID.KEY",
                    key);
}

std::vector<std::string> split_key(std::string_view key) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const auto dot = key.find('.', start);
    parts.emplace_back(key.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) return parts;
    start = dot + 1;
  }
}

Result<void> apply_acquirer_table(Config& config, const toml::table& table, const std::string& prefix,
                                  const std::string& origin) {
  for (auto&& [k, node] : table) {
    const std::string key = prefix + "." + std::string(k.str());
    if (const auto* sub = node.as_table()) {
      auto r = apply_acquirer_table(config, *sub, key, origin);
      if (!r) return r;
      continue;
    }
    auto value = acquirer_value(node, key, origin);
    if (!value) return std::move(value).error();
    auto r = set_acquirer_key(config, split_key(key), std::move(*value), key, origin);
    if (!r) return r;
  }
  return {};
}

Result<void> apply_table(Config& config, const toml::table& table, const std::string& prefix,
                         const std::string& origin) {
  for (auto&& [k, node] : table) {
    const std::string key = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (const auto* sub = node.as_table(); sub != nullptr && prefix == "acquirers") {
      auto r = apply_acquirer_table(config, *sub, key, origin);
      if (!r) return r;
      continue;
    }
    if (const auto* sub = node.as_table()) {
      auto r = apply_table(config, *sub, key, origin);
      if (!r) return r;
      continue;
    }
    const Entry* e = detail::find_by_key(key);
    if (e == nullptr)
      return make_error(protocol::ErrorCode::invalid, "unknown key \"" + key + "\" (" + origin + ")", key);
    auto v = from_toml(*e, node, origin);
    if (!v) return std::move(v).error();
    e->apply(config, *v);
  }
  return {};
}

Result<void> apply_file(Config& config, const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return make_error(protocol::ErrorCode::invalid, "config file " + path + " does not exist or is not a file",
                      "config");
  }
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& err) {
    const auto& where = err.source().begin;
    return make_error(protocol::ErrorCode::invalid,
                      "config file " + path + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) +
                          ": " + std::string(err.description()),
                      "config");
  }
  return apply_table(config, table, "", path);
}

}  // namespace

std::string Config::listen() const {
  if (listen_host.find(':') != std::string::npos) return "[" + listen_host + "]:" + std::to_string(listen_port);
  return listen_host + ":" + std::to_string(listen_port);
}

Result<std::pair<std::string, std::uint16_t>> parse_listen(std::string_view text) {
  std::string_view host;
  std::string_view port;
  if (text.starts_with('[')) {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return make_error(protocol::ErrorCode::invalid, "expected [IPv6]:PORT, got \"" + std::string(text) + "\"",
                        "listen");
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      return make_error(protocol::ErrorCode::invalid, "expected HOST:PORT, got \"" + std::string(text) + "\"",
                        "listen");
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  unsigned value = 0;
  const auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (host.empty() || port.empty() || ec != std::errc{} || ptr != port.data() + port.size() || value > 65535) {
    return make_error(protocol::ErrorCode::invalid,
                      "expected HOST:PORT with a port from 0 to 65535, got \"" + std::string(text) + "\"", "listen");
  }
  return std::pair{std::string(host), static_cast<std::uint16_t>(value)};
}

Result<Config> load(const Sources& sources, Config defaults) {
  Config config = std::move(defaults);
  if (!sources.config_file.empty()) {
    auto r = apply_file(config, sources.config_file);
    if (!r) return std::move(r).error();
  }
  for (const auto& [name, text] : sources.env) {
    if (name == "VITRINA_CONFIG") continue;
    const Entry* e = detail::find_by_env(name);
    if (e == nullptr) continue;  // other VITRINA_* variables belong to tools, not to the server
    auto v = from_text(*e, text, "environment variable " + name);
    if (!v) return std::move(v).error();
    e->apply(config, *v);
  }
  for (const auto& [key, text] : sources.flags) {
    const Entry* e = detail::find_by_key(key);
    if (e == nullptr && key.starts_with("acquirers.")) {
      auto r = set_acquirer_key(config, split_key(key), text, key, "command line");
      if (!r) return std::move(r).error();
      continue;
    }
    if (e == nullptr)
      return make_error(protocol::ErrorCode::invalid, "unknown key \"" + key + "\" (command line)", key);
    auto v = from_text(*e, text, "command line");
    if (!v) return std::move(v).error();
    e->apply(config, *v);
  }
  return config;
}

std::vector<std::pair<std::string, std::string>> environment() {
  std::vector<std::pair<std::string, std::string>> out;
  for (char** p = environ; p != nullptr && *p != nullptr; ++p) {
    std::string_view entry(*p);
    if (!entry.starts_with("VITRINA_")) continue;
    const auto eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    out.emplace_back(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return out;
}

Result<std::vector<std::int64_t>> parse_ms_list(std::string_view text) {
  std::vector<std::int64_t> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    auto item = text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    std::int64_t n = 0;
    const auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), n);
    if (item.empty() || ec != std::errc{} || ptr != item.data() + item.size() || n < 1 ||
        n > 7LL * 24 * 60 * 60 * 1000) {
      return make_error(protocol::ErrorCode::invalid,
                        "expected comma-separated milliseconds (1 to 604800000), got " + in_quotes(text));
    }
    out.push_back(n);
    if (out.size() > 32) return make_error(protocol::ErrorCode::invalid, "at most 32 retry delays");
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

std::vector<KeyInfo> keys() {
  std::vector<KeyInfo> out;
  for (const auto& e : detail::schema()) {
    out.push_back({std::string(e.key), std::string(e.env), std::string(e.description)});
  }
  return out;
}

}  // namespace vitrina::config
