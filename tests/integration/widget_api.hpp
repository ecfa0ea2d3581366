#pragma once
// Shared by the callback and rating integration tests: a site with a webhook endpoint on a local
// receiver, a server, and helpers that speak to the widget endpoints as the widget does
// (Origin header, proof of work solved with the protocol library).

#include <gtest/gtest.h>
#include <httplib.h>
#include <sqlite3.h>

#include <memory>
#include <string>
#include <vector>

#include "outbox.hpp"
#include "support.hpp"
#include "vitrina/protocol/pow.hpp"
#include "vitrina/protocol/timestamp.hpp"
#include "webhook_receiver.hpp"

namespace vitrina::testing {

inline constexpr const char* kShopOrigin = "https://shop.example";

class WidgetApiTest : public ::testing::Test {
 protected:
  RunResult admin(std::vector<std::string> args) {
    std::vector<std::string> all{
        "--data", data_.str(), "--set", "webhooks.allow_private_targets=true", "--set", "webhooks.poll_interval_ms=50"};
    all.insert(all.end(), args.begin(), args.end());
    return run_server(all);
  }

  void SetUp() override {
    auto site = admin({"site", "create", "--name", "Shop", "--origin", kShopOrigin, "--json"});
    ASSERT_EQ(site.exit_code, 0) << site.output;
    site_id_ = capture(site.output, R"re("id":"(site_[0-9A-Za-z]+)")re");
    pk_ = capture(site.output, R"re("public_key":"(pk_[0-9A-Za-z]+)")re");
    sk_ = capture(site.output, R"re("secret_key":"(sk_[0-9A-Za-z]+)")re");
    const std::string url = "http://127.0.0.1:" + std::to_string(receiver_.port()) + "/hook";
    auto added = admin({"webhook", "add", "--site", site_id_, "--url", url, "--json"});
    ASSERT_EQ(added.exit_code, 0) << added.output;
    secret_ = capture(added.output, R"re("secret":"(whsec_[^"]+)")re");
    // A quick proof of work keeps the tests fast; the rules are the same at any difficulty.
    settings({"callback_pow_difficulty=8"});
  }

  void settings(const std::vector<std::string>& sets) {
    std::vector<std::string> args{"site", "settings", site_id_};
    for (const auto& s : sets) {
      args.push_back("--set");
      args.push_back(s);
    }
    auto r = admin(args);
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }

  // Business hours live under the chat's settings, which the admin command does not edit.
  void business_hours(const std::string& json) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((data_.path() / "vitrina.db").c_str(), &db), SQLITE_OK);
    const std::string sql =
        "UPDATE sites SET settings = json_set(settings, '$.chat', json('{\"business_hours\":" + json +
        "}')) WHERE id = '" + site_id_ + "'";
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK) << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
  }

  void start() {
    server_ = std::make_unique<ServerProcess>(std::vector<std::string>{"--listen", "127.0.0.1:0", "--data", data_.str(),
                                                                       "--set", "webhooks.allow_private_targets=true",
                                                                       "--set", "webhooks.poll_interval_ms=50"});
    port_ = server_->wait_listening();
    ASSERT_NE(port_, 0) << server_->output();
  }

  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(10, 0);
    return c;
  }

  httplib::Result widget_get(const std::string& path, const std::string& origin = kShopOrigin) {
    httplib::Headers h;
    if (!origin.empty()) h.emplace("Origin", origin);
    return client().Get("/v1/widget/" + pk_ + path, h);
  }
  httplib::Result widget_post(const std::string& path, const std::string& body,
                              const std::string& origin = kShopOrigin) {
    httplib::Headers h;
    if (!origin.empty()) h.emplace("Origin", origin);
    return client().Post("/v1/widget/" + pk_ + path, h, body, "application/json");
  }
  httplib::Result api_get(const std::string& path) {
    return client().Get(path, httplib::Headers{{"Authorization", "Bearer " + sk_}});
  }
  httplib::Result api_post(const std::string& path, const std::string& body) {
    return client().Post(path, httplib::Headers{{"Authorization", "Bearer " + sk_}}, body, "application/json");
  }

  // A challenge from the server and its solution, as the member "pow" of a request.
  std::string solved_pow() {
    auto r = widget_get("/challenge");
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "no answer");
    if (!r) return "{}";
    const std::string challenge = capture(r->body, R"re("challenge":"([^"]+)")re");
    const int difficulty = std::stoi(capture(r->body, R"re("difficulty":([0-9]+))re"));
    auto nonce = protocol::pow_solve(challenge, difficulty, 0, 1ULL << 32);
    EXPECT_TRUE(nonce);
    return R"({"challenge":")" + challenge + R"(","nonce":")" + nonce.value_or("0") + R"("})";
  }

  // Delivered webhook bodies of `type`, each verified with the endpoint's secret.
  std::vector<std::string> delivered(const std::string& type) {
    std::vector<std::string> out;
    auto key = webhook::verify_key_parse(secret_);
    for (const auto& [headers, body] : receiver_.received()) {
      if (body.find(R"("type":")" + type + R"(")") == std::string::npos) continue;
      EXPECT_TRUE(key && webhook::verify(headers, body, *key, webhook::unix_now())) << body;
      out.push_back(body);
    }
    return out;
  }
  // Waits until the server has delivered every message its outbox holds; how many are `type`.
  std::size_t recorded(const std::string& type) {
    std::size_t n = 0;
    for (const auto& m : settled_outbox(port_, sk_)) n += m.type == type ? 1 : 0;
    return n;
  }

  TempDir data_;
  Receiver receiver_;
  std::string site_id_, pk_, sk_, secret_;
  std::unique_ptr<ServerProcess> server_;
  int port_ = 0;
};

/// `{"…":"value"}`'s value for `key` in a flat JSON text, or "".
inline std::string json_string(const std::string& body, const std::string& key) {
  return capture(body, "\"" + key + R"re(":"([^"]*)")re");
}

}  // namespace vitrina::testing
