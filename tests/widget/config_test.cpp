#include "config.hpp"

#include <gtest/gtest.h>

namespace vitrina::widget {
namespace {

constexpr std::string_view kGood =
    R"({"site":"pk_0123456789ABCDEFGHIJabcd","lang":"ru","ws":"wss://chat.example/v1/visitor/ws?site=pk_0123456789ABCDEFGHIJabcd",
        "api":"https://chat.example/v1/widget/pk_0123456789ABCDEFGHIJabcd/","widgets":"chat, callback",
        "prechat":"name,phone","greeting":"Need help choosing?","greeting_after":"30","greeting_pages":"/catalog/*",
        "page":{"url":"https://shop.example/catalog/tea","title":"Tea","referrer":"","language":"ru-RU"}})";

TEST(MountConfig, ReadsEveryMember) {
  auto config = parse_mount_config(kGood);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->site, "pk_0123456789ABCDEFGHIJabcd");
  EXPECT_EQ(config->language, Language::kRussian);
  EXPECT_TRUE(config->prechat.name);
  EXPECT_FALSE(config->prechat.email);
  EXPECT_TRUE(config->prechat.phone);
  EXPECT_EQ(config->greeting, "Need help choosing?");
  EXPECT_EQ(config->greeting_after_ms, 30'000);
  EXPECT_EQ(config->greeting_pages, std::vector<std::string>{"/catalog/*"});
  EXPECT_EQ(config->page.url, "https://shop.example/catalog/tea");
  EXPECT_EQ(config->page.referrer, "");
  EXPECT_EQ(config->page.language, "ru-RU");
  EXPECT_EQ(config->api_url, "https://chat.example/v1/widget/pk_0123456789ABCDEFGHIJabcd/");
  EXPECT_TRUE(config->widgets.chat);
  EXPECT_TRUE(config->widgets.callback);
  EXPECT_TRUE(config->widgets.csat);
  EXPECT_FALSE(config->widgets.page_rating);
}

TEST(MountConfig, WidgetsDefaultToTheChat) {
  const std::string base = R"({"site":"pk_0123456789ABCDEFGHIJabcd","ws":"ws://a/","api":"http://a/")";
  auto plain = parse_mount_config(base + "}");
  ASSERT_TRUE(plain);
  EXPECT_TRUE(plain->widgets.chat);
  EXPECT_FALSE(plain->widgets.callback);
  auto rating = parse_mount_config(base + R"(,"widgets":"rating"})");
  ASSERT_TRUE(rating);
  EXPECT_FALSE(rating->widgets.chat);
  EXPECT_TRUE(rating->widgets.page_rating);
  auto nonsense = parse_mount_config(base + R"(,"widgets":"fax"})");
  ASSERT_TRUE(nonsense);
  EXPECT_TRUE(nonsense->widgets.chat);
  EXPECT_FALSE(parse_mount_config(R"({"site":"pk_0123456789ABCDEFGHIJabcd","ws":"ws://a/","api":"ftp://a/"})"));
}

TEST(MountConfig, RefusesABadSiteOrSocket) {
  auto bad_site = parse_mount_config(R"({"site":"pk_x","ws":"wss://a/"})");
  ASSERT_FALSE(bad_site);
  EXPECT_EQ(bad_site.error().field, "site");
  auto bad_ws = parse_mount_config(R"js({"site":"pk_0123456789ABCDEFGHIJabcd","ws":"javascript:alert(1)"})js");
  ASSERT_FALSE(bad_ws);
  EXPECT_EQ(bad_ws.error().field, "ws");
  EXPECT_FALSE(parse_mount_config("[]"));
  EXPECT_FALSE(parse_mount_config("{"));
}

TEST(MountConfig, DropsOddOptionalMembers) {
  auto config = parse_mount_config(
      R"js({"site":"pk_0123456789ABCDEFGHIJabcd","ws":"ws://a/","api":"http://a/","greeting":"two\nlines","greeting_after":"-5",
          "page":{"url":"javascript:alert(1)","title":"ok"}})js");
  ASSERT_TRUE(config);
  EXPECT_TRUE(config->greeting.empty());
  EXPECT_EQ(config->greeting_after_ms, 15'000);
  EXPECT_FALSE(config->page.url);
  EXPECT_EQ(config->page.title, "ok");
}

}  // namespace
}  // namespace vitrina::widget
