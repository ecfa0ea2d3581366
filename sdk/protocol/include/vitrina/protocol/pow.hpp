#pragma once
/// \file
/// Proof of work for visitor requests that cost a shop money (a callback is a phone call):
/// instead of a third-party CAPTCHA, the widget spends a fraction of a second of CPU per request.
///
/// 1. The server issues a challenge, a signed token
///
///        pow1.<site_id>.<id>.<expires_at>.<difficulty>.<mac>
///
///    with <id> 22 base62 characters naming it, <expires_at> decimal Unix seconds, <difficulty>
///    the number of leading zero bits asked for (0 to kMaxPowDifficulty) and <mac> the server's
///    keyed hash (43 base64url characters) over everything before the last dot. Only the
///    server can make or check the MAC; this library only reads the token.
/// 2. The client finds a nonce, 1 to 20 decimal digits, such that
///    SHA-256(challenge + "." + nonce) begins with <difficulty> zero bits (2^difficulty tries on
///    average), and sends the challenge and the nonce with its request.
/// 3. The server checks the MAC, the site, the expiry and the hash (one SHA-256), and redeems
///    the challenge's id in the same write as the request, so a challenge is good once.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "vitrina/protocol/result.hpp"
#include "vitrina/protocol/sha256.hpp"

namespace vitrina::protocol {

inline constexpr std::string_view kPowPrefix = "pow1.";
inline constexpr int kMaxPowDifficulty = 28;
inline constexpr std::size_t kPowIdLength = 22;
inline constexpr std::size_t kPowMacLength = 43;
inline constexpr std::size_t kMaxPowNonceLength = 20;
/// Longest well-formed challenge: generous for the site id, bounded for parsing.
inline constexpr std::size_t kMaxPowChallengeLength = 160;

/// The parts of a challenge token. `signed_part` and `mac` view the token given to
/// parse_pow_challenge, which must outlive them.
struct PowChallenge {
  std::string_view site_id;
  std::string_view id;
  std::int64_t expires_at_s = 0;
  int difficulty = 0;
  std::string_view signed_part;  ///< everything before the last dot
  std::string_view mac;
};

/// Splits a challenge token. Errors: "invalid" naming `field` when it is not of the form above.
Result<PowChallenge> parse_pow_challenge(std::string_view token, std::string_view field = "pow.challenge");

/// Leading zero bits of a digest, 0 to 256.
int leading_zero_bits(const Sha256Digest& digest) noexcept;

/// True for 1 to 20 decimal digits.
bool is_pow_nonce(std::string_view nonce) noexcept;

/// True when `nonce` is well formed and SHA-256(challenge "." nonce) has at least `difficulty`
/// leading zero bits. One hash: cheap enough to run before anything else is checked.
[[nodiscard]] bool pow_satisfied(std::string_view challenge, std::string_view nonce, int difficulty) noexcept;

/// Tries the nonces first, first + 1, … (at most `tries` of them) and answers the first that
/// satisfies `difficulty`, or nothing. Callers that must stay responsive (the widget) call it
/// in slices: `pow_solve(c, d, n, 4096)`, then from n + 4096.
std::optional<std::string> pow_solve(std::string_view challenge, int difficulty, std::uint64_t first,
                                     std::uint64_t tries);

}  // namespace vitrina::protocol
