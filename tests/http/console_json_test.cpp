#include "http/console_json.hpp"

#include <gtest/gtest.h>

#include <string>

namespace vitrina::http {
namespace {

// The error code and field of a refused body, "ok" when it parsed.
std::string refusal(std::string_view body) {
  auto r = parse_login_request(body);
  if (r) return "ok";
  return std::string(protocol::error_code_name(r.error().code)) + ":" + r.error().field;
}

TEST(LoginRequest, ParsesEmailPasswordAndOptionalSite) {
  auto r = parse_login_request(R"({"email":"  Anna@Shop.Example ","password":"s3cret pass"})");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->email, "anna@shop.example");
  EXPECT_EQ(r->password, "s3cret pass");
  EXPECT_FALSE(r->site.has_value());

  auto with_site = parse_login_request(R"({"site":"pk_abc","password":"p\u00e9\"x","email":"a@b.c"})");
  ASSERT_TRUE(with_site.has_value()) << with_site.error().message;
  EXPECT_EQ(with_site->site, "pk_abc");
  EXPECT_EQ(with_site->password, "p\xc3\xa9\"x");
}

TEST(LoginRequest, NullSiteIsAbsentAndUnknownMembersAreIgnored) {
  auto r =
      parse_login_request(R"({"email":"a@b.c","password":"p","site":null,"remember":true,"x":{"y":[1,2.5e3,null]}})");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_FALSE(r->site.has_value());
}

TEST(LoginRequest, MalformedJsonNamesTheBody) {
  for (const char* body :
       {"", "not json", R"({"email":)", R"({"email":"a@b.c","password":"p")",
        R"({"email":"a@b.c","password":"p"} trailing)", R"({"email" "a"})", R"({"email":"a@b.c","password":"p",})",
        R"({"email":"a\q"})", R"({"email":"a@b.c","password":"p","x":{"y":}})",
        R"({"email":"a@b.c","password":"p","x":tru})", R"({"email":"a@b.c","password":"p"}})"}) {
    EXPECT_EQ(refusal(body), "malformed:body") << body;
  }
}

TEST(LoginRequest, NonObjectIsInvalidBody) {
  EXPECT_EQ(refusal("[1,2]"), "invalid:body");
  EXPECT_EQ(refusal(R"("a string")"), "invalid:body");
  EXPECT_EQ(refusal("42"), "invalid:body");
  EXPECT_EQ(refusal("null"), "invalid:body");
  EXPECT_EQ(refusal("[1,2] [3]"), "malformed:body");
  EXPECT_EQ(refusal("[1,}"), "malformed:body");
  EXPECT_EQ(refusal("nul"), "malformed:body");
}

TEST(LoginRequest, MissingOrMistypedMembersAreNamed) {
  EXPECT_EQ(refusal(R"({"password":"p"})"), "invalid:email");
  EXPECT_EQ(refusal(R"({"email":"a@b.c"})"), "invalid:password");
  EXPECT_EQ(refusal(R"({"email":5,"password":"p"})"), "invalid:email");
  EXPECT_EQ(refusal(R"({"email":null,"password":"p"})"), "invalid:email");
  EXPECT_EQ(refusal(R"({"email":"a@b.c","password":["p"]})"), "invalid:password");
  EXPECT_EQ(refusal(R"({"email":"a@b.c","password":"p","site":7})"), "invalid:site");
}

TEST(LoginRequest, MalformedJsonWinsOverATypeError) {
  EXPECT_EQ(refusal(R"({"email":5,"password":"p",)"), "malformed:body");
}

TEST(LoginRequest, RefusesEmptyOverlongAndDuplicatedValues) {
  EXPECT_EQ(refusal(R"({"email":"","password":"p"})"), "invalid:email");
  EXPECT_EQ(refusal(R"({"email":"no-at-sign","password":"p"})"), "invalid:email");
  EXPECT_EQ(refusal(R"({"email":"a@b.c","password":""})"), "invalid:password");
  const std::string long_password(1025, 'x');
  EXPECT_EQ(refusal(R"({"email":"a@b.c","password":")" + long_password + "\"}"), "invalid:password");
  EXPECT_EQ(refusal(R"({"email":"a@b.c","password":"p","site":""})"), "invalid:site");
  EXPECT_EQ(refusal(R"({"email":"a@b.c","email":"x@y.z","password":"p"})"), "invalid:email");
}

TEST(LoginRequest, DeepNestingIsRefused) {
  std::string body = R"({"email":"a@b.c","password":"p","x":)";
  body += std::string(40, '[') + std::string(40, ']') + "}";
  EXPECT_EQ(refusal(body), "malformed:body");
}

TEST(JsonMediaType, AcceptsApplicationJsonWithParameters) {
  EXPECT_TRUE(is_json_media_type("application/json"));
  EXPECT_TRUE(is_json_media_type("Application/JSON; charset=utf-8"));
  EXPECT_TRUE(is_json_media_type(" application/json ;charset=UTF-8"));
  EXPECT_FALSE(is_json_media_type(""));
  EXPECT_FALSE(is_json_media_type("text/plain"));
  EXPECT_FALSE(is_json_media_type("application/x-www-form-urlencoded"));
  EXPECT_FALSE(is_json_media_type("application/jsonx"));
  EXPECT_FALSE(is_json_media_type("application/problem+json"));
}

TEST(OperatorJson, HasThePublicFieldsAndNeverTheHash) {
  store::Operator op;
  op.id = "op_1";
  op.site_id = "site_1";
  op.email = "a@b.c";
  op.name = "Ann \"A\"";
  op.role = "admin";
  op.password_hash = "$argon2id$secret";
  EXPECT_EQ(operator_json(op), R"({"operator":{"id":"op_1","email":"a@b.c","name":"Ann \"A\"","role":"owner",)"
                               R"("site_id":"site_1"}})");
}

}  // namespace
}  // namespace vitrina::http
