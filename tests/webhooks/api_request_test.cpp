// The webhook API's request bodies: every member checked, every refusal naming its field.

#include "webhooks/api_request.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace vitrina::webhooks {
namespace {

constexpr bool kPublicOnly = false;
constexpr bool kAllowPrivate = true;

// The (code, field) of a refusal, or ("", "") when the body was accepted.
template <class R>
std::pair<std::string, std::string> refusal(const R& r) {
  if (r) return {};
  return {std::string(vitrina::protocol::error_code_name(r.error().code)), r.error().field};
}

TEST(CreateEndpointRequest, DefaultsToHmacWithEveryEvent) {
  auto spec = parse_create_endpoint(R"({"url":"https://shop.example/hooks"})", kPublicOnly);
  ASSERT_TRUE(spec) << spec.error().message;
  EXPECT_EQ(spec->url, "https://shop.example/hooks");
  EXPECT_TRUE(spec->event_types.empty());
  EXPECT_EQ(spec->signing, Signing::hmac);
  EXPECT_EQ(spec->description, "");
}

TEST(CreateEndpointRequest, TakesEveryMember) {
  auto spec = parse_create_endpoint(
      R"({"url":"https://shop.example/h","event_types":["payment.*","refund.succeeded"],"signing":"both",)"
      R"("description":"Orders – прод"})",
      kPublicOnly);
  ASSERT_TRUE(spec) << spec.error().message;
  EXPECT_EQ(spec->event_types, (std::vector<std::string>{"payment.*", "refund.succeeded"}));
  EXPECT_EQ(spec->signing, Signing::both);
  EXPECT_EQ(spec->description, "Orders – прод");
  EXPECT_EQ(parse_create_endpoint(R"({"url":"https://a.example","signing":"ed25519"})", kPublicOnly)->signing,
            Signing::ed25519);
}

TEST(CreateEndpointRequest, RefusalsNameTheField) {
  const std::string many = [] {
    std::string s = "[";
    for (int i = 0; i < 65; ++i) s += std::string(i ? "," : "") + "\"a\"";
    return s + "]";
  }();
  const std::vector<std::pair<std::string, std::pair<std::string, std::string>>> cases{
      {"", {"malformed", "body"}},
      {"{", {"malformed", "body"}},
      {"[]", {"invalid", "body"}},
      {"{}", {"invalid", "url"}},
      {R"({"url":5})", {"invalid", "url"}},
      {R"({"url":"ftp://shop.example/h"})", {"invalid", "url"}},
      {R"({"url":"http://shop.example/h"})", {"invalid", "url"}},
      {R"({"url":"https://10.0.0.1/h"})", {"invalid", "url"}},
      {R"({"url":"https://user:pw@shop.example/h"})", {"invalid", "url"}},
      {R"({"url":"https://shop.example/h","url":"https://b.example"})", {"invalid", "url"}},
      {R"({"url":"https://a.example","event_types":"payment.*"})", {"invalid", "event_types"}},
      {R"({"url":"https://a.example","event_types":["payment.*",3]})", {"invalid", "event_types[1]"}},
      {R"({"url":"https://a.example","event_types":["Payment"]})", {"invalid", "event_types[0]"}},
      {R"({"url":"https://a.example","event_types":[""]})", {"invalid", "event_types[0]"}},
      {R"({"url":"https://a.example","event_types":)" + many + "}", {"invalid", "event_types"}},
      {R"({"url":"https://a.example","signing":"rsa"})", {"invalid", "signing"}},
      {R"({"url":"https://a.example","signing":true})", {"invalid", "signing"}},
      {R"({"url":"https://a.example","description":7})", {"invalid", "description"}},
      {R"({"url":"https://a.example","description":")" + std::string(257, 'x') + "\"}", {"invalid", "description"}},
      {R"({"url":"https://a.example","description":"a\nb"})", {"invalid", "description"}},
      {R"({"url":"https://a.example","enabled":true})", {"invalid", "enabled"}},
      {R"({"url":"https://a.example","secret":"whsec_x"})", {"invalid", "secret"}},
  };
  for (const auto& [body, expected] : cases) {
    EXPECT_EQ(refusal(parse_create_endpoint(body, kPublicOnly)), expected) << body;
  }
}

TEST(CreateEndpointRequest, PrivateTargetsOnlyWhenAllowed) {
  const std::string body = R"({"url":"http://127.0.0.1:8080/h"})";
  EXPECT_EQ(refusal(parse_create_endpoint(body, kPublicOnly)).second, "url");
  EXPECT_TRUE(parse_create_endpoint(body, kAllowPrivate));
}

TEST(EndpointPatch, EmptyObjectChangesNothing) {
  auto patch = parse_endpoint_patch("{}", kPublicOnly);
  ASSERT_TRUE(patch);
  EXPECT_FALSE(patch->url || patch->event_types || patch->description || patch->enabled);
}

TEST(EndpointPatch, TakesEachMember) {
  auto patch = parse_endpoint_patch(R"({"url":"https://b.example/h","event_types":[],"description":"","enabled":true})",
                                    kPublicOnly);
  ASSERT_TRUE(patch) << patch.error().message;
  EXPECT_EQ(patch->url, "https://b.example/h");
  ASSERT_TRUE(patch->event_types);
  EXPECT_TRUE(patch->event_types->empty());
  EXPECT_EQ(patch->description, "");
  EXPECT_EQ(patch->enabled, true);
  EXPECT_EQ(parse_endpoint_patch(R"({"enabled":false})", kPublicOnly)->enabled, false);
}

TEST(EndpointPatch, RefusalsNameTheField) {
  const std::vector<std::pair<std::string, std::pair<std::string, std::string>>> cases{
      {"", {"malformed", "body"}},
      {"nope", {"malformed", "body"}},
      {"1", {"invalid", "body"}},
      {R"({"url":null})", {"invalid", "url"}},
      {R"({"url":"https://192.168.1.1/"})", {"invalid", "url"}},
      {R"({"event_types":["ok","No"]})", {"invalid", "event_types[1]"}},
      {R"({"enabled":"yes"})", {"invalid", "enabled"}},
      {R"({"enabled":1})", {"invalid", "enabled"}},
      {R"({"signing":"both"})", {"invalid", "signing"}},
      {R"({"description":"x","description":"y"})", {"invalid", "description"}},
      {R"({"colour":"red"})", {"invalid", "colour"}},
  };
  for (const auto& [body, expected] : cases) {
    EXPECT_EQ(refusal(parse_endpoint_patch(body, kPublicOnly)), expected) << body;
  }
}

TEST(ResendRequest, EmptyMeansEveryEndpoint) {
  EXPECT_EQ(parse_resend("").value(), "");
  EXPECT_EQ(parse_resend(" {} ").value(), "");
  EXPECT_EQ(parse_resend(R"({"endpoint_id":"we_abc"})").value(), "we_abc");
}

TEST(ResendRequest, RefusalsNameTheField) {
  EXPECT_EQ(refusal(parse_resend(R"({"endpoint_id":"pay_1"})")),
            (std::pair<std::string, std::string>{"invalid", "endpoint_id"}));
  EXPECT_EQ(refusal(parse_resend(R"({"endpoint_id":1})")).second, "endpoint_id");
  EXPECT_EQ(refusal(parse_resend(R"({"endpoint":"we_1"})")).second, "endpoint");
  EXPECT_EQ(refusal(parse_resend("[")).first, "malformed");
}

TEST(EmptyBody, OnlyNothingOrAnEmptyObject) {
  EXPECT_TRUE(parse_empty(""));
  EXPECT_TRUE(parse_empty("{}"));
  EXPECT_EQ(refusal(parse_empty(R"({"overlap":0})")).second, "overlap");
  EXPECT_EQ(refusal(parse_empty("x")).first, "malformed");
}

TEST(Limit, DefaultAndBounds) {
  EXPECT_EQ(parse_limit(std::nullopt, 20, 100).value(), 20u);
  EXPECT_EQ(parse_limit("1", 20, 100).value(), 1u);
  EXPECT_EQ(parse_limit("100", 20, 100).value(), 100u);
  for (const char* bad : {"", "0", "101", "-1", "1.5", "abc", "99999999999999999999"}) {
    EXPECT_EQ(refusal(parse_limit(std::string(bad), 20, 100)).second, "limit") << bad;
  }
}

}  // namespace
}  // namespace vitrina::webhooks
