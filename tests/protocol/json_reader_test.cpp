#include "vitrina/protocol/json_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace vitrina::protocol {
namespace {

Error error_of(std::string_view text, const JsonReadLimits& limits = {}) {
  auto r = parse_json(text, limits);
  EXPECT_FALSE(r) << text;
  return r ? Error{} : r.error();
}

TEST(ParseJson, ReadsEveryValueType) {
  auto r = parse_json(R"( {"s":"a\"b","n":-12,"f":1.5e3,"t":true,"F":false,"z":null,"a":[1,[2]],"o":{}} )");
  ASSERT_TRUE(r) << r.error().message;
  const JsonValue& v = *r;
  ASSERT_TRUE(v.is_object());
  ASSERT_EQ(v.members.size(), 8u);
  EXPECT_EQ(v.find("s")->text, "a\"b");
  EXPECT_EQ(v.find("n")->as_int64(), -12);
  EXPECT_TRUE(v.find("f")->is_number());
  EXPECT_EQ(v.find("f")->text, "1.5e3");
  EXPECT_FALSE(v.find("f")->as_int64());
  EXPECT_TRUE(v.find("t")->boolean);
  EXPECT_TRUE(v.find("F")->is_bool());
  EXPECT_FALSE(v.find("F")->boolean);
  EXPECT_TRUE(v.find("z")->is_null());
  ASSERT_EQ(v.find("a")->items.size(), 2u);
  EXPECT_EQ(v.find("a")->items[1].items[0].as_int64(), 2);
  EXPECT_TRUE(v.find("o")->is_object());
  EXPECT_EQ(v.find("missing"), nullptr);
  EXPECT_EQ(v.members[0].key, "s");  // document order kept
}

TEST(ParseJson, ReadsScalarsAtTheTopLevel) {
  EXPECT_EQ(parse_json("42")->as_int64(), 42);
  EXPECT_EQ(parse_json("\"x\"")->text, "x");
  EXPECT_TRUE(parse_json(" null ")->is_null());
}

TEST(ParseJson, DecodesEscapesIncludingSurrogatePairs) {
  auto r = parse_json(R"("\n\t\r\b\f\/\\ \u0041\u00e9\u20ac\ud83d\ude00")");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->text, "\n\t\r\b\f/\\ A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
}

TEST(ParseJson, KeepsInt64ExactlyAndRefusesOverflowAsInteger) {
  EXPECT_EQ(parse_json("9223372036854775807")->as_int64(), INT64_MAX);
  EXPECT_EQ(parse_json("-9223372036854775808")->as_int64(), INT64_MIN);
  auto big = parse_json("9223372036854775808");
  ASSERT_TRUE(big);               // a valid JSON number...
  EXPECT_FALSE(big->as_int64());  // ...that is no int64
  EXPECT_FALSE(parse_json("1.0")->as_int64());
  EXPECT_FALSE(parse_json("1e2")->as_int64());
  EXPECT_EQ(parse_json("-0")->as_int64(), 0);
}

TEST(ParseJson, RefusesDuplicateMemberNamesNamingThem) {
  const Error e = error_of(R"({"a":{"b":1,"b":2}})");
  EXPECT_EQ(e.code, vitrina::protocol::ErrorCode::malformed);
  EXPECT_EQ(e.field, "a.b");
  EXPECT_NE(e.message.find("duplicate"), std::string::npos);
}

TEST(ParseJson, RefusesInvalidUtf8NamingTheMember) {
  EXPECT_EQ(error_of("{\"text\":\"a\xC3\"}").field, "text");
  EXPECT_EQ(error_of("{\"text\":\"\xC0\xAF\"}").field, "text");          // overlong '/'
  EXPECT_EQ(error_of("{\"text\":\"\xED\xA0\x80\"}").field, "text");      // encoded surrogate
  EXPECT_EQ(error_of("{\"text\":\"\xF4\x90\x80\x80\"}").field, "text");  // above U+10FFFF
  EXPECT_EQ(error_of("{\"a\":[\"ok\",\"\xFF\"]}").field, "a[1]");
}

TEST(ParseJson, RefusesLoneSurrogateEscapes) {
  EXPECT_EQ(error_of(R"({"t":"\ud83d"})").field, "t");
  EXPECT_EQ(error_of(R"({"t":"\ude00"})").field, "t");
  EXPECT_EQ(error_of(R"({"t":"\ud83d\u0041"})").field, "t");
}

TEST(ParseJson, RefusesNestingBeyondTheLimitNamingWhere) {
  JsonReadLimits limits;
  limits.max_depth = 3;
  EXPECT_TRUE(parse_json(R"({"a":{"b":[1]}})", limits));
  const Error e = error_of(R"({"a":{"b":[[1]]}})", limits);
  EXPECT_EQ(e.code, vitrina::protocol::ErrorCode::malformed);
  EXPECT_EQ(e.field, "a.b[0]");
  EXPECT_NE(e.message.find("deep"), std::string::npos);
}

TEST(ParseJson, SurvivesVeryDeepInputWithoutRecursingIntoIt) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  JsonReadLimits limits;
  limits.max_bytes = deep.size();
  EXPECT_EQ(error_of(deep, limits).code, vitrina::protocol::ErrorCode::malformed);
}

TEST(ParseJson, RefusesInputOverTheSizeLimit) {
  JsonReadLimits limits;
  limits.max_bytes = 8;
  EXPECT_EQ(error_of(R"({"a":"bcdef"})", limits).code, vitrina::protocol::ErrorCode::too_large);
}

TEST(ParseJson, RefusesTooManyValues) {
  JsonReadLimits limits;
  limits.max_values = 4;
  EXPECT_TRUE(parse_json("[1,2,3]", limits));
  EXPECT_EQ(error_of("[1,2,3,4]", limits).field, "[3]");
}

TEST(ParseJson, RefusesWhatRfc8259Forbids) {
  for (std::string_view bad : {"",
                               " ",
                               "{",
                               "}",
                               "[1,]",
                               "{\"a\":1,}",
                               "{a:1}",
                               "{'a':1}",
                               "01",
                               "1.",
                               ".5",
                               "+1",
                               "-",
                               "1e",
                               "0x10",
                               "NaN",
                               "Infinity",
                               "tru",
                               "nul",
                               "\"a",
                               "\"\\x\"",
                               "\"\\u12\"",
                               "\"\\u12G4\"",
                               "[1 2]",
                               "{\"a\" 1}",
                               "{\"a\":1} x",
                               "\xEF\xBB\xBF{}",
                               "\"tab\there\"",
                               "/* c */ 1",
                               "[1]]"}) {
    EXPECT_FALSE(parse_json(bad)) << "accepted: " << bad;
  }
}

TEST(ParseJson, NamesTheTopLevelAsEmpty) {
  const Error e = error_of("{\"a\":1} x");
  EXPECT_EQ(e.field, "");
  EXPECT_NE(e.message.find("byte 8"), std::string::npos);
}

}  // namespace
}  // namespace vitrina::protocol
