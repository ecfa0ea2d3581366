#include "callbacks/settings.hpp"

#include <simdjson.h>

#include <algorithm>
#include <initializer_list>

#include "vitrina/protocol/json.hpp"

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

// A string member that is one of `choices`, kept in `out`.
void read_choice(simdjson::dom::object& o, std::string_view key, std::initializer_list<std::string_view> choices,
                 std::string& out) {
  std::string_view v;
  if (o[key].get(v) != simdjson::SUCCESS) return;
  for (auto choice : choices) {
    if (v == choice) out = std::string(v);
  }
}

void write_strings(protocol::JsonWriter& w, std::string_view key, const std::vector<std::string>& items) {
  w.key(key).begin_array();
  for (const auto& item : items) w.value(item);
  w.end_array();
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
    if (schedule) {
      out.time_zone = schedule->hours().time_zone;
      out.hours = std::move(*schedule);
    }
  }
  std::string_view zone;
  if (o["time_zone"].get(zone) == simdjson::SUCCESS && chat::LocalZone::find(zone)) out.time_zone = std::string(zone);
  return out;
}

WidgetSettings read_widget_settings(const store::Site& site) {
  WidgetSettings out;
  simdjson::dom::parser parser;
  simdjson::dom::object o;
  if (parser.parse(site.settings_json).get(o) != simdjson::SUCCESS) return out;
  std::string_view color;
  if (o["widget_color"].get(color) == simdjson::SUCCESS && color.size() == 7 && color.front() == '#' &&
      color.find_first_not_of("0123456789abcdefABCDEF", 1) == std::string_view::npos) {
    out.color = std::string(color);
  }
  read_choice(o, "widget_position", {"right", "left"}, out.position);
  std::vector<std::string> widgets;
  read_strings(o, "widget_widgets", widgets);
  if (!widgets.empty()) out.widgets = std::move(widgets);
  read_strings(o, "widget_prechat", out.prechat);
  std::string_view greeting;
  if (o["widget_greeting"].get(greeting) == simdjson::SUCCESS) out.greeting = std::string(greeting);
  read_int(o, "widget_greeting_after_s", out.greeting_after_s);
  out.greeting_after_s = std::clamp<std::int64_t>(out.greeting_after_s, 0, 3600);
  read_strings(o, "widget_greeting_pages", out.greeting_pages);
  read_choice(o, "widget_load", {"interaction", "idle"}, out.load);
  read_choice(o, "widget_language", {"auto", "ru", "en"}, out.language);
  return out;
}

std::string widget_config_json(const WidgetSettings& settings) {
  protocol::JsonWriter w;
  w.begin_object().key("color");
  if (settings.color.empty()) {
    w.null();
  } else {
    w.value(settings.color);
  }
  w.key("position").value(settings.position);
  write_strings(w, "widgets", settings.widgets);
  write_strings(w, "prechat", settings.prechat);
  w.key("greeting").value(settings.greeting);
  w.key("greeting_after_s").value(settings.greeting_after_s);
  write_strings(w, "greeting_pages", settings.greeting_pages);
  w.key("load").value(settings.load);
  w.key("language").value(settings.language);
  w.end_object();
  return std::move(w).str();
}

}  // namespace vitrina::callbacks
