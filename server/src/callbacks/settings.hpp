#pragma once
// What a site's settings say about callbacks and ratings (keys in admin/site_settings), with
// the defaults for keys not set. Business hours are the live chat's (`chat.business_hours`):
// the shop is reachable by phone when its operators are.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "chat/business_hours.hpp"
#include "store/store.hpp"

namespace vitrina::callbacks {

struct SiteSettings {
  std::int64_t window_s = 60;
  std::int64_t phone_limit = 10;
  std::int64_t ip_limit = 10;
  std::int64_t limit_window_s = 3600;
  int pow_difficulty = 16;
  std::int64_t slot_minutes = 30;
  std::vector<std::string> refused_prefixes;
  std::optional<chat::Schedule> hours;  // none: always open
  std::int64_t rating_ip_limit = 20;
  std::string rating_page_kind = "nps";
  std::vector<std::string> rating_pages;
  std::string time_zone = "UTC";  // the `time_zone` setting, else the business hours' zone
};

/// Reads the settings; a value of the wrong type (written around the admin command) is
/// ignored and its default used.
SiteSettings read_settings(const store::Site& site);

/// What the embedded widget takes from the site (the `widget_*` keys): only what any visitor's
/// browser may see, never a secret.
struct WidgetSettings {
  std::string color;  // #rrggbb, or empty for the stylesheet's own
  std::string position = "right";
  std::vector<std::string> widgets{"chat"};
  std::vector<std::string> prechat;
  std::string greeting;  // empty: no proactive greeting
  std::int64_t greeting_after_s = 15;
  std::vector<std::string> greeting_pages;  // empty: every page
  std::string load = "interaction";
  std::string language = "auto";
};

WidgetSettings read_widget_settings(const store::Site& site);

/// The public widget configuration served at GET /v1/widget/{pk}/config (docs/widget.md).
std::string widget_config_json(const WidgetSettings& settings);

}  // namespace vitrina::callbacks
