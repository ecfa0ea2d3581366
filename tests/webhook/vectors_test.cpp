// Known-answer tests against tests/vectors/standard-webhooks.json: the official v1 vector
// and the v1a (Ed25519) vector, read from the file at test time.

#include <gtest/gtest.h>

#include <string>

#include "vector_file.hpp"
#include "vitrina/webhook/webhook.hpp"

namespace vitrina::webhook {
namespace {

struct Vector {
  std::string secret;      // whsec_ (v1) or whsk_ (v1a)
  std::string public_key;  // whpk_ (v1a only)
  std::string id;
  std::int64_t timestamp = 0;
  std::string payload;
  std::string signed_content;  // v1 only
  std::string signature;
};

class WebhookVectors : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto json = test::read_file(VITRINA_WEBHOOK_VECTORS);
    ASSERT_TRUE(json) << "cannot read the known-answer vectors at " << VITRINA_WEBHOOK_VECTORS
                      << " (tests/vectors/ in the repository)";
    const auto root = protocol::parse_json(*json);
    ASSERT_TRUE(root) << "the vectors file is not valid JSON: " << root.error().message;
    const protocol::JsonValue* v1 = root->find("v1");
    const protocol::JsonValue* v1a = root->find("v1a");
    ASSERT_TRUE(v1 && v1->is_object() && v1a && v1a->is_object()) << "the vectors file has no \"v1\" or \"v1a\" object";
    ASSERT_TRUE(load(*v1, "secret", v1_) && test::string_member(*v1, "signed_content"));
    v1_.signed_content = *test::string_member(*v1, "signed_content");
    ASSERT_TRUE(load(*v1a, "secret_key", v1a_) && test::string_member(*v1a, "public_key"));
    v1a_.public_key = *test::string_member(*v1a, "public_key");
  }

  static bool load(const protocol::JsonValue& object, std::string_view secret_key, Vector& out) {
    auto secret = test::string_member(object, secret_key);
    auto id = test::string_member(object, "id");
    auto ts = test::int_member(object, "timestamp");
    auto payload = test::string_member(object, "payload");
    auto signature = test::string_member(object, "signature");
    if (!secret || !id || !ts || !payload || !signature) return false;
    out = Vector{*secret, {}, *id, *ts, *payload, {}, *signature};
    return true;
  }

  Headers headers_of(const Vector& v) const { return {v.id, std::to_string(v.timestamp), v.signature}; }

  Vector v1_;
  Vector v1a_;
};

TEST_F(WebhookVectors, ReaderDecodesTheSignedContent) {
  // The payload's escaped quotes came through decoded.
  EXPECT_EQ(v1_.payload, R"({"test": 2432232314})");
  EXPECT_EQ(v1_.signed_content, v1_.id + "." + std::to_string(v1_.timestamp) + "." + v1_.payload);
}

TEST_F(WebhookVectors, SignReproducesOfficialV1Vector) {
  auto key = signing_key_parse(v1_.secret);
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(key->scheme(), Scheme::hmac_sha256);
  EXPECT_EQ(sign(v1_.id, v1_.timestamp, v1_.payload, *key), v1_.signature);
}

TEST_F(WebhookVectors, SignReproducesV1aVector) {
  auto key = signing_key_parse(v1a_.secret);
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(key->scheme(), Scheme::ed25519);
  EXPECT_EQ(sign(v1a_.id, v1a_.timestamp, v1a_.payload, *key), v1a_.signature);
}

TEST_F(WebhookVectors, PublicKeyOfWhskMatchesWhpk) {
  auto sk = signing_key_parse(v1a_.secret);
  auto pk = verify_key_parse(v1a_.public_key);
  ASSERT_TRUE(sk && pk);
  const auto derived = sk->verify_key();
  ASSERT_EQ(derived.bytes().size(), 32u);
  EXPECT_TRUE(std::equal(derived.bytes().begin(), derived.bytes().end(), pk->bytes().begin(), pk->bytes().end()));
}

TEST_F(WebhookVectors, SignWithBothKeysSendsBothEntries) {
  auto k1 = signing_key_parse(v1_.secret);
  auto k2 = signing_key_parse(v1a_.secret);
  ASSERT_TRUE(k1 && k2);
  const std::vector<SigningKey> keys{*k1, *k2};
  // The two vectors share id, timestamp and payload.
  EXPECT_EQ(sign(v1_.id, v1_.timestamp, v1_.payload, keys), v1_.signature + " " + v1a_.signature);
}

TEST_F(WebhookVectors, VerifyAcceptsV1VectorAtItsTimestamp) {
  auto key = verify_key_parse(v1_.secret);
  ASSERT_TRUE(key);
  const auto r = verify(headers_of(v1_), v1_.payload, *key, v1_.timestamp);
  EXPECT_TRUE(r) << r.error().code << ": " << r.error().message;
}

TEST_F(WebhookVectors, VerifyAcceptsV1aVectorWithPublicKey) {
  auto key = verify_key_parse(v1a_.public_key);
  ASSERT_TRUE(key);
  const auto r = verify(headers_of(v1a_), v1a_.payload, *key, v1a_.timestamp);
  EXPECT_TRUE(r) << r.error().code << ": " << r.error().message;
}

TEST_F(WebhookVectors, RefusesTamperedBody) {
  auto hk = verify_key_parse(v1_.secret);
  auto pk = verify_key_parse(v1a_.public_key);
  ASSERT_TRUE(hk && pk);
  const std::string body = R"({"test": 2432232315})";
  auto r1 = verify(headers_of(v1_), body, *hk, v1_.timestamp);
  auto r2 = verify(headers_of(v1a_), body, *pk, v1a_.timestamp);
  ASSERT_FALSE(r1);
  ASSERT_FALSE(r2);
  EXPECT_EQ(r1.error().code, vitrina::protocol::ErrorCode::invalid_signature);
  EXPECT_EQ(r1.error().field, "webhook-signature");
  EXPECT_EQ(r2.error().code, vitrina::protocol::ErrorCode::invalid_signature);
  // A body that differs only by trailing whitespace is a different body.
  EXPECT_FALSE(verify(headers_of(v1_), v1_.payload + "\n", *hk, v1_.timestamp));
}

TEST_F(WebhookVectors, RefusesTamperedId) {
  auto hk = verify_key_parse(v1_.secret);
  auto pk = verify_key_parse(v1a_.public_key);
  ASSERT_TRUE(hk && pk);
  Headers h1 = headers_of(v1_);
  h1.id = "msg_p5jXN8AQM9LWM0D4loKWxJeK";
  Headers h2 = headers_of(v1a_);
  h2.id = h1.id;
  auto r1 = verify(h1, v1_.payload, *hk, v1_.timestamp);
  auto r2 = verify(h2, v1a_.payload, *pk, v1a_.timestamp);
  ASSERT_FALSE(r1);
  ASSERT_FALSE(r2);
  EXPECT_EQ(r1.error().code, vitrina::protocol::ErrorCode::invalid_signature);
  EXPECT_EQ(r2.error().code, vitrina::protocol::ErrorCode::invalid_signature);
}

TEST_F(WebhookVectors, RefusesTamperedTimestamp) {
  auto hk = verify_key_parse(v1_.secret);
  auto pk = verify_key_parse(v1a_.public_key);
  ASSERT_TRUE(hk && pk);
  // Well inside the window, so only the signature can refuse it.
  const std::int64_t ts = v1_.timestamp + 1;
  Headers h1 = headers_of(v1_);
  h1.timestamp = std::to_string(ts);
  Headers h2 = headers_of(v1a_);
  h2.timestamp = h1.timestamp;
  auto r1 = verify(h1, v1_.payload, *hk, ts);
  auto r2 = verify(h2, v1a_.payload, *pk, ts);
  ASSERT_FALSE(r1);
  ASSERT_FALSE(r2);
  EXPECT_EQ(r1.error().code, vitrina::protocol::ErrorCode::invalid_signature);
  EXPECT_EQ(r2.error().code, vitrina::protocol::ErrorCode::invalid_signature);
}

TEST_F(WebhookVectors, ToleranceIs300SecondsBothWays) {
  auto key = verify_key_parse(v1_.secret);
  ASSERT_TRUE(key);
  const Headers h = headers_of(v1_);
  for (const int offset : {-300, -299, 0, 299, 300}) {
    const auto r = verify(h, v1_.payload, *key, v1_.timestamp + offset);
    EXPECT_TRUE(r) << "now = ts + " << offset << ": " << r.error().message;
  }
  for (const int offset : {-301, 301, -86400, 86400}) {
    const auto r = verify(h, v1_.payload, *key, v1_.timestamp + offset);
    ASSERT_FALSE(r) << "now = ts + " << offset;
    EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::timestamp_out_of_tolerance);
    EXPECT_EQ(r.error().field, "webhook-timestamp");
  }
  // The message says which way it is off: now ahead of ts means too old.
  EXPECT_NE(verify(h, v1_.payload, *key, v1_.timestamp + 301).error().message.find("old"), std::string::npos);
  EXPECT_NE(verify(h, v1_.payload, *key, v1_.timestamp - 301).error().message.find("new"), std::string::npos);
}

TEST_F(WebhookVectors, ToleranceCanBeNarrowed) {
  auto key = verify_key_parse(v1_.secret);
  ASSERT_TRUE(key);
  EXPECT_TRUE(verify(headers_of(v1_), v1_.payload, *key, v1_.timestamp + 10, std::chrono::seconds(10)));
  EXPECT_FALSE(verify(headers_of(v1_), v1_.payload, *key, v1_.timestamp + 11, std::chrono::seconds(10)));
}

TEST_F(WebhookVectors, OneGoodEntryAmongSeveralPasses) {
  auto hk = verify_key_parse(v1_.secret);
  auto pk = verify_key_parse(v1a_.public_key);
  ASSERT_TRUE(hk && pk);
  const std::string bad_v1 = "v1,Ag0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
  Headers h = headers_of(v1_);
  h.signature = bad_v1 + " " + v1a_.signature + " " + v1_.signature;
  EXPECT_TRUE(verify(h, v1_.payload, *hk, v1_.timestamp));  // the v1a entry is skipped: no Ed25519 key
  EXPECT_TRUE(verify(h, v1_.payload, *pk, v1_.timestamp));  // the v1 entries are skipped: no HMAC key
  h.signature = bad_v1 + " " + bad_v1;
  EXPECT_FALSE(verify(h, v1_.payload, *hk, v1_.timestamp));
}

TEST_F(WebhookVectors, UnknownVersionIsSkipped) {
  auto key = verify_key_parse(v1_.secret);
  ASSERT_TRUE(key);
  Headers h = headers_of(v1_);
  h.signature = "v9,xxx " + v1_.signature;
  EXPECT_TRUE(verify(h, v1_.payload, *key, v1_.timestamp));
  // The right bytes under an unknown version do not count.
  h.signature = "v9," + v1_.signature.substr(3);
  const auto r = verify(h, v1_.payload, *key, v1_.timestamp);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::invalid_signature);
}

TEST_F(WebhookVectors, MalformedEntriesAreSkipped) {
  auto key = verify_key_parse(v1_.secret);
  ASSERT_TRUE(key);
  Headers h = headers_of(v1_);
  const std::string good_b64 = v1_.signature.substr(3);
  const std::vector<std::string> junks{"v1",
                                       "v1,",
                                       ",",
                                       "v1,!!!!",
                                       "v1,g0hM9SsE",
                                       "v1," + good_b64 + "AAAA",
                                       "v1a," + good_b64,
                                       "garbage",
                                       "v1," + good_b64.substr(0, 40)};
  for (const std::string& junk : junks) {
    h.signature = junk + "   " + v1_.signature;
    EXPECT_TRUE(verify(h, v1_.payload, *key, v1_.timestamp)) << junk;
    h.signature = junk;
    EXPECT_FALSE(verify(h, v1_.payload, *key, v1_.timestamp)) << junk;
  }
}

TEST_F(WebhookVectors, UnpaddedSignatureIsAccepted) {
  auto key = verify_key_parse(v1_.secret);
  ASSERT_TRUE(key);
  Headers h = headers_of(v1_);
  ASSERT_EQ(h.signature.back(), '=');
  h.signature.pop_back();
  EXPECT_TRUE(verify(h, v1_.payload, *key, v1_.timestamp));
}

TEST_F(WebhookVectors, LooksAtABoundedNumberOfEntries) {
  auto key = verify_key_parse(v1_.secret);
  ASSERT_TRUE(key);
  Headers h = headers_of(v1_);
  h.signature.clear();
  for (std::size_t i = 0; i + 1 < kMaxSignatureEntries; ++i) h.signature += "v1,AAAA ";
  h.signature += v1_.signature;
  EXPECT_TRUE(verify(h, v1_.payload, *key, v1_.timestamp));
  h.signature = "v1,AAAA " + h.signature;
  EXPECT_FALSE(verify(h, v1_.payload, *key, v1_.timestamp));
}

TEST_F(WebhookVectors, HeaderValuesAreTrimmed) {
  auto key = verify_key_parse(v1_.secret);
  ASSERT_TRUE(key);
  Headers h = headers_of(v1_);
  h.id = " " + h.id + "\t";
  h.timestamp = " " + h.timestamp + " ";
  h.signature = "  " + h.signature + " ";
  EXPECT_TRUE(verify(h, v1_.payload, *key, v1_.timestamp));
}

TEST_F(WebhookVectors, SignatureOfOneSchemeDoesNotPassForTheOther) {
  // The v1 vector's MAC bytes relabelled v1a, checked with the Ed25519 key: no.
  auto pk = verify_key_parse(v1a_.public_key);
  ASSERT_TRUE(pk);
  Headers h = headers_of(v1a_);
  h.signature = "v1," + v1a_.signature.substr(4) + " v1a," + v1_.signature.substr(3);
  EXPECT_FALSE(verify(h, v1a_.payload, *pk, v1a_.timestamp));
}

}  // namespace
}  // namespace vitrina::webhook
