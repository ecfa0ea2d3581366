// Parsing and generating whsec_ / whsk_ / whpk_ keys.

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "vitrina/webhook/webhook.hpp"

namespace vitrina::webhook {
namespace {

bool same_bytes(std::span<const unsigned char> a, std::span<const unsigned char> b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

constexpr std::int64_t kNow = 1'700'000'000;

TEST(WebhookKeys, SecretPrefixIsOptional) {
  auto with = verify_key_parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  auto without = verify_key_parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  ASSERT_TRUE(with && without);
  EXPECT_EQ(with->bytes().size(), 24u);
  EXPECT_TRUE(same_bytes(with->bytes(), without->bytes()));
  auto signing = signing_key_parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  ASSERT_TRUE(signing);
  EXPECT_EQ(signing->scheme(), Scheme::hmac_sha256);
}

TEST(WebhookKeys, UnpaddedSecretIsAccepted) {
  const auto secret = secret_generate(32);  // 32 bytes: base64 ends in '='
  ASSERT_TRUE(secret);
  ASSERT_EQ(secret->back(), '=');
  std::string unpadded = *secret;
  while (unpadded.back() == '=') unpadded.pop_back();
  auto padded_key = signing_key_parse(*secret);
  auto unpadded_key = verify_key_parse(unpadded);
  auto bare_unpadded = verify_key_parse(unpadded.substr(kSecretPrefix.size()));
  ASSERT_TRUE(padded_key && unpadded_key && bare_unpadded);
  EXPECT_TRUE(same_bytes(padded_key->bytes(), unpadded_key->bytes()));
  EXPECT_TRUE(same_bytes(padded_key->bytes(), bare_unpadded->bytes()));
  const Headers h{"msg_1", std::to_string(kNow), sign("msg_1", kNow, "{}", *padded_key)};
  EXPECT_TRUE(verify(h, "{}", *unpadded_key, kNow));
}

TEST(WebhookKeys, BadSecretsAreRefusedWithoutEchoingThem) {
  for (const std::string bad : {"", "whsec_", "whsec_!!!!", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS", "whsec_ab=c",
                                "whsec_MfKQ9r8G KYqrTwjU", "whsk_AAAA", "whpk_AAAA"}) {
    const auto v = verify_key_parse(bad);
    ASSERT_FALSE(v) << bad;
    EXPECT_EQ(v.error().code, vitrina::protocol::ErrorCode::invalid_key);
    EXPECT_EQ(v.error().field, "secret");
    if (bad.size() > 6) {
      EXPECT_EQ(v.error().message.find(bad.substr(6)), std::string::npos);
    }
  }
  for (const std::string bad :
       {"", "whsec_", "whsec_!!!!", "whsk_", "whsk_AAAA", "whsk_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAh"}) {
    const auto s = signing_key_parse(bad);
    ASSERT_FALSE(s) << bad;
    EXPECT_EQ(s.error().code, vitrina::protocol::ErrorCode::invalid_key);
  }
}

TEST(WebhookKeys, PublicKeyCannotSignAndPrivateKeyIsNotForReceivers) {
  const auto pair = ed25519_keypair_generate();
  const auto s = signing_key_parse(pair.public_key);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("whpk_"), std::string::npos);
  const auto v = verify_key_parse(pair.secret_key);
  ASSERT_FALSE(v);
  EXPECT_NE(v.error().message.find("whsk_"), std::string::npos);
}

TEST(WebhookKeys, GeneratedSecretsHaveTheAskedSize) {
  for (std::size_t n = kSecretBytesMin; n <= kSecretBytesMax; ++n) {
    const auto secret = secret_generate(n);
    ASSERT_TRUE(secret) << n;
    EXPECT_TRUE(secret->starts_with("whsec_"));
    auto key = verify_key_parse(*secret);
    ASSERT_TRUE(key);
    EXPECT_EQ(key->bytes().size(), n);
  }
  for (const std::size_t n : {std::size_t{0}, kSecretBytesMin - 1, kSecretBytesMax + 1}) {
    const auto r = secret_generate(n);
    ASSERT_FALSE(r) << n;
    EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::invalid);
    EXPECT_EQ(r.error().field, "key_bytes");
  }
}

TEST(WebhookKeys, GeneratedKeysDiffer) {
  std::set<std::string> seen;
  for (int i = 0; i < 8; ++i) {
    seen.insert(*secret_generate());
    const auto pair = ed25519_keypair_generate();
    seen.insert(pair.secret_key);
    seen.insert(pair.public_key);
  }
  EXPECT_EQ(seen.size(), 24u);
}

TEST(WebhookKeys, GeneratedKeypairSignsAndVerifies) {
  const auto pair = ed25519_keypair_generate();
  EXPECT_TRUE(pair.secret_key.starts_with("whsk_"));
  EXPECT_TRUE(pair.public_key.starts_with("whpk_"));
  auto sk = signing_key_parse(pair.secret_key);
  auto pk = verify_key_parse(pair.public_key);
  ASSERT_TRUE(sk && pk);
  EXPECT_EQ(sk->bytes().size(), 64u);
  EXPECT_TRUE(same_bytes(sk->verify_key().bytes(), pk->bytes()));
  const std::string sig = sign("msg_1", kNow, "{}", *sk);
  EXPECT_TRUE(sig.starts_with("v1a,"));
  EXPECT_TRUE(verify(Headers{"msg_1", std::to_string(kNow), sig}, "{}", *pk, kNow));
}

TEST(WebhookKeys, HmacVerifyKeyIsTheSameSecret) {
  auto sk = signing_key_parse(*secret_generate());
  ASSERT_TRUE(sk);
  const VerifyKey vk = sk->verify_key();
  EXPECT_EQ(vk.scheme(), Scheme::hmac_sha256);
  EXPECT_TRUE(same_bytes(vk.bytes(), sk->bytes()));
}

TEST(WebhookKeys, LongHmacKeysWork) {
  // Any length is an HMAC key; longer than the block size is hashed first.
  const std::string secret(200, 'A');  // base64 of 150 zero-ish bytes
  auto sk = signing_key_parse(secret);
  auto vk = verify_key_parse(secret);
  ASSERT_TRUE(sk && vk);
  EXPECT_EQ(sk->bytes().size(), 150u);
  const Headers h{"msg_1", std::to_string(kNow), sign("msg_1", kNow, "{}", *sk)};
  EXPECT_TRUE(verify(h, "{}", *vk, kNow));
}

TEST(WebhookKeys, CopiesAndAssignmentsKeepTheirBytes) {
  auto a = signing_key_parse(*secret_generate());
  auto b = signing_key_parse(ed25519_keypair_generate().secret_key);
  ASSERT_TRUE(a && b);
  SigningKey copy = *a;
  EXPECT_TRUE(same_bytes(copy.bytes(), a->bytes()));
  copy = *b;
  EXPECT_EQ(copy.scheme(), Scheme::ed25519);
  EXPECT_TRUE(same_bytes(copy.bytes(), b->bytes()));
  SigningKey moved = std::move(copy);
  EXPECT_TRUE(same_bytes(moved.bytes(), b->bytes()));
}

}  // namespace
}  // namespace vitrina::webhook
