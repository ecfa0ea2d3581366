// Site settings as plain functions: known keys with typed values, sorted output, refusals that
// name the key, stored keys this server does not know kept as they are.

#include "admin/site_settings.hpp"

#include <gtest/gtest.h>

namespace vitrina::admin {
namespace {

using Sets = std::vector<std::pair<std::string, std::string>>;

TEST(SiteSettings, SetsTypedValuesSorted) {
  auto s = change_settings("{}", Sets{{"default_acquirer", "yookassa"}, {"allow_private_webhook_targets", "false"}}, {});
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

}  // namespace
}  // namespace vitrina::admin
