#include "chat/visitor_token.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace vitrina::chat {
namespace {

namespace fs = std::filesystem;
using pc_status = protocol::chat::TokenStatus;

const std::string kVisitor = "vis_" + std::string(24, 'V');
const std::string kSite = "site_" + std::string(24, 'S');
const std::string kOtherSite = "site_" + std::string(24, 'T');
constexpr std::int64_t kNow = 1714564800;

TokenKey key_of(unsigned char fill) {
  std::array<unsigned char, kTokenKeyBytes> bytes{};
  bytes.fill(fill);
  return TokenKey(bytes);
}

VisitorTokens tokens(unsigned char fill = 1) { return VisitorTokens(TokenKeys{key_of(fill), std::nullopt}); }

// The error code of a refused token; `internal` stands for "accepted" (verify never returns it).
vitrina::protocol::ErrorCode code_of(const Result<VerifiedToken>& r) {
  return r ? vitrina::protocol::ErrorCode::internal : r.error().code;
}

TEST(VisitorToken, HasTheDocumentedForm) {
  const IssuedToken t = tokens().issue(kVisitor, kSite, kNow);
  const std::string expected_prefix =
      "vt1." + kVisitor + "." + kSite + "." + std::to_string(kNow) + "." + std::to_string(kNow + 30 * 86400) + ".";
  ASSERT_TRUE(t.token.starts_with(expected_prefix)) << t.token;
  const std::string mac = t.token.substr(expected_prefix.size());
  EXPECT_EQ(mac.size(), 43u);
  EXPECT_EQ(mac.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
  EXPECT_EQ(t.claims, (TokenClaims{kVisitor, kSite, kNow, kNow + 30 * 86400}));
}

TEST(VisitorToken, VerifiesWhatItIssued) {
  const VisitorTokens t = tokens();
  auto r = t.verify(t.issue(kVisitor, kSite, kNow).token, kSite, kNow + 60);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->claims.visitor_id, kVisitor);
  EXPECT_FALSE(r->rotate);
}

TEST(VisitorToken, RefusesAnExpiredToken) {
  const VisitorTokens t = tokens();
  const IssuedToken issued = t.issue(kVisitor, kSite, kNow);
  EXPECT_TRUE(t.verify(issued.token, kSite, issued.claims.expires_at_s - 1));
  auto r = t.verify(issued.token, kSite, issued.claims.expires_at_s);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::token_expired);
  EXPECT_EQ(r.error().field, "token");
}

TEST(VisitorToken, RefusesATokenForAnotherSite) {
  const VisitorTokens t = tokens();
  EXPECT_EQ(code_of(t.verify(t.issue(kVisitor, kSite, kNow).token, kOtherSite, kNow)),
            vitrina::protocol::ErrorCode::token_wrong_site);
}

TEST(VisitorToken, RefusesEveryTamperedPart) {
  const VisitorTokens t = tokens();
  const std::string token = t.issue(kVisitor, kSite, kNow).token;
  // Change one character in each part: version, visitor, site, issued, expires, MAC.
  for (std::size_t pos :
       {std::size_t{1}, std::size_t{8}, std::size_t{40}, token.size() - 60, token.size() - 46, token.size() - 1}) {
    std::string bad = token;
    bad[pos] = bad[pos] == '1' ? '2' : '1';
    EXPECT_EQ(code_of(t.verify(bad, kSite, kNow)), vitrina::protocol::ErrorCode::token_invalid) << "position " << pos;
  }
  // Moving the token to another site by editing it breaks the MAC before the site is compared.
  std::string moved = token;
  moved.replace(moved.find(kSite), kSite.size(), kOtherSite);
  EXPECT_EQ(code_of(t.verify(moved, kOtherSite, kNow)), vitrina::protocol::ErrorCode::token_invalid);
}

TEST(VisitorToken, RefusesMalformedTokens) {
  const VisitorTokens t = tokens();
  for (const std::string& bad :
       {std::string(), std::string("vt1."), std::string("vt1.a.b.c.d.e"), std::string("vt2.") + std::string(100, 'a'),
        std::string(600, 'x'), t.issue(kVisitor, kSite, kNow).token + ".extra"}) {
    EXPECT_EQ(code_of(t.verify(bad, kSite, kNow)), vitrina::protocol::ErrorCode::token_invalid) << bad;
  }
}

TEST(VisitorToken, RefusesATokenSignedWithAnUnknownKey) {
  const std::string token = tokens(2).issue(kVisitor, kSite, kNow).token;
  EXPECT_EQ(code_of(tokens(1).verify(token, kSite, kNow)), vitrina::protocol::ErrorCode::token_invalid);
}

TEST(VisitorToken, RefusesATokenFromTheFutureBeyondTheClockSkew) {
  const VisitorTokens t = tokens();
  EXPECT_TRUE(t.verify(t.issue(kVisitor, kSite, kNow + 300).token, kSite, kNow));
  EXPECT_EQ(code_of(t.verify(t.issue(kVisitor, kSite, kNow + 301).token, kSite, kNow)),
            vitrina::protocol::ErrorCode::token_invalid);
}

TEST(VisitorToken, AsksForRotationOnceOldEnough) {
  const VisitorTokens t = tokens();
  const std::string token = t.issue(kVisitor, kSite, kNow).token;
  EXPECT_FALSE(t.verify(token, kSite, kNow + 86399)->rotate);
  EXPECT_TRUE(t.verify(token, kSite, kNow + 86400)->rotate);
}

TEST(VisitorToken, AcceptsThePreviousKeyAndAsksForRotation) {
  const std::string old_token = tokens(1).issue(kVisitor, kSite, kNow).token;
  const VisitorTokens rotated(TokenKeys{key_of(2), key_of(1)});
  auto r = rotated.verify(old_token, kSite, kNow + 10);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->rotate);
  // New tokens are signed with the new key only.
  EXPECT_EQ(code_of(tokens(1).verify(rotated.issue(kVisitor, kSite, kNow).token, kSite, kNow)),
            vitrina::protocol::ErrorCode::token_invalid);
}

TEST(ForHello, IssuesANewVisitorWhenNoTokenIsPresented) {
  const VisitorTokens t = tokens();
  const WelcomeToken w = t.for_hello("", kSite, kNow, [] { return kVisitor; });
  EXPECT_EQ(w.status, pc_status::issued);
  EXPECT_EQ(w.visitor_id, kVisitor);
  EXPECT_TRUE(t.verify(w.token, kSite, kNow));
  EXPECT_EQ(w.expires_at_s, kNow + 30 * 86400);
}

TEST(ForHello, KeepsAValidTokenAsItIs) {
  const VisitorTokens t = tokens();
  const std::string token = t.issue(kVisitor, kSite, kNow).token;
  const WelcomeToken w = t.for_hello(token, kSite, kNow + 3600, [] { return std::string("vis_unused"); });
  EXPECT_EQ(w.status, pc_status::valid);
  EXPECT_EQ(w.token, token);
  EXPECT_EQ(w.visitor_id, kVisitor);
}

TEST(ForHello, RotatesAnOldTokenForTheSameVisitor) {
  const VisitorTokens t = tokens();
  const std::string token = t.issue(kVisitor, kSite, kNow).token;
  const std::int64_t later = kNow + 2 * 86400;
  const WelcomeToken w = t.for_hello(token, kSite, later, [] { return std::string("vis_unused"); });
  EXPECT_EQ(w.status, pc_status::rotated);
  EXPECT_EQ(w.visitor_id, kVisitor);
  EXPECT_NE(w.token, token);
  EXPECT_EQ(w.expires_at_s, later + 30 * 86400);
  EXPECT_TRUE(t.verify(w.token, kSite, later));
}

TEST(ForHello, ReplacesARefusedTokenWithANewVisitor) {
  const VisitorTokens t = tokens();
  const std::string fresh = "vis_" + std::string(24, 'N');
  for (const std::string& bad : {std::string("garbage"), t.issue(kVisitor, kOtherSite, kNow).token,
                                 t.issue(kVisitor, kSite, kNow - 31 * 86400).token}) {
    const WelcomeToken w = t.for_hello(bad, kSite, kNow, [&] { return fresh; });
    EXPECT_EQ(w.status, pc_status::replaced);
    EXPECT_EQ(w.visitor_id, fresh);
  }
}

class TokenKeyFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("vitrina-token-key-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path() const { return (dir_ / "visitor-token.key").string(); }
  fs::path dir_;
};

TEST_F(TokenKeyFile, IsCreatedOnceWithOwnerOnlyPermissionsAndReadBack) {
  auto first = load_or_create_token_keys(path());
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(fs::file_size(path()), kTokenKeyBytes);
  struct stat st {};
  ASSERT_EQ(::stat(path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto second = load_or_create_token_keys(path());
  ASSERT_TRUE(second);
  EXPECT_FALSE(second->previous);
  // Same key: a token issued before a restart verifies after it.
  const std::string token = VisitorTokens(std::move(*first)).issue(kVisitor, kSite, kNow).token;
  EXPECT_TRUE(VisitorTokens(std::move(*second)).verify(token, kSite, kNow));
}

TEST_F(TokenKeyFile, ReadsAPreviousKeyAfterTheCurrentOne) {
  std::array<unsigned char, 2 * kTokenKeyBytes> bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = i < kTokenKeyBytes ? 2 : 1;
  std::ofstream(path(), std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  auto keys = load_or_create_token_keys(path());
  ASSERT_TRUE(keys);
  ASSERT_TRUE(keys->previous);
  const std::string old_token = tokens(1).issue(kVisitor, kSite, kNow).token;
  auto r = VisitorTokens(std::move(*keys)).verify(old_token, kSite, kNow);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->rotate);
}

TEST_F(TokenKeyFile, RefusesAFileOfAnotherSizeWithoutPrintingIt) {
  std::ofstream(path(), std::ios::binary) << "short-secret";
  auto r = load_or_create_token_keys(path());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::unavailable);
  EXPECT_EQ(r.error().message.find("short-secret"), std::string::npos);
}

}  // namespace
}  // namespace vitrina::chat
