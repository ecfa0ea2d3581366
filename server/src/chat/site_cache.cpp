#include "chat/site_cache.hpp"

#include <utility>
#include <vector>

namespace vitrina::chat {

namespace {

// Settings changed in the console reach connected visitors within this long (plus a tick).
constexpr std::int64_t kSiteCacheMs = 5000;

}  // namespace

Result<std::shared_ptr<const SiteChat>> SiteCache::by_id(std::string_view site_id) {
  const std::int64_t now = clock_.steady_ms();
  {
    std::lock_guard lock(mu_);
    auto it = by_id_.find(std::string(site_id));
    if (it != by_id_.end() && now - it->second.loaded_ms < kSiteCacheMs) return {it->second.site};
  }
  auto found = store_.find_site_by_id(site_id);
  if (!found) return std::move(found).error();
  if (!*found) return std::shared_ptr<const SiteChat>{};
  auto loaded = load_site_chat(std::move(**found));
  if (!loaded) return std::move(loaded).error();
  std::lock_guard lock(mu_);
  id_by_key_[(*loaded)->site.public_key] = (*loaded)->site.id;
  by_id_[(*loaded)->site.id] = {*loaded, now};
  return {*loaded};
}

Result<std::shared_ptr<const SiteChat>> SiteCache::by_public_key(std::string_view public_key) {
  std::string id;
  {
    std::lock_guard lock(mu_);
    auto it = id_by_key_.find(std::string(public_key));
    if (it != id_by_key_.end()) id = it->second;
  }
  if (!id.empty()) return by_id(id);
  auto found = store_.find_site_by_public_key(public_key);
  if (!found) return std::move(found).error();
  if (!*found) return std::shared_ptr<const SiteChat>{};
  return by_id((*found)->id);
}

std::shared_ptr<const SiteChat> SiteCache::cached(const std::string& site_id) {
  std::lock_guard lock(mu_);
  auto it = by_id_.find(site_id);
  if (it == by_id_.end()) return nullptr;
  it->second.wanted = true;
  return it->second.site;
}

void SiteCache::refresh_stale() {
  const std::int64_t now = clock_.steady_ms();
  std::vector<std::string> stale;
  {
    std::lock_guard lock(mu_);
    std::erase_if(by_id_, [&](const auto& entry) {
      const auto& [id, cached] = entry;
      if (now - cached.loaded_ms < kSiteCacheMs) return false;
      if (cached.wanted) stale.push_back(id);
      return !cached.wanted;
    });
  }
  // Read outside the lock: lookups on other threads go on meanwhile with the old entries.
  for (const auto& id : stale) {
    auto found = store_.find_site_by_id(id);
    if (!found) continue;  // the old entry stays; the next refresh tries again
    if (!*found) {
      std::lock_guard lock(mu_);
      by_id_.erase(id);
      continue;
    }
    auto loaded = load_site_chat(std::move(**found));
    if (!loaded) continue;
    std::lock_guard lock(mu_);
    by_id_[id] = {*loaded, now};
  }
}

}  // namespace vitrina::chat
