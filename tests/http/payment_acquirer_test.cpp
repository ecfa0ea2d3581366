// The payments API and its acquirer connector: create takes the connector's confirmation URL;
// capture, cancel and refunds ask the connector before anything is written; a connector that
// fails or refuses leaves the store untouched and the Idempotency-Key free for a retry; blocking
// connectors run off the I/O thread.

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <mutex>
#include <thread>

#include "../store/test_support.hpp"
#include "acquirers/acquirer.hpp"
#include "auth/keys.hpp"
#include "http/payment_routes.hpp"
#include "store/wait_for.hpp"

namespace vitrina::http {
namespace {

namespace net = boost::asio;
using protocol::Result;

// A connector whose answers the test scripts; it records what it was asked and on which thread.
class ScriptedAcquirer final : public acquirers::Acquirer {
 public:
  std::string_view name() const noexcept override { return "scripted"; }
  bool blocking() const noexcept override { return true; }

  Result<acquirers::Created> create(const store::Payment& payment, std::string_view,
                                    std::string_view key) const override {
    record("create " + payment.id, key);
    if (auto e = scripted()) return *e;
    return acquirers::Created{.confirmation_url = "https://pay.example/" + payment.id,
                              .acquirer_ref = "ref_" + payment.id};
  }
  Result<void> capture(const store::Payment&, std::int64_t amount, std::string_view key) const override {
    record("capture " + std::to_string(amount), key);
    if (auto e = scripted()) return *e;
    return {};
  }
  Result<void> cancel(const store::Payment&, std::string_view key) const override {
    record("cancel", key);
    if (auto e = scripted()) return *e;
    return {};
  }
  Result<acquirers::RefundAnswer> refund(const store::Payment&, std::int64_t amount,
                                         std::string_view key) const override {
    record("refund " + std::to_string(amount), key);
    if (auto e = scripted()) return *e;
    return acquirers::RefundAnswer{.status = refund_status, .failure_reason = "insufficient_funds"};
  }
  Result<std::optional<acquirers::AcquirerEvent>> fetch_status(const store::Payment&) const override {
    return std::optional<acquirers::AcquirerEvent>{};
  }
  Result<std::vector<acquirers::AcquirerEvent>> verify_callback(const acquirers::RawHeaders&, std::string_view,
                                                                const acquirers::CallbackRequest&) const override {
    return protocol::make_error(vitrina::protocol::ErrorCode::unauthenticated, "not used here");
  }

  void fail_next(protocol::ErrorCode code) {
    std::lock_guard lock(mu_);
    next_error_ = code;
  }
  std::vector<std::string> calls() const {
    std::lock_guard lock(mu_);
    return calls_;
  }
  std::vector<std::string> keys() const {
    std::lock_guard lock(mu_);
    return keys_;
  }
  bool ran_off(std::thread::id io_thread) const {
    std::lock_guard lock(mu_);
    for (auto id : threads_) {
      if (id == io_thread) return false;
    }
    return !threads_.empty();
  }

  protocol::RefundStatus refund_status = protocol::RefundStatus::succeeded;

 private:
  void record(std::string call, std::string_view key) const {
    std::lock_guard lock(mu_);
    calls_.push_back(std::move(call));
    keys_.emplace_back(key);
    threads_.push_back(std::this_thread::get_id());
  }
  std::optional<protocol::Error> scripted() const {
    std::lock_guard lock(mu_);
    if (!next_error_) return std::nullopt;
    auto e = protocol::make_error(*next_error_,
                                  *next_error_ == protocol::ErrorCode::acquirer_refused ? "card blocked" : "timed out");
    next_error_.reset();
    return e;
  }

  mutable std::mutex mu_;
  mutable std::optional<protocol::ErrorCode> next_error_;
  mutable std::vector<std::string> calls_;
  mutable std::vector<std::string> keys_;
  mutable std::vector<std::thread::id> threads_;
};

struct Answer {
  int status = 0;
  std::string body;
  std::string content_type;
};

class PaymentAcquirerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::open_sqlite({.path = dir_.file("v.db")});
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    secret_ = auth::generate_secret_key();
    store::Site site = store::testing::make_site("a");
    site.secret_hash = auth::hash_secret_key(secret_);
    site.settings_json = R"({"default_acquirer":"scripted"})";
    ASSERT_TRUE(store::wait_for<store::Site>(
        [&](store::Done<store::Site> done) { store_->insert_site(std::move(site), std::move(done)); }));
    auto registry = std::make_shared<acquirers::Registry>();
    acquirer_ = std::make_shared<ScriptedAcquirer>();
    registry->add(acquirer_);
    add_payment_routes(router_, *store_,
                       {.public_url = "http://127.0.0.1:8080",
                        .min_expires_in_s = 60,
                        .on_event = {},
                        .acquirers = registry,
                        .acquirer_pool = &pool_});
  }

  Answer call(const std::string& method, const std::string& target, const std::string& body, const std::string& key) {
    Request req{method == "GET" ? boost::beast::http::verb::get : boost::beast::http::verb::post, target, 11};
    req.set(Field::authorization, "Bearer " + secret_);
    if (!key.empty()) req.set("Idempotency-Key", key);
    if (!body.empty()) req.set(Field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
    Context ctx;
    ctx.request_id = "test";
    ctx.path = target.substr(0, target.find('?'));
    auto match = router_.match(method, ctx.path, ctx);
    EXPECT_TRUE(match.sync || match.async) << target;
    Answer answer;
    auto to_answer = [&](Response r) {
      answer.status = r.head.result_int();
      answer.body = r.body;
      answer.content_type = std::string(r.head[Field::content_type]);
    };
    if (match.sync) {
      to_answer((*match.sync)(req, ctx));
      return answer;
    }
    net::io_context ioc;
    io_thread_ = std::this_thread::get_id();
    auto run = [&]() -> net::awaitable<void> { to_answer(co_await (*match.async)(req, ctx)); };
    net::co_spawn(net::make_strand(ioc), run(), [](std::exception_ptr e) {
      if (e) std::rethrow_exception(e);
    });
    ioc.run();
    return answer;
  }
  std::string payment_id(const Answer& a) {
    const auto at = a.body.find("\"id\":\"pay_");
    return at == std::string::npos ? std::string{} : a.body.substr(at + 6, a.body.find('"', at + 6) - at - 6);
  }
  std::size_t stored_payments() {
    auto found = store_->list_payments_by_order("site_a", "o-1", 100);
    return found ? found->size() : 0;
  }

  static constexpr const char* kBody =
      R"({"amount":1000,"currency":"RUB","order_id":"o-1","return_url":"https://shop.example/back","capture":false})";

  store::testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  BlockingPool pool_{2, 8};
  Router router_;
  std::shared_ptr<ScriptedAcquirer> acquirer_;
  std::string secret_;
  std::thread::id io_thread_;
};

TEST_F(PaymentAcquirerTest, CreateUsesTheSitesDefaultAcquirerOffTheIoThread) {
  auto created = call("POST", "/v1/payments", kBody, "k-1");
  ASSERT_EQ(created.status, 201) << created.body;
  const auto id = payment_id(created);
  EXPECT_NE(created.body.find(R"("acquirer":"scripted")"), std::string::npos);
  EXPECT_NE(created.body.find("\"url\":\"https://pay.example/" + id + "\""), std::string::npos) << created.body;
  EXPECT_EQ(acquirer_->calls(), std::vector<std::string>{"create " + id});
  EXPECT_EQ(acquirer_->keys(), std::vector<std::string>{"site_a:k-1"});
  EXPECT_TRUE(acquirer_->ran_off(io_thread_));
  // A replay answers from the store without asking the acquirer again.
  auto replay = call("POST", "/v1/payments", kBody, "k-1");
  EXPECT_EQ(replay.status, 201);
  EXPECT_EQ(acquirer_->calls().size(), 1u);
}

TEST_F(PaymentAcquirerTest, UnknownAcquirerIsNamedWithTheChoices) {
  const std::string body = std::string(kBody).insert(1, R"("acquirer":"paypal",)");
  auto refused = call("POST", "/v1/payments", body, "k-2");
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(refused.content_type, "application/problem+json");
  EXPECT_NE(refused.body.find(R"("field":"acquirer")"), std::string::npos) << refused.body;
  EXPECT_NE(refused.body.find("must be one of: scripted"), std::string::npos) << refused.body;
  EXPECT_TRUE(acquirer_->calls().empty());
}

TEST_F(PaymentAcquirerTest, FailedCreateStoresNothingAndTheKeyCanBeRetried) {
  acquirer_->fail_next(protocol::ErrorCode::acquirer_unavailable);
  auto failed = call("POST", "/v1/payments", kBody, "k-3");
  EXPECT_EQ(failed.status, 502) << failed.body;
  EXPECT_NE(failed.body.find("acquirer-unavailable"), std::string::npos) << failed.body;
  EXPECT_EQ(stored_payments(), 0u);
  auto retried = call("POST", "/v1/payments", kBody, "k-3");
  EXPECT_EQ(retried.status, 201) << retried.body;
  EXPECT_EQ(stored_payments(), 1u);
}

TEST_F(PaymentAcquirerTest, CaptureAndCancelAskTheAcquirerFirst) {
  auto created = call("POST", "/v1/payments", kBody, "k-4");
  ASSERT_EQ(created.status, 201) << created.body;
  const auto id = payment_id(created);
  // Hold the money the way a callback would.
  auto found = store_->find_payment("site_a", id);
  ASSERT_TRUE(found && *found);
  store::Payment held = **found;
  held.status = vitrina::protocol::PaymentStatus::waiting_for_capture;
  held.authorized_amount = 1000;
  held.version += 1;
  ASSERT_TRUE(store::wait_for<store::Payment>([&](store::Done<store::Payment> done) {
    store_->update_payment({.payment = held, .expected_version = held.version - 1}, std::move(done));
  }));

  acquirer_->fail_next(protocol::ErrorCode::acquirer_refused);
  auto refused = call("POST", "/v1/payments/" + id + "/capture", R"({"amount":600})", "cap-1");
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_NE(refused.body.find("acquirer-refused"), std::string::npos) << refused.body;
  EXPECT_NE(refused.body.find("card blocked"), std::string::npos) << refused.body;
  EXPECT_EQ((*store_->find_payment("site_a", id))->status, vitrina::protocol::PaymentStatus::waiting_for_capture);

  auto captured = call("POST", "/v1/payments/" + id + "/capture", R"({"amount":600})", "cap-1");
  EXPECT_EQ(captured.status, 200) << captured.body;
  EXPECT_NE(captured.body.find(R"("captured_amount":600)"), std::string::npos) << captured.body;
  EXPECT_EQ(acquirer_->calls().back(), "capture 600");

  // Canceling a succeeded payment is a conflict of ours: the acquirer is not asked.
  const auto asked = acquirer_->calls().size();
  auto cancel = call("POST", "/v1/payments/" + id + "/cancel", "", "can-1");
  EXPECT_EQ(cancel.status, 409) << cancel.body;
  EXPECT_EQ(acquirer_->calls().size(), asked);
}

TEST_F(PaymentAcquirerTest, RefundTakesTheAcquirersAnswer) {
  auto created =
      call("POST", "/v1/payments", std::string(kBody).replace(std::string(kBody).find("false"), 5, "true"), "k-5");
  ASSERT_EQ(created.status, 201) << created.body;
  const auto id = payment_id(created);
  auto found = store_->find_payment("site_a", id);
  store::Payment paid = **found;
  paid.status = vitrina::protocol::PaymentStatus::succeeded;
  paid.captured_amount = 1000;
  paid.version += 1;
  ASSERT_TRUE(store::wait_for<store::Payment>([&](store::Done<store::Payment> done) {
    store_->update_payment({.payment = paid, .expected_version = paid.version - 1}, std::move(done));
  }));

  acquirer_->refund_status = protocol::RefundStatus::failed;
  auto failed = call("POST", "/v1/payments/" + id + "/refunds", R"({"amount":400})", "r-1");
  EXPECT_EQ(failed.status, 201) << failed.body;
  EXPECT_NE(failed.body.find(R"("status":"failed")"), std::string::npos) << failed.body;
  EXPECT_NE(failed.body.find(R"("failure_reason":"insufficient_funds")"), std::string::npos) << failed.body;
  EXPECT_EQ((*store_->find_payment("site_a", id))->refunded_amount, 0);

  acquirer_->refund_status = protocol::RefundStatus::pending;
  auto pending = call("POST", "/v1/payments/" + id + "/refunds", R"({"amount":400})", "r-2");
  EXPECT_EQ(pending.status, 502) << pending.body;

  acquirer_->refund_status = protocol::RefundStatus::succeeded;
  acquirer_->fail_next(protocol::ErrorCode::acquirer_unavailable);
  auto down = call("POST", "/v1/payments/" + id + "/refunds", "", "r-3");
  EXPECT_EQ(down.status, 502) << down.body;
  auto ok = call("POST", "/v1/payments/" + id + "/refunds", "", "r-3");
  EXPECT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(acquirer_->calls().back(), "refund 1000");
  EXPECT_EQ((*store_->find_payment("site_a", id))->refunded_amount, 1000);
}

}  // namespace
}  // namespace vitrina::http
