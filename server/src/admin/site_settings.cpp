#include "admin/site_settings.hpp"

#include <simdjson.h>

#include <algorithm>
#include <map>

#include "admin/sites.hpp"
#include "vitrina/protocol/json.hpp"

namespace vitrina::admin {

namespace {

using protocol::make_error;

const SiteSetting* find_setting(std::string_view key) {
  for (const auto& s : site_settings()) {
    if (s.key == key) return &s;
  }
  return nullptr;
}

bool is_name(std::string_view v) {
  return !v.empty() && v.size() <= 32 &&
         std::all_of(v.begin(), v.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

// The value as stored JSON, or "invalid" naming the key.
protocol::Result<std::string> to_json(const SiteSetting& setting, std::string_view text) {
  protocol::JsonWriter w;
  switch (setting.kind) {
    case SiteSetting::Kind::boolean:
      if (text != "true" && text != "false") return make_error("invalid", "must be true or false", std::string(setting.key));
      return std::string(text);
    case SiteSetting::Kind::name:
      if (!is_name(text)) {
        return make_error("invalid", "must be 1 to 32 characters of a-z, 0-9 and _", std::string(setting.key));
      }
      w.value(text);
      return std::move(w).str();
  }
  return make_error("invalid", "has an unknown kind", std::string(setting.key));
}

}  // namespace

const std::vector<SiteSetting>& site_settings() {
  static const std::vector<SiteSetting> kSettings{
      {"allow_private_webhook_targets", SiteSetting::Kind::boolean,
       "deliver this site's webhooks to private, loopback and link-local addresses and over plain http "
       "(for a shop backend on the same host or network); off by default"},
      {"default_acquirer", SiteSetting::Kind::name,
       "the acquirer a payment uses when the request names none (default: sandbox)"},
  };
  return kSettings;
}

protocol::Result<std::string> change_settings(std::string_view settings_json,
                                              const std::vector<std::pair<std::string, std::string>>& sets,
                                              const std::vector<std::string>& unsets) {
  std::map<std::string, std::string> members;  // key → raw JSON value
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(settings_json).get(object) != simdjson::SUCCESS) {
    return make_error("invalid", "the stored settings are not a JSON object", "settings");
  }
  for (auto [key, value] : object) members[std::string(key)] = simdjson::minify(value);
  for (const auto& [key, text] : sets) {
    const SiteSetting* setting = find_setting(key);
    if (setting == nullptr) return make_error("invalid", "is not a site setting", key);
    auto json = to_json(*setting, text);
    if (!json) return std::move(json).error();
    members[key] = std::move(*json);
  }
  for (const auto& key : unsets) {
    if (find_setting(key) == nullptr && members.count(key) == 0) return make_error("invalid", "is not a site setting", key);
    members.erase(key);
  }
  protocol::JsonWriter w;
  w.begin_object();
  for (const auto& [key, value] : members) w.key(key).raw(value);
  w.end_object();
  return std::move(w).str();
}

protocol::Result<store::Site> update_site_settings(store::Store& store, std::string_view site_id_or_public_key,
                                                   const std::vector<std::pair<std::string, std::string>>& sets,
                                                   const std::vector<std::string>& unsets, std::int64_t now_ms) {
  auto site = find_site(store, site_id_or_public_key);
  if (!site) return std::move(site).error();
  auto settings = change_settings(site->settings_json, sets, unsets);
  if (!settings) return std::move(settings).error();
  if (*settings == site->settings_json) return std::move(*site);
  auto written = store::wait_for<void>([&](store::Done<void> done) {
    store.update_site_settings(site->id, *settings, now_ms, std::move(done));
  });
  if (!written) return std::move(written).error();
  site->settings_json = std::move(*settings);
  site->updated_at = now_ms;
  return std::move(*site);
}

}  // namespace vitrina::admin
