// The sandbox acquirer's callbacks: a genuine one verifies into events; a tampered body, a
// foreign key, a bad or missing signature and a timestamp beyond 300 s are refused before the
// body is parsed. Test cards map to their outcomes.

#include <gtest/gtest.h>

#include <filesystem>

#include "acquirers/sandbox.hpp"
#include "auth/keys.hpp"
#include "store/test_support.hpp"

namespace vitrina::acquirers {
namespace {

constexpr std::int64_t kNow = 1'700'000'000;

class SandboxCallbacks : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(auth::initialize()); }

  store::Payment payment(bool capture = true) {
    store::Payment p;
    p.id = "pay_1";
    p.site_id = "site_a";
    p.amount = 1500;
    p.currency = "EUR";
    p.capture = capture;
    return p;
  }

  Sandbox sandbox_{generate_sandbox_keys()};
};

void set_header(RawHeaders& headers, std::string_view name, std::string value) {
  for (auto& [k, v] : headers) {
    if (k == name) v = std::move(value);
  }
}

TEST_F(SandboxCallbacks, AcceptsGenuineCallback) {
  const auto signed_cb = sandbox_.sign(result_for(CardOutcome::success, payment()), kNow);
  auto events = sandbox_.verify_callback(signed_cb.headers, signed_cb.body, kNow);
  ASSERT_TRUE(events) << events.error().message;
  ASSERT_EQ(events->size(), 1u);
  const auto& e = events->front();
  EXPECT_EQ(e.payment_id, "pay_1");
  EXPECT_EQ(e.site_id, "site_a");
  EXPECT_TRUE(e.event_id.starts_with("sbxevt_"));
  EXPECT_EQ(e.event.kind, protocol::PaymentEventKind::succeeded);
  EXPECT_EQ(e.event.amount, 1500);
}

TEST_F(SandboxCallbacks, AcceptsLowerCaseHeaderNames) {
  auto signed_cb = sandbox_.sign(result_for(CardOutcome::success, payment()), kNow);
  for (auto& [k, v] : signed_cb.headers) {
    for (auto& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  EXPECT_TRUE(sandbox_.verify_callback(signed_cb.headers, signed_cb.body, kNow));
}

TEST_F(SandboxCallbacks, RefusesTamperedBody) {
  const auto signed_cb = sandbox_.sign(result_for(CardOutcome::decline, payment()), kNow);
  std::string body = signed_cb.body;
  const auto at = body.find("failed");
  ASSERT_NE(at, std::string::npos);
  body.replace(at, 6, "succeeded");
  auto events = sandbox_.verify_callback(signed_cb.headers, body, kNow);
  ASSERT_FALSE(events);
  EXPECT_EQ(events.error().code, vitrina::protocol::ErrorCode::unauthenticated);
}

TEST_F(SandboxCallbacks, RefusesTamperedTimestamp) {
  auto signed_cb = sandbox_.sign(result_for(CardOutcome::success, payment()), kNow);
  set_header(signed_cb.headers, kSandboxTimestampHeader, std::to_string(kNow + 1));
  auto events = sandbox_.verify_callback(signed_cb.headers, signed_cb.body, kNow);
  ASSERT_FALSE(events);
  EXPECT_EQ(events.error().code, vitrina::protocol::ErrorCode::unauthenticated);
}

TEST_F(SandboxCallbacks, RefusesAnotherKeysSignature) {
  const Sandbox other{generate_sandbox_keys()};
  const auto signed_cb = other.sign(result_for(CardOutcome::success, payment()), kNow);
  auto events = sandbox_.verify_callback(signed_cb.headers, signed_cb.body, kNow);
  ASSERT_FALSE(events);
  EXPECT_EQ(events.error().code, vitrina::protocol::ErrorCode::unauthenticated);
}

TEST_F(SandboxCallbacks, RefusesExpiredAndFutureTimestamps) {
  const auto signed_cb = sandbox_.sign(result_for(CardOutcome::success, payment()), kNow);
  EXPECT_TRUE(sandbox_.verify_callback(signed_cb.headers, signed_cb.body, kNow + 300));
  EXPECT_TRUE(sandbox_.verify_callback(signed_cb.headers, signed_cb.body, kNow - 300));
  for (std::int64_t now : {kNow + 301, kNow - 301}) {
    auto events = sandbox_.verify_callback(signed_cb.headers, signed_cb.body, now);
    ASSERT_FALSE(events) << now;
    EXPECT_EQ(events.error().code, vitrina::protocol::ErrorCode::unauthenticated);
  }
}

TEST_F(SandboxCallbacks, RefusesMissingOrMalformedSignature) {
  const auto signed_cb = sandbox_.sign(result_for(CardOutcome::success, payment()), kNow);
  for (std::string bad : {std::string(), std::string("v1,"), std::string("v1,!!!!"), std::string("v2,AAAA"),
                          std::string("v1,") + std::string(88, 'A')}) {
    RawHeaders headers = signed_cb.headers;
    set_header(headers, kSandboxSignatureHeader, bad);
    auto events = sandbox_.verify_callback(headers, signed_cb.body, kNow);
    ASSERT_FALSE(events) << bad;
    EXPECT_EQ(events.error().code, vitrina::protocol::ErrorCode::unauthenticated) << bad;
  }
  auto no_headers = sandbox_.verify_callback({}, signed_cb.body, kNow);
  ASSERT_FALSE(no_headers);
  EXPECT_EQ(no_headers.error().code, vitrina::protocol::ErrorCode::unauthenticated);
}

TEST_F(SandboxCallbacks, SignatureIsCheckedBeforeTheBodyIsParsed) {
  // Garbage that is not JSON: an unsigned one is "unauthenticated", never "invalid".
  auto events = sandbox_.verify_callback({{"Sandbox-Timestamp", std::to_string(kNow)}}, "{not json", kNow);
  ASSERT_FALSE(events);
  EXPECT_EQ(events.error().code, vitrina::protocol::ErrorCode::unauthenticated);
}

TEST_F(SandboxCallbacks, KeyFileIsCreatedOnceAndReused) {
  store::testing::TempDir dir;
  const std::string path = dir.file("sandbox.key");
  auto first = load_or_create_sandbox_keys(path);
  ASSERT_TRUE(first) << first.error().message;
  auto second = load_or_create_sandbox_keys(path);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(first->public_key, second->public_key);
  EXPECT_EQ(first->secret_key, second->secret_key);
  const auto perms = std::filesystem::status(path).permissions();
  EXPECT_EQ(perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
            std::filesystem::perms::none);
  // A callback signed with the reloaded key verifies with the first one.
  const Sandbox a{*first}, b{*second};
  const auto signed_cb = b.sign(result_for(CardOutcome::success, payment()), kNow);
  EXPECT_TRUE(a.verify_callback(signed_cb.headers, signed_cb.body, kNow));
}

TEST(SandboxCards, TestCardsMapToTheirOutcomes) {
  EXPECT_EQ(card_outcome("4242424242424242"), CardOutcome::success);
  EXPECT_EQ(card_outcome("4000000000000002"), CardOutcome::decline);
  EXPECT_EQ(card_outcome("4000000000009995"), CardOutcome::error);
  EXPECT_EQ(card_outcome("4000000000003220"), CardOutcome::delayed);
  EXPECT_EQ(card_outcome("4111111111111111"), CardOutcome::unknown);
  EXPECT_EQ(card_outcome(""), CardOutcome::unknown);
}

TEST(SandboxCards, NormalizeAcceptsSpacesAndRefusesOtherCharacters) {
  EXPECT_EQ(normalize_card_number("4242 4242 4242 4242"), "4242424242424242");
  EXPECT_EQ(normalize_card_number("4242-4242-4242-4242"), "");
  EXPECT_EQ(normalize_card_number("42424242"), "");
  EXPECT_EQ(normalize_card_number(std::string(20, '4')), "");
}

TEST(SandboxCards, OutcomesBecomeTheRightReports) {
  store::Payment one;
  one.id = "pay_1";
  one.amount = 700;
  one.capture = true;
  store::Payment two = one;
  two.capture = false;
  EXPECT_EQ(result_for(CardOutcome::success, one).outcome, "succeeded");
  EXPECT_EQ(result_for(CardOutcome::success, two).outcome, "authorized");
  EXPECT_EQ(result_for(CardOutcome::delayed, one).outcome, "succeeded");
  EXPECT_EQ(result_for(CardOutcome::success, one).amount, 700);
  const auto declined = result_for(CardOutcome::decline, one);
  EXPECT_EQ(declined.outcome, "failed");
  EXPECT_EQ(declined.reason, "card_declined");
  const auto error = result_for(CardOutcome::error, two);
  EXPECT_EQ(error.outcome, "failed");
  EXPECT_EQ(error.reason, "processing_error");
  EXPECT_NE(result_for(CardOutcome::success, one).event_id, result_for(CardOutcome::success, one).event_id);
}

}  // namespace
}  // namespace vitrina::acquirers
