#pragma once
// Random keys and ids, and the hash under which a secret key is stored. All randomness comes
// from libsodium's CSPRNG (the kernel's getrandom).

#include <cstddef>
#include <string>
#include <string_view>

#include "vitrina/protocol/result.hpp"

namespace vitrina::auth {

using protocol::Result;

/// Initialises libsodium. Safe to call more than once and from several threads; every other
/// function here calls it too, so calling it at start-up only moves a failure to a clear place.
Result<void> initialize();

/// "pk_" + 24 base62 characters: names a site in the browser, not a secret.
std::string generate_public_key();
/// "sk_" + 43 base62 characters (~256 bits): authenticates a shop's server.
std::string generate_secret_key();
/// `prefix` + 24 base62 characters, e.g. generate_id(protocol::kSiteIdPrefix) -> "site_…".
std::string generate_id(std::string_view prefix);

/// `length` uniformly random base62 characters, no prefix.
std::string random_base62(std::size_t length);

/// Lowercase hex of BLAKE2b-256 (crypto_generichash) of the secret key: 64 characters. A fast,
/// unsalted hash is right here because secret keys are random and high-entropy, and it lets the
/// store find a site by the hash of the key a request presents.
std::string hash_secret_key(std::string_view secret_key);

/// Compares in time that depends only on the lengths, not the contents. Strings of different
/// lengths are unequal (their lengths are not secret: both sides are fixed-format hashes).
[[nodiscard]] bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

}  // namespace vitrina::auth
