#include "vitrina/protocol/json.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace vitrina::protocol {
namespace {

std::string as_json_string(std::string_view s) {
  std::string out;
  json_append_string(out, s);
  return out;
}

TEST(JsonAppendString, EscapesQuotesBackslashesAndShortForms) {
  EXPECT_EQ(as_json_string("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(as_json_string("\n\r\t\b\f"), R"("\n\r\t\b\f")");
}

TEST(JsonAppendString, EscapesOtherControlCharactersAndDelete) {
  EXPECT_EQ(as_json_string(std::string_view("a\0b", 3)), R"("a\u0000b")");
  EXPECT_EQ(as_json_string("\x01\x1f\x7f"), R"("\u0001\u001f\u007f")");
}

TEST(JsonAppendString, EscapesHtmlSensitiveCharactersSoOutputIsScriptSafe) {
  EXPECT_EQ(as_json_string("</script><!--&"), R"("\u003c/script\u003e\u003c!--\u0026")");
}

TEST(JsonAppendString, EscapesLineAndParagraphSeparators) {
  EXPECT_EQ(as_json_string("a\xE2\x80\xA8"
                           "b\xE2\x80\xA9"),
            R"("a\u2028b\u2029")");
  // Neighbours of U+2028 are ordinary characters and pass through.
  EXPECT_EQ(as_json_string("\xE2\x80\xA7\xE2\x80\xAA"), "\"\xE2\x80\xA7\xE2\x80\xAA\"");
}

TEST(JsonAppendString, KeepsValidMultibyteUtf8) {
  const std::string s = "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF";
  EXPECT_EQ(as_json_string(s), "\"" + s + "\"");
}

TEST(JsonAppendString, ReplacesEachInvalidUtf8ByteWithReplacementCharacter) {
  EXPECT_EQ(as_json_string("\x80"), R"("\ufffd")");  // lone continuation
  EXPECT_EQ(as_json_string("\xFF"
                           "a"),
            R"("\ufffda")");  // never valid
  EXPECT_EQ(as_json_string("\xE2\x82"
                           "a"),
            R"("\ufffd\ufffda")");                                                 // truncated sequence
  EXPECT_EQ(as_json_string("\xE2\x82"), R"("\ufffd\ufffd")");                      // truncated at the end
  EXPECT_EQ(as_json_string("\xC0\xAF"), R"("\ufffd\ufffd")");                      // overlong '/'
  EXPECT_EQ(as_json_string("\xE0\x80\xAF"), R"("\ufffd\ufffd\ufffd")");            // overlong, 3 bytes
  EXPECT_EQ(as_json_string("\xED\xA0\x80"), R"("\ufffd\ufffd\ufffd")");            // UTF-16 surrogate
  EXPECT_EQ(as_json_string("\xF4\x90\x80\x80"), R"("\ufffd\ufffd\ufffd\ufffd")");  // above U+10FFFF
  EXPECT_EQ(as_json_string("\xF0\x80\x80\x80"), R"("\ufffd\ufffd\ufffd\ufffd")");  // overlong, 4 bytes
}

TEST(JsonAppendString, AppendsToExistingContent) {
  std::string out = "x=";
  json_append_string(out, "y");
  EXPECT_EQ(out, R"(x="y")");
}

TEST(JsonWriter, InsertsCommasAcrossNestedObjectsAndArrays) {
  JsonWriter w;
  w.begin_object()
      .key("a")
      .value(1)
      .key("b")
      .begin_array()
      .value("x")
      .value(true)
      .null()
      .begin_object()
      .end_object()
      .end_array()
      .key("c")
      .begin_object()
      .key("d")
      .value(false)
      .end_object()
      .key("e")
      .raw("[1,2]")
      .end_object();
  EXPECT_EQ(w.str(), R"({"a":1,"b":["x",true,null,{}],"c":{"d":false},"e":[1,2]})");
}

TEST(JsonWriter, EscapesKeysAndStringValues) {
  JsonWriter w;
  w.begin_object().key("<k>").value("\"v\"\n").end_object();
  EXPECT_EQ(w.str(), R"({"\u003ck\u003e":"\"v\"\n"})");
}

TEST(JsonWriter, WritesStringLiteralsAsStringsNotBooleans) {
  JsonWriter w;
  w.begin_array().value("yes").value(std::string("no")).end_array();
  EXPECT_EQ(w.str(), R"(["yes","no"])");
}

TEST(JsonWriter, WritesIntegerExtremes) {
  JsonWriter w;
  w.begin_array()
      .value(std::numeric_limits<std::int64_t>::min())
      .value(std::numeric_limits<std::int64_t>::max())
      .value(0)
      .end_array();
  EXPECT_EQ(w.str(), "[-9223372036854775808,9223372036854775807,0]");
}

TEST(JsonWriter, WritesDoublesInShortestRoundTripForm) {
  JsonWriter w;
  w.begin_array().value(0.1).value(-2.5).value(100.0).value(1e300).value(5e-324).end_array();
  EXPECT_EQ(w.str(), "[0.1,-2.5,100,1e+300,5e-324]");
}

TEST(JsonWriter, WritesNonFiniteDoublesAsNull) {
  JsonWriter w;
  w.begin_array()
      .value(std::numeric_limits<double>::quiet_NaN())
      .value(std::numeric_limits<double>::infinity())
      .value(-std::numeric_limits<double>::infinity())
      .end_array();
  EXPECT_EQ(w.str(), "[null,null,null]");
}

TEST(JsonWriter, MovesOutItsBufferFromAnRvalue) {
  JsonWriter w;
  w.begin_object().key("k").value("v").end_object();
  const std::string s = std::move(w).str();
  EXPECT_EQ(s, R"({"k":"v"})");
}

}  // namespace
}  // namespace vitrina::protocol
