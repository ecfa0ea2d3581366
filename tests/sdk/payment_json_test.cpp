// The SDK's internal JSON: the answer reader and the payments API's bodies and answers.
#include "payment_json.hpp"

#include <gtest/gtest.h>

#include <string>

#include "answer_json.hpp"

namespace vitrina::sdk::detail {
namespace {

using protocol::JsonType;
using protocol::JsonValue;

TEST(ParseAnswer, BuildsTheTree) {
  const auto v = parse_answer(R"( {"a":[1,"x",true,null,{"b":-2}],"s":"\u00e9"} )");
  ASSERT_TRUE(v);
  ASSERT_EQ(v->type, JsonType::object);
  const JsonValue* a = v->find("a");
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(a->items.size(), 5u);
  EXPECT_EQ(a->items[0].as_int64(), 1);
  EXPECT_EQ(a->items[1].text, "x");
  EXPECT_TRUE(a->items[2].boolean);
  EXPECT_EQ(a->items[3].type, JsonType::null);
  EXPECT_EQ(a->items[4].find("b")->as_int64(), -2);
  EXPECT_EQ(v->find("s")->text, "\xC3\xA9");
  EXPECT_EQ(v->find("missing"), nullptr);
}

TEST(ParseAnswer, RejectsWhatIsNotOneJsonText) {
  for (std::string_view bad : {"", "{", R"({"a":1,})", R"({"a":1} x)", "[01]", R"({"a":"\x"})", "nul"}) {
    EXPECT_FALSE(parse_answer(bad)) << bad;
  }
  EXPECT_FALSE(parse_answer(std::string(kMaxJsonDepth + 2, '[') + std::string(kMaxJsonDepth + 2, ']')));
}

TEST(JsonValueAsInt64, TakesOnlyPlainIntegersThatFit) {
  EXPECT_EQ(parse_answer("9223372036854775807")->as_int64(), INT64_MAX);
  EXPECT_FALSE(parse_answer("9223372036854775808")->as_int64());
  EXPECT_FALSE(parse_answer("1.0")->as_int64());
  EXPECT_FALSE(parse_answer("1e3")->as_int64());
  EXPECT_FALSE(parse_answer(R"("1")")->as_int64());
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

TEST(ParsePayment, RefusesAMemberNamedTwice) {
  const std::string base = R"({"id":"pay_1","status":"succeeded","currency":"RUB","order_id":"o","created_at":"t",)";
  ASSERT_TRUE(parse_payment(base + R"("amount":5,"metadata":{"cart":"c-1"}})"));
  for (const std::string& twice : {
           base + R"("amount":5,"amount":500})",
           base + R"("amount":5,"status":"failed"})",
           base + R"("amount":5,"metadata":{"cart":"c-1","cart":"c-2"}})",
           base + R"("amount":5,"items":[{"name":"a","amount":5,"amount":6}]})",
           base + R"("amount":5,"unknown":{"x":1,"x":2}})",
       }) {
    const auto p = parse_payment(twice);
    ASSERT_FALSE(p) << twice;
    EXPECT_EQ(p.error().code, vitrina::protocol::ErrorCode::invalid_response) << twice;
  }
  const auto nested = parse_payment(base + R"("amount":5,"metadata":{"cart":"c-1","cart":"c-2"}})");
  ASSERT_FALSE(nested);
  EXPECT_EQ(nested.error().field, "metadata.cart");
}

TEST(ParsePaymentList, RefusesAMemberNamedTwice) {
  const std::string payment =
      R"({"id":"pay_1","status":"succeeded","amount":5,"currency":"RUB","order_id":"o","created_at":"t"})";
  ASSERT_TRUE(parse_payment_list(R"({"items":[)" + payment + "]}"));
  const auto twice = parse_payment_list(R"({"items":[)" + payment + R"(],"items":[]})");
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, vitrina::protocol::ErrorCode::invalid_response);
}

TEST(ParseRefund, RefusesAMemberNamedTwice) {
  const std::string base =
      R"({"id":"re_1","payment_id":"pay_1","status":"succeeded","currency":"RUB","created_at":"t",)";
  ASSERT_TRUE(parse_refund(base + R"("amount":5})"));
  const auto twice = parse_refund(base + R"("amount":5,"amount":7})");
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, vitrina::protocol::ErrorCode::invalid_response);
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

TEST(ParseProblem, GivesNothingForABodyWithAMemberNamedTwice) {
  const std::string problem = R"({"type":"urn:vitrina:problem:invalid","detail":"too big")";
  ASSERT_TRUE(parse_problem(problem + "}", 200));
  EXPECT_FALSE(parse_problem(problem + R"(,"type":"urn:vitrina:problem:not-found"})", 200));
  EXPECT_FALSE(parse_problem(problem + R"(,"detail":"fine"})", 200));
  EXPECT_FALSE(parse_problem(problem + R"(,"field":"amount","field":"currency"})", 200));
  EXPECT_FALSE(parse_problem(problem + R"(,"errors":[{"x":1,"x":2}]})", 200));
}

TEST(ParseProblem, DecodesUnicodeEscapes) {
  const auto e = parse_problem(
      R"({"type":"urn:vitrina:problem:invalid","detail":"\u0441\u0443\u043c\u043c\u0430 \ud83d\ude00","field":"\u0061mount"})",
      200);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->message, "\xD1\x81\xD1\x83\xD0\xBC\xD0\xBC\xD0\xB0 \xF0\x9F\x98\x80");
  EXPECT_EQ(e->field, "amount");
  EXPECT_FALSE(parse_problem(R"({"type":"urn:vitrina:problem:invalid","detail":"\ud83d"})", 200));
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
