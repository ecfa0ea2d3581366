#include "acquirers/connector_config.hpp"

#include <algorithm>
#include <charconv>

namespace vitrina::acquirers {

namespace {

Result<std::chrono::milliseconds> parse_ms(const std::string& text, const std::string& key) {
  std::int64_t n = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size() || n < 10 || n > 300000) {
    return protocol::make_error(protocol::ErrorCode::invalid, key + ": expected milliseconds from 10 to 300000", key);
  }
  return std::chrono::milliseconds(n);
}

}  // namespace

std::string ConnectorConfig::key_name(std::string_view key, std::string_view site) const {
  std::string out = "acquirers." + name;
  if (!site.empty()) out += ".sites." + std::string(site);
  return out + "." + std::string(key);
}

Result<std::string> ConnectorConfig::required(std::string_view key) const {
  const auto it = section.settings.find(std::string(key));
  if (it == section.settings.end() || it->second.empty()) {
    return protocol::make_error(protocol::ErrorCode::invalid, key_name(key) + " is required", key_name(key));
  }
  return it->second;
}

std::string ConnectorConfig::optional(std::string_view key, std::string_view fallback) const {
  const auto it = section.settings.find(std::string(key));
  return it == section.settings.end() ? std::string(fallback) : it->second;
}

Result<std::string> ConnectorConfig::site_required(const std::string& site, std::string_view key) const {
  const auto s = section.sites.find(site);
  if (s != section.sites.end()) {
    const auto it = s->second.find(std::string(key));
    if (it != s->second.end() && !it->second.empty()) return it->second;
  }
  return protocol::make_error(protocol::ErrorCode::invalid, key_name(key, site) + " is required", key_name(key, site));
}

std::string ConnectorConfig::site_optional(const std::string& site, std::string_view key,
                                           std::string_view fallback) const {
  const auto s = section.sites.find(site);
  if (s == section.sites.end()) return std::string(fallback);
  const auto it = s->second.find(std::string(key));
  return it == s->second.end() ? std::string(fallback) : it->second;
}

Result<HttpClientOptions> ConnectorConfig::http_options() const {
  HttpClientOptions out = http;
  if (auto ca = optional("ca_file"); !ca.empty()) out.ca_file = ca;
  if (auto t = optional("connect_timeout_ms"); !t.empty()) {
    auto ms = parse_ms(t, key_name("connect_timeout_ms"));
    if (!ms) return std::move(ms).error();
    out.connect_timeout = *ms;
  }
  if (auto t = optional("read_timeout_ms"); !t.empty()) {
    auto ms = parse_ms(t, key_name("read_timeout_ms"));
    if (!ms) return std::move(ms).error();
    out.read_timeout = *ms;
  }
  return out;
}

Result<HttpClient> ConnectorConfig::client(std::string_view default_base_url) const {
  auto base = parse_base_url(optional("base_url", default_base_url));
  if (!base)
    return protocol::make_error(protocol::ErrorCode::invalid, key_name("base_url") + " " + base.error().message,
                                key_name("base_url"));
  auto options = http_options();
  if (!options) return std::move(options).error();
  return HttpClient(std::move(*base), std::move(*options));
}

Result<IpAllowList> ConnectorConfig::allowed_ips(std::string_view fallback) const {
  auto allowed = IpAllowList::parse(optional("allowed_ips", fallback));
  if (!allowed) {
    return protocol::make_error(protocol::ErrorCode::invalid, key_name("allowed_ips") + ": " + allowed.error().message,
                                key_name("allowed_ips"));
  }
  return allowed;
}

Result<void> ConnectorConfig::only_keys(const std::vector<std::string_view>& known,
                                        const std::vector<std::string_view>& known_site_keys) const {
  const auto has = [](const std::vector<std::string_view>& list, const std::string& k) {
    return std::find(list.begin(), list.end(), k) != list.end();
  };
  for (const auto& [key, value] : section.settings) {
    if (!has(known, key) && key != "ca_file" && key != "connect_timeout_ms" && key != "read_timeout_ms") {
      return protocol::make_error(protocol::ErrorCode::invalid, "unknown key " + key_name(key), key_name(key));
    }
  }
  for (const auto& [site, keys] : section.sites) {
    for (const auto& [key, value] : keys) {
      if (!has(known_site_keys, key)) {
        return protocol::make_error(protocol::ErrorCode::invalid, "unknown key " + key_name(key, site),
                                    key_name(key, site));
      }
    }
  }
  return {};
}

Result<void> add_configured_connectors(Registry& registry, const config::AcquirerSettings& settings) {
  const auto& factories = connector_factories();
  for (const auto& [name, section] : settings.sections) {
    const auto factory = factories.find(name);
    if (factory == factories.end()) {
      std::string known;
      for (const auto& [n, f] : factories) known += (known.empty() ? "" : ", ") + n;
      return protocol::make_error(
          protocol::ErrorCode::invalid,
          "acquirers." + name + ": no such acquirer (known: " + (known.empty() ? std::string("none") : known) + ")",
          "acquirers." + name);
    }
    if (name == "sandbox" || registry.find(name) != nullptr) {
      return protocol::make_error(protocol::ErrorCode::invalid, "acquirers." + name + " is built in",
                                  "acquirers." + name);
    }
    ConnectorConfig cfg{.name = name,
                        .section = section,
                        .http = {.connect_timeout = std::chrono::milliseconds(settings.connect_timeout_ms),
                                 .read_timeout = std::chrono::milliseconds(settings.read_timeout_ms),
                                 .ca_file = settings.ca_file,
                                 .max_answer_bytes = 1024 * 1024}};
    auto built = factory->second(cfg);
    if (!built) return std::move(built).error();
    registry.add(std::move(*built));
  }
  return {};
}

}  // namespace vitrina::acquirers
