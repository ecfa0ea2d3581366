#include "vitrina/protocol/chat_rules.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vitrina::protocol::chat {
namespace {

TEST(CheckClientId, AcceptsUuidsAndRandomIds) {
  EXPECT_TRUE(check_client_id("0b7c6e2a-3f7e-4b6a-9c1d-2e8f4a5b6c7d"));
  EXPECT_TRUE(check_client_id("abcdefgh"));
  EXPECT_TRUE(check_client_id(std::string(64, 'Z')));
  for (const std::string& bad :
       std::vector<std::string>{"", "abcdefg", std::string(65, 'a'), "abcd efgh", "abcd.efgh", "абвгдежз"}) {
    auto r = check_client_id(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().field, "client_id");
  }
}

TEST(CheckMessageText, AllowsLineBreaksAndTabsButNoOtherControls) {
  const Limits limits;
  EXPECT_TRUE(check_message_text("line one\r\nline\ttwo", limits));
  EXPECT_FALSE(check_message_text("bell\a", limits));
  EXPECT_FALSE(check_message_text("del\x7F", limits));
  EXPECT_FALSE(check_message_text("c1\xC2\x85", limits));   // U+0085 NEXT LINE
  EXPECT_TRUE(check_message_text("\xC2\xA0nbsp", limits));  // U+00A0 is text
  EXPECT_FALSE(check_message_text("\t\r\n ", limits));
}

TEST(CheckMessageText, NamesTheFieldItWasGiven) {
  auto r = check_message_text("", Limits{}, "note");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "note");
  EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::invalid);
}

TEST(CheckUrl, WantsAbsoluteHttpUrlsOfPrintableAscii) {
  EXPECT_TRUE(check_url("https://shop.example/p?q=%D0%B0#x", "url"));
  EXPECT_TRUE(check_url("http://127.0.0.1:8080/", "url"));
  for (const char* bad : {"", "shop.example/", "https://", "https:///path", "file:///etc/passwd", "javascript:alert(1)",
                          "https://a.example/ b", "https://a.example/\xD0\xB0"}) {
    EXPECT_FALSE(check_url(bad, "url")) << bad;
  }
  EXPECT_FALSE(check_url("https://a.example/" + std::string(2048, 'a'), "url"));
  EXPECT_TRUE(check_url("https://a.example/" + std::string(2048 - 18, 'a'), "url"));
}

TEST(CheckEmail, TakesTheUsualShapes) {
  for (const char* ok : {"ann@example.com", "a.b+tag@mail.example.co.uk", "ирина@пример.рф"}) {
    EXPECT_TRUE(check_email(ok)) << ok;
  }
  for (const char* bad : {"", "ann", "@example.com", "ann@", "ann@example", "ann@@example.com", "a@b@c.com",
                          "ann @example.com", "ann@.com", "ann@example.com."}) {
    EXPECT_FALSE(check_email(bad)) << bad;
  }
  EXPECT_FALSE(check_email(std::string(250, 'a') + "@b.cd"));
}

TEST(CheckPhone, TakesInternationalAndLocalForms) {
  for (const char* ok : {"+7 999 123-45-67", "+79991234567", "8 (999) 123-45-67", "555.123.4567", "1234567"}) {
    EXPECT_TRUE(check_phone(ok)) << ok;
  }
  for (const char* bad : {"", "123456", "+1234567890123456", "7+9991234567", "call me", "999-123-45-67 ext 5"}) {
    EXPECT_FALSE(check_phone(bad)) << bad;
  }
}

TEST(CheckLanguage, TakesBcp47Shapes) {
  for (const char* ok : {"ru", "en-US", "zh-Hant-TW", "x-private"}) EXPECT_TRUE(check_language(ok)) << ok;
  for (const char* bad : {"", "1en", "en_US", "en-", "en US",
                          "ru-RU-"
                          "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}) {
    EXPECT_FALSE(check_language(bad)) << bad;
  }
}

TEST(CheckAttributes, BoundsCountKeysAndValues) {
  std::vector<Attribute> ok = {{"cart.total", std::string("4500")}, {"items", std::int64_t{3}}, {"vip", false}};
  EXPECT_TRUE(check_attributes(ok));
  std::vector<Attribute> duplicate = {{"a", true}, {"a", false}};
  EXPECT_EQ(check_attributes(duplicate).error().field, "attributes.a");
  std::vector<Attribute> long_key = {{std::string(41, 'k'), true}};
  EXPECT_FALSE(check_attributes(long_key));
  std::vector<Attribute> multiline = {{"note", std::string("a\nb")}};
  EXPECT_EQ(check_attributes(multiline, "context.attributes").error().field, "context.attributes.note");
  std::vector<Attribute> many(kMaxAttributes + 1, Attribute{"k", true});
  EXPECT_EQ(check_attributes(many).error().field, "attributes");
}

TEST(CheckIdentityParts, BoundUserIdAndHash) {
  EXPECT_TRUE(check_user_id("user-42@shop.example"));
  EXPECT_FALSE(check_user_id(""));
  EXPECT_FALSE(check_user_id("has space"));
  EXPECT_FALSE(check_user_id("юзер"));
  EXPECT_FALSE(check_user_id(std::string(129, 'u')));
  EXPECT_TRUE(check_identity_hash(std::string(64, 'A')));
  EXPECT_FALSE(check_identity_hash(std::string(63, 'a')));
  EXPECT_FALSE(check_identity_hash(std::string(64, 'g')));
}

TEST(CheckIds, WantTheirPrefixAndLength) {
  EXPECT_TRUE(check_conversation_id("conv_" + std::string(24, '0')));
  EXPECT_FALSE(check_conversation_id("conv_" + std::string(23, '0')));
  EXPECT_FALSE(check_conversation_id("vis_" + std::string(24, '0')));
  EXPECT_TRUE(check_operator_id("op_" + std::string(24, 'x')));
  EXPECT_TRUE(check_visitor_id("vis_" + std::string(24, 'x')));
  EXPECT_EQ(check_visitor_id("vis_", "visitor.id").error().field, "visitor.id");
}

TEST(CheckSeq, CoversExactlyTheJavaScriptSafeIntegers) {
  EXPECT_TRUE(check_seq(0, "seq"));
  EXPECT_TRUE(check_seq(kMaxSeq, "seq"));
  EXPECT_FALSE(check_seq(kMaxSeq + 1, "seq"));
  EXPECT_FALSE(check_seq(-1, "seq"));
}

}  // namespace
}  // namespace vitrina::protocol::chat
