#include "http/login_limiter.hpp"

#include <gtest/gtest.h>

namespace vitrina::http {
namespace {

using namespace std::chrono_literals;
using Clock = LoginLimiter::Clock;

TEST(LoginLimiter, RefusesAfterMaxFailuresUntilTheWindowEnds) {
  LoginLimiter limiter({.max_failures = 3, .window = 60s, .max_keys = 100});
  const auto t0 = Clock::time_point{} + 1000s;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(limiter.retry_after("a@b.c", t0), 0s);
    limiter.record_failure("a@b.c", t0 + std::chrono::seconds(i));
  }
  EXPECT_EQ(limiter.retry_after("a@b.c", t0 + 10s), 50s);
  EXPECT_EQ(limiter.retry_after("a@b.c", t0 + 59500ms), 1s) << "rounded up";
  EXPECT_EQ(limiter.retry_after("other@b.c", t0 + 10s), 0s) << "keys are independent";
  EXPECT_EQ(limiter.retry_after("a@b.c", t0 + 60s), 0s);
}

TEST(LoginLimiter, ANewWindowStartsAfterTheOldOneEnds) {
  LoginLimiter limiter({.max_failures = 2, .window = 10s, .max_keys = 100});
  const auto t0 = Clock::time_point{} + 1000s;
  limiter.record_failure("k", t0);
  limiter.record_failure("k", t0 + 11s);  // the first one has aged out
  EXPECT_EQ(limiter.retry_after("k", t0 + 12s), 0s);
  limiter.record_failure("k", t0 + 12s);
  EXPECT_EQ(limiter.retry_after("k", t0 + 12s), 9s);
}

TEST(LoginLimiter, ClearForgetsFailures) {
  LoginLimiter limiter({.max_failures = 1, .window = 10s, .max_keys = 100});
  const auto t0 = Clock::time_point{} + 1000s;
  limiter.record_failure("k", t0);
  EXPECT_GT(limiter.retry_after("k", t0), 0s);
  limiter.clear("k");
  EXPECT_EQ(limiter.retry_after("k", t0), 0s);
}

TEST(LoginLimiter, StaysWithinMaxKeys) {
  LoginLimiter limiter({.max_failures = 1, .window = 10s, .max_keys = 4});
  const auto t0 = Clock::time_point{} + 1000s;
  for (int i = 0; i < 50; ++i) {
    limiter.record_failure("ip:10.0.0." + std::to_string(i), t0 + std::chrono::milliseconds(i));
  }
  EXPECT_EQ(limiter.size(), 4u);
  // The newest keys survive; the oldest were evicted.
  EXPECT_GT(limiter.retry_after("ip:10.0.0.49", t0 + 1s), 0s);
  EXPECT_EQ(limiter.retry_after("ip:10.0.0.0", t0 + 1s), 0s);
}

TEST(LoginLimiter, ExpiredEntriesAreDroppedFirst) {
  LoginLimiter limiter({.max_failures = 1, .window = 10s, .max_keys = 2});
  const auto t0 = Clock::time_point{} + 1000s;
  limiter.record_failure("old", t0);
  limiter.record_failure("live", t0 + 9s);
  limiter.record_failure("new", t0 + 12s);  // "old" has expired: it goes, "live" stays
  EXPECT_EQ(limiter.size(), 2u);
  EXPECT_GT(limiter.retry_after("live", t0 + 12s), 0s);
  EXPECT_GT(limiter.retry_after("new", t0 + 12s), 0s);
}

}  // namespace
}  // namespace vitrina::http
