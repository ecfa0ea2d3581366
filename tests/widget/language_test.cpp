#include "language.hpp"

#include <gtest/gtest.h>

namespace vitrina::widget {
namespace {

TEST(ParseLanguage, RussianTagsInAnyCaseAndRegion) {
  EXPECT_EQ(parse_language("ru"), Language::kRussian);
  EXPECT_EQ(parse_language("RU"), Language::kRussian);
  EXPECT_EQ(parse_language("ru-RU"), Language::kRussian);
  EXPECT_EQ(parse_language("ru_KZ"), Language::kRussian);
}

TEST(ParseLanguage, EverythingElseIsEnglish) {
  EXPECT_EQ(parse_language("en"), Language::kEnglish);
  EXPECT_EQ(parse_language("en-GB"), Language::kEnglish);
  EXPECT_EQ(parse_language(""), Language::kEnglish);
  EXPECT_EQ(parse_language("r"), Language::kEnglish);
  // A primary subtag that merely starts with "ru" is another language (Rundi, Aromanian).
  EXPECT_EQ(parse_language("run"), Language::kEnglish);
  EXPECT_EQ(parse_language("rup-x"), Language::kEnglish);
}

}  // namespace
}  // namespace vitrina::widget
