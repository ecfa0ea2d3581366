#include "http/cookies.hpp"

#include <gtest/gtest.h>

namespace vitrina::http {
namespace {

TEST(CookieParser, FindsANamedCookieAmongSeveral) {
  EXPECT_EQ(find_cookie("a=1; vitrina_session=ses_x; b=2", "vitrina_session"), "ses_x");
  EXPECT_EQ(find_cookie("vitrina_session=ses_x", "vitrina_session"), "ses_x");
  EXPECT_EQ(find_cookie("a=1;b=2;vitrina_session=last", "vitrina_session"), "last");
}

TEST(CookieParser, ToleratesWhitespaceQuotesAndEmptyPairs) {
  EXPECT_EQ(find_cookie("  a = 1 ;\tsid = \"quoted\" ; ;", "sid"), "quoted");
  EXPECT_EQ(find_cookie(";;sid=v;;", "sid"), "v");
  EXPECT_EQ(find_cookie("sid=", "sid"), "");
}

TEST(CookieParser, NamesMatchExactly) {
  EXPECT_FALSE(find_cookie("xsid=1; sidx=2; SID=3", "sid").has_value());
  EXPECT_FALSE(find_cookie("", "sid").has_value());
  EXPECT_FALSE(find_cookie("sid", "sid").has_value()) << "a pair without = is skipped";
  EXPECT_FALSE(find_cookie("a=1", "").has_value());
}

TEST(CookieParser, ValueMayContainEqualsSigns) { EXPECT_EQ(find_cookie("sid=a=b==", "sid"), "a=b=="); }

TEST(CookieParser, ReturnsEveryValueOfARepeatedName) {
  const auto values = cookie_values("sid=old; other=x; sid=new", "sid");
  ASSERT_EQ(values.size(), 2u);
  EXPECT_EQ(values[0], "old");
  EXPECT_EQ(values[1], "new");
}

TEST(SetCookie, CarriesTheSessionAttributes) {
  EXPECT_EQ(make_set_cookie("vitrina_session", "ses_abc", {.max_age_s = 43200}),
            "vitrina_session=ses_abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200");
  EXPECT_EQ(make_set_cookie("s", "v", {.max_age_s = 60, .secure = true}),
            "s=v; Path=/; HttpOnly; SameSite=Strict; Max-Age=60; Secure");
}

TEST(SetCookie, ExpiringCookieHasMaxAgeZero) {
  EXPECT_EQ(make_set_cookie("s", "", {.max_age_s = 0}), "s=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  EXPECT_EQ(make_set_cookie("s", "", {.max_age_s = -5}), "s=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
}

}  // namespace
}  // namespace vitrina::http
