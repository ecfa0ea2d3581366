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
};

/// Reads the settings; a value of the wrong type (written around the admin command) is
/// ignored and its default used.
SiteSettings read_settings(const store::Site& site);

}  // namespace vitrina::callbacks
