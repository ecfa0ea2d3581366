// The webhooks.* configuration keys.

#include <gtest/gtest.h>

#include "config/config.hpp"

namespace vitrina::config {
namespace {

TEST(WebhookConfig, DefaultsAreTheStandardSchedule) {
  auto c = load({});
  ASSERT_TRUE(c);
  EXPECT_EQ(c->webhooks.retry_schedule_ms.size(), 9u);
  EXPECT_EQ(c->webhooks.timeout_ms, 15000u);
  EXPECT_FALSE(c->webhooks.allow_private_targets);
}

TEST(WebhookConfig, ScheduleIsACommaList) {
  auto c = load({.flags = {{"webhooks.retry_schedule_ms", "10, 20,30"}, {"webhooks.allow_private_targets", "true"}}});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->webhooks.retry_schedule_ms, (std::vector<std::int64_t>{10, 20, 30}));
  EXPECT_TRUE(c->webhooks.allow_private_targets);
}

TEST(WebhookConfig, RefusesABadSchedule) {
  for (const char* bad : {"", "10,,20", "abc", "0", "-5", "10,"}) {
    auto c = load({.flags = {{"webhooks.retry_schedule_ms", bad}}});
    ASSERT_FALSE(c) << bad;
    EXPECT_EQ(c.error().field, "webhooks.retry_schedule_ms");
  }
}

}  // namespace
}  // namespace vitrina::config
