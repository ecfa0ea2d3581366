#include "callbacks/settings.hpp"

#include <simdjson.h>

#include <algorithm>

namespace vitrina::callbacks {

namespace {

void read_int(simdjson::dom::object& o, std::string_view key, std::int64_t& out) {
  std::int64_t v = 0;
  if (o[key].get(v) == simdjson::SUCCESS) out = v;
}

void read_strings(simdjson::dom::object& o, std::string_view key, std::vector<std::string>& out) {
  simdjson::dom::array items;
  if (o[key].get(items) != simdjson::SUCCESS) return;
  for (auto item : items) {
    std::string_view s;
    if (item.get(s) == simdjson::SUCCESS) out.emplace_back(s);
  }
}

}  // namespace

SiteSettings read_settings(const store::Site& site) {
  SiteSettings out;
  simdjson::dom::parser parser;
  simdjson::dom::object o;
  if (parser.parse(site.settings_json).get(o) != simdjson::SUCCESS) return out;
  read_int(o, "callback_window_s", out.window_s);
  read_int(o, "callback_phone_limit", out.phone_limit);
  read_int(o, "callback_ip_limit", out.ip_limit);
  read_int(o, "callback_limit_window_s", out.limit_window_s);
  std::int64_t difficulty = out.pow_difficulty;
  read_int(o, "callback_pow_difficulty", difficulty);
  out.pow_difficulty = static_cast<int>(std::clamp<std::int64_t>(difficulty, 0, 24));
  read_int(o, "callback_slot_minutes", out.slot_minutes);
  out.slot_minutes = std::clamp<std::int64_t>(out.slot_minutes, 15, 240);
  read_strings(o, "refused_phone_prefixes", out.refused_prefixes);
  read_int(o, "rating_ip_limit", out.rating_ip_limit);
  std::string_view kind;
  if (o["rating_page_kind"].get(kind) == simdjson::SUCCESS && (kind == "page" || kind == "nps")) {
    out.rating_page_kind = std::string(kind);
  }
  read_strings(o, "rating_pages", out.rating_pages);
  simdjson::dom::element hours;
  if (o.at_pointer("/chat/business_hours").get(hours) == simdjson::SUCCESS) {
    auto schedule = chat::parse_business_hours(simdjson::minify(hours));
    if (schedule) out.hours = std::move(*schedule);
  }
  return out;
}

}  // namespace vitrina::callbacks
