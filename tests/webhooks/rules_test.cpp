// Retry schedule, jitter, Retry-After, the decision after an attempt, event filters.

#include <gtest/gtest.h>

#include "store/webhook_records.hpp"
#include "webhooks/event.hpp"
#include "webhooks/schedule.hpp"

namespace vitrina::webhooks {
namespace {

constexpr std::int64_t kNow = 1'700'000'000'000;

TEST(RetrySchedule, StandardScheduleHasNineDelays) {
  const auto p = standard_policy();
  ASSERT_EQ(p.delays_ms.size(), 9u);
  EXPECT_EQ(p.delays_ms.front(), 5'000);
  EXPECT_EQ(p.delays_ms[1], 5 * 60'000);
  EXPECT_EQ(p.delays_ms.back(), 24LL * 3'600'000);
}

TEST(RetrySchedule, JitterStaysWithinTenPercent) {
  const auto p = standard_policy();
  EXPECT_EQ(*retry_delay_ms(p, 1, 0.5), 5'000);
  EXPECT_EQ(*retry_delay_ms(p, 1, 0.0), 4'500);
  EXPECT_EQ(*retry_delay_ms(p, 1, 1.0), 5'500);
  EXPECT_EQ(*retry_delay_ms(p, 2, 0.0), 270'000);
}

TEST(RetrySchedule, ExhaustedAfterLastDelay) {
  const auto p = standard_policy();
  EXPECT_TRUE(retry_delay_ms(p, 9, 0.5).has_value());
  EXPECT_FALSE(retry_delay_ms(p, 10, 0.5).has_value());
  EXPECT_FALSE(retry_delay_ms(p, 0, 0.5).has_value());
}

TEST(RetryAfter, ParsesSeconds) {
  EXPECT_EQ(*parse_retry_after_ms("120", kNow), 120'000);
  EXPECT_EQ(*parse_retry_after_ms(" 0 ", kNow), 0);
}

TEST(RetryAfter, ParsesHttpDate) {
  // 1994-11-06T08:49:37Z = 784111777 s.
  EXPECT_EQ(*parse_retry_after_ms("Sun, 06 Nov 1994 08:49:37 GMT", 784'111'777'000 - 30'000), 30'000);
  EXPECT_EQ(*parse_retry_after_ms("Sun, 06 Nov 1994 08:49:37 GMT", kNow), 0);  // in the past
}

TEST(RetryAfter, RefusesGarbage) {
  EXPECT_FALSE(parse_retry_after_ms("", kNow));
  EXPECT_FALSE(parse_retry_after_ms("-5", kNow));
  EXPECT_FALSE(parse_retry_after_ms("soon", kNow));
  EXPECT_FALSE(parse_retry_after_ms("Sun, 06 Foo 1994 08:49:37 GMT", kNow));
}

TEST(Decide, TwoHundredsAreDelivered) {
  EXPECT_EQ(decide({.status_code = 200}, 1, standard_policy(), kNow, 0.5).status, "delivered");
  EXPECT_EQ(decide({.status_code = 204}, 1, standard_policy(), kNow, 0.5).status, "delivered");
}

TEST(Decide, RedirectIsAFailure) {
  const auto d = decide({.status_code = 302}, 1, standard_policy(), kNow, 0.5);
  EXPECT_EQ(d.status, "pending");
  EXPECT_EQ(d.next_attempt_at, kNow + 5'000);
}

TEST(Decide, NoAnswerIsRetried) {
  const auto d = decide({.status_code = 0}, 2, standard_policy(), kNow, 0.5);
  EXPECT_EQ(d.status, "pending");
  EXPECT_EQ(d.next_attempt_at, kNow + 300'000);
}

TEST(Decide, GivesUpAfterTheLastDelay) {
  EXPECT_EQ(decide({.status_code = 500}, 10, standard_policy(), kNow, 0.5).status, "failed");
}

TEST(Decide, GoneDisablesTheEndpoint) {
  const auto d = decide({.status_code = 410}, 1, standard_policy(), kNow, 0.5);
  EXPECT_EQ(d.status, "disabled");
  EXPECT_TRUE(d.disable_endpoint);
  EXPECT_FALSE(d.disable_reason.empty());
}

TEST(Decide, RetryAfterOn429And503IsHonouredAndBounded) {
  const auto p = standard_policy();
  EXPECT_EQ(decide({.status_code = 429, .retry_after = "60"}, 1, p, kNow, 0.5).next_attempt_at, kNow + 60'000);
  EXPECT_EQ(decide({.status_code = 503, .retry_after = "7"}, 1, p, kNow, 0.5).next_attempt_at, kNow + 7'000);
  EXPECT_EQ(decide({.status_code = 429, .retry_after = "9999999"}, 1, p, kNow, 0.5).next_attempt_at,
            kNow + 24LL * 3'600'000);
  // Other statuses ignore it.
  EXPECT_EQ(decide({.status_code = 500, .retry_after = "60"}, 1, p, kNow, 0.5).next_attempt_at, kNow + 5'000);
}

TEST(EventFilter, EmptyTakesEverything) { EXPECT_TRUE(store::event_matches({}, "payment.succeeded")); }

TEST(EventFilter, ExactAndWildcards) {
  EXPECT_TRUE(store::event_matches({"payment.succeeded"}, "payment.succeeded"));
  EXPECT_FALSE(store::event_matches({"payment.succeeded"}, "payment.failed"));
  EXPECT_TRUE(store::event_matches({"payment.*"}, "payment.failed"));
  EXPECT_FALSE(store::event_matches({"payment.*"}, "payments.failed"));
  EXPECT_FALSE(store::event_matches({"payment.*"}, "payment."));
  EXPECT_FALSE(store::event_matches({"payment.*"}, "refund.succeeded"));
  EXPECT_TRUE(store::event_matches({"refund.failed", "*"}, "chat.message"));
}

TEST(Event, BodyIsFixedAtCreation) {
  const auto e = make_event("site_1", "payment.succeeded", R"({"id":"pay_1"})", 1'700'000'000'123);
  EXPECT_TRUE(e.message_id.starts_with("msg_"));
  EXPECT_EQ(e.payload, R"({"type":"payment.succeeded","timestamp":"2023-11-14T22:13:20.123Z","data":{"id":"pay_1"}})");
}

}  // namespace
}  // namespace vitrina::webhooks
