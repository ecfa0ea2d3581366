// Canned responses through /v1/console/canned_responses on the real server: the owner manages
// them, operators read them, other sites never see them, and every change needs the session's
// CSRF token.

#include <gtest/gtest.h>

#include "console_support.hpp"

namespace vitrina::testing {
namespace {

constexpr const char* kOwnerEmail = "owner@shop.example";
constexpr const char* kPath = "/v1/console/canned_responses";

std::string request(int port, const std::string& method, const std::string& path, const std::string& headers,
                    const std::string& body = {}) {
  std::string req = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + headers;
  if (!body.empty()) req += "Content-Type: application/json\r\n";
  req += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  return raw_exchange(port, req);
}

struct Signed {
  std::string token;
  std::string csrf;
  std::string headers() const { return session_headers(token, csrf); }
};

class CannedApiTest : public ConsoleTest {
 protected:
  void SetUp() override {
    ConsoleTest::SetUp();
    add_operator(site_id_, kOwnerEmail, kPassword, "owner");
    server_ = start();
    port_ = server_->port();
    owner_ = sign_in(kOwnerEmail);
    operator_ = sign_in(kEmail);
  }

  Signed sign_in(const std::string& email) {
    const auto r = login(port_, email);
    EXPECT_EQ(status_of(r), 200) << r;
    return {token_of(r), csrf_of(r)};
  }

  std::string create(const Signed& who, const std::string& body) {
    return request(port_, "POST", kPath, who.headers(), body);
  }

  std::unique_ptr<ServerProcess> server_;
  int port_ = 0;
  Signed owner_;
  Signed operator_;
};

TEST_F(CannedApiTest, OwnerCreatesChangesAndDeletesOperatorsRead) {
  auto created = create(owner_, R"({"shortcut":"/Hello","title":"Greeting","text":"Hi! How can I help?"})");
  ASSERT_EQ(status_of(created), 201) << created;
  const auto id = capture(body_of(created), R"re("id":"(cr_[0-9A-Za-z]{24})")re");
  ASSERT_FALSE(id.empty()) << created;
  EXPECT_EQ(header_of(created, "Location"), std::string(kPath) + "/" + id);
  EXPECT_NE(body_of(created).find(R"("shortcut":"hello")"), std::string::npos) << created;

  auto listed = request(port_, "GET", kPath, operator_.headers());
  ASSERT_EQ(status_of(listed), 200) << listed;
  EXPECT_NE(body_of(listed).find(R"("text":"Hi! How can I help?")"), std::string::npos) << listed;

  auto changed = request(port_, "PATCH", std::string(kPath) + "/" + id, owner_.headers(), R"({"text":"Hello!"})");
  ASSERT_EQ(status_of(changed), 200) << changed;
  EXPECT_NE(body_of(changed).find(R"("text":"Hello!")"), std::string::npos) << changed;
  EXPECT_NE(body_of(changed).find(R"("title":"Greeting")"), std::string::npos) << changed;

  auto deleted = request(port_, "DELETE", std::string(kPath) + "/" + id, owner_.headers());
  EXPECT_EQ(status_of(deleted), 204) << deleted;
  EXPECT_EQ(body_of(request(port_, "GET", kPath, operator_.headers())), R"({"data":[]})");
  EXPECT_EQ(status_of(request(port_, "DELETE", std::string(kPath) + "/" + id, owner_.headers())), 404);
}

TEST_F(CannedApiTest, OperatorsMayNotChangeThem) {
  auto created = create(owner_, R"({"shortcut":"hi","text":"Hi"})");
  const auto id = capture(body_of(created), R"re("id":"(cr_[0-9A-Za-z]{24})")re");
  ASSERT_FALSE(id.empty()) << created;
  auto r = create(operator_, R"({"shortcut":"bye","text":"Bye"})");
  EXPECT_EQ(status_of(r), 403) << r;
  EXPECT_NE(body_of(r).find(R"("field":"role")"), std::string::npos) << r;
  EXPECT_EQ(status_of(request(port_, "PATCH", std::string(kPath) + "/" + id, operator_.headers(), R"({"text":"x"})")),
            403);
  EXPECT_EQ(status_of(request(port_, "DELETE", std::string(kPath) + "/" + id, operator_.headers())), 403);
  EXPECT_NE(body_of(request(port_, "GET", kPath, operator_.headers())).find(R"("text":"Hi")"), std::string::npos);
}

TEST_F(CannedApiTest, ChangesWithoutTheSessionsCsrfTokenAreRefused) {
  const Signed no_csrf{owner_.token, ""};
  const Signed wrong_csrf{owner_.token, operator_.csrf};
  for (const Signed& who : {no_csrf, wrong_csrf}) {
    auto r = create(who, R"({"shortcut":"hi","text":"Hi"})");
    EXPECT_EQ(status_of(r), 403) << r;
    EXPECT_NE(body_of(r).find(R"("type":"urn:vitrina:problem:csrf")"), std::string::npos) << r;
    EXPECT_NE(body_of(r).find(R"("field":"X-CSRF-Token")"), std::string::npos) << r;
  }
  EXPECT_EQ(body_of(request(port_, "GET", kPath, owner_.headers())), R"({"data":[]})");
}

TEST_F(CannedApiTest, WithoutASessionNothingIsAnswered) {
  EXPECT_EQ(status_of(request(port_, "GET", kPath, "")), 401);
  EXPECT_EQ(status_of(request(port_, "POST", kPath, "", R"({"shortcut":"hi","text":"Hi"})")), 401);
  EXPECT_EQ(status_of(request(port_, "GET", kPath, session_headers("ses_" + std::string(43, 'A')))), 401);
}

TEST_F(CannedApiTest, BadInputIsAProblemNamingTheField) {
  auto r = create(owner_, R"({"shortcut":"two words","text":"Hi"})");
  EXPECT_EQ(status_of(r), 422) << r;
  EXPECT_EQ(header_of(r, "Content-Type"), "application/problem+json");
  EXPECT_NE(body_of(r).find(R"("field":"shortcut")"), std::string::npos) << r;
  r = create(owner_, R"({"shortcut":"hi"})");
  EXPECT_NE(body_of(r).find(R"("field":"text")"), std::string::npos) << r;
  r = create(owner_, "{");
  EXPECT_EQ(status_of(r), 400) << r;
  ASSERT_EQ(status_of(create(owner_, R"({"shortcut":"hi","text":"Hi"})")), 201);
  r = create(owner_, R"({"shortcut":"HI","text":"Again"})");
  EXPECT_EQ(status_of(r), 409) << r;
  EXPECT_NE(body_of(r).find(R"("field":"shortcut")"), std::string::npos) << r;
}

TEST_F(CannedApiTest, AnotherSitesOwnerSeesNothingOfThem) {
  auto created = create(owner_, R"({"shortcut":"hi","text":"Hi"})");
  const auto id = capture(body_of(created), R"re("id":"(cr_[0-9A-Za-z]{24})")re");
  ASSERT_FALSE(id.empty()) << created;
  const auto other_site = create_site("Other");
  add_operator(other_site, "boss@other.example", kPassword, "owner");
  const Signed other = sign_in("boss@other.example");
  EXPECT_EQ(body_of(request(port_, "GET", kPath, other.headers())), R"({"data":[]})");
  EXPECT_EQ(status_of(request(port_, "PATCH", std::string(kPath) + "/" + id, other.headers(), R"({"text":"x"})")), 404);
  EXPECT_EQ(status_of(request(port_, "DELETE", std::string(kPath) + "/" + id, other.headers())), 404);
  EXPECT_NE(body_of(request(port_, "GET", kPath, owner_.headers())).find(R"("text":"Hi")"), std::string::npos);
}

TEST_F(CannedApiTest, TheConsoleIsServedUnderAStrictPolicy) {
  auto page = request(port_, "GET", "/console/", "");
  ASSERT_EQ(status_of(page), 200) << page;
  EXPECT_NE(header_of(page, "Content-Type").find("text/html"), std::string::npos);
  const auto csp = header_of(page, "Content-Security-Policy");
  EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("script-src 'self';"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
  EXPECT_NE(csp.find("require-trusted-types-for 'script'"), std::string::npos) << csp;
  EXPECT_EQ(header_of(page, "X-Frame-Options"), "DENY");
  EXPECT_EQ(status_of(request(port_, "GET", "/console/js/main.js", "")), 200);
  auto bare = request(port_, "GET", "/console", "");
  EXPECT_EQ(status_of(bare), 301) << bare;
  EXPECT_EQ(header_of(bare, "Location"), "/console/");
  // No inline script or style in the page itself.
  const auto html = body_of(page);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_EQ(html.find("style="), std::string::npos);
  EXPECT_EQ(html.find("<style"), std::string::npos);
}

}  // namespace
}  // namespace vitrina::testing
