// The SDK's internal JSON: the tree reader and the payments API's bodies and answers.
#include "payment_json.hpp"

#include <gtest/gtest.h>

#include <string>

#include "json_scan.hpp"

namespace vitrina::sdk::detail {
namespace {

TEST(ParseJson, BuildsTheTree) {
  const auto v = parse_json(R"( {"a":[1,"x",true,null,{"b":-2}],"s":"\u00e9"} )");
  ASSERT_TRUE(v);
  ASSERT_EQ(v->kind, JsonValue::Kind::kObject);
  const JsonValue* a = v->find("a");
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(a->items.size(), 5u);
  EXPECT_EQ(a->items[0].as_int64(), 1);
  EXPECT_EQ(a->items[1].text, "x");
  EXPECT_TRUE(a->items[2].boolean);
  EXPECT_EQ(a->items[3].kind, JsonValue::Kind::kNull);
  EXPECT_EQ(a->items[4].find("b")->as_int64(), -2);
  EXPECT_EQ(v->find("s")->text, "\xC3\xA9");
  EXPECT_EQ(v->find("missing"), nullptr);
}

TEST(ParseJson, RejectsWhatIsNotOneJsonText) {
  for (std::string_view bad : {"", "{", R"({"a":1,})", R"({"a":1} x)", "[01]", R"({"a":"\x"})", "nul"}) {
    EXPECT_FALSE(parse_json(bad)) << bad;
  }
  EXPECT_FALSE(parse_json(std::string(kMaxJsonDepth + 2, '[') + std::string(kMaxJsonDepth + 2, ']')));
}

TEST(JsonValueAsInt64, TakesOnlyPlainIntegersThatFit) {
  EXPECT_EQ(parse_json("9223372036854775807")->as_int64(), INT64_MAX);
  EXPECT_FALSE(parse_json("9223372036854775808")->as_int64());
  EXPECT_FALSE(parse_json("1.0")->as_int64());
  EXPECT_FALSE(parse_json("1e3")->as_int64());
  EXPECT_FALSE(parse_json(R"("1")")->as_int64());
}

TEST(WritePaymentRequest, LeavesOutWhatIsUnset) {
  PaymentRequest r;
  r.amount = 100;
  r.currency = "EUR";
  r.order_id = "o-1";
  r.return_url = "https://s.example/";
  EXPECT_EQ(write_payment_request(r),
            R"({"amount":100,"currency":"EUR","order_id":"o-1","return_url":"https://s.example/"})");
  r.acquirer = "sandbox";
  r.capture = true;
  EXPECT_EQ(write_payment_request(r), R"({"amount":100,"currency":"EUR","order_id":"o-1",)"
                                      R"("return_url":"https://s.example/","capture":true,"acquirer":"sandbox"})");
}

TEST(WriteAmountBody, IsEmptyWithoutAnAmount) {
  EXPECT_EQ(write_amount_body(std::nullopt), "");
  EXPECT_EQ(write_amount_body(42), R"({"amount":42})");
}

TEST(ParsePayment, NamesTheMemberOfTheWrongType) {
  const std::string base = R"({"id":"pay_1","status":"succeeded","currency":"RUB","order_id":"o","created_at":"t",)";
  EXPECT_TRUE(parse_payment(base + R"("amount":5})"));
  EXPECT_EQ(parse_payment(base + R"("amount":"5"})").error().field, "amount");
  EXPECT_EQ(parse_payment(base + R"("amount":5.5})").error().field, "amount");
  EXPECT_EQ(parse_payment(base + R"("amount":5,"metadata":{"a":1}})").error().field, "metadata");
  EXPECT_EQ(parse_payment(base + R"("amount":5,"capture":"yes"})").error().field, "capture");
  EXPECT_EQ(parse_payment(base + R"("amount":5,"confirmation":"x"})").error().field, "confirmation");
}

TEST(ParsePayment, AcceptsNullCustomerAndIgnoresUnknownMembers) {
  const auto p =
      parse_payment(R"({"id":"pay_1","status":"failed","amount":5,"currency":"RUB","order_id":"o","created_at":"t",)"
                    R"("customer":null,"failure_reason":"declined","new_member":{"x":[1]}})");
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_FALSE(p->customer);
  EXPECT_EQ(p->status, protocol::PaymentStatus::failed);
  EXPECT_EQ(p->failure_reason, "declined");
  EXPECT_TRUE(p->capture) << "the API's default";
}

TEST(ParsePayment, RefusesAnUnknownStatus) {
  const auto p =
      parse_payment(R"({"id":"pay_1","status":"paid","amount":5,"currency":"RUB","order_id":"o","created_at":"t"})");
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, vitrina::protocol::ErrorCode::invalid_response);
  EXPECT_EQ(p.error().field, "status");
}

TEST(ParseRefund, RequiresThePaymentId) {
  const auto r = parse_refund(R"({"id":"re_1","status":"succeeded","amount":5,"currency":"RUB","created_at":"t"})");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "payment_id");
}

TEST(ParseProblem, MapsOnlyVitrinaProblems) {
  const auto e = parse_problem(
      R"({"type":"urn:vitrina:problem:invalid","title":"Invalid input","status":422,"detail":"too big","field":"amount"})",
      200);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, vitrina::protocol::ErrorCode::invalid);
  EXPECT_EQ(e->message, "too big");
  EXPECT_EQ(e->field, "amount");
  const auto titled = parse_problem(R"({"type":"urn:vitrina:problem:not-found","title":"Not found"})", 200);
  ASSERT_TRUE(titled);
  EXPECT_EQ(titled->message, "Not found");
  EXPECT_TRUE(titled->field.empty());
  EXPECT_FALSE(parse_problem(R"({"type":"about:blank","title":"x"})", 200));
  EXPECT_FALSE(parse_problem(R"({"type":"urn:vitrina:problem:"})", 200));
  EXPECT_FALSE(parse_problem("not json", 200));
}

TEST(ParseProblem, CutsALongDetailWithoutSplittingACharacter) {
  std::string detail;
  for (int i = 0; i < 10; ++i) detail += "\xC3\xA9";  // é, two bytes each
  const auto e = parse_problem(R"({"type":"urn:vitrina:problem:invalid","detail":")" + detail + "\"}", 5);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->message, "\xC3\xA9\xC3\xA9");
}

}  // namespace
}  // namespace vitrina::sdk::detail
