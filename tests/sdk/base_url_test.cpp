#include "base_url.hpp"

#include <gtest/gtest.h>

#include <string_view>

namespace vitrina::sdk::detail {
namespace {

TEST(ParseBaseUrl, SplitsSchemeHostAndExplicitPort) {
  auto url = parse_base_url("http://127.0.0.1:8080");
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(url->scheme, "http");
  EXPECT_EQ(url->host, "127.0.0.1");
  EXPECT_EQ(url->port, 8080);
  EXPECT_EQ(url->path_prefix, "");
}

TEST(ParseBaseUrl, DefaultsThePortFromTheScheme) {
  EXPECT_EQ(parse_base_url("https://chat.shop.example")->port, 443);
  EXPECT_EQ(parse_base_url("http://chat.shop.example")->port, 80);
}

TEST(ParseBaseUrl, KeepsPathPrefixWithoutTrailingSlashes) {
  auto url = parse_base_url("https://shop.example/vitrina/api//");
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(url->path_prefix, "/vitrina/api");
  EXPECT_EQ(parse_base_url("https://shop.example/")->path_prefix, "");
}

TEST(ParseBaseUrl, UnbracketsIpv6Hosts) {
  auto url = parse_base_url("http://[::1]:9000/x");
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, 9000);
  EXPECT_EQ(url->path_prefix, "/x");
  EXPECT_EQ(parse_base_url("https://[2001:db8::1]")->port, 443);
}

TEST(ParseBaseUrl, RejectsWhatItCannotHonour) {
  for (std::string_view bad : {
           "",
           "127.0.0.1:8080",
           "ftp://shop.example",
           "https//shop.example",
           "https://",
           "https://user:pw@shop.example",
           "https://shop.example:0",
           "https://shop.example:https",
           "https://shop.example/a?b=1",
           "https://shop.example/a#b",
           "https://shop.example/a b",
           "https://shop.example/a\r\nX-Injected: 1",
           "https://shop.example/caf\xC3\xA9",
       }) {
    auto url = parse_base_url(bad);
    ASSERT_FALSE(url) << bad;
    EXPECT_EQ(url.error().code, vitrina::protocol::ErrorCode::invalid_options) << bad;
    EXPECT_EQ(url.error().field, "base_url") << bad;
  }
}

}  // namespace
}  // namespace vitrina::sdk::detail
