// The payments API with the real server: authentication, validation that names the field and
// stores nothing, idempotent replays, parallel creates under one key, cancel/capture with their
// conflicts, the payment.canceled webhook, and expiry.

#include <gtest/gtest.h>
#include <httplib.h>
#include <sqlite3.h>

#include <mutex>
#include <regex>
#include <set>
#include <thread>

#include "outbox.hpp"
#include "support.hpp"
#include "vitrina/webhook/webhook.hpp"
#include "webhook_receiver.hpp"

namespace vitrina::testing {
namespace {

const std::vector<std::string> kSettings{
    "--set", "webhooks.allow_private_targets=true", "--set", "webhooks.poll_interval_ms=50",
    "--set", "payments.min_expires_in_s=1",         "--set", "payments.sweep_interval_ms=50"};

const std::string kBody =
    R"({"amount":150000,"currency":"RUB","order_id":"order-1","description":"Tea","return_url":"https://shop.example/back",)"
    R"("metadata":{"cart":"c-9"}})";

class PaymentsTest : public ::testing::Test {
 protected:
  RunResult admin(std::vector<std::string> args) {
    std::vector<std::string> all{"--data", data_.str()};
    all.insert(all.end(), kSettings.begin(), kSettings.end());
    all.insert(all.end(), args.begin(), args.end());
    return run_server(all);
  }
  // A site; returns its secret key.
  std::string make_site(std::string* site_id = nullptr) {
    auto site = admin({"site", "create", "--name", "S", "--origin", "http://127.0.0.1", "--json"});
    EXPECT_EQ(site.exit_code, 0) << site.output;
    if (site_id) *site_id = capture(site.output, R"re("id":"(site_[0-9A-Za-z]+)")re");
    return capture(site.output, R"re("secret_key":"(sk_[0-9A-Za-z]+)")re");
  }
  void SetUp() override {
    secret_ = make_site(&site_id_);
    ASSERT_FALSE(secret_.empty());
    const std::string url = "http://127.0.0.1:" + std::to_string(receiver_.port()) + "/hook";
    auto added = admin({"webhook", "add", "--site", site_id_, "--url", url, "--json"});
    ASSERT_EQ(added.exit_code, 0) << added.output;
    hook_secret_ = capture(added.output, R"re("secret":"(whsec_[^"]+)")re");
    std::vector<std::string> args{"--listen", "127.0.0.1:0", "--data", data_.str()};
    args.insert(args.end(), kSettings.begin(), kSettings.end());
    server_ = std::make_unique<ServerProcess>(args);
    port_ = server_->wait_listening();
    ASSERT_NE(port_, 0) << server_->output();
  }

  httplib::Result post(const std::string& path, const std::string& body, const std::string& key,
                       const std::string& secret) {
    httplib::Client c("127.0.0.1", port_);
    httplib::Headers h;
    if (!secret.empty()) h.emplace("Authorization", "Bearer " + secret);
    if (!key.empty()) h.emplace("Idempotency-Key", key);
    return c.Post(path, h, body, "application/json");
  }
  httplib::Result post(const std::string& path, const std::string& body, const std::string& key) {
    return post(path, body, key, secret_);
  }
  httplib::Result get(const std::string& path, const std::string& secret) {
    httplib::Client c("127.0.0.1", port_);
    return c.Get(path, {{"Authorization", "Bearer " + secret}});
  }
  httplib::Result get(const std::string& path) { return get(path, secret_); }
  std::string create_id(const std::string& key, const std::string& body = kBody) {
    auto r = post("/v1/payments", body, key);
    EXPECT_TRUE(r);
    if (!r) return {};
    EXPECT_EQ(r->status, 201) << r->body;
    return capture(r->body, R"re("id":"(pay_[0-9A-Za-z]+)")re");
  }
  std::size_t payments_of_order(const std::string& order) {
    auto r = get("/v1/payments?order_id=" + order);
    EXPECT_TRUE(r && r->status == 200);
    if (!r) return 0;
    std::size_t n = 0;
    for (std::size_t at = 0; (at = r->body.find("\"id\":\"pay_", at)) != std::string::npos; ++at) ++n;
    return n;
  }
  // Stands in for the acquirer, which is not built yet: moves a payment straight to `status`
  // in the database file the server uses (SQLite allows a second process to write).
  void force_state(const std::string& id, const std::string& status, const std::string& amounts) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((data_.path() / "vitrina.db").c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    const std::string sql =
        "UPDATE payments SET status = '" + status + "', " + amounts + ", version = version + 1 WHERE id = '" + id + "'";
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK) << (error ? error : "");
    sqlite3_free(error);
    EXPECT_EQ(sqlite3_changes(db), 1);
    sqlite3_close(db);
  }
  bool verifies(const std::pair<webhook::Headers, std::string>& m) {
    auto key = webhook::verify_key_parse(hook_secret_);
    return key && webhook::verify(m.first, m.second, *key, webhook::unix_now());
  }

  TempDir data_;
  Receiver receiver_;
  std::string site_id_, secret_, hook_secret_;
  std::unique_ptr<ServerProcess> server_;
  int port_ = 0;
};

TEST_F(PaymentsTest, CreateAnswers201WithThePayment) {
  auto r = post("/v1/payments", kBody, "key-1");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
  const auto id = capture(r->body, R"re("id":"(pay_[0-9A-Za-z]+)")re");
  ASSERT_FALSE(id.empty()) << r->body;
  EXPECT_EQ(r->get_header_value("Location"), "/v1/payments/" + id);
  for (const std::string& part : {std::string(R"("status":"pending")"), std::string(R"("amount":150000)"),
                                  std::string(R"("currency":"RUB")"), std::string(R"("order_id":"order-1")"),
                                  std::string(R"("description":"Tea")"), std::string(R"("metadata":{"cart":"c-9"})"),
                                  std::string(R"("capture":true)"), std::string(R"("acquirer":"sandbox")"),
                                  R"("confirmation":{"type":"redirect","url":"http://127.0.0.1:)" +
                                      std::to_string(port_) + "/sandbox/pay/" + id + "\"}"}) {
    EXPECT_NE(r->body.find(part), std::string::npos) << part << " in " << r->body;
  }
  EXPECT_TRUE(std::regex_search(r->body, std::regex(R"re("created_at":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")re")));
  EXPECT_TRUE(std::regex_search(r->body, std::regex(R"re("expires_at":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")re")));
  auto fetched = get("/v1/payments/" + id);
  ASSERT_TRUE(fetched);
  EXPECT_EQ(fetched->status, 200);
  EXPECT_EQ(fetched->body, r->body);
}

TEST_F(PaymentsTest, MissingOrWrongKeyIs401AndOtherSitesSeeNothing) {
  for (const std::string& secret : {std::string(), std::string("sk_nope"), std::string("sk_") + std::string(43, 'A')}) {
    auto r = post("/v1/payments", kBody, "k", secret);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401) << secret;
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/problem+json");
    EXPECT_NE(r->body.find(R"("field":"Authorization")"), std::string::npos);
  }
  httplib::Client c("127.0.0.1", port_);
  auto basic = c.Get("/v1/payments?order_id=order-1", {{"Authorization", "Basic " + secret_}});
  ASSERT_TRUE(basic);
  EXPECT_EQ(basic->status, 401);
  EXPECT_EQ(payments_of_order("order-1"), 0u) << "refused requests store nothing";

  const auto id = create_id("k-own");
  const auto other = make_site();
  auto foreign = get("/v1/payments/" + id, other);
  ASSERT_TRUE(foreign);
  EXPECT_EQ(foreign->status, 404);
  auto foreign_cancel = post("/v1/payments/" + id + "/cancel", "", "k-other", other);
  ASSERT_TRUE(foreign_cancel);
  EXPECT_EQ(foreign_cancel->status, 404);
}

TEST_F(PaymentsTest, EachValidationErrorNamesItsFieldAndStoresNothing) {
  const std::string tail = R"(,"order_id":"bad-order","return_url":"https://s.example/"})";
  const std::vector<std::pair<std::string, std::string>> cases{
      {R"({"amount":0,"currency":"RUB")" + tail, "amount"},
      {R"({"amount":-1,"currency":"RUB")" + tail, "amount"},
      {R"({"amount":99999999999999999999,"currency":"RUB")" + tail, "amount"},
      {R"({"amount":1.5,"currency":"RUB")" + tail, "amount"},
      {R"({"amount":"100","currency":"RUB")" + tail, "amount"},
      {R"({"amount":100,"currency":"XYZ")" + tail, "currency"},
      {R"({"amount":100,"currency":"RUB","order_id":"bad-order","return_url":"ftp://s.example/"})", "return_url"},
      {R"({"amount":100,"currency":"RUB","order_id":"bad-order"})", "return_url"},
      {R"({"amount":100,"currency":"RUB","metadata":{"a":1})" + tail, "metadata.a"},
      {R"({"amount":100,"currency":"RUB","items":[{"name":"x","amount":99}])" + tail, "items"},
      {R"({"amount":100,"currency":"RUB","expires_in":0)" + tail, "expires_in"},
      {R"({"amount":100,"currency":"RUB","acquirer":"paypal")" + tail, "acquirer"},
      {R"({"amount":100,"currency":"RUB","order_id":"bad-order","return_url":"https://s.example/")", "body"},
      {"[]", "body"},
  };
  int n = 0;
  for (const auto& [body, field] : cases) {
    auto r = post("/v1/payments", body, "bad-" + std::to_string(n++));
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->status == 422 || r->status == 400) << body << " -> " << r->status;
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/problem+json");
    EXPECT_NE(r->body.find("\"field\":\"" + field + "\""), std::string::npos) << body << " -> " << r->body;
  }
  auto no_key = post("/v1/payments", R"({"amount":100,"currency":"RUB")" + tail, "");
  ASSERT_TRUE(no_key);
  EXPECT_EQ(no_key->status, 400);
  EXPECT_NE(no_key->body.find(R"("field":"Idempotency-Key")"), std::string::npos);
  httplib::Client c("127.0.0.1", port_);
  auto text = c.Post("/v1/payments", {{"Authorization", "Bearer " + secret_}, {"Idempotency-Key", "t"}},
                     R"({"amount":100})", "text/plain");
  ASSERT_TRUE(text);
  EXPECT_EQ(text->status, 415);
  auto big = post("/v1/payments", std::string(70 * 1024, ' '), "big");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  EXPECT_EQ(payments_of_order("bad-order"), 0u);
  // A refused request does not use up its key: the corrected request goes through.
  EXPECT_FALSE(create_id("bad-0", R"({"amount":100,"currency":"RUB")" + tail).empty());
}

TEST_F(PaymentsTest, SameKeyReplaysAndDifferentBodyIs422) {
  auto first = post("/v1/payments", kBody, "replay-key");
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 201);
  auto again = post("/v1/payments", kBody, "replay-key");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 201);
  EXPECT_EQ(again->body, first->body);
  EXPECT_EQ(again->get_header_value("Idempotent-Replayed"), "true");
  std::string changed = kBody;
  changed.replace(changed.find("150000"), 6, "150001");
  auto other = post("/v1/payments", changed, "replay-key");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 422);
  EXPECT_NE(other->body.find(R"("field":"Idempotency-Key")"), std::string::npos);
  EXPECT_EQ(payments_of_order("order-1"), 1u);
}

TEST_F(PaymentsTest, ParallelCreatesWithOneKeyMakeOnePayment) {
  const std::string body = R"({"amount":700,"currency":"EUR","order_id":"race","return_url":"https://s.example/"})";
  std::mutex mu;
  std::vector<std::pair<int, std::string>> answers;
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&] {
      auto r = post("/v1/payments", body, "race-key");
      std::lock_guard lock(mu);
      answers.emplace_back(r ? r->status : 0, r ? r->body : "");
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::string> created;
  for (const auto& [status, text] : answers) {
    EXPECT_TRUE(status == 201 || status == 409) << status << " " << text;
    if (status == 201) created.insert(text);
  }
  EXPECT_EQ(created.size(), 1u) << "every 201 is the same answer";
  EXPECT_EQ(payments_of_order("race"), 1u);
}

TEST_F(PaymentsTest, CancelCaptureAndTheirConflicts) {
  const auto id = create_id("c-create");
  // Capture needs a hold: a pending payment has none.
  auto capture_pending = post("/v1/payments/" + id + "/capture", "", "c-capture");
  ASSERT_TRUE(capture_pending);
  EXPECT_EQ(capture_pending->status, 409) << capture_pending->body;
  EXPECT_EQ(capture_pending->get_header_value("Content-Type"), "application/problem+json");

  auto canceled = post("/v1/payments/" + id + "/cancel", "", "c-cancel");
  ASSERT_TRUE(canceled);
  ASSERT_EQ(canceled->status, 200) << canceled->body;
  EXPECT_NE(canceled->body.find(R"("status":"canceled")"), std::string::npos);
  auto replayed = post("/v1/payments/" + id + "/cancel", "", "c-cancel");
  ASSERT_TRUE(replayed);
  EXPECT_EQ(replayed->body, canceled->body);
  auto reused = post("/v1/payments/" + id + "/capture", "", "c-cancel");
  ASSERT_TRUE(reused);
  EXPECT_EQ(reused->status, 422) << "a key belongs to one request";
  auto twice = post("/v1/payments/" + id + "/cancel", "{}", "c-cancel-2");
  ASSERT_TRUE(twice);
  EXPECT_EQ(twice->status, 200) << "canceling a canceled payment changes nothing";
  auto capture_canceled = post("/v1/payments/" + id + "/capture", R"({"amount":100})", "c-capture-2");
  ASSERT_TRUE(capture_canceled);
  EXPECT_EQ(capture_canceled->status, 409);
  auto bad_amount = post("/v1/payments/" + id + "/capture", R"({"amount":-1})", "c-capture-3");
  ASSERT_TRUE(bad_amount);
  EXPECT_EQ(bad_amount->status, 422);
  auto missing = post("/v1/payments/pay_missing/cancel", "", "c-missing");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);

  // Exactly one webhook: the change, not the repeat. The server's outbox says so, and once it has
  // delivered all it holds, the shop has received all there is.
  ASSERT_TRUE(wait_until([&] { return !receiver_.received().empty(); }, 10s)) << server_->output();
  EXPECT_EQ(types_of(settled_outbox(port_, secret_)), std::vector<std::string>{"payment.canceled"});
  auto got = receiver_.received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_TRUE(verifies(got[0]));
  EXPECT_NE(got[0].second.find(R"("type":"payment.canceled")"), std::string::npos) << got[0].second;
  EXPECT_NE(got[0].second.find("\"id\":\"" + id + "\""), std::string::npos);
  EXPECT_NE(got[0].second.find(R"("order_id":"order-1")"), std::string::npos);
  EXPECT_NE(got[0].second.find(R"("metadata":{"cart":"c-9"})"), std::string::npos);
}

TEST_F(PaymentsTest, PendingPaymentExpiresWithAWebhook) {
  const std::string body =
      R"({"amount":100,"currency":"USD","order_id":"soon","return_url":"https://s.example/","expires_in":1})";
  const auto id = create_id("e-1", body);
  ASSERT_FALSE(id.empty());
  EXPECT_TRUE(wait_until(
      [&] {
        auto r = get("/v1/payments/" + id);
        return r && r->body.find(R"("status":"expired")") != std::string::npos;
      },
      10s));
  ASSERT_TRUE(wait_until([&] { return !receiver_.received().empty(); }, 10s));
  auto got = receiver_.received();
  EXPECT_NE(got[0].second.find(R"("type":"payment.expired")"), std::string::npos);
  auto cancel = post("/v1/payments/" + id + "/cancel", "", "e-cancel");
  ASSERT_TRUE(cancel);
  EXPECT_EQ(cancel->status, 200) << "the first ending wins; a late cancel changes nothing";
  EXPECT_NE(cancel->body.find(R"("status":"expired")"), std::string::npos);
}

TEST_F(PaymentsTest, CaptureOfAHeldPaymentSucceedsInPart) {
  std::string body = kBody;
  body.replace(body.find(R"("metadata")"), 0, R"("capture":false,)");
  const auto id = create_id("h-create", body);
  force_state(id, "waiting_for_capture", "authorized_amount = amount");
  auto too_much = post("/v1/payments/" + id + "/capture", R"({"amount":150001})", "h-capture-0");
  ASSERT_TRUE(too_much);
  EXPECT_EQ(too_much->status, 422);
  EXPECT_NE(too_much->body.find(R"("field":"amount")"), std::string::npos);
  auto captured = post("/v1/payments/" + id + "/capture", R"({"amount":100000})", "h-capture");
  ASSERT_TRUE(captured);
  ASSERT_EQ(captured->status, 200) << captured->body;
  EXPECT_NE(captured->body.find(R"("status":"succeeded")"), std::string::npos);
  EXPECT_NE(captured->body.find(R"("captured_amount":100000)"), std::string::npos);
  auto cancel = post("/v1/payments/" + id + "/cancel", "", "h-cancel");
  ASSERT_TRUE(cancel);
  EXPECT_EQ(cancel->status, 409) << "a succeeded payment is refunded, not canceled";
  ASSERT_TRUE(wait_until([&] { return !receiver_.received().empty(); }, 10s));
  EXPECT_NE(receiver_.received()[0].second.find(R"("type":"payment.succeeded")"), std::string::npos);
}

TEST_F(PaymentsTest, RefundsNeverExceedWhatWasCaptured) {
  const auto pending = create_id("r-pending");
  auto early = post("/v1/payments/" + pending + "/refunds", R"({"amount":100})", "r-early");
  ASSERT_TRUE(early);
  EXPECT_EQ(early->status, 409) << early->body;

  const auto id = create_id("r-create");
  force_state(id, "succeeded", "captured_amount = amount");
  auto first = post("/v1/payments/" + id + "/refunds", R"({"amount":50000})", "r-1");
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 201) << first->body;
  EXPECT_NE(first->body.find(R"("status":"succeeded")"), std::string::npos);
  EXPECT_NE(first->body.find("\"payment_id\":\"" + id + "\""), std::string::npos);
  auto replay = post("/v1/payments/" + id + "/refunds", R"({"amount":50000})", "r-1");
  ASSERT_TRUE(replay);
  EXPECT_EQ(replay->status, 201);
  EXPECT_EQ(replay->body, first->body) << "a replayed refund is not a second refund";
  auto over = post("/v1/payments/" + id + "/refunds", R"({"amount":100001})", "r-2");
  ASSERT_TRUE(over);
  EXPECT_EQ(over->status, 422);
  EXPECT_NE(over->body.find(R"("field":"amount")"), std::string::npos);
  auto rest = post("/v1/payments/" + id + "/refunds", "", "r-3");
  ASSERT_TRUE(rest);
  ASSERT_EQ(rest->status, 201) << rest->body;
  EXPECT_NE(rest->body.find(R"("amount":100000)"), std::string::npos);
  auto none_left = post("/v1/payments/" + id + "/refunds", R"({"amount":1})", "r-4");
  ASSERT_TRUE(none_left);
  EXPECT_EQ(none_left->status, 422);
  auto payment = get("/v1/payments/" + id);
  ASSERT_TRUE(payment);
  EXPECT_NE(payment->body.find(R"("refunded_amount":150000)"), std::string::npos) << payment->body;

  ASSERT_TRUE(wait_until([&] { return receiver_.received().size() >= 2; }, 10s));
  EXPECT_EQ(types_of(settled_outbox(port_, secret_)), (std::vector<std::string>{"refund.succeeded", "refund.succeeded"}));
  auto got = receiver_.received();
  std::string all;
  for (const auto& m : got) all += m.first.id + " " + m.second + "\n";
  ASSERT_EQ(got.size(), 2u) << all;
  for (const auto& m : got) {
    EXPECT_TRUE(verifies(m));
    EXPECT_NE(m.second.find(R"("type":"refund.succeeded")"), std::string::npos) << m.second;
    EXPECT_NE(m.second.find(R"("order_id":"order-1")"), std::string::npos);
  }
}

TEST_F(PaymentsTest, ListNeedsOrderId) {
  auto r = get("/v1/payments");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 422);
  EXPECT_NE(r->body.find(R"("field":"order_id")"), std::string::npos);
  auto limit = get("/v1/payments?order_id=x&limit=1000");
  ASSERT_TRUE(limit);
  EXPECT_EQ(limit->status, 422);
}

}  // namespace
}  // namespace vitrina::testing
