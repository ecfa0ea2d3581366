#include "vitrina/protocol/currency.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>

namespace vitrina::protocol {
namespace {

Currency must_find(std::string_view code) {
  auto found = find_currency(code);
  EXPECT_TRUE(found) << code << ": " << (found ? "" : found.error().message);
  return found ? *found : Currency{};
}

TEST(Currency, KnowsTheCommonCurrenciesWithTheirMinorUnits) {
  struct Expected {
    std::string_view code;
    int numeric;
    int exponent;
  };
  for (const Expected& e :
       {Expected{"RUB", 643, 2}, Expected{"USD", 840, 2}, Expected{"EUR", 978, 2}, Expected{"GBP", 826, 2},
        Expected{"KZT", 398, 2}, Expected{"BYN", 933, 2}, Expected{"JPY", 392, 0}, Expected{"KRW", 410, 0},
        Expected{"KWD", 414, 3}, Expected{"BHD", 48, 3}, Expected{"CLF", 990, 4}, Expected{"ISK", 352, 0}}) {
    const Currency c = must_find(e.code);
    EXPECT_EQ(c.code, e.code);
    EXPECT_EQ(c.numeric, e.numeric) << e.code;
    EXPECT_EQ(c.exponent, e.exponent) << e.code;
  }
}

TEST(Currency, ZeroThreeAndFourDecimalCurrenciesAreExactlyTheIsoOnes) {
  std::set<std::string_view> zero;
  std::set<std::string_view> three;
  std::set<std::string_view> four;
  for (const Currency& c : currencies()) {
    if (c.exponent == 0) zero.insert(c.code);
    if (c.exponent == 3) three.insert(c.code);
    if (c.exponent == 4) four.insert(c.code);
    EXPECT_TRUE(c.exponent == 0 || c.exponent == 2 || c.exponent == 3 || c.exponent == 4) << c.code;
  }
  EXPECT_EQ(zero, (std::set<std::string_view>{"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF",
                                              "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"}));
  EXPECT_EQ(three, (std::set<std::string_view>{"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"}));
  EXPECT_EQ(four, (std::set<std::string_view>{"CLF", "UYW"}));
}

TEST(Currency, TableIsSortedUniqueWellFormedAndEveryEntryIsFound) {
  const auto all = currencies();
  EXPECT_EQ(all.size(), 169u);
  std::set<int> numerics;
  for (std::size_t i = 0; i < all.size(); ++i) {
    const Currency& c = all[i];
    ASSERT_EQ(c.code.size(), 3u);
    for (char ch : c.code) EXPECT_TRUE(ch >= 'A' && ch <= 'Z') << c.code;
    EXPECT_GE(c.numeric, 1) << c.code;
    EXPECT_LE(c.numeric, 999) << c.code;
    if (i > 0) {
      EXPECT_LT(all[i - 1].code, c.code);
    }
    const Currency found = must_find(c.code);
    EXPECT_EQ(found.code, c.code);
    EXPECT_EQ(found.exponent, c.exponent);
    numerics.insert(c.numeric);
  }
  // ANG and its successor XCG share 532 during the changeover; every other numeric is unique.
  EXPECT_EQ(numerics.size(), all.size() - 1);
}

TEST(Currency, FollowsRecentListChanges) {
  EXPECT_EQ(must_find("ZWG").numeric, 924);
  EXPECT_EQ(must_find("XCG").exponent, 2);
  EXPECT_EQ(must_find("SLE").exponent, 2);
  EXPECT_EQ(must_find("VED").exponent, 2);
  const auto hrk = find_currency("HRK");
  ASSERT_FALSE(hrk);
  EXPECT_EQ(hrk.error().message, "unknown currency \"HRK\"");
}

TEST(Currency, RefusesUnknownCodeNamingItAndTheField) {
  const auto r = find_currency("XYZ");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::invalid);
  EXPECT_EQ(r.error().field, "currency");
  EXPECT_NE(r.error().message.find("\"XYZ\""), std::string::npos) << r.error().message;
}

TEST(Currency, RefusesCodesWithoutMinorUnit) {
  for (std::string_view code : {"XAU", "XAG", "XDR", "XTS", "XXX", "XBA"}) {
    const auto r = find_currency(code);
    ASSERT_FALSE(r) << code;
    EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::invalid);
    EXPECT_EQ(r.error().field, "currency");
    EXPECT_NE(r.error().message.find("no minor unit"), std::string::npos) << r.error().message;
  }
}

TEST(Currency, IsCaseSensitiveAndExactlyThreeLetters) {
  for (std::string_view code : {"rub", "Rub", "RUb", "RU", "RUBB", "", " RUB", "RUB ", "R1B", "643"}) {
    const auto r = find_currency(code);
    ASSERT_FALSE(r) << "'" << code << "'";
    EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::invalid);
    EXPECT_EQ(r.error().field, "currency");
  }
  EXPECT_NE(find_currency("rub").error().message.find("\"rub\""), std::string::npos);
}

TEST(Currency, DoesNotEchoLongOrUnprintableInput) {
  const std::string long_input(200, 'A');
  const auto r = find_currency(long_input);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message.find("AAAAAAAAA"), std::string::npos);
  const auto ctl = find_currency(std::string_view("R\nB", 3));
  ASSERT_FALSE(ctl);
  EXPECT_EQ(ctl.error().message.find('\n'), std::string::npos);
  const auto quote = find_currency("R\"B");
  ASSERT_FALSE(quote);
  EXPECT_EQ(quote.error().message.find("R\"B"), std::string::npos);
}

}  // namespace
}  // namespace vitrina::protocol
