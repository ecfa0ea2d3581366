#include "chat/business_hours.hpp"

#include <gtest/gtest.h>

#include <string>

#include "vitrina/protocol/timestamp.hpp"

namespace vitrina::chat {
namespace {

// Unix milliseconds of a UTC wall time.
std::int64_t utc(std::int64_t y, unsigned mo, unsigned d, int h, int mi = 0, int s = 0) {
  return (protocol::days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s) * 1000;
}

HoursInterval hours(int open_h, int open_m, int close_h, int close_m) {
  return HoursInterval{open_h * 60 + open_m, close_h * 60 + close_m};
}

enum Day { kMon, kTue, kWed, kThu, kFri, kSat, kSun };

Schedule make(BusinessHours h) {
  auto s = Schedule::create(std::move(h));
  EXPECT_TRUE(s) << s.error().field << ": " << s.error().message;
  return std::move(*s);
}

BusinessHours office(std::string zone) {
  BusinessHours h;
  h.time_zone = std::move(zone);
  for (int d = kMon; d <= kFri; ++d) h.weekly[d] = {hours(9, 0, 18, 0)};
  return h;
}

std::string at(std::optional<std::int64_t> ms) { return ms ? protocol::format_timestamp_ms(*ms) : "never"; }

// --- Europe/Moscow: UTC+3 all year, no DST ---------------------------------------------------

TEST(BusinessHoursMoscow, OpensAndClosesAtLocalTimeSummerAndWinter) {
  const Schedule s = make(office("Europe/Moscow"));
  // Monday 2024-07-01.
  EXPECT_FALSE(s.is_open(utc(2024, 7, 1, 5, 59, 59)));
  EXPECT_TRUE(s.is_open(utc(2024, 7, 1, 6, 0)));
  EXPECT_TRUE(s.is_open(utc(2024, 7, 1, 14, 59, 59)));
  EXPECT_FALSE(s.is_open(utc(2024, 7, 1, 15, 0)));
  // Monday 2024-01-15: the same UTC hours, as Moscow has no DST.
  EXPECT_FALSE(s.is_open(utc(2024, 1, 15, 5, 59)));
  EXPECT_TRUE(s.is_open(utc(2024, 1, 15, 6, 0)));
  EXPECT_EQ(s.closes_at(utc(2024, 1, 15, 10, 0)), utc(2024, 1, 15, 15, 0));
}

TEST(BusinessHoursMoscow, NextOpenSkipsTheWeekend) {
  const Schedule s = make(office("Europe/Moscow"));
  EXPECT_EQ(at(s.next_open(utc(2024, 7, 5, 15, 0))), at(utc(2024, 7, 8, 6, 0)));  // Friday evening -> Monday
  EXPECT_EQ(s.next_open(utc(2024, 7, 3, 10, 0)), utc(2024, 7, 3, 10, 0));         // open now: now
  EXPECT_EQ(at(s.next_open(utc(2024, 7, 3, 2, 0))), at(utc(2024, 7, 3, 6, 0)));   // before opening
}

TEST(BusinessHoursMoscow, KeepsSeveralIntervalsADay) {
  BusinessHours h = office("Europe/Moscow");
  h.weekly[kWed] = {hours(14, 0, 18, 0), hours(9, 0, 13, 0)};  // lunch break, listed out of order
  const Schedule s = make(h);
  EXPECT_TRUE(s.is_open(utc(2024, 7, 3, 9, 59)));    // 12:59
  EXPECT_FALSE(s.is_open(utc(2024, 7, 3, 10, 30)));  // 13:30
  EXPECT_EQ(at(s.next_open(utc(2024, 7, 3, 10, 30))), at(utc(2024, 7, 3, 11, 0)));
  EXPECT_EQ(s.closes_at(utc(2024, 7, 3, 7, 0)), utc(2024, 7, 3, 10, 0));
}

TEST(BusinessHoursMoscow, RunsAnIntervalPastMidnight) {
  BusinessHours h;
  h.time_zone = "Europe/Moscow";
  h.weekly[kFri] = {hours(20, 0, 2, 0)};
  const Schedule s = make(h);
  EXPECT_FALSE(s.is_open(utc(2024, 7, 5, 16, 59)));  // Fri 19:59
  EXPECT_TRUE(s.is_open(utc(2024, 7, 5, 17, 0)));    // Fri 20:00
  EXPECT_TRUE(s.is_open(utc(2024, 7, 5, 22, 59)));   // Sat 01:59
  EXPECT_FALSE(s.is_open(utc(2024, 7, 5, 23, 0)));   // Sat 02:00
  EXPECT_EQ(s.closes_at(utc(2024, 7, 5, 18, 0)), utc(2024, 7, 5, 23, 0));
  EXPECT_EQ(at(s.next_open(utc(2024, 7, 5, 23, 0))), at(utc(2024, 7, 12, 17, 0)));
}

TEST(BusinessHoursMoscow, HolidaysCloseOrChangeTheDay) {
  BusinessHours h = office("Europe/Moscow");
  h.holidays = {Holiday{{2024, 1, 1}, {}}, Holiday{{2024, 12, 31}, {hours(10, 0, 15, 0)}}};
  const Schedule s = make(h);
  // Monday 2024-01-01 is closed all day; Tuesday opens as usual.
  EXPECT_FALSE(s.is_open(utc(2024, 1, 1, 7, 0)));
  EXPECT_EQ(at(s.next_open(utc(2024, 1, 1, 0, 0))), at(utc(2024, 1, 2, 6, 0)));
  // Tuesday 2024-12-31 opens 10:00-15:00 instead of 09:00-18:00.
  EXPECT_FALSE(s.is_open(utc(2024, 12, 31, 6, 30)));
  EXPECT_TRUE(s.is_open(utc(2024, 12, 31, 7, 0)));
  EXPECT_FALSE(s.is_open(utc(2024, 12, 31, 12, 0)));
  EXPECT_EQ(s.closes_at(utc(2024, 12, 31, 8, 0)), utc(2024, 12, 31, 12, 0));
}

TEST(BusinessHoursMoscow, AnIntervalFromTheDayBeforeRunsIntoAHoliday) {
  BusinessHours h;
  h.time_zone = "Europe/Moscow";
  h.weekly[kFri] = {hours(20, 0, 2, 0)};
  h.weekly[kSat] = {hours(10, 0, 12, 0)};
  h.holidays = {Holiday{{2024, 7, 6}, {}}};  // Saturday
  const Schedule s = make(h);
  EXPECT_TRUE(s.is_open(utc(2024, 7, 5, 22, 0)));  // Sat 01:00, Friday's interval
  EXPECT_FALSE(s.is_open(utc(2024, 7, 6, 8, 0)));  // Sat 11:00, the holiday
}

TEST(BusinessHoursMoscow, JoinsTouchingWholeDays) {
  BusinessHours h;
  h.time_zone = "Europe/Moscow";
  h.weekly[kMon] = {hours(0, 0, 24, 0)};
  h.weekly[kTue] = {hours(0, 0, 24, 0)};
  const Schedule s = make(h);
  EXPECT_TRUE(s.is_open(utc(2024, 7, 1, 0, 0)));                                  // Monday 03:00
  EXPECT_EQ(at(s.closes_at(utc(2024, 7, 1, 0, 0))), at(utc(2024, 7, 2, 21, 0)));  // Wednesday 00:00 local
}

TEST(BusinessHoursMoscow, NeverOpenHasNoNextOpening) {
  BusinessHours h;
  h.time_zone = "Europe/Moscow";
  const Schedule s = make(h);
  EXPECT_FALSE(s.is_open(utc(2024, 7, 1, 12, 0)));
  EXPECT_FALSE(s.next_open(utc(2024, 7, 1, 12, 0)));
  EXPECT_FALSE(s.closes_at(utc(2024, 7, 1, 12, 0)));
}

// --- Europe/Berlin: CET/CEST; 2024-03-31 02:00 -> 03:00, 2024-10-27 03:00 -> 02:00 ------------

TEST(BusinessHoursBerlin, FollowsTheOffsetOnEitherSideOfDst) {
  const Schedule s = make(office("Europe/Berlin"));
  EXPECT_EQ(at(s.next_open(utc(2024, 3, 25, 0, 0))), at(utc(2024, 3, 25, 8, 0)));    // Monday, CET
  EXPECT_EQ(at(s.next_open(utc(2024, 4, 1, 0, 0))), at(utc(2024, 4, 1, 7, 0)));      // Monday, CEST
  EXPECT_EQ(at(s.next_open(utc(2024, 10, 28, 0, 0))), at(utc(2024, 10, 28, 8, 0)));  // Monday, CET again
}

TEST(BusinessHoursBerlin, SpringForwardShortensAnIntervalAcrossTheGap) {
  BusinessHours h;
  h.time_zone = "Europe/Berlin";
  h.weekly[kSun] = {hours(1, 30, 3, 30)};
  const Schedule s = make(h);
  EXPECT_FALSE(s.is_open(utc(2024, 3, 31, 0, 29)));
  EXPECT_TRUE(s.is_open(utc(2024, 3, 31, 0, 30)));  // 01:30 CET
  EXPECT_TRUE(s.is_open(utc(2024, 3, 31, 1, 29)));  // 03:29 CEST
  EXPECT_FALSE(s.is_open(utc(2024, 3, 31, 1, 30)));
  EXPECT_EQ(s.closes_at(utc(2024, 3, 31, 0, 30)), utc(2024, 3, 31, 1, 30));  // one hour, not two
}

TEST(BusinessHoursBerlin, AnOpeningInsideTheGapOpensWhenTheGapEnds) {
  BusinessHours h;
  h.time_zone = "Europe/Berlin";
  h.weekly[kSun] = {hours(2, 30, 4, 0)};
  const Schedule s = make(h);
  EXPECT_EQ(at(s.next_open(utc(2024, 3, 30, 23, 0))), at(utc(2024, 3, 31, 1, 0)));  // 03:00 CEST
  EXPECT_TRUE(s.is_open(utc(2024, 3, 31, 1, 0)));
  EXPECT_FALSE(s.is_open(utc(2024, 3, 31, 2, 0)));  // 04:00 CEST
  // A week later the interval is whole again: 02:30 CEST.
  EXPECT_EQ(at(s.next_open(utc(2024, 3, 31, 3, 0))), at(utc(2024, 4, 7, 0, 30)));
}

TEST(BusinessHoursBerlin, AnIntervalEntirelyInsideTheGapNeverOpens) {
  BusinessHours h;
  h.time_zone = "Europe/Berlin";
  h.weekly[kSun] = {hours(2, 0, 2, 30)};
  const Schedule s = make(h);
  EXPECT_FALSE(s.is_open(utc(2024, 3, 31, 1, 0)));
  EXPECT_EQ(at(s.next_open(utc(2024, 3, 30, 12, 0))), at(utc(2024, 4, 7, 0, 0)));  // next Sunday 02:00 CEST
}

TEST(BusinessHoursBerlin, FallBackLengthensAnIntervalAcrossTheRepeatedHour) {
  BusinessHours h;
  h.time_zone = "Europe/Berlin";
  h.weekly[kSat] = {hours(20, 0, 3, 0)};
  const Schedule s = make(h);
  EXPECT_TRUE(s.is_open(utc(2024, 10, 26, 18, 0)));                           // Sat 20:00 CEST
  EXPECT_TRUE(s.is_open(utc(2024, 10, 27, 0, 30)));                           // 02:30 CEST
  EXPECT_TRUE(s.is_open(utc(2024, 10, 27, 1, 30)));                           // 02:30 CET, the second time
  EXPECT_FALSE(s.is_open(utc(2024, 10, 27, 2, 0)));                           // 03:00 CET
  EXPECT_EQ(s.closes_at(utc(2024, 10, 26, 18, 0)), utc(2024, 10, 27, 2, 0));  // eight hours
}

TEST(BusinessHoursBerlin, AClosingInTheRepeatedHourClosesTheFirstTimeAndStaysClosed) {
  BusinessHours h;
  h.time_zone = "Europe/Berlin";
  h.weekly[kSat] = {hours(18, 0, 2, 30)};
  const Schedule s = make(h);
  EXPECT_TRUE(s.is_open(utc(2024, 10, 27, 0, 29)));   // 02:29 CEST
  EXPECT_FALSE(s.is_open(utc(2024, 10, 27, 0, 30)));  // 02:30 CEST
  EXPECT_FALSE(s.is_open(utc(2024, 10, 27, 1, 15)));  // 02:15 CET: the clock reads it again, still closed
}

TEST(BusinessHoursBerlin, AnOpeningInTheRepeatedHourOpensTheFirstTime) {
  BusinessHours h;
  h.time_zone = "Europe/Berlin";
  h.weekly[kSun] = {hours(2, 30, 5, 0)};
  const Schedule s = make(h);
  EXPECT_EQ(at(s.next_open(utc(2024, 10, 26, 22, 0))), at(utc(2024, 10, 27, 0, 30)));  // 02:30 CEST
  EXPECT_EQ(s.closes_at(utc(2024, 10, 27, 0, 30)), utc(2024, 10, 27, 4, 0));           // 05:00 CET
}

// --- America/New_York: EST/EDT; 2024-03-10 02:00 -> 03:00, 2024-11-03 02:00 -> 01:00 ---------

TEST(BusinessHoursNewYork, FollowsTheOffsetOnEitherSideOfDst) {
  BusinessHours h = office("America/New_York");
  h.weekly[kMon] = {hours(9, 0, 17, 0)};
  const Schedule s = make(h);
  EXPECT_EQ(at(s.next_open(utc(2024, 3, 4, 0, 0))), at(utc(2024, 3, 4, 14, 0)));      // EST
  EXPECT_EQ(at(s.next_open(utc(2024, 3, 11, 0, 0))), at(utc(2024, 3, 11, 13, 0)));    // EDT
  EXPECT_EQ(at(s.next_open(utc(2024, 10, 28, 0, 0))), at(utc(2024, 10, 28, 13, 0)));  // EDT
  EXPECT_EQ(at(s.next_open(utc(2024, 11, 4, 0, 0))), at(utc(2024, 11, 4, 14, 0)));    // EST
}

TEST(BusinessHoursNewYork, AnOvernightIntervalAcrossSpringForwardLastsSevenHours) {
  BusinessHours h;
  h.time_zone = "America/New_York";
  h.weekly[kSat] = {hours(22, 0, 6, 0)};
  const Schedule s = make(h);
  EXPECT_FALSE(s.is_open(utc(2024, 3, 10, 2, 59)));
  EXPECT_TRUE(s.is_open(utc(2024, 3, 10, 3, 0)));   // Sat 22:00 EST
  EXPECT_TRUE(s.is_open(utc(2024, 3, 10, 9, 59)));  // Sun 05:59 EDT
  EXPECT_FALSE(s.is_open(utc(2024, 3, 10, 10, 0)));
  EXPECT_EQ(s.closes_at(utc(2024, 3, 10, 3, 0)), utc(2024, 3, 10, 10, 0));
}

TEST(BusinessHoursNewYork, AnOvernightIntervalAcrossFallBackLastsNineHours) {
  BusinessHours h;
  h.time_zone = "America/New_York";
  h.weekly[kSat] = {hours(22, 0, 6, 0)};
  const Schedule s = make(h);
  EXPECT_TRUE(s.is_open(utc(2024, 11, 3, 2, 0)));    // Sat 22:00 EDT
  EXPECT_TRUE(s.is_open(utc(2024, 11, 3, 5, 30)));   // 01:30 EDT
  EXPECT_TRUE(s.is_open(utc(2024, 11, 3, 6, 30)));   // 01:30 EST
  EXPECT_TRUE(s.is_open(utc(2024, 11, 3, 10, 59)));  // 05:59 EST
  EXPECT_FALSE(s.is_open(utc(2024, 11, 3, 11, 0)));
  EXPECT_EQ(s.closes_at(utc(2024, 11, 3, 2, 0)), utc(2024, 11, 3, 11, 0));
}

// --- checks and JSON -------------------------------------------------------------------------

TEST(ScheduleCreate, RefusesUnknownOrMalformedZones) {
  for (const char* zone :
       {"Mars/Olympus_Mons", "", "../../etc/passwd", "/etc/localtime", "Europe//Berlin", "Europe/Berlin ", ".hidden"}) {
    BusinessHours h;
    h.time_zone = zone;
    auto s = Schedule::create(h);
    ASSERT_FALSE(s) << zone;
    EXPECT_EQ(s.error().field, "time_zone") << zone;
  }
  BusinessHours utc_zone;
  utc_zone.time_zone = "UTC";
  EXPECT_TRUE(Schedule::create(utc_zone));
}

TEST(ScheduleCreate, RefusesBadIntervalsNamingThem) {
  BusinessHours h = office("Europe/Moscow");
  h.weekly[kTue] = {hours(9, 0, 12, 0), hours(13, 0, 13, 0)};
  EXPECT_EQ(Schedule::create(h).error().field, "weekly.tue[1]");
  h = office("Europe/Moscow");
  h.weekly[kSun] = {HoursInterval{-1, 60}};
  EXPECT_EQ(Schedule::create(h).error().field, "weekly.sun[0]");
  h = office("Europe/Moscow");
  h.weekly[kMon] = std::vector<HoursInterval>(kMaxIntervalsPerDay + 1, hours(1, 0, 2, 0));
  EXPECT_EQ(Schedule::create(h).error().field, "weekly.mon");
  h = office("Europe/Moscow");
  h.holidays = {Holiday{{2024, 1, 1}, {}}, Holiday{{2024, 1, 1}, {hours(10, 0, 12, 0)}}};
  EXPECT_EQ(Schedule::create(h).error().field, "holidays[1].date");
}

TEST(BusinessHoursJson, ParsesTheSettingsForm) {
  auto s = parse_business_hours(R"({"time_zone":"Europe/Berlin",
      "weekly":{"mon":["09:00-13:00","14:00-18:00"],"fri":["20:00-02:00"],"sat":["00:00-24:00"],"sun":[]},
      "holidays":[{"date":"2026-01-01"},{"date":"2026-12-31","hours":["10:00-15:00"]}]})");
  ASSERT_TRUE(s) << s.error().field << ": " << s.error().message;
  const BusinessHours& h = s->hours();
  EXPECT_EQ(h.time_zone, "Europe/Berlin");
  EXPECT_EQ(h.weekly[kMon], (std::vector<HoursInterval>{hours(9, 0, 13, 0), hours(14, 0, 18, 0)}));
  EXPECT_EQ(h.weekly[kFri], (std::vector<HoursInterval>{hours(20, 0, 2, 0)}));
  EXPECT_EQ(h.weekly[kSat], (std::vector<HoursInterval>{hours(0, 0, 24, 0)}));
  EXPECT_TRUE(h.weekly[kTue].empty());
  ASSERT_EQ(h.holidays.size(), 2u);
  EXPECT_EQ(h.holidays[1], (Holiday{{2026, 12, 31}, {hours(10, 0, 15, 0)}}));
}

TEST(BusinessHoursJson, RoundTrips) {
  BusinessHours h = office("America/New_York");
  h.weekly[kSat] = {hours(22, 0, 6, 0), hours(0, 0, 24, 0)};
  h.holidays = {Holiday{{2024, 12, 25}, {}}, Holiday{{2024, 12, 31}, {hours(10, 0, 15, 0)}}};
  const std::string json = business_hours_json(h);
  auto s = parse_business_hours(json);
  ASSERT_TRUE(s) << json << ": " << s.error().message;
  EXPECT_EQ(s->hours(), h) << json;
}

TEST(BusinessHoursJson, RefusesBadInputNamingTheMember) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"weekly":{}})", "time_zone"},
      {R"({"time_zone":"Europe/Berlin","weekly":{"monday":[]}})", "weekly.monday"},
      {R"({"time_zone":"Europe/Berlin","weekly":{"mon":["9:00-18:00"]}})", "weekly.mon[0]"},
      {R"({"time_zone":"Europe/Berlin","weekly":{"mon":["09:00-24:30"]}})", "weekly.mon[0]"},
      {R"({"time_zone":"Europe/Berlin","weekly":{"mon":["24:00-02:00"]}})", "weekly.mon[0]"},
      {R"({"time_zone":"Europe/Berlin","weekly":{"mon":["09:00-09:00"]}})", "weekly.mon[0]"},
      {R"({"time_zone":"Europe/Berlin","weekly":{"mon":"09:00-18:00"}})", "weekly.mon"},
      {R"({"time_zone":"Europe/Berlin","holidays":[{"date":"2026-02-30"}]})", "holidays[0].date"},
      {R"({"time_zone":"Europe/Berlin","holidays":[{"date":"2026-01-01","open":true}]})", "holidays[0].open"},
      {R"({"time_zone":"Europe/Berlin","holidays":[{"date":"2026-01-01","hours":["x"]}]})", "holidays[0].hours[0]"},
      {R"({"time_zone":"Atlantis/Capital"})", "time_zone"},
      {R"({"time_zone":"UTC","extra":1})", "extra"},
  };
  for (const auto& [json, field] : cases) {
    auto s = parse_business_hours(json);
    ASSERT_FALSE(s) << json;
    EXPECT_EQ(s.error().code, vitrina::protocol::ErrorCode::invalid) << json;
    EXPECT_EQ(s.error().field, field) << json;
  }
  EXPECT_EQ(parse_business_hours("{").error().code, vitrina::protocol::ErrorCode::malformed);
  EXPECT_EQ(parse_business_hours(R"({"time_zone":"UTC","time_zone":"UTC"})").error().code,
            vitrina::protocol::ErrorCode::malformed);
}

}  // namespace
}  // namespace vitrina::chat
