// T-Bank's wire format: the Token against the documentation's known answer, signed requests,
// Init's fields and 54-FZ receipt, answers with numeric or textual PaymentId, notifications
// verified before they are believed (tampered, unsigned, wrong password), the status mapping.

#include "acquirers/tbank_wire.hpp"

#include <gtest/gtest.h>

#include "acquirer_vectors.hpp"
#include "vitrina/protocol/json_reader.hpp"

namespace vitrina::acquirers::tbank {
namespace {

using test::vector_int;
using test::vector_string;

TEST(TBankToken, MatchesTheDocumentedExample) {
  const Fields fields{{"TerminalKey", vector_string("/tbank_token/params/TerminalKey")},
                      {"Amount", vector_int("/tbank_token/params/Amount")},
                      {"OrderId", vector_string("/tbank_token/params/OrderId")},
                      {"Description", vector_string("/tbank_token/params/Description")}};
  const auto expected = vector_string("/tbank_token/token");
  ASSERT_EQ(expected.size(), 64u);
  EXPECT_EQ(token(fields, vector_string("/tbank_token/params/Password")), expected);
}

TEST(TBankToken, CoversRootScalarsOnlyAndBooleansAsWords) {
  const auto body = signed_request({{"TerminalKey", std::string("T")}, {"Success", true}, {"Amount", std::int64_t{5}}},
                                   "pw", {{"DATA", R"({"a":"b"})"}});
  auto parsed = protocol::parse_json(body);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->find("Token")->text, token_of(*parsed, "pw"));
  // DATA (an object) is left out; numbers and booleans count as their text.
  EXPECT_EQ(
      parsed->find("Token")->text,
      token({{"Amount", std::string("5")}, {"Success", std::string("true")}, {"TerminalKey", std::string("T")}}, "pw"));
  EXPECT_NE(token_of(*parsed, "other"), token_of(*parsed, "pw"));
}

store::Payment payment() {
  store::Payment p;
  p.id = "pay_01HZY0000000000000000000";
  p.site_id = "site_a";
  p.amount = 150000;
  p.currency = "RUB";
  p.order_id = "order-7";
  p.description = "Заказ 7";
  p.return_url = "https://shop.example/back";
  p.items_json = R"([{"name":"Чай","quantity":2,"amount":50000},{"name":"Кружка","quantity":1,"amount":50000}])";
  p.customer_json = R"({"email":"a@b.example"})";
  p.capture = false;
  p.created_at = 1'700'000'000'000;
  p.expires_at = 1'700'003'600'000;
  return p;
}

InitOptions options() {
  return {.terminal_key = "TK",
          .password = "pw",
          .notification_url = "https://pay.example/v1/callbacks/tbank/site_a",
          .success_url = "https://shop.example/back",
          .fail_url = "https://shop.example/back",
          .redirect_due_date = iso8601_utc(1'700'003'600'000),
          .taxation = "usn_income",
          .tax = "none"};
}

TEST(TBankInit, CarriesKopecksOrderPayTypeUrlsDeadlineAndReceipt) {
  auto body = init_request(payment(), options());
  ASSERT_TRUE(body) << body.error().message;
  auto j = protocol::parse_json(*body);
  ASSERT_TRUE(j);
  EXPECT_EQ(j->find("Amount")->text, "150000");
  EXPECT_EQ(j->find("OrderId")->text, "pay_01HZY0000000000000000000");
  EXPECT_EQ(j->find("PayType")->text, "T");
  EXPECT_EQ(j->find("NotificationURL")->text, "https://pay.example/v1/callbacks/tbank/site_a");
  EXPECT_EQ(j->find("RedirectDueDate")->text, "2023-11-14T23:13:20+00:00");
  EXPECT_EQ(j->find("Token")->text, token_of(*j, "pw"));
  const auto* receipt = j->find("Receipt");
  ASSERT_TRUE(receipt && receipt->is_object());
  EXPECT_EQ(receipt->find("Email")->text, "a@b.example");
  EXPECT_EQ(receipt->find("Taxation")->text, "usn_income");
  ASSERT_EQ(receipt->find("Items")->items.size(), 2u);
  EXPECT_EQ(receipt->find("Items")->items[0].find("Amount")->text, "100000");
  EXPECT_EQ(receipt->find("Items")->items[0].find("Tax")->text, "none");
}

TEST(TBankInit, RefusesWhatTBankCannotTake) {
  auto p = payment();
  p.currency = "USD";
  EXPECT_EQ(init_request(p, options()).error().field, "currency");
  p = payment();
  p.items_json = R"([{"name":"Чай","quantity":1,"amount":100}])";
  EXPECT_EQ(init_request(p, options()).error().field, "items");
  p = payment();
  p.customer_json = "null";
  EXPECT_EQ(init_request(p, options()).error().field, "customer");
  auto no_receipt = options();
  no_receipt.taxation.clear();
  p.items_json = "[]";
  auto body = init_request(p, no_receipt);
  ASSERT_TRUE(body);
  EXPECT_EQ(protocol::parse_json(*body)->find("Receipt"), nullptr);
}

TEST(TBankAnswer, ReadsNumericOrTextualIdsAndErrors) {
  auto ok = parse_answer(R"({"Success":true,"ErrorCode":"0","TerminalKey":"TK","Status":"NEW","PaymentId":13660,)"
                         R"("OrderId":"pay_1","Amount":150000,"PaymentURL":"https://pay.example/x"})");
  ASSERT_TRUE(ok);
  EXPECT_TRUE(ok->success);
  EXPECT_EQ(ok->payment_id, "13660");
  EXPECT_EQ(ok->amount, 150000);
  auto refused = parse_answer(R"({"Success":false,"ErrorCode":"204","Message":"Неверный токен","Details":"x"})");
  ASSERT_TRUE(refused);
  EXPECT_FALSE(refused->success);
  EXPECT_EQ(refused->error_code, "204");
  EXPECT_FALSE(parse_answer("<html>502</html>"));
}

std::string notification(std::string_view password, std::string status = "CONFIRMED", std::int64_t amount = 150000) {
  return signed_request({{"TerminalKey", std::string("TK")},
                         {"OrderId", std::string("pay_1")},
                         {"Success", true},
                         {"Status", status},
                         {"PaymentId", std::int64_t{13660}},
                         {"ErrorCode", std::string("0")},
                         {"Amount", amount},
                         {"Pan", std::string("430000******0777")}},
                        password, {{"Data", R"({"x":"y"})"}});
}

TEST(TBankNotification, VerifiesTheTokenBeforeBelievingIt) {
  auto n = verify_notification(notification("pw"), "pw");
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(n->order_id, "pay_1");
  EXPECT_EQ(n->payment_id, "13660");
  EXPECT_EQ(n->status, "CONFIRMED");
  EXPECT_EQ(n->amount, 150000);
  EXPECT_EQ(verify_notification(notification("pw"), "other").error().code,
            vitrina::protocol::ErrorCode::unauthenticated);
  auto tampered = notification("pw");
  tampered.replace(tampered.find("150000"), 6, "150001");
  EXPECT_EQ(verify_notification(tampered, "pw").error().code, vitrina::protocol::ErrorCode::unauthenticated);
  EXPECT_EQ(verify_notification(R"({"OrderId":"pay_1","Status":"CONFIRMED"})", "pw").error().code,
            vitrina::protocol::ErrorCode::unauthenticated);
  EXPECT_EQ(verify_notification("OrderId=pay_1", "pw").error().code, vitrina::protocol::ErrorCode::unauthenticated);
}

TEST(TBankStatus, MapsOntoPaymentEvents) {
  using K = protocol::PaymentEventKind;
  EXPECT_EQ(payment_event("AUTHORIZED", 5, "0")->kind, K::authorized);
  EXPECT_EQ(payment_event("CONFIRMED", 5, "0")->kind, K::succeeded);
  EXPECT_EQ(payment_event("CONFIRMED", 5, "0")->amount, 5);
  EXPECT_EQ(payment_event("REVERSED", 5, "0")->kind, K::canceled);
  EXPECT_EQ(payment_event("CANCELED", std::nullopt, "0")->kind, K::canceled);
  EXPECT_EQ(payment_event("REJECTED", 5, "1051")->kind, K::failed);
  EXPECT_EQ(payment_event("REJECTED", 5, "1051")->reason, "declined (1051)");
  EXPECT_EQ(payment_event("DEADLINE_EXPIRED", 5, "0")->kind, K::expired);
  for (const char* quiet : {"NEW", "FORM_SHOWED", "AUTHORIZING", "3DS_CHECKING", "CONFIRMING", "REFUNDED",
                            "PARTIAL_REFUNDED", "PARTIAL_REVERSED", "SOMETHING_NEW"}) {
    EXPECT_FALSE(payment_event(quiet, 5, "0")) << quiet;
  }
  EXPECT_NE(event_key("1", "AUTHORIZED", 5), event_key("1", "CONFIRMED", 5));
}

}  // namespace
}  // namespace vitrina::acquirers::tbank
