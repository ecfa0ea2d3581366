// Site settings with the real server and CLI: `site settings` shows and changes them, refusing
// unknown keys and bad values; a site whose settings allow private webhook targets may register
// and receive at a loopback endpoint while the server itself keeps the SSRF rule for every other
// site.

#include <gtest/gtest.h>
#include <httplib.h>

#include <memory>
#include <string>
#include <vector>

#include "support.hpp"
#include "webhook_receiver.hpp"

namespace vitrina::testing {
namespace {

// Fast retries, and webhooks.allow_private_targets left at its default (false).
const std::vector<std::string> kSettings{"--set", "webhooks.retry_schedule_ms=200,200,200,200",
                                         "--set", "webhooks.poll_interval_ms=50"};

class SiteSettingsTest : public ::testing::Test {
 protected:
  RunResult admin(std::vector<std::string> args) {
    std::vector<std::string> all{"--data", data_.str()};
    all.insert(all.end(), kSettings.begin(), kSettings.end());
    all.insert(all.end(), args.begin(), args.end());
    return run_server(all);
  }
  // A site: its id and secret key.
  std::pair<std::string, std::string> make_site() {
    auto site = admin({"site", "create", "--name", "S", "--origin", "https://shop.example", "--json"});
    EXPECT_EQ(site.exit_code, 0) << site.output;
    return {capture(site.output, R"re("id":"(site_[0-9A-Za-z]+)")re"),
            capture(site.output, R"re("secret_key":"(sk_[0-9A-Za-z]+)")re")};
  }
  void start() {
    std::vector<std::string> args{"--listen", "127.0.0.1:0", "--data", data_.str()};
    args.insert(args.end(), kSettings.begin(), kSettings.end());
    server_ = std::make_unique<ServerProcess>(args);
    port_ = server_->wait_listening();
    ASSERT_NE(port_, 0) << server_->output();
  }
  httplib::Result post(const std::string& path, const std::string& body, const std::string& secret,
                       const std::string& key = {}) {
    httplib::Client c("127.0.0.1", port_);
    httplib::Headers headers{{"Authorization", "Bearer " + secret}};
    if (!key.empty()) headers.emplace("Idempotency-Key", key);
    return c.Post(path, headers, body, "application/json");
  }

  TempDir data_;
  std::unique_ptr<ServerProcess> server_;
  int port_ = 0;
};

TEST_F(SiteSettingsTest, ShowsChangesAndRefusesUnknownKeysAndBadValues) {
  const auto [id, sk] = make_site();
  auto shown = admin({"site", "settings", id, "--json"});
  ASSERT_EQ(shown.exit_code, 0) << shown.output;
  EXPECT_EQ(shown.output, "{}\n");

  auto set = admin({"site", "settings", id, "--set", "default_acquirer=sandbox", "--set",
                    "allow_private_webhook_targets=true", "--json"});
  ASSERT_EQ(set.exit_code, 0) << set.output;
  EXPECT_EQ(set.output, R"({"allow_private_webhook_targets":true,"default_acquirer":"sandbox"})"
                        "\n");

  auto unknown = admin({"site", "settings", id, "--set", "colour=red"});
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_NE(unknown.output.find("colour"), std::string::npos) << unknown.output;
  auto bad = admin({"site", "settings", id, "--set", "allow_private_webhook_targets=yes"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.output.find("allow_private_webhook_targets"), std::string::npos) << bad.output;
  auto no_site = admin({"site", "settings", "site_nothere", "--json"});
  EXPECT_NE(no_site.exit_code, 0);

  auto unset = admin({"site", "settings", id, "--unset", "default_acquirer", "--json"});
  ASSERT_EQ(unset.exit_code, 0) << unset.output;
  EXPECT_EQ(unset.output, R"({"allow_private_webhook_targets":true})"
                          "\n")
      << "refused changes changed nothing";
}

TEST_F(SiteSettingsTest, OnlyASiteThatAllowsItReachesPrivateTargets) {
  const auto [allowed_id, allowed_sk] = make_site();
  const auto [other_id, other_sk] = make_site();
  ASSERT_EQ(admin({"site", "settings", allowed_id, "--set", "allow_private_webhook_targets=true"}).exit_code, 0);
  Receiver receiver;
  const std::string url = "http://127.0.0.1:" + std::to_string(receiver.port()) + "/hook";

  // The CLI applies the same rule.
  auto refused_cli = admin({"webhook", "add", "--site", other_id, "--url", url});
  EXPECT_NE(refused_cli.exit_code, 0) << refused_cli.output;
  start();

  auto refused = post("/v1/webhook_endpoints", R"({"url":")" + url + R"("})", other_sk);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 422) << refused->body;
  EXPECT_NE(refused->body.find(R"("field":"url")"), std::string::npos) << refused->body;

  auto created = post("/v1/webhook_endpoints", R"({"url":")" + url + R"(","event_types":["payment.*"]})", allowed_sk);
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;

  auto payment = post("/v1/payments",
                      R"({"amount":1000,"currency":"RUB","order_id":"o-1","return_url":"https://shop.example/"})",
                      allowed_sk, "k-1");
  ASSERT_TRUE(payment);
  ASSERT_EQ(payment->status, 201) << payment->body;
  const auto id = capture(payment->body, R"re("id":"(pay_[0-9A-Za-z]+)")re");
  auto canceled = post("/v1/payments/" + id + "/cancel", "", allowed_sk, "k-2");
  ASSERT_TRUE(canceled);
  ASSERT_EQ(canceled->status, 200) << canceled->body;
  ASSERT_TRUE(wait_until([&] { return !receiver.received().empty(); }, std::chrono::seconds(10)))
      << "the worker refused the site's loopback endpoint\n"
      << server_->output();
  EXPECT_NE(receiver.received().front().second.find("payment.canceled"), std::string::npos);
}

}  // namespace
}  // namespace vitrina::testing
