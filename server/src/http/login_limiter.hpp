#pragma once
// Failed sign-ins counted per key (an e-mail, or "ip:" + a client address) in fixed windows:
// after max_failures within `window`, the key is refused until the window ends. In memory and
// bounded: at max_keys, expired entries go first, then the oldest window. Thread-safe; the clock
// is passed in so tests need not sleep.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace vitrina::http {

class LoginLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  struct Options {
    std::uint32_t max_failures = 10;
    std::chrono::milliseconds window = std::chrono::minutes(15);
    std::size_t max_keys = 10000;
  };

  explicit LoginLimiter(Options options) : options_(options) {}

  /// Zero when `key` may try now; otherwise how long until it may (rounded up to a second, for
  /// Retry-After).
  std::chrono::seconds retry_after(std::string_view key, Clock::time_point now);
  void record_failure(std::string_view key, Clock::time_point now);
  /// Forgets `key`'s failures (after a successful sign-in).
  void clear(std::string_view key);
  std::size_t size();

 private:
  struct Entry {
    std::uint32_t failures = 0;
    Clock::time_point window_start;
  };
  void make_room(Clock::time_point now);

  Options options_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace vitrina::http
