#include "vitrina/sdk/client.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <mutex>
#include <string>
#include <thread>

#include "test_server.hpp"

namespace vitrina::sdk {
namespace {

using namespace std::chrono_literals;
using test_support::closed_port;
using test_support::TestServer;

const std::string kSecretKey = "sk_" + std::string(43, 'S');

ClientOptions options_for(const std::string& base_url) {
  ClientOptions o;
  o.base_url = base_url;
  o.connect_timeout = 2s;
  o.read_timeout = 2s;
  o.write_timeout = 2s;
  return o;
}

void serve_ok(httplib::Server& s) {
  s.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"status":"ok"})", "application/json");
  });
}

TEST(ClientHealth, ReturnsTheServersStatus) {
  TestServer ts;
  serve_ok(ts.server());
  ts.start();
  const Client client(options_for(ts.base_url()));
  ASSERT_FALSE(client.options_error());
  const auto health = client.health();
  ASSERT_TRUE(health) << health.error().code << ": " << health.error().message;
  EXPECT_EQ(health->status, "ok");
}

TEST(ClientHealth, ReturnsAStatusOtherThanOkAsIs) {
  TestServer ts;
  ts.server().Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"version":"0.1.0","status":"draining"})", "application/json");
  });
  ts.start();
  const auto health = Client(options_for(ts.base_url())).health();
  ASSERT_TRUE(health) << health.error().message;
  EXPECT_EQ(health->status, "draining");
}

TEST(ClientHealth, SendsTheSecretKeyAsBearerTokenAndTheUserAgent) {
  TestServer ts;
  std::mutex mu;
  std::string authorization;
  std::string user_agent;
  ts.server().Get("/healthz", [&](const httplib::Request& req, httplib::Response& res) {
    const std::lock_guard lock(mu);
    authorization = req.get_header_value("Authorization");
    user_agent = req.get_header_value("User-Agent");
    res.set_content(R"({"status":"ok"})", "application/json");
  });
  ts.start();
  auto options = options_for(ts.base_url());
  options.secret_key = kSecretKey;
  options.user_agent = "shop-backend/2.0";
  ASSERT_TRUE(Client(options).health());
  const std::lock_guard lock(mu);
  EXPECT_EQ(authorization, "Bearer " + kSecretKey);
  EXPECT_EQ(user_agent, "shop-backend/2.0");
}

TEST(ClientHealth, SendsNoAuthorizationWithoutASecretKey) {
  TestServer ts;
  std::mutex mu;
  bool has_authorization = true;
  ts.server().Get("/healthz", [&](const httplib::Request& req, httplib::Response& res) {
    const std::lock_guard lock(mu);
    has_authorization = req.has_header("Authorization");
    res.set_content(R"({"status":"ok"})", "application/json");
  });
  ts.start();
  ASSERT_TRUE(Client(options_for(ts.base_url())).health());
  const std::lock_guard lock(mu);
  EXPECT_FALSE(has_authorization);
}

TEST(ClientHealth, ReportsAServerErrorAsHttpStatusWithProblemDetail) {
  TestServer ts;
  ts.server().Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.status = 500;
    res.set_content(R"({"type":"about:blank","title":"Internal","detail":"store unavailable"})",
                    "application/problem+json");
  });
  ts.start();
  const auto health = Client(options_for(ts.base_url())).health();
  ASSERT_FALSE(health);
  EXPECT_EQ(health.error().code, vitrina::protocol::ErrorCode::http_status);
  EXPECT_EQ(health.error().http_status, 500);
  EXPECT_NE(health.error().message.find("500"), std::string::npos) << health.error().message;
  EXPECT_NE(health.error().message.find("store unavailable"), std::string::npos) << health.error().message;
}

TEST(ClientHealth, NeverPutsTheSecretKeyInAnError) {
  TestServer ts;
  ts.server().Get("/healthz", [](const httplib::Request& req, httplib::Response& res) {
    res.status = 401;
    // The server echoes the credential back in a header; the client builds its message from
    // the status and the problem body only, so the key must not appear in it.
    res.set_header("WWW-Authenticate", req.get_header_value("Authorization"));
    res.set_content(R"({"title":"Unauthorized"})", "application/problem+json");
  });
  ts.start();
  auto options = options_for(ts.base_url());
  options.secret_key = kSecretKey;
  const auto health = Client(options).health();
  ASSERT_FALSE(health);
  EXPECT_EQ(health.error().code, vitrina::protocol::ErrorCode::http_status);
  EXPECT_EQ(health.error().http_status, 401);
  EXPECT_EQ(health.error().message.find(kSecretKey), std::string::npos);
}

TEST(ClientHealth, ReportsARefusedConnectionAsTransportErrorWithoutThrowing) {
  const Client client(options_for("http://127.0.0.1:" + std::to_string(closed_port())));
  EXPECT_NO_THROW({
    const auto health = client.health();
    ASSERT_FALSE(health);
    EXPECT_EQ(health.error().code, vitrina::protocol::ErrorCode::transport);
    EXPECT_FALSE(health.error().message.empty());
  });
}

TEST(ClientHealth, ReportsAReadTimeoutAsTransportError) {
  TestServer ts;
  ts.server().Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(800ms);
    res.set_content(R"({"status":"ok"})", "application/json");
  });
  ts.start();
  auto options = options_for(ts.base_url());
  options.read_timeout = 100ms;
  const auto health = Client(options).health();
  ASSERT_FALSE(health);
  EXPECT_EQ(health.error().code, vitrina::protocol::ErrorCode::transport);
}

TEST(ClientHealth, ReportsTlsAgainstAPlainHttpServerAsTransportError) {
  TestServer ts;
  serve_ok(ts.server());
  ts.start();
  const auto health = Client(options_for("https://127.0.0.1:" + std::to_string(ts.port()))).health();
  ASSERT_FALSE(health);
  EXPECT_EQ(health.error().code, vitrina::protocol::ErrorCode::transport);
}

TEST(ClientHealth, RejectsAnAnswerThatIsNotJson) {
  TestServer ts;
  ts.server().Get("/healthz",
                  [](const httplib::Request&, httplib::Response& res) { res.set_content("ok", "text/plain"); });
  ts.start();
  const auto health = Client(options_for(ts.base_url())).health();
  ASSERT_FALSE(health);
  EXPECT_EQ(health.error().code, vitrina::protocol::ErrorCode::invalid_response);
}

TEST(ClientHealth, RejectsAnAnswerWithoutStringStatus) {
  TestServer ts;
  ts.server().Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"state":"ok","data":{"status":"ok"}})", "application/json");
  });
  ts.server().Get("/v2/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"status":true})", "application/json");
  });
  ts.start();
  const auto absent = Client(options_for(ts.base_url())).health();
  ASSERT_FALSE(absent);
  EXPECT_EQ(absent.error().code, vitrina::protocol::ErrorCode::invalid_response);
  EXPECT_EQ(absent.error().field, "status");
  const auto not_string = Client(options_for(ts.base_url() + "/v2")).health();
  ASSERT_FALSE(not_string);
  EXPECT_EQ(not_string.error().code, vitrina::protocol::ErrorCode::invalid_response);
}

TEST(ClientHealth, RejectsAnAnswerNamingStatusTwice) {
  TestServer ts;
  ts.server().Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"status":"ok","status":"down"})", "application/json");
  });
  ts.start();
  const auto health = Client(options_for(ts.base_url())).health();
  ASSERT_FALSE(health);
  EXPECT_EQ(health.error().code, vitrina::protocol::ErrorCode::invalid_response);
  EXPECT_EQ(health.error().field, "status");
  EXPECT_NE(health.error().message.find("duplicate"), std::string::npos) << health.error().message;
}

TEST(ClientHealth, LeavesOutTheDetailOfAProblemThatNamesAMemberTwice) {
  TestServer ts;
  ts.server().Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.status = 503;
    res.set_content(R"({"title":"Unavailable","detail":"store unavailable","detail":"all fine"})",
                    "application/problem+json");
  });
  ts.start();
  const auto health = Client(options_for(ts.base_url())).health();
  ASSERT_FALSE(health);
  EXPECT_EQ(health.error().code, vitrina::protocol::ErrorCode::http_status);
  EXPECT_EQ(health.error().http_status, 503);
  EXPECT_EQ(health.error().message.find("store unavailable"), std::string::npos) << health.error().message;
  EXPECT_EQ(health.error().message.find("all fine"), std::string::npos) << health.error().message;
  EXPECT_EQ(health.error().message.find("Unavailable"), std::string::npos) << health.error().message;
}

TEST(ClientHealth, CallsBelowTheBaseUrlsPathPrefix) {
  TestServer ts;
  ts.server().Get("/vitrina/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"status":"ok"})", "application/json");
  });
  ts.start();
  const auto health = Client(options_for(ts.base_url() + "/vitrina/")).health();
  ASSERT_TRUE(health) << health.error().message;
  EXPECT_EQ(health->status, "ok");
}

TEST(ClientHealth, DoesNotFollowRedirects) {
  TestServer ts;
  std::mutex mu;
  bool followed = false;
  ts.server().Get("/healthz", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/elsewhere"); });
  ts.server().Get("/elsewhere", [&](const httplib::Request&, httplib::Response& res) {
    const std::lock_guard lock(mu);
    followed = true;
    res.set_content(R"({"status":"ok"})", "application/json");
  });
  ts.start();
  const auto health = Client(options_for(ts.base_url())).health();
  ASSERT_FALSE(health);
  EXPECT_EQ(health.error().code, vitrina::protocol::ErrorCode::http_status);
  EXPECT_EQ(health.error().http_status, 302);
  const std::lock_guard lock(mu);
  EXPECT_FALSE(followed);
}

TEST(ClientHealth, AbandonsAnAnswerLargerThanTheLimit) {
  TestServer ts;
  const std::string big = R"({"status":"ok","pad":")" + std::string(5000, 'x') + "\"}";
  ts.server().Get("/healthz", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(big, "application/json");  // with Content-Length
  });
  ts.server().Get("/chunked/healthz", [&](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("application/json", [&](std::size_t, httplib::DataSink& sink) {
      sink.write(big.data(), big.size());
      sink.done();
      return true;
    });
  });
  ts.start();
  for (const std::string& base : {ts.base_url(), ts.base_url() + "/chunked"}) {
    auto options = options_for(base);
    options.max_response_bytes = 1024;
    const auto health = Client(options).health();
    ASSERT_FALSE(health) << base;
    EXPECT_EQ(health.error().code, vitrina::protocol::ErrorCode::response_too_large) << base;

    options.max_response_bytes = big.size();
    EXPECT_TRUE(Client(options).health()) << base;
  }
}

TEST(ClientOptionsValidation, ReportsABadBaseUrlWithoutTouchingTheNetwork) {
  const Client client(options_for("127.0.0.1:8080"));
  ASSERT_TRUE(client.options_error());
  EXPECT_EQ(client.options_error()->code, vitrina::protocol::ErrorCode::invalid_options);
  EXPECT_EQ(client.options_error()->field, "base_url");
  const auto health = client.health();
  ASSERT_FALSE(health);
  EXPECT_EQ(health.error().field, "base_url");
}

TEST(ClientOptionsValidation, RejectsAKeyThatIsNotASecretKeyWithoutEchoingIt) {
  const std::string public_key = "pk_" + std::string(24, 'P');
  auto options = options_for("http://127.0.0.1:1");
  options.secret_key = public_key;
  const Client client(options);
  ASSERT_TRUE(client.options_error());
  EXPECT_EQ(client.options_error()->field, "secret_key");
  EXPECT_EQ(client.options_error()->message.find(public_key), std::string::npos);

  options.secret_key = kSecretKey + "\r\nX-Injected: 1";
  EXPECT_EQ(Client(options).options_error()->field, "secret_key");
}

TEST(ClientOptionsValidation, RejectsNonPositiveLimitsAndUnsafeUserAgent) {
  auto options = options_for("http://127.0.0.1:1");
  options.read_timeout = 0ms;
  EXPECT_EQ(Client(options).options_error()->field, "read_timeout");

  options = options_for("http://127.0.0.1:1");
  options.max_response_bytes = 0;
  EXPECT_EQ(Client(options).options_error()->field, "max_response_bytes");

  options = options_for("http://127.0.0.1:1");
  options.user_agent = "x\r\nX-Injected: 1";
  EXPECT_EQ(Client(options).options_error()->field, "user_agent");
}

}  // namespace
}  // namespace vitrina::sdk
