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
    EXPECT_EQ(r.error().code, "invalid");
    EXPECT_EQ(r.error().field, key);
  }
  auto range = change_settings("{}", Sets{{"callback_window_s", "5"}}, {});
  ASSERT_FALSE(range);
  EXPECT_EQ(range.error().message, "must be a whole number from 10 to 86400");
  auto prefix = change_settings("{}", Sets{{"refused_phone_prefixes", "+7800,8800"}}, {});
  ASSERT_FALSE(prefix);
  EXPECT_EQ(prefix.error().message, "has \"8800\", which is not + and 1 to 15 digits");
}

}  // namespace
}  // namespace vitrina::admin
