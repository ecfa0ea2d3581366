// Site settings as plain functions: known keys with typed values, sorted output, refusals that
// name the key, stored keys this server does not know kept as they are.

#include "admin/site_settings.hpp"

#include <gtest/gtest.h>

namespace vitrina::admin {
namespace {

using Sets = std::vector<std::pair<std::string, std::string>>;

TEST(SiteSettings, SetsTypedValuesSorted) {
  auto s =
      change_settings("{}", Sets{{"default_acquirer", "yookassa"}, {"allow_private_webhook_targets", "false"}}, {});
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(*s, R"({"allow_private_webhook_targets":false,"default_acquirer":"yookassa"})");
}

TEST(SiteSettings, UnsetsAndKeepsWhatItDoesNotKnow) {
  auto s = change_settings(R"({"widget":{"color":"#123456"},"default_acquirer":"sandbox"})", {}, {"default_acquirer"});
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(*s, R"({"widget":{"color":"#123456"}})");
}

TEST(SiteSettings, AKeyStoredTwiceKeepsTheValueReadersSee) {
  auto s = change_settings(R"({"default_acquirer":"stripe","default_acquirer":"sandbox"})", {}, {});
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(*s, R"({"default_acquirer":"stripe"})");
}

TEST(SiteSettings, TimeZoneIsCheckedAgainstTheZoneDatabase) {
  auto ok = change_settings("{}", Sets{{"time_zone", "Europe/Berlin"}}, {});
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, R"({"time_zone":"Europe/Berlin"})");
  for (const char* bad : {"", "Mars/Olympus", "Europe/../etc", "europe berlin"}) {
    auto r = change_settings("{}", Sets{{"time_zone", bad}}, {});
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().field, "time_zone") << bad;
  }
}

TEST(SiteSettings, RefusesUnknownKeysAndBadValuesNamingTheKey) {
  auto unknown = change_settings("{}", Sets{{"colour", "red"}}, {});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().field, "colour");
  for (const char* bad : {"yes", "1", "", "TRUE"}) {
    auto r = change_settings("{}", Sets{{"allow_private_webhook_targets", bad}}, {});
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().field, "allow_private_webhook_targets");
  }
  for (const char* bad : {"", "Stripe", "a-b", "x\"y", "abcdefghijabcdefghijabcdefghijabc"}) {
    auto r = change_settings("{}", Sets{{"default_acquirer", bad}}, {});
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().field, "default_acquirer");
  }
  auto unset_unknown = change_settings("{}", {}, {"colour"});
  ASSERT_FALSE(unset_unknown);
  EXPECT_EQ(unset_unknown.error().field, "colour");
  EXPECT_FALSE(change_settings("[1]", {}, {}));
}

TEST(SiteSettings, CallbackAndRatingKeysAreTyped) {
  auto s = change_settings("{}",
                           Sets{{"callback_window_s", "30"},
                                {"refused_phone_prefixes", "+7800, +7900555,+7800"},
                                {"rating_pages", "/,/delivery*"},
                                {"rating_page_kind", "page"},
                                {"callback_pow_difficulty", "0"}},
                           {});
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(*s, R"({"callback_pow_difficulty":0,"callback_window_s":30,"rating_page_kind":"page",)"
                R"("rating_pages":["/","/delivery*"],"refused_phone_prefixes":["+7800","+7900555"]})");
}

TEST(SiteSettings, RefusesOutOfRangeNumbersAndBadListItems) {
  for (auto [key, bad] : std::vector<std::pair<std::string, std::string>>{{"callback_window_s", "9"},
                                                                          {"callback_window_s", "86401"},
                                                                          {"callback_window_s", "3x"},
                                                                          {"callback_window_s", ""},
                                                                          {"callback_pow_difficulty", "25"},
                                                                          {"callback_phone_limit", "-1"},
                                                                          {"refused_phone_prefixes", "7800"},
                                                                          {"refused_phone_prefixes", "+7800,,+7900"},
                                                                          {"rating_pages", "delivery"},
                                                                          {"rating_page_kind", "stars"}}) {
    auto r = change_settings("{}", Sets{{key, bad}}, {});
    ASSERT_FALSE(r) << key << "=" << bad;
    EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::invalid);
    EXPECT_EQ(r.error().field, key);
  }
  auto range = change_settings("{}", Sets{{"callback_window_s", "5"}}, {});
  ASSERT_FALSE(range);
  EXPECT_EQ(range.error().message, "must be a whole number from 10 to 86400");
  auto prefix = change_settings("{}", Sets{{"refused_phone_prefixes", "+7800,8800"}}, {});
  ASSERT_FALSE(prefix);
  EXPECT_EQ(prefix.error().message, "has \"8800\", which is not + and 1 to 15 digits");
}

TEST(SiteSettings, WidgetKeysAreTyped) {
  auto s = change_settings("{}",
                           Sets{{"widget_color", "#0A7f3b"},
                                {"widget_position", "left"},
                                {"widget_widgets", "chat, rating"},
                                {"widget_prechat", "name,email,name"},
                                {"widget_greeting", "Hello <b>there</b>"},
                                {"widget_greeting_after_s", "0"},
                                {"widget_greeting_pages", "/catalog/*"},
                                {"widget_load", "idle"},
                                {"widget_language", "ru"}},
                           {});
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(
      *s,
      R"({"widget_color":"#0A7f3b","widget_greeting":"Hello \u003cb\u003ethere\u003c/b\u003e","widget_greeting_after_s":0,)"
      R"("widget_greeting_pages":["/catalog/*"],"widget_language":"ru","widget_load":"idle",)"
      R"("widget_position":"left","widget_prechat":["name","email"],"widget_widgets":["chat","rating"]})");
}

TEST(SiteSettings, RefusesBadWidgetValuesNamingTheKey) {
  const std::string long_line(301, 'a');
  for (auto [key, bad] : std::vector<std::pair<std::string, std::string>>{{"widget_color", "red"},
                                                                          {"widget_color", "#12345"},
                                                                          {"widget_color", "#12345g"},
                                                                          {"widget_position", "top"},
                                                                          {"widget_widgets", "chat,faq"},
                                                                          {"widget_widgets", ""},
                                                                          {"widget_prechat", "name,age"},
                                                                          {"widget_greeting", "two\nlines"},
                                                                          {"widget_greeting", ""},
                                                                          {"widget_greeting", long_line},
                                                                          {"widget_greeting_after_s", "3601"},
                                                                          {"widget_greeting_pages", "catalog"},
                                                                          {"widget_load", "never"},
                                                                          {"widget_language", "de"}}) {
    auto r = change_settings("{}", Sets{{key, bad}}, {});
    ASSERT_FALSE(r) << key << "=" << bad;
    EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::invalid);
    EXPECT_EQ(r.error().field, key);
  }
  EXPECT_TRUE(change_settings("{}", Sets{{"widget_greeting", std::string(300, 'a')}}, {}));
  auto color = change_settings("{}", Sets{{"widget_color", "blue"}}, {});
  ASSERT_FALSE(color);
  EXPECT_EQ(color.error().message, "must be a colour as #rrggbb");
  auto widgets = change_settings("{}", Sets{{"widget_widgets", "chat,faq"}}, {});
  ASSERT_FALSE(widgets);
  EXPECT_EQ(widgets.error().message, "has \"faq\", which is not one of chat|callback|rating");
}

}  // namespace
}  // namespace vitrina::admin
