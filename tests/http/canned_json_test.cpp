// Canned response bodies: what is accepted, and that every refusal names the field.

#include "http/canned_json.hpp"

#include <gtest/gtest.h>

namespace vitrina::http {
namespace {

TEST(CannedJson, CreateNeedsShortcutAndText) {
  auto ok = parse_canned_input(R"({"shortcut":"/Hello","title":"Greeting","text":"Hi! How can I help?"})", false);
  ASSERT_TRUE(ok.has_value()) << ok.error().message;
  EXPECT_EQ(*ok->shortcut, "hello");
  EXPECT_EQ(*ok->title, "Greeting");
  EXPECT_EQ(*ok->text, "Hi! How can I help?");

  auto no_text = parse_canned_input(R"({"shortcut":"hello"})", false);
  ASSERT_FALSE(no_text.has_value());
  EXPECT_EQ(no_text.error().code, vitrina::protocol::ErrorCode::invalid);
  EXPECT_EQ(no_text.error().field, "text");

  auto no_shortcut = parse_canned_input(R"({"text":"x"})", false);
  ASSERT_FALSE(no_shortcut.has_value());
  EXPECT_EQ(no_shortcut.error().field, "shortcut");
}

TEST(CannedJson, PatchMayChangeAnySubset) {
  auto empty = parse_canned_input("{}", true);
  ASSERT_TRUE(empty.has_value());
  EXPECT_FALSE(empty->shortcut || empty->title || empty->text);
  auto title = parse_canned_input(R"({"title":""})", true);
  ASSERT_TRUE(title.has_value());
  EXPECT_EQ(*title->title, "");
}

TEST(CannedJson, RefusalsNameTheField) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"shortcut":"hello world","text":"x"})", "shortcut"},
      {R"({"shortcut":"","text":"x"})", "shortcut"},
      {R"({"shortcut":"abcdefghijklmnopqrstuvwxyz0123456","text":"x"})", "shortcut"},
      {R"({"shortcut":"hi","text":"   "})", "text"},
      {R"({"shortcut":"hi","text":"a\u0007b"})", "text"},
      {R"({"shortcut":"hi","text":5})", "text"},
      {R"({"shortcut":"hi","text":"x","title":"two\nlines"})", "title"},
      {R"({"shortcut":"hi","text":"x","colour":"red"})", "colour"},
      {R"({"shortcut":"hi","shortcut":"ho","text":"x"})", "shortcut"},
      {R"([1,2])", "body"},
  };
  for (const auto& [body, field] : cases) {
    auto r = parse_canned_input(body, false);
    ASSERT_FALSE(r.has_value()) << body;
    EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::invalid) << body;
    EXPECT_EQ(r.error().field, field) << body;
  }
}

TEST(CannedJson, TextFollowsTheMessageLimits) {
  const std::string long_text(2001, 'a');
  auto r = parse_canned_input(R"({"shortcut":"hi","text":")" + long_text + "\"}", false);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().field, "text");
  auto fits = parse_canned_input(R"({"shortcut":"hi","text":")" + std::string(2000, 'a') + "\"}", false);
  EXPECT_TRUE(fits.has_value());
}

TEST(CannedJson, NotJsonIsMalformed) {
  for (const char* body : {"", "{", "shortcut=hi"}) {
    auto r = parse_canned_input(body, false);
    ASSERT_FALSE(r.has_value()) << body;
    EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::malformed) << body;
    EXPECT_EQ(r.error().field, "body") << body;
  }
}

TEST(CannedJson, WritesTheRecordWithTimes) {
  store::CannedResponse r{.id = "cr_1",
                          .site_id = "site_a",
                          .shortcut = "hi",
                          .title = "",
                          .text = "<b>x</b>",
                          .created_at = 0,
                          .updated_at = 1000};
  const std::string json = canned_json(r);
  EXPECT_NE(json.find(R"("id":"cr_1")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("shortcut":"hi")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("created_at":"1970-01-01T00:00:00.000Z")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("updated_at":"1970-01-01T00:00:01.000Z")"), std::string::npos) << json;
  EXPECT_EQ(json.find("site_a"), std::string::npos) << json;
  EXPECT_EQ(canned_list_json({}), R"({"data":[]})");
}

}  // namespace
}  // namespace vitrina::http
