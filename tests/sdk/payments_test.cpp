// The payment calls of vitrina::sdk::Client against an in-process cpp-httplib server: request
// shape, answer parsing, problem mapping, idempotency keys and the retry rules.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "test_server.hpp"
#include "vitrina/protocol/json_reader.hpp"
#include "vitrina/sdk/client.hpp"

namespace vitrina::sdk {
namespace {

using namespace std::chrono_literals;
using test_support::closed_port;
using test_support::TestServer;

const std::string kSecretKey = "sk_" + std::string(43, 'S');

constexpr const char* kPaymentJson =
    R"({"id":"pay_3kTMd8yq2n6LwQf0VvZb1xAa","status":"pending","amount":150000,"currency":"RUB",)"
    R"("order_id":"order-1","description":"Tea","metadata":{"cart":"c-9"},)"
    R"("customer":{"email":"ann@example.com"},"items":[{"name":"Tea","quantity":3,"amount":50000}],)"
    R"("capture":false,"acquirer":"sandbox","return_url":"https://shop.example/back",)"
    R"("confirmation":{"type":"redirect","url":"http://127.0.0.1:8080/sandbox/pay/pay_3kTMd8yq2n6LwQf0VvZb1xAa"},)"
    R"("authorized_amount":0,"captured_amount":0,"refunded_amount":0,)"
    R"("created_at":"2026-05-01T12:00:00.123Z","updated_at":"2026-05-01T12:00:00.123Z",)"
    R"("expires_at":"2026-05-01T13:00:00.123Z"})";

constexpr const char* kRefundJson =
    R"({"id":"re_8Zt1q0cR4mXy2bNv6LkP3sWd","payment_id":"pay_3kTMd8yq2n6LwQf0VvZb1xAa","status":"succeeded",)"
    R"("amount":50000,"currency":"RUB","order_id":"order-1","metadata":{"cart":"c-9"},)"
    R"("created_at":"2026-05-01T12:10:00.000Z"})";

std::string problem(std::string_view slug, std::string_view detail, std::string_view field = {}) {
  std::string out = R"({"type":"urn:vitrina:problem:)" + std::string(slug) + R"(","title":"T","detail":")" +
                    std::string(detail) + "\"";
  if (!field.empty()) out += R"(,"field":")" + std::string(field) + "\"";
  return out + "}";
}

// What the server saw of each request.
struct Seen {
  std::string method;
  std::string path;
  std::string query_order_id;
  std::string query_limit;
  std::string authorization;
  std::string idempotency_key;
  std::string content_type;
  std::string body;
};

class Recorder {
 public:
  void add(const httplib::Request& req) {
    const std::lock_guard lock(mu_);
    seen_.push_back(Seen{req.method, req.path, req.get_param_value("order_id"), req.get_param_value("limit"),
                         req.get_header_value("Authorization"), req.get_header_value("Idempotency-Key"),
                         req.get_header_value("Content-Type"), req.body});
  }
  std::vector<Seen> all() const {
    const std::lock_guard lock(mu_);
    return seen_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<Seen> seen_;
};

ClientOptions options_for(const std::string& base_url) {
  ClientOptions o;
  o.base_url = base_url;
  o.secret_key = kSecretKey;
  o.connect_timeout = 2s;
  o.read_timeout = 2s;
  o.write_timeout = 2s;
  o.retry.initial_backoff = 5ms;
  o.retry.max_backoff = 20ms;
  return o;
}

PaymentRequest tea() {
  PaymentRequest r;
  r.amount = 150000;
  r.currency = "RUB";
  r.order_id = "order-1";
  r.return_url = "https://shop.example/back";
  return r;
}

// Answers `n_failures` times with `status`/`body`, then with the payment.
void serve_flaky_create(TestServer& ts, Recorder& rec, std::atomic<int>& calls, int n_failures, int status,
                        std::string body) {
  ts.server().Post("/v1/payments",
                   [&rec, &calls, n_failures, status, body](const httplib::Request& req, httplib::Response& res) {
                     rec.add(req);
                     if (calls.fetch_add(1) < n_failures) {
                       res.status = status;
                       res.set_content(body, "application/problem+json");
                       return;
                     }
                     res.status = 201;
                     res.set_content(kPaymentJson, "application/json");
                   });
}

TEST(ClientCreatePayment, SendsAuthorizationARandomKeyAndTheRequestAsJson) {
  TestServer ts;
  Recorder rec;
  std::atomic<int> calls = 0;
  serve_flaky_create(ts, rec, calls, 0, 0, "");
  ts.start();
  auto request = tea();
  request.description = "Tea";
  request.metadata = {{"cart", "c-9"}};
  request.items = {Item{"Tea \"green\"", 3, 50000}};
  request.customer = Customer{"ann@example.com", ""};
  request.capture = false;
  request.expires_in = 600;
  const auto payment = Client(options_for(ts.base_url())).create_payment(request);
  ASSERT_TRUE(payment) << payment.error().code << ": " << payment.error().message;

  const auto seen = rec.all();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].path, "/v1/payments");
  EXPECT_EQ(seen[0].authorization, "Bearer " + kSecretKey);
  EXPECT_GE(seen[0].idempotency_key.size(), 32u);
  EXPECT_EQ(seen[0].content_type, "application/json");

  const auto body = protocol::parse_json(seen[0].body);
  ASSERT_TRUE(body) << seen[0].body;
  EXPECT_EQ(body->find("amount")->as_int64(), 150000);
  EXPECT_EQ(body->find("currency")->text, "RUB");
  EXPECT_EQ(body->find("order_id")->text, "order-1");
  EXPECT_EQ(body->find("return_url")->text, "https://shop.example/back");
  EXPECT_EQ(body->find("description")->text, "Tea");
  EXPECT_EQ(body->find("metadata")->find("cart")->text, "c-9");
  EXPECT_EQ(body->find("customer")->find("email")->text, "ann@example.com");
  EXPECT_EQ(body->find("customer")->find("phone"), nullptr);
  ASSERT_EQ(body->find("items")->items.size(), 1u);
  EXPECT_EQ(body->find("items")->items[0].find("name")->text, "Tea \"green\"");
  EXPECT_EQ(body->find("items")->items[0].find("quantity")->as_int64(), 3);
  EXPECT_FALSE(body->find("capture")->boolean);
  EXPECT_EQ(body->find("expires_in")->as_int64(), 600);
  EXPECT_EQ(body->find("acquirer"), nullptr);  // unset: the server's default applies
}

TEST(ClientCreatePayment, ParsesThePaymentObject) {
  TestServer ts;
  Recorder rec;
  std::atomic<int> calls = 0;
  serve_flaky_create(ts, rec, calls, 0, 0, "");
  ts.start();
  const auto p = Client(options_for(ts.base_url())).create_payment(tea());
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->id, "pay_3kTMd8yq2n6LwQf0VvZb1xAa");
  EXPECT_EQ(p->status, protocol::PaymentStatus::pending);
  EXPECT_EQ(p->amount, 150000);
  EXPECT_EQ(p->currency, "RUB");
  EXPECT_EQ(p->order_id, "order-1");
  EXPECT_EQ(p->description, "Tea");
  EXPECT_EQ(p->metadata.at("cart"), "c-9");
  ASSERT_TRUE(p->customer);
  EXPECT_EQ(p->customer->email, "ann@example.com");
  ASSERT_EQ(p->items.size(), 1u);
  EXPECT_EQ(p->items[0].quantity, 3);
  EXPECT_EQ(p->items[0].amount, 50000);
  EXPECT_FALSE(p->capture);
  EXPECT_EQ(p->acquirer, "sandbox");
  EXPECT_EQ(p->confirmation_url, "http://127.0.0.1:8080/sandbox/pay/pay_3kTMd8yq2n6LwQf0VvZb1xAa");
  EXPECT_EQ(p->created_at, "2026-05-01T12:00:00.123Z");
  EXPECT_EQ(p->expires_at, "2026-05-01T13:00:00.123Z");
}

TEST(ClientCreatePayment, SendsTheCallersKeyAndDrawsAFreshOneOtherwise) {
  TestServer ts;
  Recorder rec;
  std::atomic<int> calls = 0;
  serve_flaky_create(ts, rec, calls, 0, 0, "");
  ts.start();
  const Client client(options_for(ts.base_url()));
  ASSERT_TRUE(client.create_payment(tea(), CallOptions{"order-1-attempt-1"}));
  ASSERT_TRUE(client.create_payment(tea()));
  ASSERT_TRUE(client.create_payment(tea()));
  const auto seen = rec.all();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].idempotency_key, "order-1-attempt-1");
  EXPECT_NE(seen[1].idempotency_key, seen[2].idempotency_key);
}

TEST(ClientCreatePayment, RefusesAnUnsendableKeyWithoutTouchingTheNetwork) {
  const Client client(options_for("http://127.0.0.1:" + std::to_string(closed_port())));
  for (const std::string& key : {std::string(256, 'k'), std::string("a\r\nX-Injected: 1")}) {
    const auto p = client.create_payment(tea(), CallOptions{key});
    ASSERT_FALSE(p);
    EXPECT_EQ(p.error().code, vitrina::protocol::ErrorCode::invalid_argument);
    EXPECT_EQ(p.error().field, "idempotency_key");
  }
}

TEST(ClientCreatePayment, MapsAProblemToItsSlugDetailAndField) {
  TestServer ts;
  Recorder rec;
  std::atomic<int> calls = 0;
  serve_flaky_create(ts, rec, calls, 100, 422, problem("invalid", "amount must be positive", "amount"));
  ts.start();
  const auto p = Client(options_for(ts.base_url())).create_payment(tea());
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, vitrina::protocol::ErrorCode::invalid);
  EXPECT_EQ(p.error().message, "amount must be positive");
  EXPECT_EQ(p.error().field, "amount");
  EXPECT_EQ(rec.all().size(), 1u) << "a 422 is never retried";
}

TEST(ClientCreatePayment, DoesNotRetryAReusedKey) {
  TestServer ts;
  Recorder rec;
  std::atomic<int> calls = 0;
  serve_flaky_create(ts, rec, calls, 100, 422,
                     problem("idempotency-key-reused", "the key was used for another request", "Idempotency-Key"));
  ts.start();
  const auto p = Client(options_for(ts.base_url())).create_payment(tea());
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, vitrina::protocol::ErrorCode::idempotency_key_reused);
  EXPECT_EQ(p.error().field, "Idempotency-Key");
  EXPECT_EQ(rec.all().size(), 1u);
}

TEST(ClientCreatePayment, Retries503WithTheSameKeyThenSucceeds) {
  TestServer ts;
  Recorder rec;
  std::atomic<int> calls = 0;
  serve_flaky_create(ts, rec, calls, 2, 503, problem("unavailable", "the store cannot write"));
  ts.start();
  const auto p = Client(options_for(ts.base_url())).create_payment(tea());
  ASSERT_TRUE(p) << p.error().message;
  const auto seen = rec.all();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[1].idempotency_key, seen[0].idempotency_key);
  EXPECT_EQ(seen[2].idempotency_key, seen[0].idempotency_key);
  EXPECT_EQ(seen[2].body, seen[0].body);
}

TEST(ClientCreatePayment, RetriesAnUnreachableAcquirerButNotOtherGatewayErrors) {
  TestServer ts;
  Recorder rec;
  std::atomic<int> calls = 0;
  serve_flaky_create(ts, rec, calls, 1, 502, problem("acquirer-unavailable", "sandbox: timed out"));
  ts.start();
  ASSERT_TRUE(Client(options_for(ts.base_url())).create_payment(tea(), CallOptions{"k-2"}));
  EXPECT_EQ(rec.all().size(), 2u);

  TestServer other;
  Recorder other_rec;
  std::atomic<int> other_calls = 0;
  serve_flaky_create(other, other_rec, other_calls, 100, 502, problem("acquirer-error", "sandbox: bad answer"));
  other.start();
  const auto p = Client(options_for(other.base_url())).create_payment(tea());
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, vitrina::protocol::ErrorCode::acquirer_error);
  EXPECT_EQ(other_rec.all().size(), 1u);
}

TEST(ClientCreatePayment, RetriesARequestInFlightWithTheSameKey) {
  TestServer ts;
  Recorder rec;
  std::atomic<int> calls = 0;
  serve_flaky_create(ts, rec, calls, 1, 409, problem("request-in-flight", "still being answered"));
  ts.start();
  ASSERT_TRUE(Client(options_for(ts.base_url())).create_payment(tea(), CallOptions{"k-1"}));
  const auto seen = rec.all();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].idempotency_key, "k-1");
  EXPECT_EQ(seen[1].idempotency_key, "k-1");
}

TEST(ClientCreatePayment, DoesNotRetryAStateConflict) {
  TestServer ts;
  Recorder rec;
  std::atomic<int> calls = 0;
  serve_flaky_create(ts, rec, calls, 100, 409, problem("conflict", "not allowed now"));
  ts.start();
  const auto p = Client(options_for(ts.base_url())).create_payment(tea());
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, vitrina::protocol::ErrorCode::conflict);
  EXPECT_EQ(rec.all().size(), 1u);
}

TEST(ClientCreatePayment, StopsRetryingAfterTheBound) {
  TestServer ts;
  Recorder rec;
  std::atomic<int> calls = 0;
  serve_flaky_create(ts, rec, calls, 100, 503, problem("unavailable", "the store cannot write"));
  ts.start();
  auto options = options_for(ts.base_url());
  options.retry.max_attempts = 4;
  const auto p = Client(options).create_payment(tea());
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, vitrina::protocol::ErrorCode::unavailable);
  const auto seen = rec.all();
  ASSERT_EQ(seen.size(), 4u);
  for (const auto& s : seen) EXPECT_EQ(s.idempotency_key, seen[0].idempotency_key);

  options.retry.max_attempts = 1;
  calls = 0;
  EXPECT_FALSE(Client(options).create_payment(tea()));
  EXPECT_EQ(rec.all().size(), 5u) << "max_attempts 1 disables retries";
}

TEST(ClientCreatePayment, RetriesATimedOutRequestWithTheSameKey) {
  TestServer ts;
  Recorder rec;
  std::atomic<int> calls = 0;
  ts.server().Post("/v1/payments", [&](const httplib::Request& req, httplib::Response& res) {
    rec.add(req);
    // The first answer comes too late: the client gives up on it, though the server may have
    // done the work, which is exactly why the retry must carry the same key.
    if (calls.fetch_add(1) == 0) std::this_thread::sleep_for(600ms);
    res.status = 201;
    res.set_content(kPaymentJson, "application/json");
  });
  ts.start();
  auto options = options_for(ts.base_url());
  options.read_timeout = 150ms;
  const auto p = Client(options).create_payment(tea());
  ASSERT_TRUE(p) << p.error().message;
  const auto seen = rec.all();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].idempotency_key, seen[0].idempotency_key);
}

TEST(ClientCreatePayment, RetriesARefusedConnectionUntilTheServerListens) {
  const int port = closed_port();
  httplib::Server server;
  Recorder rec;
  server.Post("/v1/payments", [&](const httplib::Request& req, httplib::Response& res) {
    rec.add(req);
    res.status = 201;
    res.set_content(kPaymentJson, "application/json");
  });
  // The server comes up only after the client's first attempt has been refused.
  std::thread late([&] {
    std::this_thread::sleep_for(100ms);
    if (server.bind_to_port("127.0.0.1", port)) server.listen_after_bind();
  });
  auto options = options_for("http://127.0.0.1:" + std::to_string(port));
  options.retry.max_attempts = 8;
  options.retry.initial_backoff = 50ms;
  options.retry.max_backoff = 200ms;
  const auto p = Client(options).create_payment(tea());
  server.stop();
  late.join();
  ASSERT_TRUE(p) << p.error().code << ": " << p.error().message;
  EXPECT_EQ(rec.all().size(), 1u);
}

TEST(ClientCreatePayment, GivesUpOnARefusedConnectionAsTransportError) {
  auto options = options_for("http://127.0.0.1:" + std::to_string(closed_port()));
  const auto p = Client(options).create_payment(tea());
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, vitrina::protocol::ErrorCode::transport);
}

TEST(ClientCreatePayment, ReportsAPaymentWithoutIdAsInvalidResponse) {
  TestServer ts;
  ts.server().Post("/v1/payments", [](const httplib::Request&, httplib::Response& res) {
    res.status = 201;
    res.set_content(R"({"status":"pending","amount":1,"currency":"RUB","order_id":"o","created_at":"t"})",
                    "application/json");
  });
  ts.start();
  const auto p = Client(options_for(ts.base_url())).create_payment(tea());
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, vitrina::protocol::ErrorCode::invalid_response);
  EXPECT_EQ(p.error().field, "id");
}

TEST(ClientCreatePayment, KeepsAnAnswerThatIsNotAProblemAsHttpStatus) {
  TestServer ts;
  ts.server().Post("/v1/payments", [](const httplib::Request&, httplib::Response& res) {
    res.status = 502;
    res.set_content("<html>bad gateway</html>", "text/html");
  });
  ts.start();
  const auto p = Client(options_for(ts.base_url())).create_payment(tea());
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, vitrina::protocol::ErrorCode::http_status);
  EXPECT_EQ(p.error().http_status, 502);
}

TEST(ClientGetPayment, GetsByIdAndMapsNotFound) {
  TestServer ts;
  Recorder rec;
  ts.server().Get(R"(/v1/payments/([^/]+))", [&](const httplib::Request& req, httplib::Response& res) {
    rec.add(req);
    if (req.matches[1] == "pay_3kTMd8yq2n6LwQf0VvZb1xAa") {
      res.set_content(kPaymentJson, "application/json");
      return;
    }
    res.status = 404;
    res.set_content(problem("not-found", "no such payment"), "application/problem+json");
  });
  ts.start();
  const Client client(options_for(ts.base_url()));
  const auto p = client.get_payment("pay_3kTMd8yq2n6LwQf0VvZb1xAa");
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->amount, 150000);
  const auto missing = client.get_payment("pay_nope");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, vitrina::protocol::ErrorCode::not_found);
  const auto seen = rec.all();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].method, "GET");
  EXPECT_EQ(seen[0].authorization, "Bearer " + kSecretKey);
  EXPECT_TRUE(seen[0].idempotency_key.empty());
}

TEST(ClientGetPayment, RefusesAnIdThatWouldChangeThePath) {
  const Client client(options_for("http://127.0.0.1:" + std::to_string(closed_port())));
  for (std::string_view id : {"", "pay_1/cancel", "../x", "pay 1", "pay_1?x=1"}) {
    const auto p = client.get_payment(id);
    ASSERT_FALSE(p) << id;
    EXPECT_EQ(p.error().code, vitrina::protocol::ErrorCode::invalid_argument) << id;
    EXPECT_EQ(p.error().field, "id") << id;
  }
}

TEST(ClientListPayments, SendsTheEncodedOrderIdAndLimitAndParsesTheItems) {
  TestServer ts;
  Recorder rec;
  ts.server().Get("/v1/payments", [&](const httplib::Request& req, httplib::Response& res) {
    rec.add(req);
    res.set_content(std::string(R"({"items":[)") + kPaymentJson + "," + kPaymentJson + "]}", "application/json");
  });
  ts.start();
  const auto list = Client(options_for(ts.base_url())).list_payments_by_order("order 1/&ä", 5);
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[1].id, "pay_3kTMd8yq2n6LwQf0VvZb1xAa");
  const auto seen = rec.all();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].query_order_id, "order 1/&ä");
  EXPECT_EQ(seen[0].query_limit, "5");
}

TEST(ClientListPayments, ParsesAnEmptyListAndNamesABadItem) {
  TestServer ts;
  ts.server().Get("/v1/payments", [](const httplib::Request& req, httplib::Response& res) {
    if (req.get_param_value("order_id") == "none") {
      res.set_content(R"({"items":[]})", "application/json");
    } else {
      res.set_content(std::string(R"({"items":[)") + kPaymentJson + R"(,{"id":7}]})", "application/json");
    }
  });
  ts.start();
  const Client client(options_for(ts.base_url()));
  const auto none = client.list_payments_by_order("none");
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_TRUE(none->empty());
  const auto bad = client.list_payments_by_order("bad");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, vitrina::protocol::ErrorCode::invalid_response);
  EXPECT_EQ(bad.error().field, "items[1].id");
}

TEST(ClientPaymentActions, CaptureCancelAndRefundPostToTheirPathsWithTheirOwnKeys) {
  TestServer ts;
  Recorder rec;
  ts.server().Post(R"(/v1/payments/([^/]+)/(capture|cancel))",
                   [&](const httplib::Request& req, httplib::Response& res) {
                     rec.add(req);
                     res.set_content(kPaymentJson, "application/json");
                   });
  ts.server().Post(R"(/v1/payments/([^/]+)/refunds)", [&](const httplib::Request& req, httplib::Response& res) {
    rec.add(req);
    res.status = 201;
    res.set_content(kRefundJson, "application/json");
  });
  ts.start();
  const Client client(options_for(ts.base_url()));
  ASSERT_TRUE(client.capture_payment("pay_1", 500));
  ASSERT_TRUE(client.capture_payment("pay_1"));
  ASSERT_TRUE(client.cancel_payment("pay_1", CallOptions{"cancel-pay_1"}));
  const auto refund = client.refund_payment("pay_1", 50000);
  ASSERT_TRUE(refund) << refund.error().message;
  EXPECT_EQ(refund->id, "re_8Zt1q0cR4mXy2bNv6LkP3sWd");
  EXPECT_EQ(refund->payment_id, "pay_3kTMd8yq2n6LwQf0VvZb1xAa");
  EXPECT_EQ(refund->status, protocol::RefundStatus::succeeded);
  EXPECT_EQ(refund->amount, 50000);
  EXPECT_EQ(refund->metadata.at("cart"), "c-9");

  const auto seen = rec.all();
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0].path, "/v1/payments/pay_1/capture");
  EXPECT_EQ(seen[0].body, R"({"amount":500})");
  EXPECT_EQ(seen[0].content_type, "application/json");
  EXPECT_EQ(seen[1].body, "") << "no amount: capture everything held";
  EXPECT_EQ(seen[2].path, "/v1/payments/pay_1/cancel");
  EXPECT_EQ(seen[2].idempotency_key, "cancel-pay_1");
  EXPECT_EQ(seen[3].path, "/v1/payments/pay_1/refunds");
  EXPECT_EQ(seen[3].body, R"({"amount":50000})");
  for (const auto& s : seen) {
    EXPECT_EQ(s.method, "POST");
    EXPECT_FALSE(s.idempotency_key.empty());
  }
  EXPECT_NE(seen[0].idempotency_key, seen[1].idempotency_key);
}

TEST(ClientPaymentActions, MapsAConflictWithoutRetrying) {
  TestServer ts;
  Recorder rec;
  ts.server().Post(R"(/v1/payments/([^/]+)/capture)", [&](const httplib::Request& req, httplib::Response& res) {
    rec.add(req);
    res.status = 409;
    res.set_content(problem("conflict", "a pending payment holds nothing"), "application/problem+json");
  });
  ts.start();
  const auto p = Client(options_for(ts.base_url())).capture_payment("pay_1");
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, vitrina::protocol::ErrorCode::conflict);
  EXPECT_EQ(p.error().message, "a pending payment holds nothing");
  EXPECT_EQ(rec.all().size(), 1u);
}

TEST(ClientOptionsValidation, RejectsAnUnboundedOrInconsistentRetryPolicy) {
  auto options = options_for("http://127.0.0.1:1");
  options.retry.max_attempts = 0;
  EXPECT_EQ(Client(options).options_error()->field, "retry.max_attempts");
  options.retry.max_attempts = 11;
  EXPECT_EQ(Client(options).options_error()->field, "retry.max_attempts");
  options = options_for("http://127.0.0.1:1");
  options.retry.max_backoff = 1ms;
  EXPECT_TRUE(Client(options).options_error());
}

}  // namespace
}  // namespace vitrina::sdk
