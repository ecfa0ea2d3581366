#include <gtest/gtest.h>

#include <string>

#include "vitrina/protocol/timestamp.hpp"
#include "vitrina/protocol/utf8.hpp"

namespace vitrina::protocol {
namespace {

TEST(Utf8Length, CountsCodePointsNotBytes) {
  EXPECT_EQ(utf8_length(""), 0u);
  EXPECT_EQ(utf8_length("abc"), 3u);
  EXPECT_EQ(utf8_length("\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82"), 6u);  // "Привет"
  EXPECT_EQ(utf8_length("\xF0\x9F\x98\x80!"), 2u);
}

TEST(Utf8Length, RefusesInvalidSequences) {
  for (std::string bad :
       {"\x80", "\xC3", "\xC0\x80", "\xE0\x80\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xFF", "a\xE2\x82"}) {
    EXPECT_FALSE(utf8_length(bad)) << bad;
    EXPECT_FALSE(is_valid_utf8(bad));
  }
}

TEST(Utf8Append, EncodesEveryLength) {
  std::string out;
  for (char32_t cp : {U'A', U'\u00E9', U'\u20AC', U'\U0001F600', U'\U0010FFFF'}) utf8_append(out, cp);
  EXPECT_EQ(out, "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF");
}

TEST(Timestamp, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(format_timestamp_ms(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_timestamp_ms(1714564800123), "2024-05-01T12:00:00.123Z");
  EXPECT_EQ(format_timestamp_ms(951782400000), "2000-02-29T00:00:00.000Z");
  EXPECT_EQ(format_timestamp_ms(-5), "1970-01-01T00:00:00.000Z");  // clamped
  EXPECT_EQ(format_timestamp_ms(kMaxTimestampMs), "9999-12-31T23:59:59.999Z");
}

TEST(Timestamp, ParsesWhatItFormats) {
  for (std::int64_t ms : {std::int64_t{0}, std::int64_t{1714564800123}, std::int64_t{951782400000},
                          std::int64_t{4102444799999}, kMaxTimestampMs}) {
    EXPECT_EQ(parse_timestamp_ms(format_timestamp_ms(ms)), ms);
  }
  EXPECT_EQ(parse_timestamp_ms("2024-05-01T12:00:00Z"), 1714564800000);
  EXPECT_EQ(parse_timestamp_ms("2024-05-01T12:00:00.1Z"), 1714564800100);
  EXPECT_EQ(parse_timestamp_ms("2024-05-01T12:00:00.123456789Z"), 1714564800123);
}

TEST(Timestamp, RefusesOtherForms) {
  for (const char* bad :
       {"2024-05-01", "2024-05-01T12:00:00", "2024-05-01T12:00:00+03:00", "2024-05-01t12:00:00z",
        "2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-04-31T00:00:00Z", "2024-05-01T24:00:00Z",
        "2024-05-01T12:60:00Z", "2024-05-01T12:00:60Z", "1969-12-31T23:59:59Z", "2024-05-01T12:00:00.Z",
        "2024-05-01T12:00:00.1234567890Z", "2024-05-01T12:00:00.123Zx", "+024-05-01T12:00:00Z"}) {
    EXPECT_FALSE(parse_timestamp_ms(bad)) << bad;
  }
}

TEST(CivilDays, KnowsWeekdaysAndLeapYears) {
  EXPECT_EQ(iso_weekday_from_days(0), 3u);                              // 1970-01-01, a Thursday
  EXPECT_EQ(iso_weekday_from_days(days_from_civil(2024, 3, 31)), 6u);   // a Sunday
  EXPECT_EQ(iso_weekday_from_days(days_from_civil(2024, 11, 4)), 0u);   // a Monday
  EXPECT_EQ(iso_weekday_from_days(days_from_civil(1969, 12, 29)), 0u);  // before the epoch
  EXPECT_EQ(civil_from_days(days_from_civil(2000, 2, 29)), (CivilDate{2000, 2, 29}));
  EXPECT_EQ(days_from_civil(2001, 3, 1) - days_from_civil(2001, 2, 28), 1);
}

}  // namespace
}  // namespace vitrina::protocol
