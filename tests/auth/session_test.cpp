#include "auth/session.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "auth/keys.hpp"
#include "auth/password.hpp"

namespace vitrina::auth {
namespace {

TEST(SessionToken, IsSesPrefixAnd43Base62Characters) {
  const auto token = generate_session_token();
  EXPECT_TRUE(token.starts_with("ses_"));
  EXPECT_EQ(token.size(), 4u + 43u);
  EXPECT_TRUE(is_session_token(token)) << token;
}

TEST(SessionToken, IsFreshEachTime) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) seen.insert(generate_session_token());
  EXPECT_EQ(seen.size(), 200u);
}

TEST(SessionToken, RecognisesOnlyWellFormedTokens) {
  const auto token = generate_session_token();
  EXPECT_FALSE(is_session_token(""));
  EXPECT_FALSE(is_session_token(token.substr(0, token.size() - 1)));
  EXPECT_FALSE(is_session_token(token + "x"));
  EXPECT_FALSE(is_session_token("sk_" + token.substr(4)));
  std::string bad = token;
  bad[10] = '-';
  EXPECT_FALSE(is_session_token(bad));
}

TEST(SessionToken, IsStoredAsHexBlake2bNeverItself) {
  const auto token = generate_session_token();
  const auto hash = hash_session_token(token);
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_EQ(hash, hash_secret_key(token));
  EXPECT_EQ(hash.find(token), std::string::npos);
  EXPECT_NE(hash, hash_session_token(generate_session_token()));
}

TEST(UserAgent, IsCutAt256BytesBetweenCharacters) {
  EXPECT_EQ(truncate_user_agent("curl/8.0"), "curl/8.0");
  EXPECT_EQ(truncate_user_agent(std::string(300, 'a')).size(), 256u);
  // 255 ASCII bytes then a two-byte character: keeping its first byte would split it.
  const std::string split = std::string(255, 'a') + "\xc3\xa9" + "tail";
  EXPECT_EQ(truncate_user_agent(split), std::string(255, 'a'));
  EXPECT_EQ(truncate_user_agent("a\tb\nc\x7f"), "a b c ");
}

TEST(CsrfToken, IsFixedPerSessionDistinctAcrossSessionsAndRevealsNothing) {
  const auto token = generate_session_token();
  const auto csrf = csrf_token(token);
  ASSERT_EQ(csrf.size(), 64u);
  EXPECT_EQ(csrf.find_first_not_of("0123456789abcdef"), std::string::npos) << csrf;
  EXPECT_EQ(csrf_token(token), csrf) << "derived, so it needs no storage";
  EXPECT_NE(csrf_token(generate_session_token()), csrf);
  // Neither the session token nor the hash the store keeps for it.
  EXPECT_EQ(csrf.find(token.substr(4)), std::string::npos);
  EXPECT_NE(csrf, hash_session_token(token));
}

TEST(DummyPasswordHash, IsAnArgon2idHashNothingShortMatches) {
  const auto& hash = dummy_password_hash();
  EXPECT_TRUE(hash.starts_with("$argon2id$")) << hash;
  EXPECT_EQ(&hash, &dummy_password_hash()) << "made once";
  EXPECT_FALSE(verify_password(hash, ""));
  EXPECT_FALSE(verify_password(hash, "password"));
}

}  // namespace
}  // namespace vitrina::auth
