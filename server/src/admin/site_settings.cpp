#include "admin/site_settings.hpp"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <map>

#include "admin/sites.hpp"
#include "chat/business_hours.hpp"
#include "vitrina/protocol/chat_rules.hpp"
#include "vitrina/protocol/json.hpp"
#include "vitrina/protocol/phone.hpp"

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
  return !v.empty() && v.size() <= 32 && std::all_of(v.begin(), v.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::string_view trim(std::string_view v) {
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  return v;
}

bool is_path_pattern(std::string_view v) {
  return !v.empty() && v.size() <= 200 && v.front() == '/' &&
         std::all_of(v.begin(), v.end(), [](char c) { return c > ' ' && c < 127 && c != '"' && c != '\\'; });
}

bool is_choice(std::string_view choices, std::string_view v) {
  while (!choices.empty()) {
    const auto bar = choices.find('|');
    if (choices.substr(0, bar) == v) return true;
    if (bar == std::string_view::npos) break;
    choices.remove_prefix(bar + 1);
  }
  return false;
}

bool is_color(std::string_view v) {
  return v.size() == 7 && v.front() == '#' && std::all_of(v.begin() + 1, v.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
         });
}

// A comma-separated list as a JSON array of unique strings, each checked by `valid`.
template <class Valid>
protocol::Result<std::string> list_json(const SiteSetting& setting, std::string_view text, Valid valid,
                                        std::string_view what) {
  std::vector<std::string_view> items;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const std::string_view item = trim(text.substr(0, comma));
    if (!valid(item)) {
      return make_error(protocol::ErrorCode::invalid,
                        "has \"" + std::string(item) + "\", which is not " + std::string(what),
                        std::string(setting.key));
    }
    if (std::find(items.begin(), items.end(), item) == items.end()) items.push_back(item);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  if (items.size() > kMaxSettingItems) {
    return make_error(protocol::ErrorCode::invalid, "has more than " + std::to_string(kMaxSettingItems) + " items",
                      std::string(setting.key));
  }
  protocol::JsonWriter w;
  w.begin_array();
  for (auto item : items) w.value(item);
  w.end_array();
  return std::move(w).str();
}

// The value as stored JSON, or "invalid" naming the key.
protocol::Result<std::string> to_json(const SiteSetting& setting, std::string_view text) {
  protocol::JsonWriter w;
  switch (setting.kind) {
    case SiteSetting::Kind::boolean:
      if (text != "true" && text != "false")
        return make_error(protocol::ErrorCode::invalid, "must be true or false", std::string(setting.key));
      return std::string(text);
    case SiteSetting::Kind::name:
      if (!is_name(text)) {
        return make_error(protocol::ErrorCode::invalid, "must be 1 to 32 characters of a-z, 0-9 and _",
                          std::string(setting.key));
      }
      w.value(text);
      return std::move(w).str();
    case SiteSetting::Kind::integer: {
      std::int64_t n = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
      if (text.empty() || ec != std::errc() || end != text.data() + text.size() || n < setting.min || n > setting.max) {
        return make_error(
            protocol::ErrorCode::invalid,
            "must be a whole number from " + std::to_string(setting.min) + " to " + std::to_string(setting.max),
            std::string(setting.key));
      }
      return std::to_string(n);
    }
    case SiteSetting::Kind::choice:
      if (!is_choice(setting.choices, text)) {
        return make_error(protocol::ErrorCode::invalid, "must be one of " + std::string(setting.choices),
                          std::string(setting.key));
      }
      w.value(text);
      return std::move(w).str();
    case SiteSetting::Kind::phone_prefixes:
      return list_json(setting, text, &protocol::is_phone_prefix, "+ and 1 to 15 digits");
    case SiteSetting::Kind::path_patterns:
      return list_json(setting, text, &is_path_pattern, "a path starting with /");
    case SiteSetting::Kind::color:
      if (!is_color(text))
        return make_error(protocol::ErrorCode::invalid, "must be a colour as #rrggbb", std::string(setting.key));
      w.value(text);
      return std::move(w).str();
    case SiteSetting::Kind::line:
      if (text.empty() || !protocol::chat::check_line(text, static_cast<std::size_t>(setting.max), setting.key)) {
        return make_error(
            protocol::ErrorCode::invalid,
            "must be one line of 1 to " + std::to_string(setting.max) + " characters, without control characters",
            std::string(setting.key));
      }
      w.value(text);
      return std::move(w).str();
    case SiteSetting::Kind::choice_list:
      if (trim(text).empty()) {
        return make_error(protocol::ErrorCode::invalid,
                          "must list one or more of " + std::string(setting.choices) + " (or be unset)",
                          std::string(setting.key));
      }
      return list_json(
          setting, text, [&](std::string_view item) { return is_choice(setting.choices, item); },
          "one of " + std::string(setting.choices));
    case SiteSetting::Kind::time_zone: {
      auto zone = chat::LocalZone::find(text, setting.key);
      if (!zone) return std::move(zone).error();
      w.value(text);
      return std::move(w).str();
    }
  }
  return make_error(protocol::ErrorCode::invalid, "has an unknown kind", std::string(setting.key));
}

}  // namespace

const std::vector<SiteSetting>& site_settings() {
  static const std::vector<SiteSetting> kSettings{
      {"allow_private_webhook_targets", SiteSetting::Kind::boolean,
       "deliver this site's webhooks to private, loopback and link-local addresses and over plain http "
       "(for a shop backend on the same host or network); off by default"},
      {"callback_ip_limit", SiteSetting::Kind::integer,
       "callback requests one address may make per callback_limit_window_s (default 10)", 1, 10000},
      {"callback_limit_window_s", SiteSetting::Kind::integer,
       "the window, in seconds, of the callback limits (default 3600)", 60, 604800},
      {"callback_phone_limit", SiteSetting::Kind::integer,
       "callback requests for one number per callback_limit_window_s (default 10)", 1, 1000},
      {"callback_pow_difficulty", SiteSetting::Kind::integer,
       "leading zero bits the widget's proof of work must find per callback request (default 16)", 0, 24},
      {"callback_slot_minutes", SiteSetting::Kind::integer,
       "length of the call-back slots offered outside business hours (default 30)", 15, 240},
      {"callback_window_s", SiteSetting::Kind::integer,
       "during business hours, the promise: we call you within this many seconds (default 60)", 10, 86400},
      {"default_acquirer", SiteSetting::Kind::name,
       "the acquirer a payment uses when the request names none (default: sandbox)"},
      {"rating_ip_limit", SiteSetting::Kind::integer, "ratings one address may send per hour (default 20)", 1, 10000},
      {"rating_page_kind", SiteSetting::Kind::choice,
       "the page rating widget: page (1 to 5 stars) or nps (0 to 10); default nps", 0, 0, "page|nps"},
      {"rating_pages", SiteSetting::Kind::path_patterns,
       "pages that show the page rating widget: paths, * matching anything (\"/,/delivery*\"); none by default"},
      {"refused_phone_prefixes", SiteSetting::Kind::phone_prefixes,
       "callback requests for numbers starting with these are refused (\"+7800,+7900555\")"},
      {"time_zone", SiteSetting::Kind::time_zone,
       "the site's IANA time zone (\"Europe/Berlin\"), whose days the ratings report counts; default: the "
       "zone of the chat's business hours, else UTC"},
      {"widget_color", SiteSetting::Kind::color, "the widget's accent colour, #rrggbb (default #1f6feb)"},
      {"widget_greeting", SiteSetting::Kind::line,
       "the chat's proactive greeting: one line the launcher offers after widget_greeting_after_s; none by default", 0,
       300},
      {"widget_greeting_after_s", SiteSetting::Kind::integer,
       "seconds on a page before the proactive greeting shows (default 15)", 0, 3600},
      {"widget_greeting_pages", SiteSetting::Kind::path_patterns,
       "pages that show the proactive greeting: paths, * matching anything (\"/catalog/*\"); all by default"},
      {"widget_language", SiteSetting::Kind::choice,
       "the widget's language: auto (the page's, else the browser's), ru or en; default auto", 0, 0, "auto|ru|en"},
      {"widget_load", SiteSetting::Kind::choice,
       "when the widget's module loads: interaction (a click) or idle (when the page is idle); default interaction", 0,
       0, "interaction|idle"},
      {"widget_position", SiteSetting::Kind::choice, "the launcher's corner: right or left; default right", 0, 0,
       "right|left"},
      {"widget_prechat", SiteSetting::Kind::choice_list,
       "fields the pre-chat form asks for (\"name,email,phone\"); none by default", 0, 0, "name|email|phone"},
      {"widget_widgets", SiteSetting::Kind::choice_list,
       "widgets the site shows (\"chat,callback,rating\"); default chat", 0, 0, "chat|callback|rating"},
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
    return make_error(protocol::ErrorCode::invalid, "the stored settings are not a JSON object", "settings");
  }
  // A key stored twice keeps its first value, the one every reader of the settings sees
  // (simdjson's lookup by key finds the first), so rewriting cannot change what is in force.
  for (auto [key, value] : object) members.emplace(std::string(key), simdjson::minify(value));
  for (const auto& [key, text] : sets) {
    const SiteSetting* setting = find_setting(key);
    if (setting == nullptr) return make_error(protocol::ErrorCode::invalid, "is not a site setting", key);
    auto json = to_json(*setting, text);
    if (!json) return std::move(json).error();
    members[key] = std::move(*json);
  }
  for (const auto& key : unsets) {
    if (find_setting(key) == nullptr && members.count(key) == 0)
      return make_error(protocol::ErrorCode::invalid, "is not a site setting", key);
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
  auto written = store::wait_for<void>(
      [&](store::Done<void> done) { store.update_site_settings(site->id, *settings, now_ms, std::move(done)); });
  if (!written) return std::move(written).error();
  site->settings_json = std::move(*settings);
  site->updated_at = now_ms;
  return std::move(*site);
}

}  // namespace vitrina::admin
