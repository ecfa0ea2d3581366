#pragma once
// Stripe's webhook signature (the `Stripe-Signature` header):
//   Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>[,v1=…][,v0=…]
// The MAC is HMAC-SHA256 over "<t>.<raw body>", keyed with the UTF-8 bytes of the endpoint's
// whole signing secret, `whsec_` prefix included. During a secret roll Stripe sends one v1 per
// active secret, so any matching v1 entry is enough; other schemes (v0, test schemes) are skipped.

#include <cstdint>
#include <string>
#include <string_view>

#include "vitrina/protocol/result.hpp"

namespace vitrina::acquirers::stripe {

inline constexpr std::string_view kSignatureHeader = "Stripe-Signature";
/// The largest accepted |now - t|, in seconds (the Stripe libraries' default is 300 s into the
/// past; we refuse the same distance into the future too).
inline constexpr std::int64_t kToleranceS = 300;

/// Checks `header` against `body` with `secret` at time `now_s` in constant time. Errors have code
/// "unauthenticated" and field "Stripe-Signature": a missing or malformed header, no `t`, no
/// v1 entry, a timestamp outside the tolerance, no matching v1.
[[nodiscard]] protocol::Result<void> verify_signature(std::string_view header, std::string_view body,
                                                      std::string_view secret, std::int64_t now_s,
                                                      std::int64_t tolerance_s = kToleranceS);

/// The header Stripe would send for `body` at `timestamp` (for tests and the emulator's peers).
std::string sign(std::string_view secret, std::int64_t timestamp, std::string_view body);

}  // namespace vitrina::acquirers::stripe
