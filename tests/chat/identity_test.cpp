#include "chat/identity.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <optional>
#include <string>

#include "vitrina/protocol/chat_rules.hpp"

namespace vitrina::chat {
namespace {

namespace pc = protocol::chat;

constexpr std::string_view kSecret = "ids_4eC39HqLyjWDarjtT1zdp7dc";
constexpr std::int64_t kExpires = 1893456000;  // 2030-01-01T00:00:00Z
constexpr std::int64_t kNow = 1714564800;      // 2024-05-01T12:00:00Z

// Computed independently with Python: hmac.new(secret, b"user-42.1893456000", sha256).hexdigest()
constexpr std::string_view kKnownHash = "24008d3df0cbd36a7cfb4c423e55f497ca90e7a891e417f3db30a0b991efe5a7";

pc::Identity valid() { return pc::Identity{"user-42", kExpires, std::string(kKnownHash)}; }

// The code of a refusal; nothing when the identity was accepted.
std::optional<vitrina::protocol::ErrorCode> code_of(const Result<VerifiedIdentity>& r) {
  if (r) return std::nullopt;
  return r.error().code;
}

TEST(IdentityHash, MatchesKnownAnswers) {
  EXPECT_EQ(identity_hash(kSecret, "user-42", kExpires), kKnownHash);
  // A key longer than SHA-256's block is hashed first, as HMAC requires.
  EXPECT_EQ(identity_hash(std::string(100, 'k'), "u", 1),
            "22e5c2fd024280ebd501941b65fe739f3a9eec359c9c6831204d64f7d45b08dc");
}

TEST(VerifyIdentity, AcceptsAValidHash) {
  auto r = verify_identity(kSecret, valid(), kNow);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, (VerifiedIdentity{"user-42", kExpires}));
}

TEST(VerifyIdentity, AcceptsUppercaseHex) {
  pc::Identity id = valid();
  for (char& c : id.hash) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(verify_identity(kSecret, id, kNow));
}

TEST(VerifyIdentity, RefusesAnExpiredHashFromItsExpirySecondOn) {
  EXPECT_TRUE(verify_identity(kSecret, valid(), kExpires - 1));
  auto r = verify_identity(kSecret, valid(), kExpires);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::identity_expired);
  EXPECT_EQ(r.error().field, "identity.expires_at");
}

TEST(VerifyIdentity, RefusesAHashMadeWithAnotherSecret) {
  pc::Identity id = valid();
  id.hash = identity_hash("ids_someone_else", id.user_id, id.expires_at);
  auto r = verify_identity(kSecret, id, kNow);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::identity_invalid);
  EXPECT_EQ(r.error().field, "identity.hash");
}

TEST(VerifyIdentity, RefusesATamperedUserId) {
  pc::Identity id = valid();
  id.user_id = "user-43";
  EXPECT_EQ(code_of(verify_identity(kSecret, id, kNow)), vitrina::protocol::ErrorCode::identity_invalid);
  id.user_id = "user-42.1";  // moving the separator must not help
  id.expires_at = 893456000;
  EXPECT_EQ(code_of(verify_identity(kSecret, id, 0)), vitrina::protocol::ErrorCode::identity_invalid);
}

TEST(VerifyIdentity, RefusesAnExtendedExpiryAsInvalidNotExpired) {
  pc::Identity id = valid();
  id.expires_at += 1;
  EXPECT_EQ(code_of(verify_identity(kSecret, id, kNow)), vitrina::protocol::ErrorCode::identity_invalid);
  // A forged hash is reported as invalid even when its expiry has passed.
  EXPECT_EQ(code_of(verify_identity(kSecret, id, kExpires + 10)), vitrina::protocol::ErrorCode::identity_invalid);
}

TEST(VerifyIdentity, RefusesAFlippedHashBit) {
  pc::Identity id = valid();
  id.hash.back() = id.hash.back() == '7' ? '6' : '7';
  EXPECT_EQ(code_of(verify_identity(kSecret, id, kNow)), vitrina::protocol::ErrorCode::identity_invalid);
}

TEST(VerifyIdentity, RefusesMalformedMembersNamingThem) {
  pc::Identity id = valid();
  id.hash = "zz" + id.hash.substr(2);
  auto r = verify_identity(kSecret, id, kNow);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::invalid);
  EXPECT_EQ(r.error().field, "identity.hash");
  id = valid();
  id.user_id = "";
  EXPECT_EQ(verify_identity(kSecret, id, kNow).error().field, "identity.user_id");
  id = valid();
  id.expires_at = -1;
  EXPECT_EQ(verify_identity(kSecret, id, kNow).error().field, "identity.expires_at");
}

TEST(VerifyIdentity, RefusesEverythingWhenTheSiteHasNoSecret) {
  pc::Identity id = valid();
  id.hash = identity_hash("", id.user_id, id.expires_at);
  EXPECT_EQ(code_of(verify_identity("", id, kNow)), vitrina::protocol::ErrorCode::identity_invalid);
}

TEST(CheckIdentity, OptionalModeLetsAnonymousVisitorsIn) {
  auto r = check_identity(IdentityMode::optional, kSecret, std::nullopt, kNow);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->has_value());
}

TEST(CheckIdentity, OptionalModeStillRefusesABadIdentity) {
  pc::Identity id = valid();
  id.user_id = "admin";
  auto r = check_identity(IdentityMode::optional, kSecret, id, kNow);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::identity_invalid);
}

TEST(CheckIdentity, RequiredModeRefusesAnonymousVisitors) {
  auto r = check_identity(IdentityMode::required, kSecret, std::nullopt, kNow);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::identity_required);
  EXPECT_EQ(r.error().field, "identity");
}

TEST(CheckIdentity, RequiredModeAcceptsAVerifiedVisitorAndRefusesAnExpiredOne) {
  auto ok = check_identity(IdentityMode::required, kSecret, valid(), kNow);
  ASSERT_TRUE(ok);
  ASSERT_TRUE(ok->has_value());
  EXPECT_EQ((*ok)->user_id, "user-42");
  auto expired = check_identity(IdentityMode::required, kSecret, valid(), kExpires + 1);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, vitrina::protocol::ErrorCode::identity_expired);
}

}  // namespace
}  // namespace vitrina::chat
