// CloudPayments' wire format: the Content-HMAC vector, notifications in both encodings, the
// Check answers, the requests and the API's answers.

#include "acquirers/cloudpayments_wire.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include "acquirer_vectors.hpp"

namespace vitrina::acquirers::cloudpayments {
namespace {

using test::vector_string;

class CloudPaymentsHmac : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    ASSERT_FALSE(secret.empty()) << "cannot read " << VITRINA_ACQUIRER_VECTORS;
  }
  std::string secret = vector_string("/cloudpayments_hmac/secret");
  std::string body = vector_string("/cloudpayments_hmac/body");
  std::string mac = vector_string("/cloudpayments_hmac/content_hmac");
};

TEST_F(CloudPaymentsHmac, ComputesTheKnownAnswerVector) { EXPECT_EQ(content_hmac(body, secret), mac); }

TEST_F(CloudPaymentsHmac, AcceptsEitherHeader) {
  EXPECT_TRUE(verify_hmac({{"Content-HMAC", mac}}, body, secret));
  EXPECT_TRUE(verify_hmac({{"x-content-hmac", mac}}, body, secret));
  EXPECT_TRUE(verify_hmac({{"Content-HMAC", "bm9wZQ=="}, {"X-Content-HMAC", mac}}, body, secret));
}

TEST_F(CloudPaymentsHmac, RejectsTamperedBodyWrongSecretAndMissingHeader) {
  std::string tampered = body;
  tampered.back() = '1';
  auto r = verify_hmac({{"Content-HMAC", mac}}, tampered, secret);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::unauthenticated);
  EXPECT_EQ(r.error().field, "Content-HMAC");
  EXPECT_FALSE(verify_hmac({{"Content-HMAC", mac}}, body, "other_secret"));
  EXPECT_FALSE(verify_hmac({}, body, secret));
  EXPECT_FALSE(verify_hmac({{"Content-HMAC", "not base64!"}}, body, secret));
  EXPECT_FALSE(verify_hmac({{"Content-HMAC", mac + "AA"}}, body, secret));
}

TEST(CloudPaymentsAuth, BasicAuthOfPublicIdAndSecret) {
  EXPECT_EQ(basic_auth("pk_123", "secret"), "Basic cGtfMTIzOnNlY3JldA==");
}

TEST(CloudPaymentsNotification, ParsesAFormEncodedPay) {
  auto n = parse_notification(
      Kind::pay,
      "TransactionId=504&Amount=1500.00&Currency=RUB&DateTime=2026-01-01+10%3A00%3A00&CardFirstSix=424242"
      "&CardLastFour=4242&Status=Completed&OperationType=Payment&InvoiceId=pay_1&AccountId=&TestMode=1"
      "&Description=Tea+%26+cups");
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(n->transaction_id, "504");
  EXPECT_EQ(n->amount, 150000);
  EXPECT_EQ(n->invoice_id, "pay_1");
  EXPECT_TRUE(n->test_mode);
  EXPECT_EQ(event_key(*n), "pay:504");
  auto e = payment_event(*n);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, protocol::PaymentEventKind::succeeded);
  EXPECT_EQ(e->amount, 150000);
}

TEST(CloudPaymentsNotification, ParsesAJsonPayWithNumbersAsWritten) {
  auto n = parse_notification(Kind::pay, R"({"TransactionId":504,"Amount":65.98,"Currency":"RUB",
    "Status":"Authorized","InvoiceId":"pay_1","TestMode":true,"Data":{"x":1},"CustomFields":[]})");
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(n->transaction_id, "504");
  EXPECT_EQ(n->amount, 6598);
  EXPECT_TRUE(n->test_mode);
  EXPECT_EQ(payment_event(*n)->kind, protocol::PaymentEventKind::authorized);
}

TEST(CloudPaymentsNotification, MapsKindsOntoTheStateMachine) {
  using K = protocol::PaymentEventKind;
  const std::string base = "TransactionId=7&Amount=10&Currency=RUB&InvoiceId=pay_1";
  EXPECT_EQ(payment_event(*parse_notification(Kind::confirm, base))->kind, K::succeeded);
  EXPECT_EQ(payment_event(*parse_notification(Kind::cancel, base))->kind, K::canceled);
  EXPECT_FALSE(payment_event(*parse_notification(Kind::fail, base + "&Reason=InsufficientFunds&ReasonCode=5051")));
  EXPECT_FALSE(payment_event(*parse_notification(Kind::check, base + "&Status=Completed")));
  auto refund = parse_notification(Kind::refund, base + "&PaymentTransactionId=6&OperationType=Refund");
  ASSERT_TRUE(refund);
  EXPECT_EQ(refund->payment_transaction_id, "6");
  EXPECT_EQ(event_key(*refund), "refund:7");
  EXPECT_FALSE(payment_event(*refund));
}

TEST(CloudPaymentsNotification, NamesTheFieldThatIsWrong) {
  const auto field_of = [](Kind kind, std::string_view body) {
    auto n = parse_notification(kind, body);
    return n ? std::string("ok") : n.error().field;
  };
  EXPECT_EQ(field_of(Kind::pay, "Amount=1&InvoiceId=pay_1&Status=Completed"), "TransactionId");
  EXPECT_EQ(field_of(Kind::pay, "TransactionId=1x&Amount=1&InvoiceId=pay_1&Status=Completed"), "TransactionId");
  EXPECT_EQ(field_of(Kind::pay, "TransactionId=1&Amount=1&Status=Completed"), "InvoiceId");
  EXPECT_EQ(field_of(Kind::pay, "TransactionId=1&InvoiceId=pay_1&Status=Completed"), "Amount");
  EXPECT_EQ(field_of(Kind::pay, "TransactionId=1&Amount=1.001&InvoiceId=pay_1&Status=Completed"), "Amount");
  EXPECT_EQ(field_of(Kind::pay, "TransactionId=1&Amount=-1&InvoiceId=pay_1&Status=Completed"), "Amount");
  EXPECT_EQ(field_of(Kind::pay, "TransactionId=1&Amount=1&Currency=XYZ&InvoiceId=pay_1&Status=Completed"), "Currency");
  EXPECT_EQ(field_of(Kind::pay, "TransactionId=1&Amount=1&InvoiceId=pay_1&Status=Declined"), "Status");
  EXPECT_EQ(field_of(Kind::refund, "TransactionId=1&Amount=1&InvoiceId=pay_1"), "PaymentTransactionId");
  EXPECT_EQ(field_of(Kind::pay, "TransactionId=%ZZ"), "body");
  EXPECT_EQ(field_of(Kind::pay, "{\"TransactionId\":"), "body");
  EXPECT_EQ(field_of(Kind::cancel, "TransactionId=1&InvoiceId=pay_1"), "ok");
}

TEST(CloudPaymentsNotification, KindsComeFromTheirNames) {
  EXPECT_EQ(parse_kind("Check"), Kind::check);
  EXPECT_EQ(parse_kind("refund"), Kind::refund);
  EXPECT_FALSE(parse_kind("recurrent"));
  EXPECT_FALSE(parse_kind(""));
}

TEST(CloudPaymentsAnswers, AreTheDocumentedCodes) {
  EXPECT_EQ(answer_body(Answer::ok), R"({"code":0})");
  EXPECT_EQ(answer_body(Answer::wrong_invoice), R"({"code":10})");
  EXPECT_EQ(answer_body(Answer::wrong_amount), R"({"code":12})");
  EXPECT_EQ(answer_body(Answer::cannot_accept), R"({"code":13})");
  EXPECT_EQ(answer_body(Answer::expired), R"({"code":20})");
}

TEST(CloudPaymentsRequests, AmountsAreNumbersWithTheCurrencysDecimals) {
  store::Payment p;
  p.id = "pay_1";
  p.amount = 150050;
  p.currency = "RUB";
  p.description = "Tea";
  p.return_url = "https://shop.example/back";
  p.capture = false;
  p.customer_json = R"({"email":"a@b.example","phone":"+79990000000"})";
  const std::string order = create_order_request(p);
  EXPECT_NE(order.find(R"("Amount":1500.50)"), std::string::npos) << order;
  EXPECT_NE(order.find(R"("InvoiceId":"pay_1")"), std::string::npos);
  EXPECT_NE(order.find(R"("RequireConfirmation":true)"), std::string::npos);
  EXPECT_NE(order.find(R"("Email":"a@b.example")"), std::string::npos);
  EXPECT_EQ(confirm_request("504", 100, "RUB"), R"({"TransactionId":504,"Amount":1.00})");
  EXPECT_EQ(refund_request("504", 5, "JPY"), R"({"TransactionId":504,"Amount":5})");
  EXPECT_EQ(void_request("504"), R"({"TransactionId":504})");
  EXPECT_EQ(find_request("pay_1"), R"({"InvoiceId":"pay_1"})");
}

TEST(CloudPaymentsAnswers, ReadsModelAndFailures) {
  auto created = parse_answer(R"({"Model":{"Id":"f2K8","Number":61,"Amount":1500.50,"Currency":"RUB",
    "Url":"https://orders.example/d/f2K8"},"Success":true,"Message":null})",
                              "RUB");
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_TRUE(created->success);
  EXPECT_EQ(created->order_id, "f2K8");
  EXPECT_EQ(created->url, "https://orders.example/d/f2K8");
  EXPECT_EQ(created->amount, 150050);
  auto found = parse_answer(R"({"Model":{"TransactionId":504,"Status":"Authorized","InvoiceId":"pay_1"},
    "Success":true})",
                            "RUB");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->transaction_id, "504");
  EXPECT_EQ(transaction_status(found->status), protocol::PaymentStatus::waiting_for_capture);
  auto refused = parse_answer(R"({"Success":false,"Message":"Not found"})", "RUB");
  ASSERT_TRUE(refused);
  EXPECT_FALSE(refused->success);
  EXPECT_EQ(refused->message, "Not found");
  EXPECT_FALSE(parse_answer("<html>", "RUB"));
}

TEST(CloudPaymentsAnswers, MapsTransactionStatuses) {
  using S = protocol::PaymentStatus;
  EXPECT_EQ(transaction_status("Completed"), S::succeeded);
  EXPECT_EQ(transaction_status("Cancelled"), S::canceled);
  EXPECT_FALSE(transaction_status("Declined"));
  EXPECT_FALSE(transaction_status("AwaitingAuthentication"));
}

}  // namespace
}  // namespace vitrina::acquirers::cloudpayments
