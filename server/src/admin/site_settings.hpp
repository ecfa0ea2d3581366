#pragma once
// A site's settings (the `settings` JSON object of its row): which keys exist, what each may
// hold, and changing them. Only the server's administrator changes them (`site settings`), never
// the shop through the API: some of them loosen server-side rules.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/store.hpp"

namespace vitrina::admin {

struct SiteSetting {
  // name: 1 to 32 characters of [a-z0-9_]; integer: min to max; choice: one of `choices`
  // ("a|b"); phone_prefixes: comma-separated `+` and digits (`+7800,+7900555`), stored as an
  // array; path_patterns: comma-separated paths starting with `/`, `*` matching any run of
  // characters (`/,/delivery*`), stored as an array; color: `#rrggbb`; line: one line of text of
  // at most `max` characters; choice_list: comma-separated items of `choices`, stored as an array.
  enum class Kind {
    boolean,
    name,
    integer,
    choice,
    phone_prefixes,
    path_patterns,
    color,
    line,
    choice_list,
    time_zone
  };
  std::string_view key;
  Kind kind;
  std::string_view help;
  std::int64_t min = 0;
  std::int64_t max = 0;
  std::string_view choices = {};
};

/// At most this many items in a list setting.
inline constexpr std::size_t kMaxSettingItems = 100;

/// Every key a site's settings may hold, sorted by key.
const std::vector<SiteSetting>& site_settings();

/// `settings_json` with `sets` (key, value as typed on a command line: `true`, `sandbox`) applied
/// and then `unsets` removed, re-serialised with sorted keys. Unknown keys and bad values are
/// "invalid" naming the key; keys already stored that this server does not know are kept.
protocol::Result<std::string> change_settings(std::string_view settings_json,
                                              const std::vector<std::pair<std::string, std::string>>& sets,
                                              const std::vector<std::string>& unsets);

/// Finds the site (site_… or pk_…), applies change_settings and stores the result (blocks until
/// committed). Answers the site as stored.
protocol::Result<store::Site> update_site_settings(store::Store& store, std::string_view site_id_or_public_key,
                                                   const std::vector<std::pair<std::string, std::string>>& sets,
                                                   const std::vector<std::string>& unsets, std::int64_t now_ms);

}  // namespace vitrina::admin
