#pragma once
// Issuing and checking proof-of-work challenges (protocol/pow.hpp) for a site. The MAC is
// keyed BLAKE2b-256 with the server's challenge key (challenge.key in the data directory,
// kept and rotated like the visitor-token key), so only this server makes challenges it accepts.

#include <cstdint>
#include <string>
#include <string_view>

#include "chat/visitor_token.hpp"
#include "vitrina/protocol/pow.hpp"

namespace vitrina::callbacks {

inline constexpr std::int64_t kChallengeTtlS = 600;

struct IssuedChallenge {
  std::string token;
  int difficulty = 0;
  std::int64_t expires_at_s = 0;
};

/// A challenge that passed every check; what the store needs to redeem it once.
struct CheckedChallenge {
  std::string id;
  std::int64_t expires_at_s = 0;
};

class Challenges {
 public:
  explicit Challenges(chat::TokenKeys keys) : keys_(std::move(keys)) {}

  IssuedChallenge issue(std::string_view site_id, int difficulty, std::int64_t now_s) const;

  /// Checks the MAC (constant time, current or previous key), then the site, the expiry and
  /// the work. Errors: "pow_invalid" naming `pow.challenge` or `pow.nonce`.
  [[nodiscard]] protocol::Result<CheckedChallenge> verify(std::string_view token, std::string_view nonce,
                                                          std::string_view site_id, std::int64_t now_s) const;

 private:
  std::string mac(const chat::TokenKey& key, std::string_view signed_part) const;
  chat::TokenKeys keys_;
};

}  // namespace vitrina::callbacks
