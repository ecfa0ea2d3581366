// Outbound webhooks with the real server: an endpoint added with the admin CLI receives a signed
// `webhook test` message; after `kill -9` while the receiver is failing, a restarted server still
// delivers the same message (same webhook-id): at-least-once.

#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <atomic>
#include <mutex>
#include <regex>
#include <thread>

#include "support.hpp"
#include "vitrina/webhook/webhook.hpp"
#include "webhook_receiver.hpp"

namespace vitrina::testing {
namespace {

const std::vector<std::string> kHookSettings{
    "--set", "webhooks.allow_private_targets=true",
    "--set", "webhooks.retry_schedule_ms=200,200,200,200,200,200,200,200,200,200",
    "--set", "webhooks.poll_interval_ms=50"};

class WebhooksTest : public ::testing::Test {
 protected:
  RunResult admin(std::vector<std::string> args) {
    std::vector<std::string> all{"--data", data_.str()};
    all.insert(all.end(), kHookSettings.begin(), kHookSettings.end());
    all.insert(all.end(), args.begin(), args.end());
    return run_server(all);
  }
  std::unique_ptr<ServerProcess> start_server() {
    std::vector<std::string> args{"--listen", "127.0.0.1:0", "--data", data_.str()};
    args.insert(args.end(), kHookSettings.begin(), kHookSettings.end());
    auto p = std::make_unique<ServerProcess>(args);
    EXPECT_NE(p->wait_listening(), 0) << p->output();
    return p;
  }
  void SetUp() override {
    auto site = admin({"site", "create", "--name", "S", "--origin", "http://127.0.0.1", "--json"});
    ASSERT_EQ(site.exit_code, 0) << site.output;
    site_id_ = capture(site.output, R"re("id":"(site_[0-9A-Za-z]+)")re");
    const std::string url = "http://127.0.0.1:" + std::to_string(receiver_.port()) + "/hook";
    auto added = admin({"webhook", "add", "--site", site_id_, "--url", url, "--json"});
    ASSERT_EQ(added.exit_code, 0) << added.output;
    endpoint_id_ = capture(added.output, R"re("id":"(we_[0-9A-Za-z]+)")re");
    secret_ = capture(added.output, R"re("secret":"(whsec_[^"]+)")re");
    ASSERT_FALSE(endpoint_id_.empty());
    ASSERT_FALSE(secret_.empty());
  }
  std::string queue_test_event() {
    auto r = admin({"webhook", "test", "--endpoint", endpoint_id_, "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.output;
    return capture(r.output, R"re("message_id":"(msg_[0-9A-Za-z]+)")re");
  }
  bool verifies(const std::pair<webhook::Headers, std::string>& m) {
    auto key = webhook::verify_key_parse(secret_);
    return key && webhook::verify(m.first, m.second, *key, webhook::unix_now());
  }

  TempDir data_;
  Receiver receiver_;
  std::string site_id_, endpoint_id_, secret_;
};

TEST_F(WebhooksTest, CliRefusesPrivateUrlWithoutTheSetting) {
  auto r = run_server({"--data", data_.str(), "webhook", "add", "--site", site_id_, "--url", "http://127.0.0.1:9/x"});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  auto list = admin({"webhook", "list", "--site", site_id_});
  EXPECT_EQ(list.exit_code, 0);
  EXPECT_NE(list.output.find(endpoint_id_), std::string::npos);
  EXPECT_EQ(list.output.find("whsec_"), std::string::npos) << "list must not print secrets";
}

TEST_F(WebhooksTest, TestEventArrivesSigned) {
  auto server = start_server();
  const auto id = queue_test_event();
  ASSERT_FALSE(id.empty());
  ASSERT_TRUE(wait_until([&] { return !receiver_.received().empty(); }, 10s));
  auto got = receiver_.received().front();
  EXPECT_EQ(got.first.id, id);
  EXPECT_TRUE(verifies(got));
  EXPECT_NE(got.second.find(R"("type":"webhook.test")"), std::string::npos);
  EXPECT_EQ(server->output().find(secret_), std::string::npos) << "the secret must never be logged";
  auto attempts = admin({"webhook", "attempts", id});
  EXPECT_EQ(attempts.exit_code, 0);
  EXPECT_NE(attempts.output.find("delivered"), std::string::npos) << attempts.output;
}

TEST_F(WebhooksTest, SurvivesKill9AndDeliversTheSameMessage) {
  receiver_.accept(false);
  const auto id = queue_test_event();
  ASSERT_FALSE(id.empty());
  {
    auto server = start_server();
    ASSERT_TRUE(wait_until([&] { return receiver_.requests() >= 2; }, 10s));
    server->send_signal(SIGKILL);
    EXPECT_EQ(server->wait_exit(10s), 128 + SIGKILL);
  }
  // While the server is down the receiver recovers; the restarted server finds the message
  // still pending and sends it again under the same id.
  receiver_.accept(true);
  auto server = start_server();
  ASSERT_TRUE(wait_until([&] { return !receiver_.received().empty(); }, 15s));
  const auto accepted = receiver_.received();
  for (const auto& m : accepted) {
    EXPECT_EQ(m.first.id, id);
    EXPECT_TRUE(verifies(m));
  }
  // Resending by hand sends it once more, still the same webhook-id.
  auto resent = admin({"webhook", "resend", id});
  EXPECT_EQ(resent.exit_code, 0) << resent.output;
  ASSERT_TRUE(wait_until([&] { return receiver_.received().size() > accepted.size(); }, 10s));
  EXPECT_EQ(receiver_.received().back().first.id, id);
}

}  // namespace
}  // namespace vitrina::testing
