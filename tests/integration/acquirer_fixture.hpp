#pragma once
// Shared by the Stripe and CloudPayments integration tests: a site with a webhook endpoint, the
// acquirer's emulator, and the real server configured to talk to that emulator; helpers for the
// payments API and for counting the Standard Webhooks messages the shop receives.

#include <gtest/gtest.h>
#include <httplib.h>
#include <sodium.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "emulator.hpp"
#include "outbox.hpp"
#include "support.hpp"
#include "webhook_receiver.hpp"

namespace vitrina::testing {

class AcquirerFixture : public ::testing::Test {
 protected:
  /// Starts the emulator (`script`, `emulator_args`), creates a site, then the server with the
  /// settings `server_settings(site_id, emulator_base_url)` returns.
  void start(const std::string& script, std::vector<std::string> emulator_args,
             const std::function<std::vector<std::string>(const std::string&, const std::string&)>& server_settings) {
    if (!have_node()) GTEST_SKIP() << "node is needed for the acquirer emulators";
    ASSERT_GE(sodium_init(), 0);
    emulator_ = std::make_unique<Emulator>(script, std::move(emulator_args));
    ASSERT_NE(emulator_->port(), 0) << emulator_->output();
    auto site = admin({"site", "create", "--name", "S", "--origin", "http://127.0.0.1", "--json"});
    ASSERT_EQ(site.exit_code, 0) << site.output;
    site_id_ = capture(site.output, R"re("id":"(site_[0-9A-Za-z]+)")re");
    secret_ = capture(site.output, R"re("secret_key":"(sk_[0-9A-Za-z]+)")re");
    const std::string url = "http://127.0.0.1:" + std::to_string(receiver_.port()) + "/hook";
    auto added = admin({"webhook", "add", "--site", site_id_, "--url", url, "--json"});
    ASSERT_EQ(added.exit_code, 0) << added.output;
    auto key = webhook::verify_key_parse(capture(added.output, R"re("secret":"(whsec_[^"]+)")re"));
    ASSERT_TRUE(key) << added.output;
    // Only messages that verify as Standard Webhooks count as received.
    receiver_.judge([key = *key](const webhook::Headers& headers, const std::string& body) {
      return webhook::verify(headers, body, key, webhook::unix_now()) ? 204 : 400;
    });
    settings_ = base_settings();
    for (auto& s : server_settings(site_id_, emulator_->base_url())) {
      settings_.push_back("--set");
      settings_.push_back(std::move(s));
    }
    std::vector<std::string> args{"--listen", "127.0.0.1:0", "--data", data_.str()};
    args.insert(args.end(), settings_.begin(), settings_.end());
    server_ = std::make_unique<ServerProcess>(args);
    port_ = server_->wait_listening();
    ASSERT_NE(port_, 0) << server_->output();
  }

  static std::vector<std::string> base_settings() {
    return {"--set", "webhooks.allow_private_targets=true", "--set", "webhooks.poll_interval_ms=50",
            // Calls to the emulator give up after 1 s, so "timeout" faults stay short.
            "--set", "acquirers.read_timeout_ms=1000", "--set", "acquirers.connect_timeout_ms=1000",
            // Reconciliation stays out of the way unless a test asks for it.
            "--set", "payments.reconcile_after_ms=3600000"};
  }

  RunResult admin(std::vector<std::string> args) {
    std::vector<std::string> all{"--data", data_.str(), "--set", "webhooks.allow_private_targets=true"};
    all.insert(all.end(), args.begin(), args.end());
    return run_server(all);
  }

  httplib::Result api_post(const std::string& path, const std::string& body, const std::string& key) {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(std::chrono::seconds(20));
    return c.Post(path, {{"Authorization", "Bearer " + secret_}, {"Idempotency-Key", key}}, body, "application/json");
  }
  /// Creates a payment through the API; its id ("" on failure, with the test failed).
  std::string create(const std::string& acquirer, std::int64_t amount, bool capture, const std::string& key,
                     const std::string& currency = "RUB") {
    auto r = api_post("/v1/payments",
                      R"({"amount":)" + std::to_string(amount) + R"(,"currency":")" + currency +
                          R"(","order_id":"order-1","description":"Tea","return_url":"https://shop.example/back",)" +
                          R"("capture":)" + (capture ? "true" : "false") + R"(,"acquirer":")" + acquirer + R"("})",
                      key);
    EXPECT_TRUE(r);
    if (!r) return {};
    EXPECT_EQ(r->status, 201) << r->body;
    last_create_ = r->body;
    return capture_of(r->body, R"re("id":"(pay_[0-9A-Za-z]+)")re");
  }
  static std::string capture_of(const std::string& text, const std::string& pattern) { return capture(text, pattern); }
  std::string confirmation_url() const { return capture(last_create_, R"re("url":"([^"]+)")re"); }

  std::string payment(const std::string& id) {
    httplib::Client c("127.0.0.1", port_);
    auto r = c.Get("/v1/payments/" + id, {{"Authorization", "Bearer " + secret_}});
    return r && r->status == 200 ? r->body : std::string{};
  }
  std::string status_of_payment(const std::string& id) { return capture(payment(id), R"re("status":"([a-z_]+)")re"); }
  bool wait_status(const std::string& id, const std::string& status) {
    return wait_until([&] { return status_of_payment(id) == status; }, std::chrono::seconds(10));
  }

  /// The payer on the hosted page: POST the page with a card; the HTTP status (0: no answer).
  int pay(const std::string& url, const std::string& card) {
    const auto rest = url.substr(url.find("//") + 2);
    const auto slash = rest.find('/');
    httplib::Client c("http://" + rest.substr(0, slash));
    c.set_read_timeout(std::chrono::seconds(20));
    auto r = c.Post(rest.substr(slash), "card=" + card, "application/x-www-form-urlencoded");
    return r ? r->status : 0;
  }

  /// Waits for the emulator's callbacks, then for `n` webhooks, then until the server has
  /// delivered everything its outbox holds, which must be exactly what the shop received; the
  /// types in arrival order.
  std::vector<std::string> settle(std::size_t n) {
    emulator_->idle();
    EXPECT_TRUE(wait_until([&] { return receiver_.received().size() >= n; }, std::chrono::seconds(10)))
        << server_->output();
    const auto recorded = settled_outbox(port_, secret_);
    auto types = receiver_.types();
    EXPECT_EQ(types.size(), recorded.size()) << "the shop received other than the server sent";
    return types;
  }
  /// Nothing was written for the shop: the server's outbox is empty.
  bool outbox_empty() {
    const auto messages = outbox(port_, secret_);
    EXPECT_TRUE(messages) << "GET /v1/webhook_messages failed";
    return messages && messages->empty();
  }
  /// Every message has its own webhook-id.
  bool distinct_webhook_ids() {
    std::vector<std::string> ids;
    for (const auto& [headers, body] : receiver_.received()) ids.push_back(headers.id);
    std::sort(ids.begin(), ids.end());
    return std::adjacent_find(ids.begin(), ids.end()) == ids.end();
  }

  TempDir data_;
  Receiver receiver_;
  std::unique_ptr<Emulator> emulator_;
  std::string site_id_, secret_, last_create_;
  std::vector<std::string> settings_;
  std::unique_ptr<ServerProcess> server_;
  int port_ = 0;
};

}  // namespace vitrina::testing
