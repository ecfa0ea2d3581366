#include "http/login_limiter.hpp"

#include <algorithm>

namespace vitrina::http {

std::chrono::seconds LoginLimiter::retry_after(std::string_view key, Clock::time_point now) {
  std::lock_guard lock(mu_);
  const auto it = entries_.find(std::string(key));
  if (it == entries_.end() || it->second.failures < options_.max_failures) {
    return std::chrono::seconds(0);
  }
  const auto ends = it->second.window_start + options_.window;
  if (now >= ends) return std::chrono::seconds(0);
  return std::chrono::ceil<std::chrono::seconds>(ends - now);
}

void LoginLimiter::record_failure(std::string_view key, Clock::time_point now) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(std::string(key));
  if (it == entries_.end()) {
    make_room(now);
    it = entries_.emplace(std::string(key), Entry{0, now}).first;
  }
  Entry& entry = it->second;
  if (now >= entry.window_start + options_.window) entry = Entry{0, now};
  ++entry.failures;
}

void LoginLimiter::clear(std::string_view key) {
  std::lock_guard lock(mu_);
  entries_.erase(std::string(key));
}

std::size_t LoginLimiter::size() {
  std::lock_guard lock(mu_);
  return entries_.size();
}

void LoginLimiter::make_room(Clock::time_point now) {
  if (entries_.size() < options_.max_keys) return;
  std::erase_if(entries_, [&](const auto& kv) { return now >= kv.second.window_start + options_.window; });
  if (entries_.size() < options_.max_keys) return;
  // Still full of live windows: drop the oldest. O(n), but only reached by a flood of distinct
  // keys, each of which has already cost its sender an argon2 verification.
  const auto oldest = std::min_element(entries_.begin(), entries_.end(), [](const auto& a, const auto& b) {
    return a.second.window_start < b.second.window_start;
  });
  entries_.erase(oldest);
}

}  // namespace vitrina::http
