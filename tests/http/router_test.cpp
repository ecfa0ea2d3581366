#include "http/router.hpp"

#include <gtest/gtest.h>

namespace vitrina::http {
namespace {

Response ok_with(std::string body) { return make_response(Status::ok, std::move(body), "text/plain"); }

TEST(Router, MatchesLiteralAndCapturesParams) {
  Router r;
  r.get("/healthz", [](const Request&, Context&) { return ok_with("h"); });
  r.get("/v1/payments/{id}", [](const Request&, Context& ctx) { return ok_with(ctx.params.at("id")); });
  Context ctx;
  auto m = r.match("GET", "/v1/payments/pay_123", ctx);
  ASSERT_NE(m.sync, nullptr);
  EXPECT_EQ(ctx.params.at("id"), "pay_123");
  EXPECT_EQ(r.match("GET", "/v1/payments", ctx).sync, nullptr);
  EXPECT_EQ(r.match("GET", "/v1/payments/a/b", ctx).sync, nullptr);
}

TEST(Router, HeadIsServedByGet) {
  Router r;
  r.get("/healthz", [](const Request&, Context&) { return ok_with("h"); });
  Context ctx;
  EXPECT_NE(r.match("HEAD", "/healthz", ctx).sync, nullptr);
}

TEST(Router, WrongMethodReportsAllow) {
  Router r;
  r.get("/healthz", [](const Request&, Context&) { return ok_with("h"); });
  Context ctx;
  auto m = r.match("POST", "/healthz", ctx);
  EXPECT_EQ(m.sync, nullptr);
  EXPECT_EQ(m.allow, "GET, HEAD");
  EXPECT_TRUE(r.match("POST", "/nothing", ctx).allow.empty());
}

TEST(Router, WildcardMatchesEverythingBelowAndEarlierRoutesWin) {
  Router r;
  r.get("/v1/special", [](const Request&, Context&) { return ok_with("special"); });
  r.get("/v1/*", [](const Request&, Context&) { return ok_with("static"); });
  Context ctx;
  auto special = r.match("GET", "/v1/special", ctx);
  ASSERT_NE(special.sync, nullptr);
  EXPECT_EQ((*special.sync)(Request{}, ctx).owned, "special");
  auto deep = r.match("GET", "/v1/assets/a.wasm", ctx);
  ASSERT_NE(deep.sync, nullptr);
  EXPECT_EQ((*deep.sync)(Request{}, ctx).owned, "static");
}

TEST(Router, ApiPathUnderAMountAnswers405NotTheMount) {
  Router r;
  r.post("/v1/console/login", [](const Request&, Context&) { return ok_with("login"); });
  r.get("/v1/*", [](const Request&, Context&) { return ok_with("static"); });
  Context ctx;
  auto m = r.match("GET", "/v1/console/login", ctx);
  EXPECT_EQ(m.sync, nullptr);
  EXPECT_EQ(m.allow, "POST");
  EXPECT_NE(r.match("GET", "/v1/vitrina.js", ctx).sync, nullptr);
  EXPECT_NE(r.match("POST", "/v1/console/login", ctx).sync, nullptr);
}

TEST(SplitTarget, DecodesPathAndKeepsQuery) {
  auto s = split_target("/v1/a%20b?x=1");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->first, "/v1/a b");
  EXPECT_EQ(s->second, "x=1");
}

TEST(SplitTarget, RefusesDotSegmentsPlainAndEncoded) {
  EXPECT_FALSE(split_target("/v1/../etc/passwd"));
  EXPECT_FALSE(split_target("/v1/%2e%2e/etc/passwd"));
  EXPECT_FALSE(split_target("/v1/..%2fetc%2fpasswd"));
  EXPECT_FALSE(split_target("/v1/./x"));
  EXPECT_FALSE(split_target("/.."));
  EXPECT_TRUE(split_target("/v1/..x/y"));
}

TEST(SplitTarget, RefusesNulBackslashAndBadEscapes) {
  EXPECT_FALSE(split_target("/v1/a%00b"));
  EXPECT_FALSE(split_target("/v1/a%5c..%5cb"));
  EXPECT_FALSE(split_target("/v1/a%zz"));
  EXPECT_FALSE(split_target("/v1/a%4"));
  EXPECT_FALSE(split_target("http://example.com/"));
  EXPECT_FALSE(split_target("*"));
}

TEST(Problem, IsProblemJsonNamingTheField) {
  Response r = problem(protocol::make_error(protocol::ErrorCode::invalid, "must be positive", "amount"));
  EXPECT_EQ(r.head[Field::content_type], "application/problem+json");
  EXPECT_NE(r.owned.find("\"field\":\"amount\""), std::string::npos);
  EXPECT_NE(r.owned.find("\"status\":422"), std::string::npos);
  EXPECT_EQ(r.body, r.owned);
}

TEST(Response, MoveKeepsBodyPointingAtOwnedText) {
  Response a = make_response(Status::ok, "short", "text/plain");
  Response b = std::move(a);
  EXPECT_EQ(b.body, "short");
  EXPECT_EQ(b.body.data(), b.owned.data());
}

}  // namespace
}  // namespace vitrina::http
