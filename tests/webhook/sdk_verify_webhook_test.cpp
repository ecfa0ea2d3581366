// vitrina::sdk::verify_webhook, the one-call form shop backends use.

#include <gtest/gtest.h>

#include <map>

#include "vitrina/sdk/webhook.hpp"

namespace vitrina::sdk {
namespace {

// The official v1 vector; vectors_test.cpp checks it against the shared file.
constexpr std::string_view kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr std::int64_t kTs = 1614265330;
constexpr std::string_view kBody = R"({"test": 2432232314})";
const webhook::Headers kHeaders{"msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330",
                                "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="};

TEST(SdkVerifyWebhook, AcceptsTheOfficialVector) { EXPECT_TRUE(verify_webhook(kHeaders, kBody, kSecret, kTs)); }

TEST(SdkVerifyWebhook, TakesAHeaderMap) {
  const std::map<std::string, std::string> headers{{"Webhook-Id", kHeaders.id},
                                                   {"Webhook-Timestamp", kHeaders.timestamp},
                                                   {"Webhook-Signature", kHeaders.signature}};
  EXPECT_TRUE(verify_webhook(headers, kBody, kSecret, kTs + 120));
}

TEST(SdkVerifyWebhook, RefusesAnOldMessageAtTheSystemClock) {
  const auto r = verify_webhook(kHeaders, kBody, kSecret);  // 2021 is far in the past
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::timestamp_out_of_tolerance);
}

TEST(SdkVerifyWebhook, RefusesABadSecret) {
  const auto r = verify_webhook(kHeaders, kBody, "whsec_not base64", kTs);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::invalid_key);
}

TEST(SdkVerifyWebhook, RefusesATamperedBody) {
  const auto r = verify_webhook(kHeaders, R"({"test": 1})", kSecret, kTs);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::invalid_signature);
}

TEST(SdkVerifyWebhook, VerifiesEd25519WithThePublicKey) {
  const auto pair = webhook::ed25519_keypair_generate();
  auto sk = webhook::signing_key_parse(pair.secret_key);
  ASSERT_TRUE(sk);
  const webhook::Headers h{"msg_1", std::to_string(kTs), webhook::sign("msg_1", kTs, kBody, *sk)};
  EXPECT_TRUE(verify_webhook(h, kBody, pair.public_key, kTs));
  EXPECT_FALSE(verify_webhook(h, kBody, pair.secret_key, kTs));  // receivers hold whpk_, not whsk_
}

}  // namespace
}  // namespace vitrina::sdk
