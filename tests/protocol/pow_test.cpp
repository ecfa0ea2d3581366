#include "vitrina/protocol/pow.hpp"

#include <gtest/gtest.h>

#include "vitrina/protocol/sha256.hpp"

namespace vitrina::protocol {
namespace {

// FIPS 180-4 / NIST CAVP known answers.
TEST(Sha256, KnownAnswers) {
  EXPECT_EQ(to_hex(sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(to_hex(sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(to_hex(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(to_hex(sha256(std::string(1000000, 'a'))),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, IncrementalEqualsOneShotAcrossBlockEdges) {
  const std::string text(200, 'x');
  for (std::size_t cut : {0u, 1u, 55u, 56u, 63u, 64u, 65u, 128u, 199u}) {
    Sha256 h;
    h.update(std::string_view(text).substr(0, cut)).update(std::string_view(text).substr(cut));
    EXPECT_EQ(h.finish(), sha256(text)) << cut;
  }
}

TEST(LeadingZeroBits, CountsAcrossBytes) {
  Sha256Digest d{};
  EXPECT_EQ(leading_zero_bits(d), 256);
  d[0] = 0x80;
  EXPECT_EQ(leading_zero_bits(d), 0);
  d[0] = 0x01;
  EXPECT_EQ(leading_zero_bits(d), 7);
  d[0] = 0;
  d[1] = 0x10;
  EXPECT_EQ(leading_zero_bits(d), 11);
}

constexpr std::string_view kChallenge =
    "pow1.site_AbC123.0123456789abcdefGHIJKL.1767225600.12.abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456";

TEST(PowChallenge, ParsesItsParts) {
  auto c = parse_pow_challenge(kChallenge);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->site_id, "site_AbC123");
  EXPECT_EQ(c->id, "0123456789abcdefGHIJKL");
  EXPECT_EQ(c->expires_at_s, 1767225600);
  EXPECT_EQ(c->difficulty, 12);
  EXPECT_EQ(c->mac, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456");
  EXPECT_EQ(c->signed_part, kChallenge.substr(0, kChallenge.size() - 44));
}

TEST(PowChallenge, RefusesMalformedTokens) {
  const std::string good(kChallenge);
  for (std::string bad :
       {std::string(), std::string("pow2") + good.substr(4), good + ".x", good.substr(0, good.size() - 1),
        std::string("pow1.site_AbC123.short.1767225600.12.") + good.substr(good.size() - 43),
        std::string("pow1.site_AbC123.0123456789abcdefGHIJKL.01767225600.12.") + good.substr(good.size() - 43),
        std::string("pow1.site_AbC123.0123456789abcdefGHIJKL.1767225600.29.") + good.substr(good.size() - 43),
        std::string("pow1.site_AbC123.0123456789abcdefGHIJKL.1767225600.-1.") + good.substr(good.size() - 43),
        std::string("pow1.op_AbC123.0123456789abcdefGHIJKL.1767225600.12.") + good.substr(good.size() - 43),
        std::string("pow1.site_.0123456789abcdefGHIJKL.1767225600.12.") + good.substr(good.size() - 43),
        std::string(kMaxPowChallengeLength + 1, 'a')}) {
    auto c = parse_pow_challenge(bad, "challenge");
    ASSERT_FALSE(c) << bad;
    EXPECT_EQ(c.error().field, "challenge");
  }
}

TEST(Pow, SolvedNonceSatisfiesAndOthersMostlyDoNot) {
  auto nonce = pow_solve(kChallenge, 12, 0, 1 << 20);
  ASSERT_TRUE(nonce);
  EXPECT_TRUE(pow_satisfied(kChallenge, *nonce, 12));
  EXPECT_GE(leading_zero_bits(sha256(std::string(kChallenge) + "." + *nonce)), 12);
  // The same nonce for another challenge: a 1-in-4096 chance of passing, fixed by the inputs.
  EXPECT_FALSE(pow_satisfied(std::string(kChallenge) + "x", *nonce, 12));
  // Every nonce before the one found fails, so solving found the first.
  const auto n = std::stoull(*nonce);
  for (std::uint64_t i = 0; i < n; ++i) EXPECT_FALSE(pow_satisfied(kChallenge, std::to_string(i), 12));
}

TEST(Pow, SolvingInSlicesFindsTheSameNonce) {
  auto whole = pow_solve(kChallenge, 10, 0, 1 << 20);
  ASSERT_TRUE(whole);
  std::optional<std::string> sliced;
  for (std::uint64_t first = 0; !sliced; first += 100) sliced = pow_solve(kChallenge, 10, first, 100);
  EXPECT_EQ(sliced, whole);
}

TEST(Pow, RefusesMalformedNonces) {
  EXPECT_TRUE(pow_satisfied(kChallenge, "0", 0));
  EXPECT_FALSE(pow_satisfied(kChallenge, "", 0));
  EXPECT_FALSE(pow_satisfied(kChallenge, "12a", 0));
  EXPECT_FALSE(pow_satisfied(kChallenge, "-1", 0));
  EXPECT_FALSE(pow_satisfied(kChallenge, std::string(21, '1'), 0));
  EXPECT_FALSE(pow_solve(kChallenge, 256, 0, 10));
}

}  // namespace
}  // namespace vitrina::protocol
