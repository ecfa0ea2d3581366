#include "json_scan.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace vitrina::sdk::detail {
namespace {

JsonScan scan(std::string_view json, std::string_view name, std::string* value = nullptr) {
  std::string ignored;
  return find_string_member(json, name, value ? value : &ignored);
}

TEST(FindStringMember, FindsATopLevelString) {
  std::string v;
  EXPECT_EQ(scan(R"({"status":"ok"})", "status", &v), JsonScan::kFound);
  EXPECT_EQ(v, "ok");
  EXPECT_EQ(scan(" \n{ \"a\" : [1, {\"b\": null}], \"status\" :\t\"ok\" } \r\n", "status", &v), JsonScan::kFound);
  EXPECT_EQ(v, "ok");
}

TEST(FindStringMember, DecodesEscapes) {
  std::string v;
  ASSERT_EQ(scan(R"({"s":"a\"b\\c\/d\n\t\u00e9\u20ac\ud83d\ude00"})", "s", &v), JsonScan::kFound);
  EXPECT_EQ(v, "a\"b\\c/d\n\t\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
}

TEST(FindStringMember, MatchesNamesAfterDecodingThem) {
  std::string v;
  EXPECT_EQ(scan(R"({"st\u0061tus":"ok"})", "status", &v), JsonScan::kFound);
  EXPECT_EQ(v, "ok");
}

TEST(FindStringMember, IgnoresMembersOfNestedObjects) {
  EXPECT_EQ(scan(R"({"data":{"status":"ok"}})", "status"), JsonScan::kAbsent);
  EXPECT_EQ(scan(R"({"list":["status","ok"]})", "status"), JsonScan::kAbsent);
  EXPECT_EQ(scan(R"({"note":"\"status\":\"ok\""})", "status"), JsonScan::kAbsent);
  EXPECT_EQ(scan("{}", "status"), JsonScan::kAbsent);
}

TEST(FindStringMember, ReportsNonStringValues) {
  EXPECT_EQ(scan(R"({"status":1})", "status"), JsonScan::kNotString);
  EXPECT_EQ(scan(R"({"status":null})", "status"), JsonScan::kNotString);
  EXPECT_EQ(scan(R"({"status":{"ok":true}})", "status"), JsonScan::kNotString);
}

TEST(FindStringMember, TakesTheFirstOfDuplicateNames) {
  std::string v;
  EXPECT_EQ(scan(R"({"status":"ok","status":"down"})", "status", &v), JsonScan::kFound);
  EXPECT_EQ(v, "ok");
}

TEST(FindStringMember, AcceptsAllNumberForms) {
  EXPECT_EQ(scan(R"({"n":[0,-0,1,-12,1.5,-0.25e+3,2E-2,1e9],"status":"ok"})", "status"), JsonScan::kFound);
}

TEST(FindStringMember, RejectsInvalidDocuments) {
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
    EXPECT_EQ(scan(bad, "status"), JsonScan::kInvalid) << bad;
  }
}

TEST(FindStringMember, BoundsNestingDepth) {
  const auto nested = [](int depth) {
    return R"({"status":"ok","x":)" + std::string(static_cast<std::size_t>(depth), '[') +
           std::string(static_cast<std::size_t>(depth), ']') + "}";
  };
  EXPECT_EQ(scan(nested(kMaxJsonDepth - 1), "status"), JsonScan::kFound);
  EXPECT_EQ(scan(nested(100000), "status"), JsonScan::kInvalid);
}

}  // namespace
}  // namespace vitrina::sdk::detail
