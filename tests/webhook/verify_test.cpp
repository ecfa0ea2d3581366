// verify()'s header rules and the ways headers can be handed to it. Keys come from
// secret_generate, so these tests need no vectors file.

#include <gtest/gtest.h>

#include <map>
#include <unordered_map>
#include <vector>

#include "vitrina/webhook/webhook.hpp"

namespace vitrina::webhook {
namespace {

constexpr std::int64_t kNow = 1'700'000'000;
constexpr std::string_view kBody = R"({"type":"payment.succeeded","timestamp":"2023-11-14T22:13:20Z","data":{}})";

class WebhookVerify : public ::testing::Test {
 protected:
  void SetUp() override {
    auto secret = secret_generate();
    ASSERT_TRUE(secret);
    auto sk = signing_key_parse(*secret);
    auto vk = verify_key_parse(*secret);
    ASSERT_TRUE(sk && vk);
    signing_.push_back(*sk);
    verifying_.push_back(*vk);
    good_ = {"msg_1", std::to_string(kNow), sign("msg_1", kNow, kBody, signing_)};
  }

  std::vector<SigningKey> signing_;
  std::vector<VerifyKey> verifying_;
  Headers good_;
};

TEST_F(WebhookVerify, AcceptsWhatSignProduced) { EXPECT_TRUE(verify(good_, kBody, verifying_, kNow)); }

TEST_F(WebhookVerify, MissingHeadersAreNamed) {
  const std::pair<std::string Headers::*, std::string_view> cases[] = {
      {&Headers::id, "webhook-id"},
      {&Headers::timestamp, "webhook-timestamp"},
      {&Headers::signature, "webhook-signature"},
  };
  for (const auto& [member, name] : cases) {
    for (const std::string absent : {"", "  "}) {
      Headers h = good_;
      h.*member = absent;
      const auto r = verify(h, kBody, verifying_, kNow);
      ASSERT_FALSE(r) << name;
      EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::missing_header);
      EXPECT_EQ(r.error().field, name);
      EXPECT_NE(r.error().message.find(name), std::string::npos);
    }
  }
}

TEST_F(WebhookVerify, NonNumericTimestampIsRefused) {
  for (const std::string ts : {"abc", "-1700000000", "+1700000000", "1700000000x", "17000 00000", "1.7e9", "0x6553f100",
                               "99999999999999999999"}) {
    Headers h = good_;
    h.timestamp = ts;
    const auto r = verify(h, kBody, verifying_, kNow);
    ASSERT_FALSE(r) << ts;
    EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::invalid_header) << ts;
    EXPECT_EQ(r.error().field, "webhook-timestamp") << ts;
  }
}

TEST_F(WebhookVerify, ToleranceHoldsAtTheExtremesOfTheClock) {
  // No overflow in |now - ts| whatever the clock says.
  EXPECT_FALSE(verify(good_, kBody, verifying_, std::numeric_limits<std::int64_t>::min()));
  EXPECT_FALSE(verify(good_, kBody, verifying_, std::numeric_limits<std::int64_t>::max()));
  Headers h = good_;
  h.timestamp = "9223372036854775807";
  const auto r = verify(h, kBody, verifying_, std::numeric_limits<std::int64_t>::min());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::timestamp_out_of_tolerance);
}

TEST_F(WebhookVerify, NoKeysIsAnError) {
  const auto r = verify(good_, kBody, std::span<const VerifyKey>{}, kNow);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::invalid_key);
}

TEST_F(WebhookVerify, WrongKeyIsRefused) {
  auto other = verify_key_parse(*secret_generate());
  ASSERT_TRUE(other);
  const auto r = verify(good_, kBody, *other, kNow);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::invalid_signature);
}

TEST_F(WebhookVerify, KeyRotationEitherKeyVerifies) {
  const auto old_secret = secret_generate();
  const auto new_secret = secret_generate();
  const auto pair = ed25519_keypair_generate();
  ASSERT_TRUE(old_secret && new_secret);
  std::vector<SigningKey> keys;
  for (const auto& s : {*old_secret, *new_secret, pair.secret_key}) keys.push_back(*signing_key_parse(s));
  const Headers h{"msg_2", std::to_string(kNow), sign("msg_2", kNow, kBody, keys)};
  EXPECT_EQ(std::count(h.signature.begin(), h.signature.end(), ' '), 2);
  for (const auto& s : {*old_secret, *new_secret, pair.public_key}) {
    auto key = verify_key_parse(s);
    ASSERT_TRUE(key);
    EXPECT_TRUE(verify(h, kBody, *key, kNow)) << s.substr(0, 5);
  }
  auto stranger = verify_key_parse(*secret_generate());
  EXPECT_FALSE(verify(h, kBody, *stranger, kNow));
}

TEST_F(WebhookVerify, EmptyBodyIsSignedToo) {
  const Headers h{"msg_3", std::to_string(kNow), sign("msg_3", kNow, "", signing_)};
  EXPECT_TRUE(verify(h, "", verifying_, kNow));
  EXPECT_FALSE(verify(h, " ", verifying_, kNow));
}

TEST_F(WebhookVerify, SignWithNoKeysIsEmpty) {
  EXPECT_EQ(sign("msg_4", kNow, kBody, std::span<const SigningKey>{}), "");
}

TEST_F(WebhookVerify, HeadersFromAMapIgnoreCase) {
  const std::map<std::string, std::string> headers{{"Content-Type", "application/json"},
                                                   {"Webhook-Id", good_.id},
                                                   {"WEBHOOK-TIMESTAMP", good_.timestamp},
                                                   {"webhook-Signature", good_.signature}};
  EXPECT_TRUE(verify(headers, kBody, verifying_, kNow));
  auto missing = headers;
  missing.erase("WEBHOOK-TIMESTAMP");
  const auto r = verify(missing, kBody, verifying_, kNow);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "webhook-timestamp");
}

TEST_F(WebhookVerify, HeadersFromAMultimapOrVector) {
  const std::unordered_multimap<std::string, std::string> mm{
      {"webhook-id", good_.id}, {"webhook-timestamp", good_.timestamp}, {"webhook-signature", good_.signature}};
  EXPECT_TRUE(verify(mm, kBody, verifying_, kNow));
  const std::vector<std::pair<std::string_view, std::string_view>> v{
      {"WEBHOOK-ID", good_.id}, {"Webhook-Timestamp", good_.timestamp}, {"Webhook-Signature", good_.signature}};
  EXPECT_TRUE(verify(v, kBody, verifying_, kNow));
}

TEST_F(WebhookVerify, HeadersFromALookup) {
  std::vector<std::string> asked;
  const HeaderLookup lookup = [&](std::string_view name) -> std::optional<std::string> {
    asked.emplace_back(name);
    if (name == "webhook-id") return good_.id;
    if (name == "webhook-timestamp") return good_.timestamp;
    if (name == "webhook-signature") return good_.signature;
    return std::nullopt;
  };
  EXPECT_TRUE(verify(lookup, kBody, verifying_, kNow));
  EXPECT_EQ(asked, (std::vector<std::string>{"webhook-id", "webhook-timestamp", "webhook-signature"}));
  const auto r =
      verify([](std::string_view) -> std::optional<std::string> { return std::nullopt; }, kBody, verifying_, kNow);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::missing_header);
  EXPECT_EQ(r.error().field, "webhook-id");
}

TEST(WebhookHeaderName, ComparesIgnoringAsciiCaseOnly) {
  EXPECT_TRUE(header_name_equals("Webhook-ID", "webhook-id"));
  EXPECT_FALSE(header_name_equals("webhook-id ", "webhook-id"));
  EXPECT_FALSE(header_name_equals("webhook_id", "webhook-id"));
}

}  // namespace
}  // namespace vitrina::webhook
