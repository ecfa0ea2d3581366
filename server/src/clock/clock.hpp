#pragma once
// The server's one source of time. The composition root (serve.cpp) makes a SystemClock and
// hands it to whatever needs time; tests hand a ManualClock and move it by hand, so nothing that
// is about time passing has to sleep. No Boost and no I/O here: any module may depend on it.

#include <atomic>
#include <cstdint>

namespace vitrina::clock {

/// Wall-clock and monotonic time in milliseconds. Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  /// Unix time in milliseconds: what is stored, sent, or compared with business hours.
  virtual std::int64_t now_ms() const = 0;
  /// Milliseconds on a clock that never goes back: intervals, windows, cache ages.
  virtual std::int64_t steady_ms() const = 0;
};

/// std::chrono's system_clock and steady_clock.
class SystemClock final : public Clock {
 public:
  std::int64_t now_ms() const override;
  std::int64_t steady_ms() const override;
};

/// A clock that moves only when told to: both readings advance together unless set apart.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::int64_t now_ms = 1'700'000'000'000, std::int64_t steady_ms = 1'000'000)
      : now_ms_(now_ms), steady_ms_(steady_ms) {}
  std::int64_t now_ms() const override { return now_ms_.load(); }
  std::int64_t steady_ms() const override { return steady_ms_.load(); }
  void advance_ms(std::int64_t ms) {
    now_ms_ += ms;
    steady_ms_ += ms;
  }
  /// Moves the wall clock alone (as a system clock may jump); the steady clock stays.
  void set_now_ms(std::int64_t ms) { now_ms_ = ms; }

 private:
  std::atomic<std::int64_t> now_ms_;
  std::atomic<std::int64_t> steady_ms_;
};

}  // namespace vitrina::clock
