#pragma once
// What a connector is built from: its table of the server's configuration
// (`[acquirers.<name>]`, with `[acquirers.<name>.sites.<site_id>]` credentials) and the
// outgoing HTTP options. Getters name the full key in their errors and never echo a value.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "acquirers/acquirer.hpp"
#include "acquirers/http_client.hpp"
#include "acquirers/ip_allow_list.hpp"
#include "config/config.hpp"

namespace vitrina::acquirers {

struct ConnectorConfig {
  std::string name;  // "yookassa", …
  config::AcquirerSection section;
  HttpClientOptions http;

  /// "acquirers.<name>.<key>", or "acquirers.<name>.sites.<site>.<key>".
  std::string key_name(std::string_view key, std::string_view site = {}) const;
  /// The value of a required key; "invalid" naming it when missing or empty.
  Result<std::string> required(std::string_view key) const;
  std::string optional(std::string_view key, std::string_view fallback = {}) const;
  /// A site's required credential.
  Result<std::string> site_required(const std::string& site, std::string_view key) const;
  std::string site_optional(const std::string& site, std::string_view key, std::string_view fallback = {}) const;
  /// The connector's own HTTP options: http plus `ca_file`, `connect_timeout_ms` and
  /// `read_timeout_ms` overrides from its table.
  Result<HttpClientOptions> http_options() const;
  /// The client for the acquirer's API at `base_url` (or `default_base_url` when the table has
  /// none), with http_options(); errors "invalid" naming the key at fault.
  Result<HttpClient> client(std::string_view default_base_url) const;
  /// The networks callbacks may come from: `allowed_ips` (or `fallback` when the table has
  /// none; empty: anywhere); errors "invalid" naming the key.
  Result<IpAllowList> allowed_ips(std::string_view fallback = {}) const;
  /// Errors "invalid" naming the first key of the table (or of a site) not in `known`.
  Result<void> only_keys(const std::vector<std::string_view>& known,
                         const std::vector<std::string_view>& known_site_keys) const;
};

using ConnectorFactory = std::function<Result<std::shared_ptr<const Acquirer>>(const ConnectorConfig&)>;

/// The connectors this build knows, by name (factory.cpp).
const std::map<std::string, ConnectorFactory, std::less<>>& connector_factories();

/// Builds every configured connector (an unknown name or a bad key is an error naming the
/// key) and adds it to `registry`.
Result<void> add_configured_connectors(Registry& registry, const config::AcquirerSettings& settings);

}  // namespace vitrina::acquirers
