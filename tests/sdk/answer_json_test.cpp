// How the SDK reads an answer: protocol::parse_json with the SDK's limits, refusing what the
// old hand-written scanner refused and, now, a member named twice.
#include "answer_json.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace vitrina::sdk::detail {
namespace {

enum class Member { kString, kAbsent, kNotString, kInvalid };

// The top-level member `name` of the answer, the way health() and http_error() look at it.
Member scan(std::string_view json, std::string_view name, std::string* value = nullptr) {
  const auto root = parse_answer(json);
  if (!root || !root->is_object()) return Member::kInvalid;
  const protocol::JsonValue* v = root->find(name);
  if (!v) return Member::kAbsent;
  if (!v->is_string()) return Member::kNotString;
  if (value) *value = v->text;
  return Member::kString;
}

TEST(ParseAnswer, FindsATopLevelString) {
  std::string v;
  EXPECT_EQ(scan(R"({"status":"ok"})", "status", &v), Member::kString);
  EXPECT_EQ(v, "ok");
  EXPECT_EQ(scan(" \n{ \"a\" : [1, {\"b\": null}], \"status\" :\t\"ok\" } \r\n", "status", &v), Member::kString);
  EXPECT_EQ(v, "ok");
}

TEST(ParseAnswer, DecodesEscapes) {
  std::string v;
  ASSERT_EQ(scan(R"({"s":"a\"b\\c\/d\n\t\u00e9\u20ac\ud83d\ude00"})", "s", &v), Member::kString);
  EXPECT_EQ(v, "a\"b\\c/d\n\t\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
}

TEST(ParseAnswer, MatchesNamesAfterDecodingThem) {
  std::string v;
  EXPECT_EQ(scan(R"({"st\u0061tus":"ok"})", "status", &v), Member::kString);
  EXPECT_EQ(v, "ok");
}

TEST(ParseAnswer, IgnoresMembersOfNestedObjects) {
  EXPECT_EQ(scan(R"({"data":{"status":"ok"}})", "status"), Member::kAbsent);
  EXPECT_EQ(scan(R"({"list":["status","ok"]})", "status"), Member::kAbsent);
  EXPECT_EQ(scan(R"({"note":"\"status\":\"ok\""})", "status"), Member::kAbsent);
  EXPECT_EQ(scan("{}", "status"), Member::kAbsent);
}

TEST(ParseAnswer, ReportsNonStringValues) {
  EXPECT_EQ(scan(R"({"status":1})", "status"), Member::kNotString);
  EXPECT_EQ(scan(R"({"status":null})", "status"), Member::kNotString);
  EXPECT_EQ(scan(R"({"status":{"ok":true}})", "status"), Member::kNotString);
}

TEST(ParseAnswer, RefusesAMemberNamedTwice) {
  EXPECT_EQ(scan(R"({"status":"ok","status":"down"})", "status"), Member::kInvalid);
  EXPECT_EQ(scan(R"({"status":"ok","st\u0061tus":"down"})", "status"), Member::kInvalid) << "names compare decoded";
  EXPECT_EQ(scan(R"({"status":"ok","data":{"a":1,"a":2}})", "status"), Member::kInvalid) << "at any depth";
  EXPECT_EQ(scan(R"({"status":"ok","list":[{"a":1},{"a":2}]})", "status"), Member::kString)
      << "one name in sibling objects is no duplicate";

  const auto refused = parse_answer(R"({"data":{"a":1,"a":2}})");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, protocol::ErrorCode::invalid_response);
  EXPECT_EQ(refused.error().field, "data.a");
  EXPECT_NE(refused.error().message.find("duplicate"), std::string::npos) << refused.error().message;
}

TEST(ParseAnswer, AcceptsAllNumberForms) {
  EXPECT_EQ(scan(R"({"n":[0,-0,1,-12,1.5,-0.25e+3,2E-2,1e9],"status":"ok"})", "status"), Member::kString);
}

TEST(ParseAnswer, RejectsInvalidDocuments) {
  for (std::string_view bad : {
           "",
           "ok",
           "[]",
           R"("status")",
           R"({"status":"ok")",
           R"({"status":"ok"}x)",
           R"({"status":"ok"}{})",
           R"({"status":"ok",})",
           R"({"status" "ok"})",
           R"({status:"ok"})",
           R"({'status':'ok'})",
           R"({"status":"o)",
           "{\"status\":\"o\nk\"}",
           R"({"status":"\x"})",
           R"({"status":"\u12"})",
           R"({"status":"\udc00"})",
           R"({"status":"\ud83d"})",
           R"({"status":"\ud83dx"})",
           R"({"status":"\ud83d\u0041"})",
           R"({"n":01,"status":"ok"})",
           R"({"n":1.,"status":"ok"})",
           R"({"n":.5,"status":"ok"})",
           R"({"n":1e,"status":"ok"})",
           R"({"n":+1,"status":"ok"})",
           R"({"n":tru,"status":"ok"})",
           R"({"n":[1,],"status":"ok"})",
       }) {
    EXPECT_EQ(scan(bad, "status"), Member::kInvalid) << bad;
  }
}

TEST(ParseAnswer, BoundsNestingDepth) {
  const auto nested = [](std::size_t depth) {
    return R"({"status":"ok","x":)" + std::string(depth, '[') + std::string(depth, ']') + "}";
  };
  EXPECT_EQ(scan(nested(kMaxJsonDepth - 1), "status"), Member::kString);
  EXPECT_EQ(scan(nested(kMaxJsonDepth), "status"), Member::kInvalid);
  EXPECT_EQ(scan(nested(100000), "status"), Member::kInvalid);
}

TEST(ParseAnswer, TakesAnAnswerLargerThanTheReadersDefaultLimits) {
  // The client bounds answers by ClientOptions::max_response_bytes (1 MiB by default) as they
  // arrive; the reader must not refuse one of those for its own, smaller defaults.
  std::string big = R"({"status":"ok","list":[)";
  for (int i = 0; i < 20000; ++i) big += i == 0 ? "1" : ",1";
  big += "],\"s\":\"" + std::string(100 * 1024, 'x') + "\"}";
  ASSERT_GT(big.size(), protocol::JsonReadLimits{}.max_bytes);
  EXPECT_EQ(scan(big, "status"), Member::kString);
}

}  // namespace
}  // namespace vitrina::sdk::detail
