// Stripe-Signature: the shared known-answer vector, then every way a header can be wrong.

#include "acquirers/stripe_signature.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include "acquirer_vectors.hpp"

namespace vitrina::acquirers::stripe {
namespace {

using test::vector_int;
using test::vector_string;

struct Vector {
  std::string secret = vector_string("/stripe_signature/secret");
  std::int64_t t = vector_int("/stripe_signature/timestamp");
  std::string payload = vector_string("/stripe_signature/payload");
  std::string header = vector_string("/stripe_signature/header");
};

class StripeSignature : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    ASSERT_FALSE(v.secret.empty()) << "cannot read " << VITRINA_ACQUIRER_VECTORS;
    ASSERT_FALSE(v.header.empty());
  }
  Vector v;
};

TEST_F(StripeSignature, SignsTheKnownAnswerVector) { EXPECT_EQ(sign(v.secret, v.t, v.payload), v.header); }

TEST_F(StripeSignature, AcceptsTheKnownAnswerVector) {
  EXPECT_TRUE(verify_signature(v.header, v.payload, v.secret, v.t));
  EXPECT_TRUE(verify_signature(v.header, v.payload, v.secret, v.t + 300));
}

TEST_F(StripeSignature, KeysWithTheWholeSecretPrefixIncluded) {
  // Keying with the secret without its whsec_ prefix gives another MAC.
  const std::string without_prefix = v.secret.substr(std::string("whsec_").size());
  EXPECT_NE(sign(without_prefix, v.t, v.payload), v.header);
  EXPECT_FALSE(verify_signature(v.header, v.payload, without_prefix, v.t));
}

TEST_F(StripeSignature, RejectsTamperedBody) {
  std::string body = v.payload;
  body[body.size() / 2] ^= 1;
  auto r = verify_signature(v.header, body, v.secret, v.t);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::unauthenticated);
  EXPECT_EQ(r.error().field, "Stripe-Signature");
}

TEST_F(StripeSignature, RejectsTamperedTimestamp) {
  const std::string header = "t=" + std::to_string(v.t + 1) + v.header.substr(v.header.find(','));
  EXPECT_FALSE(verify_signature(header, v.payload, v.secret, v.t));
}

TEST_F(StripeSignature, RejectsOldAndFutureTimestamps) {
  EXPECT_FALSE(verify_signature(v.header, v.payload, v.secret, v.t + 301));
  EXPECT_FALSE(verify_signature(v.header, v.payload, v.secret, v.t - 301));
  EXPECT_TRUE(verify_signature(v.header, v.payload, v.secret, v.t - 300));
}

TEST_F(StripeSignature, RejectsAnotherSecret) {
  EXPECT_FALSE(verify_signature(v.header, v.payload, "whsec_other", v.t));
}

TEST_F(StripeSignature, AcceptsAnyMatchingV1Entry) {
  const std::string good = v.header.substr(v.header.find("v1="));
  const std::string wrong = "v1=" + std::string(64, 'a');
  EXPECT_TRUE(verify_signature("t=" + std::to_string(v.t) + "," + wrong + "," + good, v.payload, v.secret, v.t));
  EXPECT_TRUE(verify_signature("t=" + std::to_string(v.t) + "," + good + "," + wrong, v.payload, v.secret, v.t));
  // A malformed entry does not spoil a good one.
  EXPECT_TRUE(verify_signature("t=" + std::to_string(v.t) + ",v1=zz," + good, v.payload, v.secret, v.t));
}

TEST_F(StripeSignature, IgnoresOtherSchemes) {
  const std::string mac = v.header.substr(v.header.find("v1=") + 3);
  // The right MAC under the v0 scheme is not a v1 signature.
  EXPECT_FALSE(verify_signature("t=" + std::to_string(v.t) + ",v0=" + mac, v.payload, v.secret, v.t));
  EXPECT_TRUE(verify_signature(v.header + ",v0=" + std::string(64, '0'), v.payload, v.secret, v.t));
}

TEST_F(StripeSignature, AcceptsUpperCaseHex) {
  std::string header = v.header;
  for (std::size_t i = header.find("v1=") + 3; i < header.size(); ++i) {
    if (header[i] >= 'a' && header[i] <= 'f') header[i] = static_cast<char>(header[i] - 'a' + 'A');
  }
  EXPECT_TRUE(verify_signature(header, v.payload, v.secret, v.t));
}

TEST_F(StripeSignature, RejectsMalformedHeaders) {
  const std::string t = "t=" + std::to_string(v.t);
  const std::string mac = v.header.substr(v.header.find("v1="));
  for (const std::string& header :
       {std::string{}, t, mac, t + "," + t + "," + mac, std::string("t=abc,") + mac, std::string("t=,") + mac,
        t + ",v1", t + ",v1=" + std::string(63, 'a'), std::string(4096, 'x'), std::string("garbage")}) {
    EXPECT_FALSE(verify_signature(header, v.payload, v.secret, v.t)) << header.substr(0, 80);
  }
}

}  // namespace
}  // namespace vitrina::acquirers::stripe
