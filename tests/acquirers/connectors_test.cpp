// The YooKassa and T-Bank connectors without a network: built from configuration (unknown keys,
// missing credentials and bad values named), the sites they serve, callbacks refused before any
// request goes out (an address off the allow-list, another terminal, a forged Token), T-Bank's
// "OK" answers, and a T-Bank notification turned into its event.

#include <gtest/gtest.h>

#include "acquirers/connector_config.hpp"
#include "acquirers/tbank.hpp"
#include "acquirers/tbank_wire.hpp"
#include "acquirers/yookassa.hpp"

namespace vitrina::acquirers {
namespace {

ConnectorConfig config(std::string name) {
  ConnectorConfig c{.name = std::move(name), .section = {}, .http = {}};
  // Nothing listens there: a test that reached the network would fail with "unavailable".
  c.section.settings["base_url"] = "http://127.0.0.1:1/api";
  return c;
}

std::shared_ptr<const Acquirer> yookassa() {
  auto c = config("yookassa");
  c.section.sites["site_a"] = {{"shop_id", "100500"}, {"secret_key", "test_s"}, {"receipt", "true"}};
  auto built = YooKassa::from_config(c);
  EXPECT_TRUE(built) << built.error().message;
  return built ? *built : nullptr;
}

std::shared_ptr<const Acquirer> tbank() {
  auto c = config("tbank");
  c.section.sites["site_a"] = {{"terminal_key", "TK"}, {"password", "pw"}};
  auto built = TBank::from_config(c);
  EXPECT_TRUE(built) << built.error().message;
  return built ? *built : nullptr;
}

TEST(Connectors, AreBuiltFromTheirTablesAndServeTheirSitesOnly) {
  auto yk = yookassa();
  auto tb = tbank();
  ASSERT_TRUE(yk && tb);
  EXPECT_EQ(yk->name(), "yookassa");
  EXPECT_TRUE(yk->serves("site_a"));
  EXPECT_FALSE(yk->serves("site_b"));
  EXPECT_TRUE(tb->blocking());
  EXPECT_TRUE(tb->serves("site_a"));
}

TEST(Connectors, RefuseBadConfigurationNamingTheKey) {
  auto c = config("yookassa");
  c.section.sites["site_a"] = {{"shop_id", "1"}, {"secret_key", "s"}, {"vat_code", "13"}};
  EXPECT_EQ(YooKassa::from_config(c).error().field, "acquirers.yookassa.sites.site_a.vat_code");
  c.section.sites["site_a"] = {{"shop_id", "1"}, {"secret_key", "s"}, {"receipt", "yes"}};
  EXPECT_EQ(YooKassa::from_config(c).error().field, "acquirers.yookassa.sites.site_a.receipt");
  c.section.sites["site_a"] = {{"shop_id", "1"}, {"secret_key", "s"}};
  c.section.settings["allowed_ips"] = "185.71.76.0/40";
  EXPECT_EQ(YooKassa::from_config(c).error().field, "acquirers.yookassa.allowed_ips");
  auto t = config("tbank");
  t.section.sites["site_a"] = {{"terminal_key", "TK"}};
  EXPECT_EQ(TBank::from_config(t).error().field, "acquirers.tbank.sites.site_a.password");
  t.section.settings["base_url"] = "http://securepay.tinkoff.ru/v2";
  t.section.sites["site_a"]["password"] = "pw";
  EXPECT_EQ(TBank::from_config(t).error().field, "acquirers.tbank.base_url");
}

TEST(YooKassaConnector, RefusesNotificationsOffTheAllowListBeforeAnyRead) {
  auto yk = yookassa();
  const std::string body = R"({"type":"notification","event":"payment.succeeded","object":{"id":"2d9a"}})";
  for (const char* peer : {"127.0.0.1", "10.0.0.1", "", "185.71.76.32"}) {
    auto r = yk->verify_callback({}, body, {.site_id = "site_a", .peer_address = peer, .now_s = 0});
    ASSERT_FALSE(r) << peer;
    EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::unauthenticated) << peer;
  }
  // From YooKassa's range the notification is read back: here nothing answers, so "unavailable"
  // (the acquirer is asked to send it again), never an event taken from the body.
  auto read = yk->verify_callback({}, body, {.site_id = "site_a", .peer_address = "185.71.76.5", .now_s = 0});
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, vitrina::protocol::ErrorCode::acquirer_unavailable);
  auto other = yk->verify_callback({}, body, {.site_id = "site_b", .peer_address = "185.71.76.5", .now_s = 0});
  EXPECT_EQ(other.error().code, vitrina::protocol::ErrorCode::unauthenticated);
}

std::string notification(std::string_view terminal, std::string_view password, std::string_view status) {
  return tbank::signed_request({{"TerminalKey", std::string(terminal)},
                                {"OrderId", std::string("pay_1")},
                                {"Success", true},
                                {"Status", std::string(status)},
                                {"PaymentId", std::int64_t{13660}},
                                {"ErrorCode", std::string("0")},
                                {"Amount", std::int64_t{150000}}},
                               password);
}

TEST(TBankConnector, TurnsAVerifiedNotificationIntoItsEvent) {
  auto tb = tbank();
  auto r = tb->verify_callback({}, notification("TK", "pw", "CONFIRMED"), {.site_id = "site_a"});
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 1u);
  const auto& e = r->front();
  EXPECT_EQ(e.payment_id, "pay_1");
  EXPECT_EQ(e.acquirer_ref, "13660");
  EXPECT_EQ(e.amount, 150000);
  EXPECT_EQ(e.event.kind, protocol::PaymentEventKind::succeeded);
  EXPECT_FALSE(e.step_of_one_stage);
  auto held = tb->verify_callback({}, notification("TK", "pw", "AUTHORIZED"), {.site_id = "site_a"});
  ASSERT_TRUE(held);
  EXPECT_TRUE(held->front().step_of_one_stage);
  auto quiet = tb->verify_callback({}, notification("TK", "pw", "FORM_SHOWED"), {.site_id = "site_a"});
  ASSERT_TRUE(quiet);
  EXPECT_TRUE(quiet->empty()) << "acknowledged, changes nothing";
}

TEST(TBankConnector, RefusesForgedOrForeignNotifications) {
  auto tb = tbank();
  EXPECT_EQ(tb->verify_callback({}, notification("TK", "nope", "CONFIRMED"), {.site_id = "site_a"}).error().code,
            vitrina::protocol::ErrorCode::unauthenticated);
  EXPECT_EQ(tb->verify_callback({}, notification("OTHER", "pw", "CONFIRMED"), {.site_id = "site_a"}).error().code,
            vitrina::protocol::ErrorCode::unauthenticated);
  EXPECT_EQ(tb->verify_callback({}, notification("TK", "pw", "CONFIRMED"), {.site_id = "site_b"}).error().code,
            vitrina::protocol::ErrorCode::unauthenticated);
}

TEST(TBankConnector, AnswersOkOnlyForWhatItTook) {
  auto tb = tbank();
  EXPECT_EQ(tb->answer_callback(CallbackOutcome::accepted)->body, "OK");
  EXPECT_EQ(tb->answer_callback(CallbackOutcome::duplicate)->body, "OK");
  for (auto o : {CallbackOutcome::refused, CallbackOutcome::unauthenticated, CallbackOutcome::invalid,
                 CallbackOutcome::unavailable}) {
    auto a = tb->answer_callback(o);
    ASSERT_TRUE(a);
    EXPECT_NE(a->body, "OK");
    EXPECT_NE(a->status, 200);
  }
  EXPECT_FALSE(yookassa()->answer_callback(CallbackOutcome::accepted)) << "YooKassa takes the server's default";
}

}  // namespace
}  // namespace vitrina::acquirers
