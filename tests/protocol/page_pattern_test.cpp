#include <gtest/gtest.h>

#include "vitrina/protocol/page_pattern.hpp"

namespace vitrina::protocol {
namespace {

TEST(PagePattern, StarMatchesAnyRun) {
  EXPECT_TRUE(path_matches("/", "/"));
  EXPECT_FALSE(path_matches("/", "/cart"));
  EXPECT_TRUE(path_matches("/delivery*", "/delivery"));
  EXPECT_TRUE(path_matches("/delivery*", "/delivery/moscow"));
  EXPECT_TRUE(path_matches("/*/faq", "/ru/faq"));
  EXPECT_FALSE(path_matches("/*/faq", "/ru/faq/x"));
  EXPECT_TRUE(path_matches("*", "/anything"));
  EXPECT_TRUE(path_matches("/catalog/*", "/catalog/tea"));
  EXPECT_FALSE(path_matches("/catalog/*", "/cart"));
  EXPECT_TRUE(path_matches("*/checkout", "/ru/checkout"));
  EXPECT_FALSE(path_matches("*/checkout", "/ru/checkout/done"));
  EXPECT_TRUE(path_matches("/a*b*c", "/aXXbYYc"));
  EXPECT_FALSE(path_matches("/a*b*c", "/axxbyy"));
  EXPECT_TRUE(path_matches("/a**b", "/ab"));
}

TEST(PagePattern, EmptyPatternMatchesEverything) {
  EXPECT_TRUE(path_matches("", "/anything"));
  EXPECT_TRUE(path_matches("", ""));
  EXPECT_FALSE(path_matches("/x", ""));
}

TEST(PagePattern, ManyStarsStayFast) {
  // Backtracking only to the last star: a pattern built to explode a recursive matcher.
  const std::string path(10'000, 'a');
  EXPECT_FALSE(path_matches("*a*a*a*a*a*a*a*a*b", path));
}

TEST(UrlPath, StripsOriginQueryAndFragment) {
  EXPECT_EQ(url_path("https://shop.example/a/b?c=1#d"), "/a/b");
  EXPECT_EQ(url_path("https://shop.example"), "/");
  EXPECT_EQ(url_path("https://shop.example?x=1"), "/");
  EXPECT_EQ(url_path("/cart?x=1"), "/cart");
  EXPECT_EQ(url_path("/cart#top"), "/cart");
}

}  // namespace
}  // namespace vitrina::protocol
