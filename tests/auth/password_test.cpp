#include "auth/password.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <string>

namespace vitrina::auth {
namespace {

TEST(HashPassword, ProducesArgon2idStringThatVerifies) {
  auto hash = hash_password("correct horse battery", kMinimumCost);
  ASSERT_TRUE(hash.has_value());
  EXPECT_TRUE(hash->starts_with("$argon2id$")) << *hash;
  EXPECT_TRUE(verify_password(*hash, "correct horse battery"));
}

TEST(HashPassword, InteractiveCostIsTheDefault) {
  auto hash = hash_password("correct horse battery");
  ASSERT_TRUE(hash.has_value());
  EXPECT_NE(hash->find("m=65536"), std::string::npos) << *hash;  // 64 MiB, in KiB
  EXPECT_TRUE(verify_password(*hash, "correct horse battery"));
}

TEST(HashPassword, SaltsEachHash) {
  auto a = hash_password("same password", kMinimumCost);
  auto b = hash_password("same password", kMinimumCost);
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
}

TEST(VerifyPassword, RejectsWrongPassword) {
  auto hash = hash_password("correct horse battery", kMinimumCost);
  ASSERT_TRUE(hash.has_value());
  EXPECT_FALSE(verify_password(*hash, "correct horse batterx"));
  EXPECT_FALSE(verify_password(*hash, ""));
  EXPECT_FALSE(verify_password(*hash, "correct horse battery "));
}

TEST(VerifyPassword, RejectsMalformedHashes) {
  EXPECT_FALSE(verify_password("", "anything"));
  EXPECT_FALSE(verify_password("$argon2id$garbage", "anything"));
  EXPECT_FALSE(verify_password(std::string(1000, 'x'), "anything"));
  auto hash = hash_password("pw", kMinimumCost);
  ASSERT_TRUE(hash.has_value());
  // A truncated hash must not verify, whatever the password.
  EXPECT_FALSE(verify_password(hash->substr(0, hash->size() - 4), "pw"));
}

TEST(VerifyPassword, AcceptsPasswordsWithEmbeddedNul) {
  const std::string pw("ab\0cd", 5);
  auto hash = hash_password(pw, kMinimumCost);
  ASSERT_TRUE(hash.has_value());
  EXPECT_TRUE(verify_password(*hash, pw));
  EXPECT_FALSE(verify_password(*hash, "ab"));
}

TEST(GeneratePassword, IsTwentyBase62Characters) {
  const auto pw = generate_password();
  ASSERT_EQ(pw.size(), 20u);
  for (char c : pw) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << c;
  EXPECT_NE(generate_password(), pw);
}

}  // namespace
}  // namespace vitrina::auth
