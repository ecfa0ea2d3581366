// Idempotency-Key shape and request fingerprints.

#include <gtest/gtest.h>

#include "payments/idempotency.hpp"

namespace vitrina::payments {
namespace {

TEST(IdempotencyKey, AcceptsPrintableAsciiUpTo255) {
  EXPECT_TRUE(validate_idempotency_key("a"));
  EXPECT_TRUE(validate_idempotency_key("order 42/attempt-1 ~!"));
  EXPECT_TRUE(validate_idempotency_key(std::string(255, 'k')));
}

TEST(IdempotencyKey, RefusesEmptyLongAndNonPrintable) {
  for (const std::string& bad :
       {std::string(), std::string(256, 'k'), std::string("a\tb"), std::string("ключ"), std::string("a\x7f")}) {
    auto r = validate_idempotency_key(bad);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, "Idempotency-Key");
  }
}

TEST(RequestFingerprint, SameRequestSameHash) {
  EXPECT_EQ(request_fingerprint("POST", "/v1/payments", "{}"), request_fingerprint("POST", "/v1/payments", "{}"));
  EXPECT_EQ(request_fingerprint("POST", "/v1/payments", "{}").size(), 64u);
}

TEST(RequestFingerprint, AnyDifferenceChangesIt) {
  const auto base = request_fingerprint("POST", "/v1/payments", R"({"amount":1})");
  EXPECT_NE(base, request_fingerprint("POST", "/v1/payments", R"({"amount":2})"));
  EXPECT_NE(base, request_fingerprint("POST", "/v1/payments", R"({"amount":1} )"));
  EXPECT_NE(base, request_fingerprint("POST", "/v1/payments/x/cancel", R"({"amount":1})"));
  EXPECT_NE(base, request_fingerprint("PUT", "/v1/payments", R"({"amount":1})"));
  // Length prefixes: moving bytes between parts is a different request.
  EXPECT_NE(request_fingerprint("POST", "/ab", "c"), request_fingerprint("POST", "/a", "bc"));
}

TEST(InFlight, SecondBeginFailsUntilEnd) {
  InFlight set;
  EXPECT_TRUE(set.try_begin("k"));
  EXPECT_FALSE(set.try_begin("k"));
  EXPECT_TRUE(set.try_begin("other"));
  set.end("k");
  EXPECT_TRUE(set.try_begin("k"));
  { InFlight::Guard g(set, "k"); }
  EXPECT_TRUE(set.try_begin("k"));
}

}  // namespace
}  // namespace vitrina::payments
