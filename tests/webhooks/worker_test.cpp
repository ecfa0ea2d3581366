// The delivery worker against an in-process receiver on 127.0.0.1: signatures, retries with the
// same webhook-id, Retry-After, 410, timeouts, redirects, key rotation and the SSRF guard.

#include <gtest/gtest.h>
#include <httplib.h>

#include <functional>
#include <mutex>
#include <thread>

#include "../store/test_support.hpp"
#include "vitrina/webhook/webhook.hpp"
#include "webhooks/endpoints.hpp"
#include "webhooks/event.hpp"
#include "webhooks/worker.hpp"

namespace vitrina::webhooks {
namespace {

using namespace std::chrono_literals;
using store::testing::TempDir;

constexpr const char* kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

struct Received {
  webhook::Headers headers;
  std::string body;
  std::chrono::steady_clock::time_point at;
};

// A receiver whose answers the test scripts, recording every request.
class Receiver {
 public:
  using Handler = std::function<void(int n, httplib::Response&)>;
  Receiver() {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      Handler h;
      int n = 0;
      {
        std::lock_guard lock(mu_);
        received_.push_back({webhook::headers_from(req.headers), req.body, std::chrono::steady_clock::now()});
        n = static_cast<int>(received_.size());
        h = handler_;
      }
      res.status = 200;
      if (h) h(n, res);
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  void on(Handler h) {
    std::lock_guard lock(mu_);
    handler_ = std::move(h);
  }
  std::vector<Received> received() {
    std::lock_guard lock(mu_);
    return received_;
  }
  std::size_t count() { return received().size(); }
  int port() const { return port_; }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  Handler handler_;
  std::vector<Received> received_;
};

bool wait_until(const std::function<bool()>& pred, std::chrono::milliseconds timeout = 5s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

class WorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = store::testing::open_or_die(dir_.file("v.db"));
    ASSERT_TRUE(store::testing::insert_site_sync(*store_, store::testing::make_site("a")));
    auto e = store::wait_for<store::WebhookEndpoint>([&](store::Done<store::WebhookEndpoint> d) {
      store_->insert_webhook_endpoint({.id = "we_1",
                                       .site_id = "site_a",
                                       .url = "http://127.0.0.1:" + std::to_string(receiver_.port()) + "/hook",
                                       .secret = kSecret,
                                       .created_at = 1},
                                      d);
    });
    ASSERT_TRUE(e) << e.error().message;
  }
  void TearDown() override {
    if (worker_) worker_->stop();
  }

  void start(WorkerOptions options = {}) {
    if (options.policy.delays_ms == standard_policy().delays_ms) options.policy.delays_ms = {100, 100, 100};
    options.poll_interval = 20ms;
    options.concurrency = 2;
    if (options.timeout == 15000ms) options.timeout = 2000ms;
    worker_ = std::make_unique<Worker>(*store_, options, system_now_ms, [] { return 0.5; });
    worker_->start();
  }

  std::string send_event(const std::string& type = "payment.succeeded") {
    auto event = make_event("site_a", type, R"({"id":"pay_1","order_id":"o-1"})", system_now_ms());
    auto r = store::wait_for<store::EnqueuedEvent>(
        [&](store::Done<store::EnqueuedEvent> d) { worker_->enqueue(std::move(event), std::move(d)); });
    EXPECT_TRUE(r);
    return r ? r->message_id : std::string();
  }

  std::string status_of(const std::string& message_id) {
    auto d = store_->list_deliveries(message_id);
    return d && !d->empty() ? d->front().status : std::string();
  }

  static bool verifies(const Received& r, const char* secret = kSecret) {
    auto key = webhook::verify_key_parse(secret);
    return key && webhook::verify(r.headers, r.body, *key, webhook::unix_now());
  }

  TempDir dir_;
  std::unique_ptr<store::Store> store_;
  Receiver receiver_;
  std::unique_ptr<Worker> worker_;
};

TEST_F(WorkerTest, DeliversSignedMessageOnFirstTry) {
  start({.allow_private_targets = true});
  const auto id = send_event();
  ASSERT_TRUE(wait_until([&] { return status_of(id) == "delivered"; }));
  auto got = receiver_.received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].headers.id, id);
  EXPECT_TRUE(verifies(got[0]));
  EXPECT_EQ(got[0].body, store_->find_webhook_message(id).value()->payload);
  EXPECT_EQ(store_->list_attempts(id)->size(), 1u);
}

TEST_F(WorkerTest, RetriesAfterServerErrorWithTheSameIdAndBody) {
  receiver_.on([](int n, httplib::Response& res) { res.status = n == 1 ? 500 : 200; });
  start({.allow_private_targets = true});
  const auto id = send_event();
  ASSERT_TRUE(wait_until([&] { return status_of(id) == "delivered"; }));
  auto got = receiver_.received();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].headers.id, id);
  EXPECT_EQ(got[1].headers.id, id);
  EXPECT_EQ(got[0].body, got[1].body);
  EXPECT_TRUE(verifies(got[0]));
  EXPECT_TRUE(verifies(got[1]));
  auto attempts = store_->list_attempts(id);
  ASSERT_EQ(attempts->size(), 2u);
  EXPECT_EQ((*attempts)[0].status_code, 500);
}

TEST_F(WorkerTest, HonoursRetryAfterOn429) {
  receiver_.on([](int n, httplib::Response& res) {
    if (n == 1) {
      res.status = 429;
      res.set_header("Retry-After", "1");
    }
  });
  // The schedule alone would wait 30 s before the second attempt.
  start({.policy = {.delays_ms = {30'000}}, .allow_private_targets = true});
  const auto id = send_event();
  ASSERT_TRUE(wait_until([&] { return status_of(id) == "delivered"; }, 10s));
  auto got = receiver_.received();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_GE(got[1].at - got[0].at, 900ms);
}

TEST_F(WorkerTest, GoneDisablesTheEndpoint) {
  receiver_.on([](int, httplib::Response& res) { res.status = 410; });
  start({.allow_private_targets = true});
  const auto id = send_event();
  ASSERT_TRUE(wait_until([&] { return status_of(id) == "disabled"; }));
  auto e = store_->find_webhook_endpoint("we_1").value();
  EXPECT_TRUE(e->disabled);
  EXPECT_FALSE(e->disabled_reason.empty());
  // A disabled delivery is final: the store records the one attempt, and no other is scheduled.
  EXPECT_EQ(store_->list_attempts(id)->size(), 1u);
  EXPECT_EQ(receiver_.count(), 1u);
}

TEST_F(WorkerTest, TimeoutCountsAsFailure) {
  receiver_.on([](int n, httplib::Response&) {
    if (n == 1) std::this_thread::sleep_for(600ms);
  });
  start({.timeout = 150ms, .allow_private_targets = true});
  const auto id = send_event();
  ASSERT_TRUE(wait_until([&] { return store_->list_attempts(id)->size() >= 1; }));
  auto first = store_->list_attempts(id)->front();
  EXPECT_EQ(first.status_code, 0);
  EXPECT_NE(first.error.find("timed out"), std::string::npos) << first.error;
  ASSERT_TRUE(wait_until([&] { return status_of(id) == "delivered"; }));
}

TEST_F(WorkerTest, RedirectIsAFailureAndNotFollowed) {
  receiver_.on([](int, httplib::Response& res) {
    res.status = 302;
    res.set_header("Location", "/elsewhere");
  });
  start({.policy = {.delays_ms = {60'000}}, .allow_private_targets = true});
  const auto id = send_event();
  ASSERT_TRUE(wait_until([&] { return store_->list_attempts(id)->size() >= 1; }));
  auto d = store_->list_deliveries(id)->front();
  EXPECT_EQ(d.status, "pending");
  EXPECT_EQ(d.last_status_code, 302);
  EXPECT_EQ(receiver_.count(), 1u);
}

TEST_F(WorkerTest, RotationSendsBothSignatures) {
  auto rotated = rotate_endpoint_keys(*store_, "we_1", system_now_ms());
  ASSERT_TRUE(rotated);
  EXPECT_TRUE(rotated->public_key.empty()) << "an HMAC endpoint gets no Ed25519 key by rotating";
  start({.allow_private_targets = true});
  const auto id = send_event();
  ASSERT_TRUE(wait_until([&] { return status_of(id) == "delivered"; }));
  auto got = receiver_.received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_NE(got[0].headers.signature.find(' '), std::string::npos);
  EXPECT_TRUE(verifies(got[0], kSecret));
  EXPECT_TRUE(verifies(got[0], rotated->secret.c_str()));
}

// The version,signature entries of a webhook-signature header, by version.
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

TEST_F(WorkerTest, Ed25519EndpointsSendV1aAndBothSendBoth) {
  const std::string url = "http://127.0.0.1:" + std::to_string(receiver_.port()) + "/hook";
  ASSERT_TRUE(
      store::wait_for<void>([&](store::Done<void> d) { store_->disable_webhook_endpoint("we_1", "off", 1, d); }));
  auto ed = create_endpoint(*store_, "site_a", {.url = url, .event_types = {"payment.*"}, .signing = Signing::ed25519},
                            true, system_now_ms());
  auto both = create_endpoint(*store_, "site_a", {.url = url, .event_types = {"refund.*"}, .signing = Signing::both},
                              true, system_now_ms());
  ASSERT_TRUE(ed && both);
  start({.allow_private_targets = true});
  const auto to_ed = send_event("payment.succeeded");
  ASSERT_TRUE(wait_until([&] { return status_of(to_ed) == "delivered"; }));
  const auto to_both = send_event("refund.succeeded");
  ASSERT_TRUE(wait_until([&] { return status_of(to_both) == "delivered"; }));
  auto got = receiver_.received();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(versions(got[0].headers.signature), std::vector<std::string>{"v1a"});
  EXPECT_TRUE(verifies(got[0], ed->public_key.c_str()));
  EXPECT_FALSE(verifies(got[0], both->public_key.c_str()));
  EXPECT_EQ(versions(got[1].headers.signature), (std::vector<std::string>{"v1", "v1a"}));
  EXPECT_TRUE(verifies(got[1], both->secret.c_str()));
  EXPECT_TRUE(verifies(got[1], both->public_key.c_str()));
}

TEST_F(WorkerTest, Ed25519RotationSignsWithTheOldAndTheNewKey) {
  const std::string url = "http://127.0.0.1:" + std::to_string(receiver_.port()) + "/hook";
  ASSERT_TRUE(
      store::wait_for<void>([&](store::Done<void> d) { store_->disable_webhook_endpoint("we_1", "off", 1, d); }));
  auto ed = create_endpoint(*store_, "site_a", {.url = url, .signing = Signing::ed25519}, true, system_now_ms());
  ASSERT_TRUE(ed);
  auto rotated = rotate_endpoint_keys(*store_, ed->id, system_now_ms());
  ASSERT_TRUE(rotated);
  EXPECT_TRUE(rotated->secret.empty());
  EXPECT_NE(rotated->public_key, ed->public_key);
  start({.allow_private_targets = true});
  const auto id = send_event();
  ASSERT_TRUE(wait_until([&] { return status_of(id) == "delivered"; }));
  auto got = receiver_.received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(versions(got[0].headers.signature), (std::vector<std::string>{"v1a", "v1a"}));
  EXPECT_TRUE(verifies(got[0], ed->public_key.c_str()));
  EXPECT_TRUE(verifies(got[0], rotated->public_key.c_str()));
}

TEST_F(WorkerTest, NeverSendsToPrivateAddressUnlessAllowed) {
  start({.policy = {.delays_ms = {50, 50}}, .allow_private_targets = false});
  const auto id = send_event();
  ASSERT_TRUE(wait_until([&] { return status_of(id) == "failed"; }));
  EXPECT_EQ(receiver_.count(), 0u);
  auto attempts = store_->list_attempts(id);
  ASSERT_EQ(attempts->size(), 3u);
  EXPECT_NE((*attempts)[0].error.find("loopback"), std::string::npos) << (*attempts)[0].error;
}

TEST_F(WorkerTest, FilteredOutEventsAreNotSent) {
  auto r = store::wait_for<store::WebhookEndpoint>([&](store::Done<store::WebhookEndpoint> d) {
    store_->insert_webhook_endpoint({.id = "we_2",
                                     .site_id = "site_a",
                                     .url = "http://127.0.0.1:" + std::to_string(receiver_.port()) + "/hook",
                                     .event_types = {"refund.*"},
                                     .secret = kSecret,
                                     .created_at = 2},
                                    d);
  });
  ASSERT_TRUE(r);
  start({.allow_private_targets = true});
  const auto id = send_event("payment.succeeded");
  ASSERT_TRUE(wait_until([&] { return status_of(id) == "delivered"; }));
  EXPECT_EQ(store_->list_deliveries(id)->size(), 1u);
}

}  // namespace
}  // namespace vitrina::webhooks
