// The contract every acquirer connector keeps, run against each one's emulator
// (tools/emulators/) with the real server: a payment created through the API succeeds by the
// acquirer's verified callback; a forged callback and one with another amount are refused and
// change nothing; a duplicate changes nothing twice; a hold is captured in part and refunded, or
// canceled. Each connector's own behaviour (its wire format, faults, refusals) stays in its own
// tests: stripe_test.cpp, cloudpayments_test.cpp, acquirers/*.test.mjs.

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <ostream>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "acquirer_fixture.hpp"

namespace vitrina::testing {
namespace {

/// One connector: how to start its emulator, configure the server for it, and provoke the
/// callbacks the contract is about.
struct Connector {
  std::string name;
  std::string script;
  std::vector<std::string> emulator_args;
  std::function<std::vector<std::string>(const std::string& site, const std::string& base)> settings;
  /// Points the emulator's callbacks at the server, when the payment does not carry the URL.
  std::function<void(Emulator&, const std::string& server_base, const std::string& site)> configure;
  std::string card;
  /// Sets up a forged callback before the payer pays (the emulator's "forged" mode) or sends one
  /// after (a connector that signs nothing refuses by the sender's address); returns what the
  /// emulator recorded of it.
  std::function<void(Emulator&)> before_forged_pay;
  std::function<std::string(Emulator&, const std::string& acquirer_ref)> forge;
  /// What that record shows when the server refused it.
  std::string forged_refused;
  /// Set up before a payer pays a callback with another amount.
  std::function<void(Emulator&)> before_wrong_amount_pay;
  /// The emulator's record of the server refusing that callback.
  std::string wrong_amount_refused;
};

void PrintTo(const Connector& c, std::ostream* os) { *os << c.name; }

void mode(Emulator& em, const std::string& m) { em.control("callbacks", R"({"mode":")" + m + R"("})"); }

std::string forged_by_mode(Emulator& em, const std::string&) {
  em.idle();
  return em.log();
}

std::vector<Connector> connectors() {
  std::vector<Connector> all;
  all.push_back({
      .name = "stripe",
      .script = "stripe.mjs",
      .emulator_args = {"--api-key", "sk_test_contract", "--webhook-secret", "whsec_contract"},
      .settings =
          [](const std::string& site, const std::string& base) {
            return std::vector<std::string>{"acquirers.stripe.base_url=" + base,
                                            "acquirers.stripe.sites." + site + ".secret_key=sk_test_contract",
                                            "acquirers.stripe.sites." + site + ".webhook_secret=whsec_contract"};
          },
      .configure =
          [](Emulator& em, const std::string& server, const std::string& site) {
            em.control("config", R"({"webhook_url":")" + server + "/v1/callbacks/stripe/" + site +
                                     R"(","retry_delay_ms":100})");
          },
      .card = "4242424242424242",
      .before_forged_pay = [](Emulator& em) { mode(em, "forged"); },
      .forge = forged_by_mode,
      .forged_refused = R"("mode":"forged","attempt":1,"status":401)",
      .before_wrong_amount_pay = [](Emulator& em) { mode(em, "wrong_amount"); },
      .wrong_amount_refused = R"("mode":"wrong_amount","attempt":1,"status":422)",
  });
  all.push_back({
      .name = "cloudpayments",
      .script = "cloudpayments.mjs",
      .emulator_args = {"--public-id", "pk_contract", "--api-secret", "contract_api_secret"},
      .settings =
          [](const std::string& site, const std::string& base) {
            return std::vector<std::string>{"acquirers.cloudpayments.base_url=" + base,
                                            "acquirers.cloudpayments.sites." + site + ".public_id=pk_contract",
                                            "acquirers.cloudpayments.sites." + site +
                                                ".api_secret=contract_api_secret"};
          },
      .configure =
          [](Emulator& em, const std::string& server, const std::string& site) {
            em.control("config", R"({"notify_url":")" + server + "/v1/callbacks/cloudpayments/" + site +
                                     R"(?type={kind}","retry_delay_ms":100})");
          },
      .card = "4242424242424242",
      // Without the Check the forged Pay reaches the server (a forged Check stops the payment
      // before it is paid; cloudpayments_test.cpp covers that).
      .before_forged_pay =
          [](Emulator& em) {
            em.control("config", R"({"check":false})");
            mode(em, "forged");
          },
      .forge = forged_by_mode,
      .forged_refused = R"("mode":"forged","attempt":1,"status":401)",
      .before_wrong_amount_pay =
          [](Emulator& em) {
            em.control("config", R"({"check":false})");
            mode(em, "wrong_amount");
          },
      // CloudPayments is answered in its own terms: code 12 is "wrong amount".
      .wrong_amount_refused = R"("mode":"wrong_amount","attempt":1,"status":200,"answer":"{\"code\":12}")",
  });
  all.push_back({
      .name = "tbank",
      .script = "tbank.mjs",
      .emulator_args = {"--terminal-key", "ContractTerminal", "--password", "contract-password"},
      .settings =
          [](const std::string& site, const std::string& base) {
            return std::vector<std::string>{"acquirers.tbank.base_url=" + base + "/v2",
                                            "acquirers.tbank.sites." + site + ".terminal_key=ContractTerminal",
                                            "acquirers.tbank.sites." + site + ".password=contract-password"};
          },
      // Init carries the NotificationURL.
      .configure = [](Emulator& em, const std::string&,
                      const std::string&) { em.control("config", R"({"retry_delay_ms":100})"); },
      .card = "4300000000000777",
      .before_forged_pay = [](Emulator& em) { mode(em, "forged"); },
      .forge = forged_by_mode,
      .forged_refused = R"("mode":"forged","attempt":1,"status":403)",
      .before_wrong_amount_pay = [](Emulator& em) { mode(em, "wrong_amount"); },
      .wrong_amount_refused = R"("mode":"wrong_amount","attempt":1,"status":422)",
  });
  all.push_back({
      .name = "yookassa",
      .script = "yookassa.mjs",
      .emulator_args = {"--shop-id", "100500", "--secret-key", "contract_yookassa_secret"},
      .settings =
          [](const std::string& site, const std::string& base) {
            return std::vector<std::string>{"acquirers.yookassa.base_url=" + base + "/v3",
                                            "acquirers.yookassa.allowed_ips=127.0.0.1",
                                            "acquirers.yookassa.sites." + site + ".shop_id=100500",
                                            "acquirers.yookassa.sites." + site + ".secret_key=contract_yookassa_secret"};
          },
      // YooKassa's notification URL is set once in its dashboard, not per payment.
      .configure =
          [](Emulator& em, const std::string& server, const std::string& site) {
            em.control("config", R"({"notify_url":")" + server + "/v1/callbacks/yookassa/" + site +
                                     R"(","retry_delay_ms":100})");
          },
      .card = "5555555555554477",
      // Notifications are not signed: a forged one comes from an address off the allow-list.
      // The real one is held meanwhile and never sent.
      .before_forged_pay = [](Emulator& em) { mode(em, "reverse"); },
      .forge =
          [](Emulator& em, const std::string& ref) {
            return em.control("notify", R"({"payment":")" + ref +
                                            R"(","event":"payment.succeeded","from":"127.0.0.2"})");
          },
      .forged_refused = R"("status":401)",
      .before_wrong_amount_pay = [](Emulator& em) { mode(em, "wrong_amount"); },
      .wrong_amount_refused = R"("mode":"wrong_amount","attempt":1,"status":422)",
  });
  return all;
}

class ConnectorContract : public AcquirerFixture, public ::testing::WithParamInterface<Connector> {
 protected:
  void SetUp() override {
    const auto& c = GetParam();
    start(c.script, c.emulator_args, c.settings);
    if (IsSkipped() || HasFatalFailure()) return;
    c.configure(*emulator_, "http://127.0.0.1:" + std::to_string(port_), site_id_);
  }
  const std::string& name() const { return GetParam().name; }
  /// The acquirer's id of the payment: the last segment of its payment page's URL.
  std::string acquirer_ref() const {
    const auto url = confirmation_url();
    return url.substr(url.rfind('/') + 1);
  }
  /// The first attempts of the emulator's deliveries in mode `m`: what was sent ("kind key")
  /// and the server's HTTP status.
  std::vector<std::pair<std::string, int>> deliveries(const std::string& m) {
    static const std::regex kAttempt(
        R"re("kind":"([^"]*)",(?:"key":"([^"]*)",)?"mode":"([a-z_]+)","attempt":1,"status":(\d+))re");
    const auto log = emulator_->log();
    std::vector<std::pair<std::string, int>> out;
    for (auto it = std::sregex_iterator(log.begin(), log.end(), kAttempt); it != std::sregex_iterator(); ++it) {
      if ((*it)[3].str() == m) out.emplace_back((*it)[1].str() + " " + (*it)[2].str(), std::stoi((*it)[4].str()));
    }
    return out;
  }
  /// Holds `amount` (kopecks, cents) and waits until the acquirer says it is held.
  std::string held(std::int64_t amount, const std::string& key) {
    const auto id = create(name(), amount, false, key);
    EXPECT_EQ(pay(confirmation_url(), GetParam().card), 303);
    EXPECT_TRUE(wait_status(id, "waiting_for_capture")) << server_->output();
    return id;
  }
};

TEST_P(ConnectorContract, VerifiedCallbackSucceedsThePaymentOnce) {
  const auto id = create(name(), 150000, true, "k-success");
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(status_of_payment(id), "pending");
  EXPECT_EQ(pay(confirmation_url(), GetParam().card), 303);
  ASSERT_TRUE(wait_status(id, "succeeded")) << server_->output();
  EXPECT_EQ(settle(1), (std::vector<std::string>{"payment.succeeded"}));
  EXPECT_TRUE(distinct_webhook_ids());
}

TEST_P(ConnectorContract, ForgedCallbackIsRefusedAndChangesNothing) {
  GetParam().before_forged_pay(*emulator_);
  const auto id = create(name(), 5000, true, "k-forged");
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(pay(confirmation_url(), GetParam().card), 303);
  const auto record = GetParam().forge(*emulator_, acquirer_ref());
  EXPECT_NE(record.find(GetParam().forged_refused), std::string::npos) << record;
  // The callback was answered: whatever it changed is in the outbox by now.
  EXPECT_TRUE(outbox_empty());
  EXPECT_EQ(status_of_payment(id), "pending");
  EXPECT_EQ(receiver_.requests(), 0);
}

TEST_P(ConnectorContract, CallbackWithAnotherAmountIsRefusedAndChangesNothing) {
  GetParam().before_wrong_amount_pay(*emulator_);
  const auto id = create(name(), 5000, true, "k-amount");
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(pay(confirmation_url(), GetParam().card), 303);
  emulator_->idle();
  const auto log = emulator_->log();
  EXPECT_NE(log.find(GetParam().wrong_amount_refused), std::string::npos) << log;
  EXPECT_TRUE(outbox_empty());
  EXPECT_EQ(status_of_payment(id), "pending");
  EXPECT_EQ(receiver_.requests(), 0);
}

TEST_P(ConnectorContract, DuplicateCallbackChangesNothingTwice) {
  mode(*emulator_, "duplicate");
  const auto id = create(name(), 3000, true, "k-dup");
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(pay(confirmation_url(), GetParam().card), 303);
  EXPECT_EQ(settle(1), (std::vector<std::string>{"payment.succeeded"}));
  EXPECT_EQ(status_of_payment(id), "succeeded");
  // The callbacks came twice, and every copy was acknowledged, so the acquirer stops sending.
  const auto sent = deliveries("duplicate");
  std::size_t repeated = 0;
  for (const auto& [what, status] : sent) {
    EXPECT_EQ(status, 200) << what << "\n" << emulator_->log();
    repeated += std::count_if(sent.begin(), sent.end(), [&](const auto& d) { return d.first == what; }) >= 2 ? 1 : 0;
  }
  EXPECT_GE(repeated, 2u) << emulator_->log();
}

TEST_P(ConnectorContract, HoldIsCapturedInPartThenRefundedInPart) {
  const auto id = held(150000, "k-hold");
  auto captured = api_post("/v1/payments/" + id + "/capture", R"({"amount":100000})", "k-capture");
  ASSERT_TRUE(captured);
  EXPECT_EQ(captured->status, 200) << captured->body;
  EXPECT_EQ(status_of_payment(id), "succeeded");
  EXPECT_NE(payment(id).find(R"("captured_amount":100000)"), std::string::npos) << payment(id);
  auto refund = api_post("/v1/payments/" + id + "/refunds", R"({"amount":40000})", "k-refund");
  ASSERT_TRUE(refund);
  EXPECT_EQ(refund->status, 201) << refund->body;
  EXPECT_NE(refund->body.find(R"("status":"succeeded")"), std::string::npos) << refund->body;
  auto over = api_post("/v1/payments/" + id + "/refunds", R"({"amount":60001})", "k-refund-over");
  ASSERT_TRUE(over);
  EXPECT_GE(over->status, 400) << over->body;
  // The acquirer's own news of the capture and the refund is already reflected: one message each.
  EXPECT_EQ(settle(3),
            (std::vector<std::string>{"payment.waiting_for_capture", "payment.succeeded", "refund.succeeded"}));
  EXPECT_NE(payment(id).find(R"("refunded_amount":40000)"), std::string::npos) << payment(id);
}

TEST_P(ConnectorContract, HoldIsCanceled) {
  const auto id = held(10000, "k-hold-cancel");
  auto canceled = api_post("/v1/payments/" + id + "/cancel", "{}", "k-cancel");
  ASSERT_TRUE(canceled);
  EXPECT_EQ(canceled->status, 200) << canceled->body;
  EXPECT_EQ(status_of_payment(id), "canceled");
  EXPECT_EQ(settle(2), (std::vector<std::string>{"payment.waiting_for_capture", "payment.canceled"}));
}

TEST_P(ConnectorContract, CaptureBeforeThePayerPaidIsAConflict) {
  const auto id = create(name(), 10000, false, "k-early-capture");
  auto r = api_post("/v1/payments/" + id + "/capture", "{}", "k-early-capture-1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 409) << r->body;
  EXPECT_EQ(status_of_payment(id), "pending");
  EXPECT_TRUE(outbox_empty());
}

INSTANTIATE_TEST_SUITE_P(Acquirers, ConnectorContract, ::testing::ValuesIn(connectors()),
                         [](const ::testing::TestParamInfo<Connector>& param) { return param.param.name; });

}  // namespace
}  // namespace vitrina::testing
