#include "vitrina/protocol/amount.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace vitrina::protocol {
namespace {

constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kInt64Min = std::numeric_limits<std::int64_t>::min();

Currency currency(std::string_view code) {
  auto c = find_currency(code);
  EXPECT_TRUE(c) << code;
  return c ? *c : Currency{};
}

TEST(ValidateAmount, AcceptsOneToTheCeiling) {
  EXPECT_TRUE(validate_amount(1, currency("RUB")));
  EXPECT_TRUE(validate_amount(123450, currency("RUB")));
  EXPECT_TRUE(validate_amount(kMaxAmount, currency("JPY")));
  EXPECT_EQ(kMaxAmount, 1'000'000'000'000'000);
}

TEST(ValidateAmount, RefusesZeroNegativeAndAboveCeilingNamingTheField) {
  for (std::int64_t bad : {std::int64_t{0}, std::int64_t{-1}, kInt64Min, kMaxAmount + 1, kInt64Max}) {
    const auto r = validate_amount(bad, currency("RUB"), "items[2].amount");
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::invalid);
    EXPECT_EQ(r.error().field, "items[2].amount");
    EXPECT_EQ(r.error().message.rfind("items[2].amount ", 0), 0u) << r.error().message;
  }
  EXPECT_EQ(validate_amount(0, currency("RUB")).error().field, "amount");
  EXPECT_NE(validate_amount(0, currency("RUB")).error().message.find("not zero"), std::string::npos);
  EXPECT_NE(validate_amount(-5, currency("RUB")).error().message.find("not negative"), std::string::npos);
  EXPECT_NE(validate_amount(kMaxAmount + 1, currency("RUB")).error().message.find("10000000000000.00 RUB"),
            std::string::npos);
}

TEST(FormatAmount, UsesTheCurrencyExponent) {
  EXPECT_EQ(format_amount(123450, currency("RUB")), "1234.50");
  EXPECT_EQ(format_amount(500, currency("JPY")), "500");
  EXPECT_EQ(format_amount(1, currency("KWD")), "0.001");
  EXPECT_EQ(format_amount(1234, currency("BHD")), "1.234");
  EXPECT_EQ(format_amount(1, currency("CLF")), "0.0001");
  EXPECT_EQ(format_amount(5, currency("USD")), "0.05");
  EXPECT_EQ(format_amount(100, currency("EUR")), "1.00");
  EXPECT_EQ(format_amount(0, currency("RUB")), "0.00");
  EXPECT_EQ(format_amount(0, currency("JPY")), "0");
  EXPECT_EQ(format_amount(-5, currency("USD")), "-0.05");
  EXPECT_EQ(format_amount(-123450, currency("RUB")), "-1234.50");
}

TEST(FormatAmount, HandlesTheInt64Extremes) {
  EXPECT_EQ(format_amount(kInt64Max, currency("RUB")), "92233720368547758.07");
  EXPECT_EQ(format_amount(kInt64Min, currency("RUB")), "-92233720368547758.08");
  EXPECT_EQ(format_amount(kInt64Min, currency("JPY")), "-9223372036854775808");
  EXPECT_EQ(format_amount(kMaxAmount, currency("RUB")), "10000000000000.00");
}

TEST(ParseAmount, ReadsDecimalStrings) {
  const Currency rub = currency("RUB");
  EXPECT_EQ(*parse_amount("1234.50", rub), 123450);
  EXPECT_EQ(*parse_amount("1234.5", rub), 123450);
  EXPECT_EQ(*parse_amount("1234", rub), 123400);
  EXPECT_EQ(*parse_amount("0.01", rub), 1);
  EXPECT_EQ(*parse_amount("0", rub), 0);
  EXPECT_EQ(*parse_amount("0.00", rub), 0);
  EXPECT_EQ(*parse_amount("10", rub), 1000);
  EXPECT_EQ(*parse_amount("500", currency("JPY")), 500);
  EXPECT_EQ(*parse_amount("1.234", currency("KWD")), 1234);
  EXPECT_EQ(*parse_amount("1.2", currency("KWD")), 1200);
  EXPECT_EQ(*parse_amount("0.0001", currency("CLF")), 1);
}

TEST(ParseAmount, RefusesAnythingNotStrictlyDecimal) {
  const Currency rub = currency("RUB");
  for (std::string_view bad :
       {"",    ".",     "1.",    ".5",   "01",    "00",    "00.5", "-1",  "+1",  " 1",       "1 ",  "1,5", "1e3",
        "1E3", "1.234", "1.2.3", "0x10", "1_000", "1 000", "1..2", "inf", "NaN", "\xd9\xa1", "12a", "1.a"}) {
    const auto r = parse_amount(bad, rub, "amount_value");
    ASSERT_FALSE(r) << "'" << bad << "' parsed as " << *r;
    EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::invalid);
    EXPECT_EQ(r.error().field, "amount_value");
  }
  const Currency jpy = currency("JPY");
  for (std::string_view bad : {"500.0", "500.", "5.5"}) EXPECT_FALSE(parse_amount(bad, jpy)) << bad;
  EXPECT_NE(parse_amount("1.234", rub).error().message.find("at most 2 fractional digits"), std::string::npos);
}

TEST(ParseAmount, RefusesOverflowInsteadOfWrapping) {
  const Currency rub = currency("RUB");
  const Currency jpy = currency("JPY");
  EXPECT_EQ(*parse_amount("92233720368547758.07", rub), kInt64Max);
  EXPECT_FALSE(parse_amount("92233720368547758.08", rub));
  EXPECT_FALSE(parse_amount("92233720368547758.1", rub));
  EXPECT_FALSE(parse_amount("92233720368547759", rub));
  EXPECT_EQ(*parse_amount("9223372036854775807", jpy), kInt64Max);
  EXPECT_FALSE(parse_amount("9223372036854775808", jpy));
  EXPECT_FALSE(parse_amount("18446744073709551616", jpy));  // 2^64: would wrap to 0 in uint64
  EXPECT_FALSE(parse_amount(std::string(5000, '9'), jpy));
  const auto r = parse_amount("99999999999999999999", rub);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "amount is too large");
  EXPECT_EQ(r.error().field, "amount");
}

TEST(ParseAmount, RoundTripsWithFormatForEveryCurrency) {
  for (const Currency& c : currencies()) {
    for (std::int64_t v : {std::int64_t{0}, std::int64_t{1}, std::int64_t{7}, std::int64_t{10}, std::int64_t{99},
                           std::int64_t{100}, std::int64_t{12345}, std::int64_t{1000000007}, kMaxAmount, kInt64Max}) {
      const std::string text = format_amount(v, c);
      const auto back = parse_amount(text, c);
      ASSERT_TRUE(back) << c.code << " " << text << ": " << back.error().message;
      EXPECT_EQ(*back, v) << c.code << " " << text;
    }
  }
}

TEST(ParseAmount, ShortFractionsFormatBackInCanonicalForm) {
  const Currency rub = currency("RUB");
  EXPECT_EQ(format_amount(*parse_amount("1234.5", rub), rub), "1234.50");
  EXPECT_EQ(format_amount(*parse_amount("7", rub), rub), "7.00");
  const Currency kwd = currency("KWD");
  EXPECT_EQ(format_amount(*parse_amount("0.1", kwd), kwd), "0.100");
}

}  // namespace
}  // namespace vitrina::protocol
