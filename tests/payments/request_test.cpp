// POST /v1/payments bodies: every rule refuses with the field it concerns.

#include <gtest/gtest.h>

#include "payments/request.hpp"

namespace vitrina::payments {
namespace {

const CreateRules kRules{};

std::string body_with(const std::string& extra) {
  std::string b = R"({"amount":12345,"currency":"RUB","order_id":"A-1","return_url":"https://shop.example/done")";
  if (!extra.empty()) b += "," + extra;
  return b + "}";
}

// The field named by the error for `body`, or "" when it was accepted.
std::string refused_field(const std::string& body) {
  auto r = parse_create_request(body, kRules);
  return r ? "" : r.error().field;
}

TEST(CreateRequest, AcceptsMinimalBodyWithDefaults) {
  auto r = parse_create_request(body_with(""), kRules);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->amount, 12345);
  EXPECT_EQ(r->currency.code, "RUB");
  EXPECT_EQ(r->order_id, "A-1");
  EXPECT_TRUE(r->capture);
  EXPECT_EQ(r->acquirer, "sandbox");
  EXPECT_EQ(r->expires_in_s, 3600);
  EXPECT_FALSE(r->customer);
}

TEST(CreateRequest, AcceptsFullBody) {
  auto r = parse_create_request(
      body_with(R"("description":"Заказ №1","customer":{"email":"a@b.example","phone":"+79001234567"},)"
                R"("items":[{"name":"Tea","quantity":3,"amount":4115}],"metadata":{"cart":"42","note":""},)"
                R"("capture":false,"acquirer":"sandbox","expires_in":600)"),
      kRules);
  ASSERT_TRUE(r) << r.error().field << " " << r.error().message;
  EXPECT_EQ(r->description, "Заказ №1");
  EXPECT_EQ(r->customer->phone, "+79001234567");
  ASSERT_EQ(r->items.size(), 1u);
  EXPECT_EQ(r->items[0].quantity, 3);
  ASSERT_EQ(r->metadata.size(), 2u);
  EXPECT_FALSE(r->capture);
  EXPECT_EQ(r->expires_in_s, 600);
  EXPECT_EQ(metadata_json(r->metadata), R"({"cart":"42","note":""})");
  EXPECT_EQ(items_json(r->items), R"([{"name":"Tea","quantity":3,"amount":4115}])");
}

TEST(CreateRequest, BrokenJsonIsMalformed) {
  for (const char* bad : {"", "{", "{\"amount\":1,}", "nope", "{\"a\":1} x"}) {
    auto r = parse_create_request(bad, kRules);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::malformed) << bad;
    EXPECT_EQ(r.error().field, "body");
  }
}

TEST(CreateRequest, NonObjectIsInvalidBody) {
  EXPECT_EQ(refused_field("[1,2]"), "body");
  EXPECT_EQ(refused_field("42"), "body");
}

TEST(CreateRequest, AmountRules) {
  const std::string rest = R"(,"currency":"RUB","order_id":"A","return_url":"https://s.example/"})";
  EXPECT_EQ(refused_field(R"({"amount":0)" + rest), "amount");
  EXPECT_EQ(refused_field(R"({"amount":-5)" + rest), "amount");
  EXPECT_EQ(refused_field(R"({"amount":1.5)" + rest), "amount");
  EXPECT_EQ(refused_field(R"({"amount":"100")" + rest), "amount");
  EXPECT_EQ(refused_field(R"({"amount":1000000000000001)" + rest), "amount");
  EXPECT_EQ(refused_field(R"({"amount":18446744073709551615)" + rest), "amount");
  EXPECT_EQ(refused_field(R"({"amount":1e400)" + rest), "amount");
  EXPECT_EQ(refused_field(body_with(R"("items":[{"name":"T","amount":99999999999999999999}])")), "items[0].amount");
  EXPECT_EQ(refused_field(R"({"currency":"RUB","order_id":"A","return_url":"https://s.example/"})"), "amount");
  EXPECT_EQ(refused_field(R"({"amount":1000000000000000)" + rest), "");
}

TEST(CreateRequest, CurrencyRules) {
  const std::string head = R"({"amount":100,"order_id":"A","return_url":"https://s.example/")";
  EXPECT_EQ(refused_field(head + R"(,"currency":"rub"})"), "currency");
  EXPECT_EQ(refused_field(head + R"(,"currency":"XAU"})"), "currency");
  EXPECT_EQ(refused_field(head + R"(,"currency":643})"), "currency");
  EXPECT_EQ(refused_field(head + "}"), "currency");
  EXPECT_EQ(refused_field(head + R"(,"currency":"JPY"})"), "");
}

TEST(CreateRequest, TextFieldRules) {
  EXPECT_EQ(refused_field(R"({"amount":1,"currency":"RUB","return_url":"https://s.example/"})"), "order_id");
  EXPECT_EQ(refused_field(body_with("").replace(body_with("").find("\"A-1\""), 5, "\"\"")), "order_id");
  EXPECT_EQ(refused_field(body_with("").replace(body_with("").find("\"A-1\""), 5, "\"" + std::string(129, 'x') + "\"")),
            "order_id");
  EXPECT_EQ(refused_field(body_with("").replace(body_with("").find("\"A-1\""), 5, "\"" + std::string(128, 'x') + "\"")),
            "");
  EXPECT_EQ(refused_field(body_with("\"description\":\"" + std::string(257, 'd') + "\"")), "description");
  EXPECT_EQ(refused_field(body_with("\"description\":\"" + std::string(256, 'd') + "\"")), "");
  EXPECT_EQ(refused_field(body_with(R"("description":5)")), "description");
}

TEST(CreateRequest, ReturnUrlRules) {
  const std::string head = R"({"amount":100,"currency":"RUB","order_id":"A")";
  EXPECT_EQ(refused_field(head + "}"), "return_url");
  for (const char* bad : {"ftp://x.example/", "/relative", "https://", "javascript:alert(1)", "https://a b.example/",
                          "http://user@evil.example/"}) {
    EXPECT_EQ(refused_field(head + R"(,"return_url":")" + bad + "\"}"), "return_url") << bad;
  }
  EXPECT_EQ(refused_field(head + R"(,"return_url":"https://s.example/)" + std::string(2040, 'p') + "\"}"),
            "return_url");
  EXPECT_EQ(refused_field(head + R"(,"return_url":"http://localhost:3000/thanks?o=1"})"), "");
}

TEST(CreateRequest, CustomerRules) {
  EXPECT_EQ(refused_field(body_with(R"("customer":"a@b")")), "customer");
  EXPECT_EQ(refused_field(body_with(R"("customer":{"email":"nope"})")), "customer.email");
  EXPECT_EQ(refused_field(body_with(R"("customer":{"phone":"12-34"})")), "customer.phone");
  EXPECT_EQ(refused_field(body_with(R"("customer":{"name":"Ann"})")), "customer.name");
  EXPECT_EQ(refused_field(body_with(R"("customer":{"email":"a@b.example"})")), "");
}

TEST(CreateRequest, ItemRules) {
  EXPECT_EQ(refused_field(body_with(R"("items":{})")), "items");
  EXPECT_EQ(refused_field(body_with(R"("items":[{"name":"T","quantity":0,"amount":12345}])")), "items[0].quantity");
  EXPECT_EQ(refused_field(body_with(R"("items":[{"name":"T","quantity":1,"amount":12345},{"name":"U","amount":-1}])")),
            "items[1].amount");
  EXPECT_EQ(refused_field(body_with(R"("items":[{"quantity":1,"amount":12345}])")), "items[0].name");
  EXPECT_EQ(refused_field(body_with(R"("items":[{"name":"T","amount":12344}])")), "items");  // does not add up
  EXPECT_EQ(refused_field(body_with(R"("items":[{"name":"T","quantity":1000000,"amount":1000000000000000}])")),
            "items");  // would overflow
  std::string many = R"("items":[)";
  for (int i = 0; i < 101; ++i) many += std::string(i ? "," : "") + R"({"name":"x","amount":1})";
  EXPECT_EQ(refused_field(body_with(many + "]")), "items");
  EXPECT_EQ(refused_field(body_with(R"("items":[{"name":"T","quantity":5,"amount":2469}])")), "");
}

TEST(CreateRequest, MetadataRules) {
  EXPECT_EQ(refused_field(body_with(R"("metadata":[])")), "metadata");
  EXPECT_EQ(refused_field(body_with(R"("metadata":{"a":1})")), "metadata.a");
  EXPECT_EQ(refused_field(body_with(R"("metadata":{"":"x"})")), "metadata.");
  EXPECT_EQ(refused_field(body_with("\"metadata\":{\"" + std::string(41, 'k') + "\":\"v\"}")),
            "metadata." + std::string(41, 'k'));
  EXPECT_EQ(refused_field(body_with("\"metadata\":{\"k\":\"" + std::string(501, 'v') + "\"}")), "metadata.k");
  std::string many = R"("metadata":{)";
  for (int i = 0; i < 21; ++i) many += std::string(i ? "," : "") + "\"k" + std::to_string(i) + "\":\"v\"";
  EXPECT_EQ(refused_field(body_with(many + "}")), "metadata");
}

TEST(CreateRequest, OtherFieldRules) {
  EXPECT_EQ(refused_field(body_with(R"("capture":"yes")")), "capture");
  EXPECT_EQ(refused_field(body_with(R"("acquirer":"stripe")")), "acquirer");
  EXPECT_EQ(refused_field(body_with(R"("expires_in":59)")), "expires_in");
  EXPECT_EQ(refused_field(body_with(R"("expires_in":86401)")), "expires_in");
  EXPECT_EQ(refused_field(body_with(R"("colour":"red")")), "colour");
  EXPECT_EQ(refused_field(body_with(R"("amount":5)")), "amount");  // twice
  auto low =
      parse_create_request(body_with(R"("expires_in":1)"), {.default_acquirer = "sandbox", .min_expires_in_s = 1});
  EXPECT_TRUE(low);
}

TEST(CaptureRequest, EmptyOrAmount) {
  auto empty = parse_capture_request("");
  ASSERT_TRUE(empty);
  EXPECT_FALSE(empty->amount);
  auto part = parse_capture_request(R"({"amount":500})");
  ASSERT_TRUE(part);
  EXPECT_EQ(part->amount, 500);
  EXPECT_EQ(parse_capture_request(R"({"amount":0})").error().field, "amount");
  EXPECT_EQ(parse_capture_request(R"({"amount":"5"})").error().field, "amount");
  EXPECT_EQ(parse_capture_request(R"({"x":1})").error().field, "x");
  EXPECT_EQ(parse_capture_request("{").error().code, vitrina::protocol::ErrorCode::malformed);
}

TEST(CancelRequest, EmptyOrEmptyObject) {
  EXPECT_TRUE(parse_cancel_request(""));
  EXPECT_TRUE(parse_cancel_request("{}"));
  EXPECT_EQ(parse_cancel_request(R"({"reason":"x"})").error().field, "reason");
  EXPECT_EQ(parse_cancel_request("[").error().code, vitrina::protocol::ErrorCode::malformed);
}

}  // namespace
}  // namespace vitrina::payments
