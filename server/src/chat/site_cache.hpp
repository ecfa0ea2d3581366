#pragma once
// Sites with their chat settings, cached for a few seconds. Upgrades and the console read
// through it (a miss or an expired entry reads the store on the caller's thread); the hub only
// takes what it holds, and refresh_stale() re-reads off the hub the entries the hub asked for,
// so neither fan-out nor the presence tick waits for the store.

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "chat/business_hours.hpp"
#include "chat/identity.hpp"
#include "clock/clock.hpp"
#include "store/store.hpp"

namespace vitrina::chat {

/// A site's chat settings, from `settings.chat` in the site's settings JSON:
///   {"chat": {"identity_secret": "…", "require_identity": false, "business_hours": {…}}}
struct SiteChat {
  store::Site site;
  std::string identity_secret;
  IdentityMode identity_mode = IdentityMode::optional;
  std::optional<Schedule> hours;
};

/// Reads `settings.chat`; bad business hours are reported and ignored (always open).
Result<std::shared_ptr<SiteChat>> load_site_chat(store::Site site);

class SiteCache {
 public:
  SiteCache(store::Store& store, const clock::Clock& clock) : store_(store), clock_(clock) {}

  /// The site, read again once its entry is older than a few seconds. Nothing when there is no
  /// such site. May read the store: never on the hub.
  Result<std::shared_ptr<const SiteChat>> by_id(std::string_view site_id);
  Result<std::shared_ptr<const SiteChat>> by_public_key(std::string_view public_key);

  /// What the cache holds, however old, or nothing; never reads. Marks the entry as wanted, so
  /// the next refresh_stale() reads it again once it is old. Any thread.
  std::shared_ptr<const SiteChat> cached(const std::string& site_id);
  /// Reads again the old entries that were wanted and forgets the old ones that were not. May
  /// read the store: never on the hub.
  void refresh_stale();

 private:
  struct Entry {
    std::shared_ptr<const SiteChat> site;
    std::int64_t loaded_ms = 0;  // steady
    bool wanted = false;
  };

  store::Store& store_;
  const clock::Clock& clock_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> by_id_;
  std::unordered_map<std::string, std::string> id_by_key_;
};

}  // namespace vitrina::chat
