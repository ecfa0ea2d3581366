// The widget's public configuration with the real server: what `site settings` set (and the
// defaults for what it did not), never a secret; the widget endpoints' Origin rules and CORS;
// a minute's caching with an ETag that answers 304 until the settings change.

#include <gtest/gtest.h>

#include "widget_api.hpp"

namespace vitrina::testing {
namespace {

class WidgetConfigTest : public WidgetApiTest {};

TEST_F(WidgetConfigTest, DefaultsWhenNothingIsSet) {
  start();
  auto r = widget_get("/config");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->body,
            R"({"color":null,"position":"right","widgets":["chat"],"prechat":[],"greeting":"","greeting_after_s":15,)"
            R"("greeting_pages":[],"load":"interaction","language":"auto"})");
  EXPECT_EQ(r->get_header_value("Access-Control-Allow-Origin"), kShopOrigin);
  EXPECT_EQ(r->get_header_value("Vary"), "Origin");
  EXPECT_EQ(r->get_header_value("Cache-Control"), "public, max-age=60");
  EXPECT_NE(r->get_header_value("Content-Type").find("application/json"), std::string::npos);
}

TEST_F(WidgetConfigTest, ServesTheSiteSettingsAndNoSecrets) {
  settings({"widget_color=#0a7f3b", "widget_position=left", "widget_widgets=chat,callback", "widget_prechat=name,phone",
            "widget_greeting=<img src=x onerror=alert(1)> Привет!", "widget_greeting_after_s=3",
            "widget_greeting_pages=/catalog/*,/", "widget_load=idle", "widget_language=ru",
            "allow_private_webhook_targets=true", "refused_phone_prefixes=+7800"});
  start();
  auto r = widget_get("/config");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->body,
            R"({"color":"#0a7f3b","position":"left","widgets":["chat","callback"],"prechat":["name","phone"],)"
            R"("greeting":"\u003cimg src=x onerror=alert(1)\u003e Привет!","greeting_after_s":3,"greeting_pages":["/catalog/*","/"],)"
            R"("load":"idle","language":"ru"})");
  for (const char* secret : {"allow_private", "refused", "+7800", "sk_", "whsec_", "identity"}) {
    EXPECT_EQ(r->body.find(secret), std::string::npos) << secret;
  }
  EXPECT_EQ(r->body.find(sk_), std::string::npos);
}

TEST_F(WidgetConfigTest, OriginRulesAndUnknownSites) {
  start();
  auto wrong = widget_get("/config", "https://evil.example");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 403) << wrong->body;
  EXPECT_NE(wrong->body.find("origin-not-allowed"), std::string::npos);
  EXPECT_TRUE(wrong->get_header_value("Access-Control-Allow-Origin").empty());
  // A same-origin read (no Origin header) is answered without CORS headers.
  auto same = widget_get("/config", "");
  ASSERT_TRUE(same);
  EXPECT_EQ(same->status, 200);
  EXPECT_TRUE(same->get_header_value("Access-Control-Allow-Origin").empty());
  EXPECT_EQ(same->get_header_value("Vary"), "Origin");

  httplib::Headers origin{{"Origin", kShopOrigin}};
  auto unknown = client().Get("/v1/widget/pk_000000000000000000000000/config", origin);
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_NE(unknown->get_header_value("Content-Type").find("application/problem+json"), std::string::npos);
  auto malformed = client().Get("/v1/widget/nonsense/config", origin);
  ASSERT_TRUE(malformed);
  EXPECT_EQ(malformed->status, 404);

  auto preflight = client().Options("/v1/widget/" + pk_ + "/config",
                                    httplib::Headers{{"Origin", kShopOrigin}, {"Access-Control-Request-Method", "GET"}});
  ASSERT_TRUE(preflight);
  EXPECT_EQ(preflight->status, 204);
  EXPECT_EQ(preflight->get_header_value("Access-Control-Allow-Origin"), kShopOrigin);
}

TEST_F(WidgetConfigTest, EtagAnswers304UntilTheSettingsChange) {
  start();
  auto first = widget_get("/config");
  ASSERT_TRUE(first);
  const std::string etag = first->get_header_value("ETag");
  ASSERT_FALSE(etag.empty());
  httplib::Headers h{{"Origin", kShopOrigin}, {"If-None-Match", etag}};
  auto again = client().Get("/v1/widget/" + pk_ + "/config", h);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());
  EXPECT_EQ(again->get_header_value("ETag"), etag);
  EXPECT_EQ(again->get_header_value("Access-Control-Allow-Origin"), kShopOrigin);

  settings({"widget_color=#112233"});  // read per request: no restart needed
  auto changed = client().Get("/v1/widget/" + pk_ + "/config", h);
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->status, 200);
  EXPECT_NE(changed->get_header_value("ETag"), etag);
  EXPECT_EQ(json_string(changed->body, "color"), "#112233");
}

}  // namespace
}  // namespace vitrina::testing
