#include "auth/keys.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "vitrina/protocol/keys.hpp"

namespace vitrina::auth {
namespace {

TEST(AuthInitialize, SucceedsAndIsIdempotent) {
  EXPECT_TRUE(initialize().has_value());
  EXPECT_TRUE(initialize().has_value());
}

TEST(GeneratePublicKey, HasPrefixAndBase62Body) {
  const auto key = generate_public_key();
  EXPECT_TRUE(key.starts_with("pk_"));
  EXPECT_EQ(key.size(), 3u + 24u);
  EXPECT_TRUE(protocol::is_public_key(key)) << key;
}

TEST(GenerateSecretKey, HasPrefixAndBase62Body) {
  const auto key = generate_secret_key();
  EXPECT_TRUE(key.starts_with("sk_"));
  EXPECT_EQ(key.size(), 3u + 43u);
  EXPECT_TRUE(protocol::is_secret_key(key));
}

TEST(GenerateId, UsesGivenPrefix) {
  const auto site = generate_id(protocol::kSiteIdPrefix);
  const auto op = generate_id(protocol::kOperatorIdPrefix);
  EXPECT_TRUE(protocol::is_key_of(site, "site_", 24)) << site;
  EXPECT_TRUE(protocol::is_key_of(op, "op_", 24)) << op;
}

TEST(GenerateKeys, DoNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) {
    EXPECT_TRUE(seen.insert(generate_secret_key()).second);
    EXPECT_TRUE(seen.insert(generate_public_key()).second);
  }
}

TEST(GenerateKeys, UseTheWholeAlphabet) {
  // A broken sampler (a stuck byte, a bias to digits) would leave characters unused.
  std::set<char> chars;
  for (int i = 0; i < 200; ++i) {
    for (char c : generate_secret_key().substr(3)) chars.insert(c);
  }
  EXPECT_EQ(chars.size(), 62u);
}

TEST(RandomBase62, HasRequestedLength) {
  EXPECT_EQ(random_base62(0), "");
  EXPECT_EQ(random_base62(100).size(), 100u);
}

TEST(HashSecretKey, MatchesBlake2b256KnownAnswers) {
  // Known answers from Python's hashlib.blake2b(data, digest_size=32).
  EXPECT_EQ(hash_secret_key(""), "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
  EXPECT_EQ(hash_secret_key("abc"), "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
  EXPECT_EQ(hash_secret_key("sk_test"), "39e7e7de3b0d5b759ce1eae49f5a515a716a9bbad6c2ef9e95939bec64d1277a");
}

TEST(HashSecretKey, IsDeterministicAndKeySpecific) {
  const auto a = generate_secret_key();
  const auto b = generate_secret_key();
  EXPECT_EQ(hash_secret_key(a), hash_secret_key(a));
  EXPECT_NE(hash_secret_key(a), hash_secret_key(b));
  EXPECT_EQ(hash_secret_key(a).size(), 64u);
}

TEST(ConstantTimeEqual, ComparesContentsAndLengths) {
  EXPECT_TRUE(constant_time_equal("", ""));
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "abcd"));
  EXPECT_FALSE(constant_time_equal("abc", ""));
  EXPECT_FALSE(constant_time_equal(std::string_view("ab\0c", 4), std::string_view("ab\0d", 4)));
}

}  // namespace
}  // namespace vitrina::auth
