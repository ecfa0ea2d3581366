#include "clock/clock.hpp"

#include <chrono>

namespace vitrina::clock {

namespace {

template <class C>
std::int64_t ms_of(typename C::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

std::int64_t SystemClock::now_ms() const { return ms_of<std::chrono::system_clock>(std::chrono::system_clock::now()); }

std::int64_t SystemClock::steady_ms() const {
  return ms_of<std::chrono::steady_clock>(std::chrono::steady_clock::now());
}

}  // namespace vitrina::clock
