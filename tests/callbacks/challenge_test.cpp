// Proof-of-work challenges: only this server's, only for their site, only until they expire,
// only with enough work; a rotated key keeps the challenges it signed working.

#include "callbacks/challenge.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

namespace vitrina::callbacks {
namespace {

constexpr std::int64_t kNow = 1'800'000'000;
constexpr std::string_view kSite = "site_A1b2C3";

std::string solve(const IssuedChallenge& c) { return protocol::pow_solve(c.token, c.difficulty, 0, 1 << 24).value(); }

class ChallengeTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_GE(sodium_init(), 0); }
  Challenges challenges_{chat::TokenKeys{chat::generate_token_key(), std::nullopt}};
};

TEST_F(ChallengeTest, IssuedChallengeSolvedIsAccepted) {
  const auto c = challenges_.issue(kSite, 10, kNow);
  EXPECT_EQ(c.expires_at_s, kNow + kChallengeTtlS);
  auto parsed = protocol::parse_pow_challenge(c.token);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->site_id, kSite);
  EXPECT_EQ(parsed->difficulty, 10);
  auto ok = challenges_.verify(c.token, solve(c), kSite, kNow + 1);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->id, parsed->id);
  EXPECT_EQ(ok->expires_at_s, c.expires_at_s);
}

TEST_F(ChallengeTest, RefusesOtherSiteExpiryForgeryAndTooLittleWork) {
  const auto c = challenges_.issue(kSite, 12, kNow);
  const std::string nonce = solve(c);
  auto other_site = challenges_.verify(c.token, nonce, "site_Other", kNow);
  ASSERT_FALSE(other_site);
  EXPECT_EQ(other_site.error().message, "was issued for another site");
  auto expired = challenges_.verify(c.token, nonce, kSite, c.expires_at_s);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().field, "pow.challenge");
  // Raising the difficulty in the token breaks the MAC; lowering it too.
  std::string easier = c.token;
  easier.replace(easier.find(".12."), 4, ".1.");
  auto forged = challenges_.verify(easier, "0", kSite, kNow);
  ASSERT_FALSE(forged);
  EXPECT_EQ(forged.error().message, "is not a challenge issued by this server");
  Challenges stranger{chat::TokenKeys{chat::generate_token_key(), std::nullopt}};
  EXPECT_FALSE(stranger.verify(c.token, nonce, kSite, kNow));
  // The first nonce that does not solve it.
  std::string weak;
  for (int n = 0; weak.empty(); ++n) {
    if (!protocol::pow_satisfied(c.token, std::to_string(n), 12)) weak = std::to_string(n);
  }
  auto little = challenges_.verify(c.token, weak, kSite, kNow);
  ASSERT_FALSE(little);
  EXPECT_EQ(little.error().code, vitrina::protocol::ErrorCode::pow_invalid);
  EXPECT_EQ(little.error().field, "pow.nonce");
  EXPECT_FALSE(challenges_.verify(c.token, "12x", kSite, kNow));
}

TEST_F(ChallengeTest, PreviousKeyStillVerifiesAfterRotation) {
  const auto old_key = chat::generate_token_key();
  Challenges before{chat::TokenKeys{old_key, std::nullopt}};
  const auto c = before.issue(kSite, 4, kNow);
  Challenges after{chat::TokenKeys{chat::generate_token_key(), old_key}};
  EXPECT_TRUE(after.verify(c.token, solve(c), kSite, kNow));
}

}  // namespace
}  // namespace vitrina::callbacks
