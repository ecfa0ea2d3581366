// The webhook API with the real server: endpoints of each signing scheme (secrets shown once,
// private keys never), refusals that name the field and store nothing, sites isolated from each
// other, a payment event signed v1 and v1a and verified with vitrina::webhook, a failing
// endpoint's attempts, resends under the same webhook-id, rotation sending old and new
// signatures, and endpoints disabled by a 410 or the API and enabled again.

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <memory>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "outbox.hpp"
#include "support.hpp"
#include "vitrina/webhook/webhook.hpp"
#include "webhook_receiver.hpp"

namespace vitrina::testing {
namespace {

const std::vector<std::string> kSettings{"--set", "webhooks.allow_private_targets=true",
                                         "--set", "webhooks.retry_schedule_ms=200,200,200,200,200,200,200,200",
                                         "--set", "webhooks.poll_interval_ms=50"};

const std::string kPayment =
    R"({"amount":150000,"currency":"RUB","order_id":"order-1","return_url":"https://shop.example/back"})";

using Message = std::pair<webhook::Headers, std::string>;

// The entries' versions of a webhook-signature header ("v1", "v1a"), in order.
std::vector<std::string> versions(const std::string& header) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < header.size()) {
    const auto end = std::min(header.find(' ', at), header.size());
    const auto entry = header.substr(at, end - at);
    out.push_back(entry.substr(0, entry.find(',')));
    at = end + 1;
  }
  return out;
}

bool verifies(const Message& m, const std::string& key_text) {
  auto key = webhook::verify_key_parse(key_text);
  return key && webhook::verify(m.first, m.second, *key, webhook::unix_now());
}

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = 0; (at = text.find(needle, at)) != std::string::npos; at += needle.size()) ++n;
  return n;
}

// Answers 410 Gone to every webhook.
class GoneReceiver {
 public:
  GoneReceiver() {
    server_.Post("/hook", [this](const httplib::Request&, httplib::Response& res) {
      ++requests_;
      res.status = 410;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~GoneReceiver() {
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }
  int requests() const { return requests_; }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::atomic<int> requests_{0};
  std::thread thread_;
};

class WebhookApiTest : public ::testing::Test {
 protected:
  RunResult admin(std::vector<std::string> args) {
    std::vector<std::string> all{"--data", data_.str()};
    all.insert(all.end(), kSettings.begin(), kSettings.end());
    all.insert(all.end(), args.begin(), args.end());
    return run_server(all);
  }
  // A site; returns its secret key.
  std::string make_site() {
    auto site = admin({"site", "create", "--name", "S", "--origin", "http://127.0.0.1", "--json"});
    EXPECT_EQ(site.exit_code, 0) << site.output;
    return capture(site.output, R"re("secret_key":"(sk_[0-9A-Za-z]+)")re");
  }
  void SetUp() override {
    sk_ = make_site();
    other_sk_ = make_site();
    ASSERT_FALSE(sk_.empty());
    ASSERT_FALSE(other_sk_.empty());
    std::vector<std::string> args{"--listen", "127.0.0.1:0", "--data", data_.str()};
    args.insert(args.end(), kSettings.begin(), kSettings.end());
    server_ = std::make_unique<ServerProcess>(args);
    port_ = server_->wait_listening();
    ASSERT_NE(port_, 0) << server_->output();
  }

  httplib::Result call(const std::string& method, const std::string& path, const std::string& body,
                       const std::string& secret, const std::string& content_type = "application/json",
                       const std::string& idempotency_key = {}) {
    httplib::Client c("127.0.0.1", port_);
    httplib::Request req;
    req.method = method;
    req.path = path;
    req.body = body;
    if (!secret.empty()) req.headers.emplace("Authorization", "Bearer " + secret);
    if (!body.empty() && !content_type.empty()) req.headers.emplace("Content-Type", content_type);
    if (!idempotency_key.empty()) req.headers.emplace("Idempotency-Key", idempotency_key);
    return c.send(req);
  }
  httplib::Result get(const std::string& path, const std::string& secret) { return call("GET", path, "", secret); }
  httplib::Result get(const std::string& path) { return get(path, sk_); }

  static std::string url_of(int port) { return "http://127.0.0.1:" + std::to_string(port) + "/hook"; }

  // Creates an endpoint and returns its answer's body.
  std::string create(const std::string& body, const std::string& secret) {
    auto r = call("POST", "/v1/webhook_endpoints", body, secret);
    EXPECT_TRUE(r);
    if (!r) return {};
    EXPECT_EQ(r->status, 201) << r->body;
    return r->body;
  }
  std::string create(const std::string& body) { return create(body, sk_); }

  // A payment created and canceled through the payments API: one payment.canceled message.
  void cancel_a_payment(const std::string& secret) {
    static int n = 0;
    const std::string key = "k-" + std::to_string(++n);
    auto created = call("POST", "/v1/payments", kPayment, secret, "application/json", key);
    ASSERT_TRUE(created);
    ASSERT_EQ(created->status, 201) << created->body;
    const auto id = capture(created->body, R"re("id":"(pay_[0-9A-Za-z]+)")re");
    auto canceled = call("POST", "/v1/payments/" + id + "/cancel", "", secret, "", key + "-cancel");
    ASSERT_TRUE(canceled);
    ASSERT_EQ(canceled->status, 200) << canceled->body;
  }
  void cancel_a_payment() { cancel_a_payment(sk_); }

  // The id of the site's newest webhook message.
  std::string newest_message(const std::string& secret) {
    auto r = get("/v1/webhook_messages?limit=1", secret);
    EXPECT_TRUE(r && r->status == 200);
    return r ? capture(r->body, R"re("id":"(msg_[0-9A-Za-z]+)")re") : std::string();
  }
  std::string newest_message() { return newest_message(sk_); }

  TempDir data_;
  std::string sk_, other_sk_;
  std::unique_ptr<ServerProcess> server_;
  int port_ = 0;
};

TEST_F(WebhookApiTest, CreatesEndpointsOfEachSchemeAndShowsSecretsOnlyOnce) {
  const std::string url = "https://hooks.shop.example/vitrina";
  auto r = call("POST", "/v1/webhook_endpoints", R"({"url":")" + url + R"("})", sk_);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
  const auto hmac_id = capture(r->body, R"re("id":"(we_[0-9A-Za-z]+)")re");
  EXPECT_EQ(r->get_header_value("Location"), "/v1/webhook_endpoints/" + hmac_id);
  const auto hmac_secret = capture(r->body, R"re("secret":"(whsec_[^"]+)")re");
  EXPECT_FALSE(hmac_secret.empty()) << r->body;
  EXPECT_NE(r->body.find(R"("signing":"hmac","public_key":null)"), std::string::npos) << r->body;
  EXPECT_NE(r->body.find(R"("event_types":[])"), std::string::npos) << r->body;

  const auto ed =
      create(R"({"url":")" + url + R"(","signing":"ed25519","event_types":["payment.*"],"description":"Orders"})");
  const auto ed_id = capture(ed, R"re("id":"(we_[0-9A-Za-z]+)")re");
  const auto ed_public = capture(ed, R"re("public_key":"(whpk_[^"]+)")re");
  EXPECT_FALSE(ed_public.empty()) << ed;
  EXPECT_EQ(ed.find("whsec_"), std::string::npos) << "an ed25519 endpoint has no HMAC secret";
  EXPECT_NE(ed.find(R"("description":"Orders","event_types":["payment.*"],"signing":"ed25519")"), std::string::npos);

  const auto both = create(R"({"url":")" + url + R"(","signing":"both"})");
  const auto both_secret = capture(both, R"re("secret":"(whsec_[^"]+)")re");
  EXPECT_FALSE(both_secret.empty());
  EXPECT_FALSE(capture(both, R"re("public_key":"(whpk_[^"]+)")re").empty());

  for (const auto& body : {r->body, ed, both}) EXPECT_EQ(body.find("whsk_"), std::string::npos) << body;

  auto list = get("/v1/webhook_endpoints");
  ASSERT_TRUE(list);
  ASSERT_EQ(list->status, 200);
  EXPECT_EQ(count_of(list->body, "\"id\":\"we_"), 3u) << list->body;
  EXPECT_EQ(list->body.find("whsec_"), std::string::npos) << "secrets are shown only once";
  EXPECT_EQ(list->body.find("whsk_"), std::string::npos);
  EXPECT_NE(list->body.find(ed_public), std::string::npos) << "the public key is not a secret";
  auto one = get("/v1/webhook_endpoints/" + ed_id);
  ASSERT_TRUE(one);
  EXPECT_EQ(one->status, 200);
  EXPECT_NE(one->body.find("\"id\":\"" + ed_id + "\""), std::string::npos);
  EXPECT_EQ(get("/v1/webhook_endpoints/" + hmac_id)->body.find("whsec_"), std::string::npos);

  const auto log = server_->output();
  for (const auto& secret : {hmac_secret, both_secret}) EXPECT_EQ(log.find(secret), std::string::npos);
  EXPECT_EQ(log.find("whsk_"), std::string::npos) << "private keys are never logged";
}

TEST_F(WebhookApiTest, RefusalsNameTheFieldAndStoreNothing) {
  struct Case {
    std::string method, path, body, content_type;
    int status;
    std::string field;
  };
  const std::string ok_url = R"("url":"https://a.example/h")";
  const std::vector<Case> cases{
      {"POST", "/v1/webhook_endpoints", "{", "application/json", 400, "body"},
      {"POST", "/v1/webhook_endpoints", "", "application/json", 400, "body"},
      {"POST", "/v1/webhook_endpoints", "[1]", "application/json", 422, "body"},
      {"POST", "/v1/webhook_endpoints", R"({"url":"https://a.example"})", "text/plain", 415, "Content-Type"},
      {"POST", "/v1/webhook_endpoints", "{\"url\":\"https://a.example/" + std::string(70'000, 'a') + "\"}",
       "application/json", 413, "body"},
      {"POST", "/v1/webhook_endpoints", "{}", "application/json", 422, "url"},
      {"POST", "/v1/webhook_endpoints", R"({"url":42})", "application/json", 422, "url"},
      {"POST", "/v1/webhook_endpoints", R"({"url":"ftp://a.example/h"})", "application/json", 422, "url"},
      {"POST", "/v1/webhook_endpoints", R"({"url":"https://u:p@a.example/h"})", "application/json", 422, "url"},
      {"POST", "/v1/webhook_endpoints", "{\"url\":\"https://a.example/" + std::string(2100, 'a') + "\"}",
       "application/json", 422, "url"},
      {"POST", "/v1/webhook_endpoints", "{" + ok_url + R"(,"event_types":"payment.*"})", "application/json", 422,
       "event_types"},
      {"POST", "/v1/webhook_endpoints", "{" + ok_url + R"(,"event_types":["payment.*",1]})", "application/json", 422,
       "event_types[1]"},
      {"POST", "/v1/webhook_endpoints", "{" + ok_url + R"(,"event_types":["Payment.Succeeded"]})", "application/json",
       422, "event_types[0]"},
      {"POST", "/v1/webhook_endpoints", "{" + ok_url + R"(,"signing":"rsa"})", "application/json", 422, "signing"},
      {"POST", "/v1/webhook_endpoints", "{" + ok_url + R"(,"description":")" + std::string(300, 'd') + "\"}",
       "application/json", 422, "description"},
      {"POST", "/v1/webhook_endpoints", "{" + ok_url + R"(,"secret":"whsec_mine"})", "application/json", 422, "secret"},
      {"POST", "/v1/webhook_endpoints", "{" + ok_url + "," + ok_url + "}", "application/json", 422, "url"},
      {"GET", "/v1/webhook_messages?limit=0", "", "", 422, "limit"},
      {"GET", "/v1/webhook_messages?limit=abc", "", "", 422, "limit"},
  };
  for (const auto& c : cases) {
    auto r = call(c.method, c.path, c.body, sk_, c.content_type);
    ASSERT_TRUE(r) << c.path;
    EXPECT_EQ(r->status, c.status) << c.body.substr(0, 80) << " -> " << r->body;
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/problem+json");
    EXPECT_EQ(capture(r->body, R"re("field":"([^"]*)")re"), c.field) << c.body.substr(0, 80) << " -> " << r->body;
  }
  for (const std::string& secret : {std::string(), std::string("sk_nope"), std::string("sk_") + std::string(43, 'A')}) {
    auto r = call("POST", "/v1/webhook_endpoints", "{" + ok_url + "}", secret);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401);
    EXPECT_EQ(capture(r->body, R"re("field":"([^"]*)")re"), "Authorization");
  }
  auto list = get("/v1/webhook_endpoints");
  ASSERT_TRUE(list);
  EXPECT_EQ(list->body, R"({"items":[]})") << "a refused request stores nothing";

  // Changes are refused the same way and leave the endpoint as it was.
  const auto created = create("{" + ok_url + "}");
  const auto id = capture(created, R"re("id":"(we_[0-9A-Za-z]+)")re");
  const auto before = get("/v1/webhook_endpoints/" + id)->body;
  const std::vector<Case> changes{
      {"PATCH", "/v1/webhook_endpoints/" + id, R"({"enabled":"yes"})", "application/json", 422, "enabled"},
      {"PATCH", "/v1/webhook_endpoints/" + id, R"({"url":"gopher://a"})", "application/json", 422, "url"},
      {"PATCH", "/v1/webhook_endpoints/" + id, R"({"url":"https://b.example","event_types":[""]})", "application/json",
       422, "event_types[0]"},
      {"PATCH", "/v1/webhook_endpoints/" + id, R"({"signing":"ed25519"})", "application/json", 422, "signing"},
      {"PATCH", "/v1/webhook_endpoints/" + id, R"({"url":"https://b.example"})", "text/plain", 415, "Content-Type"},
      {"POST", "/v1/webhook_endpoints/" + id + "/rotate_secret", R"({"overlap":1})", "application/json", 422,
       "overlap"},
  };
  for (const auto& c : changes) {
    auto r = call(c.method, c.path, c.body, sk_, c.content_type);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, c.status) << c.body << " -> " << r->body;
    EXPECT_EQ(capture(r->body, R"re("field":"([^"]*)")re"), c.field) << c.body << " -> " << r->body;
  }
  EXPECT_EQ(get("/v1/webhook_endpoints/" + id)->body, before);
  auto wrong_method = call("PUT", "/v1/webhook_endpoints/" + id, "{}", sk_);
  ASSERT_TRUE(wrong_method);
  EXPECT_EQ(wrong_method->status, 405);
  EXPECT_EQ(wrong_method->get_header_value("Allow"), "GET, HEAD, PATCH, DELETE");
}

TEST_F(WebhookApiTest, ASiteSeesAndTouchesOnlyItsOwn) {
  Receiver receiver;
  const auto created = create(R"({"url":")" + url_of(receiver.port()) + R"("})");
  const auto id = capture(created, R"re("id":"(we_[0-9A-Za-z]+)")re");
  const auto secret = capture(created, R"re("secret":"(whsec_[^"]+)")re");
  cancel_a_payment();
  ASSERT_TRUE(wait_until([&] { return receiver.received().size() == 1; }, 10s));
  const auto message = newest_message();
  ASSERT_FALSE(message.empty());

  EXPECT_EQ(get("/v1/webhook_endpoints", other_sk_)->body, R"({"items":[]})");
  EXPECT_EQ(get("/v1/webhook_messages", other_sk_)->body, R"({"items":[]})");
  const std::vector<std::pair<std::string, std::string>> foreign{
      {"GET", "/v1/webhook_endpoints/" + id},           {"PATCH", "/v1/webhook_endpoints/" + id},
      {"DELETE", "/v1/webhook_endpoints/" + id},        {"POST", "/v1/webhook_endpoints/" + id + "/rotate_secret"},
      {"GET", "/v1/webhook_messages/" + message},       {"POST", "/v1/webhook_messages/" + message + "/resend"},
      {"GET", "/v1/webhook_endpoints/we_doesnotexist"}, {"GET", "/v1/webhook_messages/msg_doesnotexist"},
  };
  for (const auto& [method, path] : foreign) {
    auto r = call(method, path, method == "PATCH" ? R"({"enabled":false})" : "", other_sk_);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404) << method << " " << path << " -> " << r->body;
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/problem+json");
  }
  // Its own message cannot be resent to another site's endpoint either.
  Receiver other_receiver;
  create(R"({"url":")" + url_of(other_receiver.port()) + R"("})", other_sk_);
  cancel_a_payment(other_sk_);
  ASSERT_TRUE(wait_until([&] { return other_receiver.received().size() == 1; }, 10s));
  auto cross = call("POST", "/v1/webhook_messages/" + newest_message(other_sk_) + "/resend",
                    R"({"endpoint_id":")" + id + R"("})", other_sk_);
  ASSERT_TRUE(cross);
  EXPECT_EQ(cross->status, 422) << cross->body;
  EXPECT_EQ(capture(cross->body, R"re("field":"([^"]*)")re"), "endpoint_id");

  // Nothing of the first site changed: same endpoint, same key, one delivery.
  auto mine = get("/v1/webhook_endpoints/" + id);
  ASSERT_TRUE(mine);
  EXPECT_NE(mine->body.find(R"("enabled":true)"), std::string::npos);
  EXPECT_NE(mine->body.find(R"("previous_keys_expire_at":null)"), std::string::npos);
  cancel_a_payment();
  ASSERT_TRUE(wait_until([&] { return receiver.received().size() == 2; }, 10s));
  EXPECT_TRUE(verifies(receiver.received().back(), secret));
  EXPECT_EQ(receiver.received().size(), 2u);
}

TEST_F(WebhookApiTest, PaymentEventIsSignedV1AndV1a) {
  Receiver hmac_receiver, ed_receiver, both_receiver;
  const auto hmac = create(R"({"url":")" + url_of(hmac_receiver.port()) + R"(","event_types":["payment.*"]})");
  const auto ed = create(R"({"url":")" + url_of(ed_receiver.port()) + R"(","signing":"ed25519"})");
  const auto both = create(R"({"url":")" + url_of(both_receiver.port()) + R"(","signing":"both"})");
  const auto hmac_secret = capture(hmac, R"re("secret":"(whsec_[^"]+)")re");
  const auto ed_public = capture(ed, R"re("public_key":"(whpk_[^"]+)")re");
  const auto both_secret = capture(both, R"re("secret":"(whsec_[^"]+)")re");
  const auto both_public = capture(both, R"re("public_key":"(whpk_[^"]+)")re");

  cancel_a_payment();
  ASSERT_TRUE(wait_until(
      [&] {
        return !hmac_receiver.received().empty() && !ed_receiver.received().empty() &&
               !both_receiver.received().empty();
      },
      10s));
  const auto h = hmac_receiver.received().front();
  const auto e = ed_receiver.received().front();
  const auto b = both_receiver.received().front();
  EXPECT_NE(h.second.find(R"("type":"payment.canceled")"), std::string::npos) << h.second;
  EXPECT_EQ(h.first.id, e.first.id) << "one message, one webhook-id for every endpoint";
  EXPECT_EQ(h.first.id, b.first.id);
  EXPECT_EQ(h.second, e.second);

  EXPECT_EQ(versions(h.first.signature), std::vector<std::string>{"v1"});
  EXPECT_TRUE(verifies(h, hmac_secret));
  EXPECT_EQ(versions(e.first.signature), std::vector<std::string>{"v1a"});
  EXPECT_TRUE(verifies(e, ed_public));
  EXPECT_FALSE(verifies(e, both_public)) << "each endpoint has its own key pair";
  EXPECT_EQ(versions(b.first.signature), (std::vector<std::string>{"v1", "v1a"}));
  EXPECT_TRUE(verifies(b, both_secret));
  EXPECT_TRUE(verifies(b, both_public));

  // The message and its three deliveries, through the API.
  ASSERT_TRUE(wait_until(
      [&] { return count_of(get("/v1/webhook_messages/" + h.first.id)->body, R"("status":"delivered")") == 3; }, 10s));
  auto listed = get("/v1/webhook_messages");
  ASSERT_TRUE(listed);
  EXPECT_NE(listed->body.find(R"({"items":[{"id":")" + h.first.id + R"(","type":"payment.canceled")"),
            std::string::npos)
      << listed->body;
  auto full = get("/v1/webhook_messages/" + h.first.id);
  EXPECT_NE(full->body.find(R"("payload":)" + h.second), std::string::npos) << "the body as it was sent";
  EXPECT_EQ(count_of(full->body, R"("status_code":204)"), 3u) << full->body;
}

TEST_F(WebhookApiTest, FailingEndpointsAttemptsAreListed) {
  Receiver receiver;
  receiver.accept(false);  // 503 to everything
  create(R"({"url":")" + url_of(receiver.port()) + R"("})");
  cancel_a_payment();
  ASSERT_TRUE(wait_until([&] { return receiver.requests() >= 3; }, 10s));
  const auto id = newest_message();
  std::string body;
  ASSERT_TRUE(wait_until(
      [&] {
        body = get("/v1/webhook_messages/" + id)->body;
        return count_of(body, R"("status_code":503)") >= 3;
      },
      10s))
      << body;
  EXPECT_NE(body.find(R"("error":"HTTP 503")"), std::string::npos) << body;
  EXPECT_NE(body.find(R"("last_status_code":503,"last_error":"HTTP 503")"), std::string::npos) << body;
  EXPECT_TRUE(std::regex_search(body, std::regex(R"re("attempted_at":"\d{4}-\d\d-\d\dT[0-9:.]+Z")re")));
  EXPECT_TRUE(std::regex_search(body, std::regex(R"re("duration_ms":\d+)re")));
  EXPECT_TRUE(std::regex_search(body, std::regex(R"re("next_attempt_at":"\d{4}-[^"]+")re"))) << body;

  // The schedule runs out: the delivery fails, and its last attempt schedules nothing.
  ASSERT_TRUE(wait_until(
      [&] { return get("/v1/webhook_messages/" + id)->body.find(R"("status":"failed")") != std::string::npos; }, 15s));
  body = get("/v1/webhook_messages/" + id)->body;
  EXPECT_EQ(count_of(body, R"("status_code":503)"), 9u) << "the first attempt and 8 retries";
  EXPECT_NE(body.find(R"("next_attempt_at":null}]})"), std::string::npos) << body;
}

TEST_F(WebhookApiTest, ResendKeepsTheWebhookId) {
  Receiver receiver;
  create(R"({"url":")" + url_of(receiver.port()) + R"("})");
  cancel_a_payment();
  ASSERT_TRUE(wait_until([&] { return receiver.received().size() == 1; }, 10s));
  const auto first = receiver.received().front();
  const auto id = first.first.id;
  // The receiver has it before the server records it delivered; resend once the record is final.
  settled_outbox(port_, sk_);

  auto resent = call("POST", "/v1/webhook_messages/" + id + "/resend", "", sk_);
  ASSERT_TRUE(resent);
  ASSERT_EQ(resent->status, 202) << resent->body;
  EXPECT_NE(resent->body.find("\"id\":\"" + id + "\""), std::string::npos);
  ASSERT_TRUE(wait_until([&] { return receiver.received().size() == 2; }, 10s));
  EXPECT_EQ(receiver.received()[1].first.id, id);
  EXPECT_EQ(receiver.received()[1].second, first.second) << "the same bytes";

  // An endpoint added later gets the old message when asked, under its id, filter aside.
  Receiver late;
  const auto late_body = create(R"({"url":")" + url_of(late.port()) + R"(","event_types":["refund.*"]})");
  const auto late_id = capture(late_body, R"re("id":"(we_[0-9A-Za-z]+)")re");
  auto to_one = call("POST", "/v1/webhook_messages/" + id + "/resend", R"({"endpoint_id":")" + late_id + R"("})", sk_);
  ASSERT_TRUE(to_one);
  ASSERT_EQ(to_one->status, 202) << to_one->body;
  ASSERT_TRUE(wait_until([&] { return late.received().size() == 1; }, 10s));
  EXPECT_EQ(late.received()[0].first.id, id);
  EXPECT_EQ(receiver.received().size(), 2u) << "only the endpoint named";

  auto missing = call("POST", "/v1/webhook_messages/msg_nope/resend", "", sk_);
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
}

TEST_F(WebhookApiTest, RotationSendsOldAndNewSignatures) {
  Receiver receiver;
  const auto created = create(R"({"url":")" + url_of(receiver.port()) + R"(","signing":"both"})");
  const auto id = capture(created, R"re("id":"(we_[0-9A-Za-z]+)")re");
  const auto old_secret = capture(created, R"re("secret":"(whsec_[^"]+)")re");
  const auto old_public = capture(created, R"re("public_key":"(whpk_[^"]+)")re");

  auto rotated = call("POST", "/v1/webhook_endpoints/" + id + "/rotate_secret", "", sk_);
  ASSERT_TRUE(rotated);
  ASSERT_EQ(rotated->status, 200) << rotated->body;
  const auto new_secret = capture(rotated->body, R"re("secret":"(whsec_[^"]+)")re");
  const auto new_public = capture(rotated->body, R"re("public_key":"(whpk_[^"]+)")re");
  ASSERT_FALSE(new_secret.empty());
  EXPECT_NE(new_secret, old_secret);
  EXPECT_NE(new_public, old_public);
  EXPECT_TRUE(std::regex_search(rotated->body, std::regex(R"re("previous_keys_expire_at":"\d{4}-)re")));
  EXPECT_EQ(rotated->body.find("whsk_"), std::string::npos);
  EXPECT_EQ(get("/v1/webhook_endpoints/" + id)->body.find("whsec_"), std::string::npos);

  cancel_a_payment();
  ASSERT_TRUE(wait_until([&] { return receiver.received().size() == 1; }, 10s));
  const auto m = receiver.received().front();
  EXPECT_EQ(versions(m.first.signature), (std::vector<std::string>{"v1", "v1a", "v1", "v1a"}));
  for (const auto& key : {old_secret, old_public, new_secret, new_public}) EXPECT_TRUE(verifies(m, key)) << key;
  EXPECT_EQ(server_->output().find(new_secret), std::string::npos);
}

TEST_F(WebhookApiTest, DisabledEndpointsCanBeChangedAndEnabledAgain) {
  GoneReceiver gone;
  Receiver receiver;
  const auto created = create(R"({"url":")" + url_of(gone.port()) + R"("})");
  const auto id = capture(created, R"re("id":"(we_[0-9A-Za-z]+)")re");
  cancel_a_payment();
  ASSERT_TRUE(wait_until(
      [&] { return get("/v1/webhook_endpoints/" + id)->body.find(R"("enabled":false)") != std::string::npos; }, 10s));
  EXPECT_NE(get("/v1/webhook_endpoints/" + id)->body.find(R"("disabled_reason":"the endpoint answered 410 Gone")"),
            std::string::npos);
  EXPECT_EQ(gone.requests(), 1);

  // Pointed elsewhere and enabled: new events arrive; the one the 410 stopped can be resent.
  auto patched = call("PATCH", "/v1/webhook_endpoints/" + id,
                      R"({"url":")" + url_of(receiver.port()) + R"(","enabled":true,"description":"moved"})", sk_);
  ASSERT_TRUE(patched);
  ASSERT_EQ(patched->status, 200) << patched->body;
  EXPECT_NE(patched->body.find(R"("enabled":true,"disabled_reason":null)"), std::string::npos) << patched->body;
  EXPECT_NE(patched->body.find(R"("description":"moved")"), std::string::npos);
  const auto stopped = newest_message();
  cancel_a_payment();
  ASSERT_TRUE(wait_until([&] { return receiver.received().size() == 1; }, 10s));
  ASSERT_EQ(call("POST", "/v1/webhook_messages/" + stopped + "/resend", "", sk_)->status, 202);
  ASSERT_TRUE(wait_until([&] { return receiver.received().size() == 2; }, 10s));
  EXPECT_EQ(receiver.received()[1].first.id, stopped);

  // Disabled through the API: nothing more is sent until it is enabled.
  auto off = call("PATCH", "/v1/webhook_endpoints/" + id, R"({"enabled":false})", sk_);
  ASSERT_TRUE(off);
  EXPECT_NE(off->body.find(R"("disabled_reason":"disabled through the API")"), std::string::npos) << off->body;
  cancel_a_payment();
  const auto skipped = newest_message();
  EXPECT_NE(skipped, stopped);
  EXPECT_NE(get("/v1/webhook_messages/" + skipped)->body.find(R"("deliveries":[])"), std::string::npos);
  auto refused = call("POST", "/v1/webhook_messages/" + skipped + "/resend", R"({"endpoint_id":")" + id + R"("})", sk_);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 409) << refused->body;

  // Deleted: gone from the API, and its deliveries with it.
  auto deleted = call("DELETE", "/v1/webhook_endpoints/" + id, "", sk_);
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->status, 204);
  EXPECT_EQ(get("/v1/webhook_endpoints/" + id)->status, 404);
  EXPECT_EQ(call("DELETE", "/v1/webhook_endpoints/" + id, "", sk_)->status, 404);
  EXPECT_NE(get("/v1/webhook_messages/" + stopped)->body.find(R"("deliveries":[])"), std::string::npos);
  EXPECT_EQ(receiver.received().size(), 2u);
}

}  // namespace
}  // namespace vitrina::testing
