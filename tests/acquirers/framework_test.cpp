// The connector framework's plain parts: the IP allow-list (YooKassa's published ranges), base
// URLs (https only, plain http for loopback), amount and currency agreement between a callback
// and its payment, bounded idempotency keys, connector configuration errors naming the key, and
// the HTTP client against a loopback server (answers, timeouts, bounded answers, retries of
// idempotent requests on 5xx only).

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "acquirers/connector_config.hpp"
#include "acquirers/http_client.hpp"
#include "acquirers/ip_allow_list.hpp"

namespace vitrina::acquirers {
namespace {

TEST(IpAllowList, AcceptsYooKassaRangesAndNothingElse) {
  auto list = IpAllowList::parse(
      "185.71.76.0/27, 185.71.77.0/27,77.75.153.0/25,77.75.154.128/25,77.75.156.11,77.75.156.35,2a02:5180::/32");
  ASSERT_TRUE(list) << list.error().message;
  EXPECT_TRUE(list->allows("185.71.76.0"));
  EXPECT_TRUE(list->allows("185.71.76.31"));
  EXPECT_FALSE(list->allows("185.71.76.32"));
  EXPECT_TRUE(list->allows("77.75.154.200"));
  EXPECT_FALSE(list->allows("77.75.154.127"));
  EXPECT_TRUE(list->allows("77.75.156.11"));
  EXPECT_FALSE(list->allows("77.75.156.12"));
  EXPECT_TRUE(list->allows("2a02:5180:1::7"));
  EXPECT_FALSE(list->allows("2a02:5181::1"));
  EXPECT_TRUE(list->allows("::ffff:185.71.77.5")) << "IPv4-mapped peers of a dual-stack socket";
  EXPECT_FALSE(list->allows("127.0.0.1"));
  EXPECT_FALSE(list->allows("not an address"));
  EXPECT_FALSE(list->allows(""));
}

TEST(IpAllowList, NamesTheBadEntry) {
  auto bad = IpAllowList::parse("185.71.76.0/27,185.71.76.0/33");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("185.71.76.0/33"), std::string::npos);
  EXPECT_FALSE(IpAllowList::parse("example.com"));
  EXPECT_FALSE(IpAllowList::parse("::1/129"));
  EXPECT_TRUE(IpAllowList::parse("")->empty());
}

TEST(BaseUrl, HttpsAnywherePlainHttpOnlyOnLoopback) {
  auto a = parse_base_url("https://api.yookassa.ru/v3/");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->host, "api.yookassa.ru");
  EXPECT_EQ(a->port, 443);
  EXPECT_EQ(a->prefix, "/v3");
  auto b = parse_base_url("http://127.0.0.1:8080/v2");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->port, 8080);
  EXPECT_EQ(b->origin(), "http://127.0.0.1:8080");
  EXPECT_EQ(parse_base_url("http://[::1]:9")->origin(), "http://[::1]:9");
  EXPECT_FALSE(parse_base_url("http://securepay.tinkoff.ru/v2"));
  EXPECT_FALSE(parse_base_url("ftp://x/"));
  EXPECT_FALSE(parse_base_url("https://user:pw@x/"));
  EXPECT_FALSE(parse_base_url("https://x/?a=b"));
  EXPECT_FALSE(parse_base_url("https://x:0/"));
  EXPECT_FALSE(parse_base_url("https://x:99999/"));
  EXPECT_FALSE(parse_base_url("https:///v3"));
}

store::Payment payment(std::int64_t amount, bool capture) {
  store::Payment p;
  p.id = "pay_1";
  p.amount = amount;
  p.currency = "RUB";
  p.capture = capture;
  return p;
}

AcquirerEvent event(protocol::PaymentEvent e, std::optional<std::int64_t> amount, std::string currency) {
  AcquirerEvent out;
  out.event = std::move(e);
  out.amount = amount;
  out.currency = std::move(currency);
  return out;
}

TEST(AmountAgrees, RefusesAnotherAmountOrCurrency) {
  EXPECT_TRUE(amount_agrees(payment(10000, true), event(protocol::PaymentEvent::succeeded(), 10000, "RUB")));
  EXPECT_TRUE(amount_agrees(payment(10000, true), event(protocol::PaymentEvent::canceled(), std::nullopt, "")));
  auto less = amount_agrees(payment(10000, true), event(protocol::PaymentEvent::succeeded(), 9999, "RUB"));
  ASSERT_FALSE(less);
  EXPECT_EQ(less.error().code, vitrina::protocol::ErrorCode::acquirer_refused);
  EXPECT_EQ(less.error().field, "amount");
  auto currency = amount_agrees(payment(10000, true), event(protocol::PaymentEvent::succeeded(), 10000, "USD"));
  ASSERT_FALSE(currency);
  EXPECT_EQ(currency.error().field, "currency");
}

TEST(AmountAgrees, APartialCaptureOfATwoStagePaymentAgrees) {
  EXPECT_TRUE(amount_agrees(payment(10000, false), event(protocol::PaymentEvent::captured(6000), 6000, "RUB")));
  EXPECT_FALSE(amount_agrees(payment(10000, false), event(protocol::PaymentEvent::captured(12000), 12000, "RUB")));
  EXPECT_FALSE(amount_agrees(payment(10000, false), event(protocol::PaymentEvent::authorized(), 6000, "RUB")))
      << "a hold is for the whole amount";
  EXPECT_FALSE(amount_agrees(payment(10000, true), event(protocol::PaymentEvent::captured(6000), 6000, "RUB")))
      << "a one-stage payment is never taken in part";
}

TEST(BoundedKey, KeepsShortKeysAndHashesLongOnesStably) {
  EXPECT_EQ(bounded_key("abc", 64), "abc");
  const std::string long_key(200, 'k');
  const auto a = bounded_key(long_key, 64);
  EXPECT_EQ(a.size(), 64u);
  EXPECT_EQ(a, bounded_key(long_key, 64));
  EXPECT_NE(a, bounded_key(long_key + "x", 64));
  EXPECT_EQ(bounded_key(long_key, 36).size(), 36u);
}

TEST(ConnectorConfig, NamesTheMissingOrUnknownKeyNeverItsValue) {
  ConnectorConfig cfg{.name = "yookassa", .section = {}, .http = {}};
  cfg.section.settings["base_url"] = "https://api.yookassa.ru/v3";
  cfg.section.settings["secret_hint"] = "s3cr3t-value";
  cfg.section.sites["site_a"]["shop_id"] = "1";
  auto missing = cfg.site_required("site_a", "secret_key");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().field, "acquirers.yookassa.sites.site_a.secret_key");
  EXPECT_EQ(*cfg.site_required("site_a", "shop_id"), "1");
  auto unknown = cfg.only_keys({"base_url"}, {"shop_id", "secret_key"});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().field, "acquirers.yookassa.secret_hint");
  EXPECT_EQ(unknown.error().message.find("s3cr3t"), std::string::npos);
  cfg.section.settings.erase("secret_hint");
  EXPECT_TRUE(cfg.only_keys({"base_url"}, {"shop_id", "secret_key"}));
  cfg.section.settings["read_timeout_ms"] = "5";
  EXPECT_FALSE(cfg.http_options());
  cfg.section.settings["read_timeout_ms"] = "250";
  EXPECT_EQ(cfg.http_options()->read_timeout, std::chrono::milliseconds(250));
}

TEST(ConnectorConfig, AnUnknownAcquirerNamesItsTable) {
  Registry registry;
  config::AcquirerSettings settings;
  settings.sections["nosuchpay"].settings["x"] = "y";
  auto added = add_configured_connectors(registry, settings);
  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().field, "acquirers.nosuchpay");
}

// A loopback server for the client: /ok answers, /slow sleeps, /big answers 2 MiB, /flaky
// fails with 503 twice then answers.
class HttpClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Get("/api/ok", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content(R"({"auth":")" + req.get_header_value("Authorization") + "\"}", "application/json");
    });
    server_.Get("/api/slow", [](const httplib::Request&, httplib::Response& res) {
      std::this_thread::sleep_for(std::chrono::milliseconds(600));
      res.set_content("late", "text/plain");
    });
    server_.Get("/api/big", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(2 * 1024 * 1024, 'x'), "text/plain");
    });
    server_.Post("/api/flaky", [this](const httplib::Request&, httplib::Response& res) {
      if (++flaky_calls_ <= 2) {
        res.status = 503;
        return;
      }
      res.set_content("{}", "application/json");
    });
    server_.Post("/api/refuse", [this](const httplib::Request&, httplib::Response& res) {
      ++refuse_calls_;
      res.status = 400;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  void TearDown() override {
    server_.stop();
    thread_.join();
  }
  HttpClient client(std::chrono::milliseconds read_timeout = std::chrono::milliseconds(2000)) {
    auto base = parse_base_url("http://127.0.0.1:" + std::to_string(port_) + "/api");
    return HttpClient(*base, {.connect_timeout = std::chrono::milliseconds(1000),
                              .read_timeout = read_timeout,
                              .ca_file = {},
                              .max_answer_bytes = 1024 * 1024});
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::atomic<int> flaky_calls_{0};
  std::atomic<int> refuse_calls_{0};
};

TEST_F(HttpClientTest, SendsHeadersAndReturnsTheAnswer) {
  auto reply = client().send("GET", "/ok", {{"Authorization", "Basic eDp5"}});
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, R"({"auth":"Basic eDp5"})");
}

TEST_F(HttpClientTest, ASlowAnswerIsATimeout) {
  auto reply = client(std::chrono::milliseconds(200)).send("GET", "/slow", {});
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, vitrina::protocol::ErrorCode::acquirer_unavailable);
}

TEST_F(HttpClientTest, AnAnswerPastTheLimitIsRefused) {
  auto reply = client().send("GET", "/big", {});
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, vitrina::protocol::ErrorCode::acquirer_unavailable);
}

TEST_F(HttpClientTest, IdempotentRequestsAreRetriedOn5xxOnly) {
  auto reply = client().send_idempotent("POST", "/flaky", {{"Idempotence-Key", "k"}}, "{}", "application/json");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(flaky_calls_.load(), 3);
  auto refused = client().send_idempotent("POST", "/refuse", {}, "{}", "application/json");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400);
  EXPECT_EQ(refuse_calls_.load(), 1) << "a 4xx is an answer, not a reason to retry";
}

TEST_F(HttpClientTest, NoServerIsUnavailable) {
  auto base = parse_base_url("http://127.0.0.1:1/");
  HttpClient c(*base, {});
  auto reply = c.send("GET", "/", {});
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, vitrina::protocol::ErrorCode::acquirer_unavailable);
}

}  // namespace
}  // namespace vitrina::acquirers
