// Endpoint records and their keys: which keys each signing scheme makes, which keys sign a
// delivery (current, then previous during the overlap), known-answer signatures from
// tests/vectors/standard-webhooks.json, and the API's JSON, which never shows a private key.

#include "webhooks/endpoints.hpp"

#include <gtest/gtest.h>

#include "vitrina/webhook/webhook.hpp"
#include "webhooks/api_json.hpp"

namespace vitrina::webhooks {
namespace {

// From tests/vectors/standard-webhooks.json.
constexpr const char* kVectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr const char* kVectorSigningKey = "whsk_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";
constexpr const char* kVectorPublicKey = "whpk_ebVWLo/mVPlAeLES6KmLp5AfhTrmlb7X4OORC60ElmQ=";
constexpr const char* kVectorId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr std::int64_t kVectorTimestamp = 1614265330;
constexpr const char* kVectorPayload = R"({"test": 2432232314})";
constexpr const char* kVectorV1 = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
constexpr const char* kVectorV1a =
    "v1a,OVJuLC0iOuaBuQulpz9A/zDgvqV8z8miLUJk2j15ZMONwDNhOvPJ3rO4owAHFyjFq80+pUUjrNfTHAZs1RQnDw==";

constexpr std::int64_t kNow = 1'700'000'000'000;

store::WebhookEndpoint make(Signing signing) {
  auto e = new_endpoint("site_a", {.url = "https://shop.example/h", .signing = signing}, false, kNow);
  EXPECT_TRUE(e) << e.error().message;
  return e ? *e : store::WebhookEndpoint{};
}

std::string sign_with(const store::WebhookEndpoint& e, std::int64_t now_ms) {
  const auto keys = signing_keys(e, now_ms);
  return webhook::sign(kVectorId, kVectorTimestamp, kVectorPayload, std::span<const webhook::SigningKey>(keys));
}

bool verifies(const std::string& signature, const std::string& key_text) {
  auto key = webhook::verify_key_parse(key_text);
  if (!key) return false;
  const webhook::Headers headers{
      .id = kVectorId, .timestamp = std::to_string(kVectorTimestamp), .signature = signature};
  return webhook::verify(headers, kVectorPayload, *key, kVectorTimestamp).has_value();
}

TEST(Signing, ParsesAndNamesTheThreeSchemes) {
  for (const auto s : {Signing::hmac, Signing::ed25519, Signing::both}) EXPECT_EQ(parse_signing(to_string(s)), s);
  EXPECT_FALSE(parse_signing("HMAC"));
  EXPECT_FALSE(parse_signing(""));
}

TEST(NewEndpoint, KeysFollowTheSigningScheme) {
  const auto hmac = make(Signing::hmac);
  EXPECT_TRUE(hmac.id.starts_with("we_"));
  EXPECT_TRUE(hmac.secret.starts_with("whsec_"));
  EXPECT_TRUE(hmac.signing_key.empty());
  EXPECT_TRUE(hmac.public_key.empty());
  EXPECT_EQ(signing_of(hmac), Signing::hmac);

  const auto ed = make(Signing::ed25519);
  EXPECT_TRUE(ed.secret.empty());
  EXPECT_TRUE(ed.signing_key.starts_with("whsk_"));
  EXPECT_TRUE(ed.public_key.starts_with("whpk_"));
  EXPECT_EQ(signing_of(ed), Signing::ed25519);
  // The public key shown to the shop is the one of the private key kept here.
  auto sk = webhook::signing_key_parse(ed.signing_key);
  auto pk = webhook::verify_key_parse(ed.public_key);
  ASSERT_TRUE(sk && pk);
  const auto derived_key = sk->verify_key();
  const auto derived = derived_key.bytes();
  EXPECT_TRUE(std::equal(derived.begin(), derived.end(), pk->bytes().begin(), pk->bytes().end()));

  const auto both = make(Signing::both);
  EXPECT_FALSE(both.secret.empty());
  EXPECT_FALSE(both.signing_key.empty());
  EXPECT_EQ(signing_of(both), Signing::both);
  EXPECT_EQ(both.created_at, kNow);
  EXPECT_EQ(both.updated_at, kNow);
}

TEST(NewEndpoint, RefusesWhatTheApiRefuses) {
  EXPECT_EQ(new_endpoint("s", {.url = "http://shop.example/"}, false, kNow).error().field, "url");
  EXPECT_TRUE(new_endpoint("s", {.url = "http://shop.example/"}, true, kNow));
  EXPECT_EQ(
      new_endpoint("s", {.url = "https://a.example", .event_types = {"ok", "*", "Bad"}}, false, kNow).error().field,
      "event_types[2]");
  EXPECT_EQ(
      new_endpoint("s", {.url = "https://a.example", .description = std::string(300, 'd')}, false, kNow).error().field,
      "description");
}

TEST(SigningKeys, KnownAnswersForEachScheme) {
  store::WebhookEndpoint e{.secret = kVectorSecret};
  EXPECT_EQ(sign_with(e, kNow), kVectorV1);
  e = {.signing_key = kVectorSigningKey, .public_key = kVectorPublicKey};
  EXPECT_EQ(sign_with(e, kNow), kVectorV1a);
  e = {.secret = kVectorSecret, .signing_key = kVectorSigningKey, .public_key = kVectorPublicKey};
  EXPECT_EQ(sign_with(e, kNow), std::string(kVectorV1) + " " + kVectorV1a);
}

TEST(SigningKeys, PreviousKeysSignUntilTheyExpire) {
  auto e = make(Signing::both);
  const auto old = e;
  auto fresh = fresh_keys();
  ASSERT_TRUE(fresh);
  e.previous_secret = e.secret;
  e.previous_signing_key = e.signing_key;
  e.previous_secret_expires_at = kNow + kRotationOverlapMs;
  e.secret = fresh->secret;
  e.signing_key = fresh->signing_key;
  e.public_key = fresh->public_key;

  const auto during = sign_with(e, kNow);
  EXPECT_EQ(signing_keys(e, kNow).size(), 4u);
  for (const auto& key : {old.secret, old.public_key, e.secret, e.public_key}) EXPECT_TRUE(verifies(during, key));

  const auto after = sign_with(e, kNow + kRotationOverlapMs);
  EXPECT_EQ(signing_keys(e, kNow + kRotationOverlapMs).size(), 2u);
  EXPECT_TRUE(verifies(after, e.secret));
  EXPECT_TRUE(verifies(after, e.public_key));
  EXPECT_FALSE(verifies(after, old.secret));
  EXPECT_FALSE(verifies(after, old.public_key));
}

TEST(SigningKeys, SkipsWhatCannotBeParsed) {
  store::WebhookEndpoint e{.secret = "whsec_***", .signing_key = kVectorSigningKey};
  EXPECT_EQ(sign_with(e, kNow), kVectorV1a);
}

TEST(EndpointJson, NeverShowsThePrivateKey) {
  auto e = make(Signing::both);
  e.previous_secret = "whsec_b2xkIG9sZCBvbGQgb2xkIG9sZCBvbGQgb2xk";
  e.previous_signing_key = kVectorSigningKey;
  e.previous_secret_expires_at = kNow + 1000;
  for (const bool show : {false, true}) {
    const auto json = endpoint_json(e, kNow, show);
    EXPECT_EQ(json.find("whsk_"), std::string::npos) << json;
    EXPECT_EQ(json.find(e.previous_secret), std::string::npos) << json;
    EXPECT_NE(json.find(R"("public_key":")" + e.public_key + "\""), std::string::npos) << json;
    EXPECT_EQ(json.find(e.secret) != std::string::npos, show) << json;
  }
  const auto json = endpoint_json(e, kNow);
  EXPECT_NE(json.find(R"("signing":"both")"), std::string::npos);
  EXPECT_NE(json.find(R"("enabled":true,"disabled_reason":null)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("previous_keys_expire_at":"2023-11-14T22:13:21.000Z")"), std::string::npos) << json;
  EXPECT_NE(endpoint_json(e, kNow + 1000).find(R"("previous_keys_expire_at":null)"), std::string::npos);
  EXPECT_EQ(endpoint_list_json({e}, kNow).find(e.secret), std::string::npos);
}

TEST(EndpointJson, HmacEndpointHasNoPublicKeyAndShowsWhyItIsDisabled) {
  auto e = make(Signing::hmac);
  e.disabled = true;
  e.disabled_reason = "the endpoint answered 410 Gone";
  const auto json = endpoint_json(e, kNow);
  EXPECT_NE(json.find(R"("public_key":null)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("enabled":false,"disabled_reason":"the endpoint answered 410 Gone")"), std::string::npos)
      << json;
}

TEST(MessageJson, DeliveriesAndAttempts) {
  const store::WebhookMessage m{.id = "msg_1",
                                .site_id = "site_a",
                                .event_type = "payment.succeeded",
                                .payload = R"({"type":"payment.succeeded","data":{}})",
                                .created_at = kNow};
  const std::vector<store::WebhookDelivery> deliveries{{.message_id = "msg_1",
                                                        .endpoint_id = "we_1",
                                                        .status = "pending",
                                                        .attempts = 1,
                                                        .next_attempt_at = kNow + 5000,
                                                        .last_status_code = 503,
                                                        .last_error = "HTTP 503",
                                                        .updated_at = kNow}};
  const std::vector<store::WebhookAttempt> attempts{{.id = 7,
                                                     .message_id = "msg_1",
                                                     .endpoint_id = "we_1",
                                                     .attempted_at = kNow,
                                                     .status_code = 0,
                                                     .error = "timed out",
                                                     .duration_ms = 15000,
                                                     .response_snippet = "",
                                                     .next_attempt_at = kNow + 5000}};
  const auto full = message_json(m, deliveries, &attempts);
  EXPECT_NE(full.find(R"("payload":{"type":"payment.succeeded","data":{}})"), std::string::npos) << full;
  EXPECT_NE(full.find(R"("status":"pending","attempts":1,"next_attempt_at":"2023-11-14T22:13:25.000Z",)"
                      R"("last_status_code":503,"last_error":"HTTP 503")"),
            std::string::npos)
      << full;
  EXPECT_NE(full.find(R"("status_code":null,"error":"timed out","duration_ms":15000,"response":"",)"
                      R"("next_attempt_at":"2023-11-14T22:13:25.000Z")"),
            std::string::npos)
      << full;
  const auto summary = message_list_json({{m, deliveries}});
  EXPECT_EQ(summary.find("payload"), std::string::npos);
  EXPECT_EQ(summary.find(R"("attempts":[)"), std::string::npos);
  EXPECT_NE(summary.find(R"({"items":[{"id":"msg_1","type":"payment.succeeded")"), std::string::npos) << summary;
}

}  // namespace
}  // namespace vitrina::webhooks
