#pragma once
/// \file
/// Formats of the identifiers and keys Vitrina hands out. A key is a prefix that says what it
/// is (`pk_`, `sk_`, `site_`, `op_`…) followed by a body of base62 characters. The rules live
/// here so the server, the SDK and the widget agree on what a well-formed key looks like.

#include <cstddef>
#include <string>
#include <string_view>

namespace vitrina::protocol {

inline constexpr std::string_view kPublicKeyPrefix = "pk_";
inline constexpr std::string_view kSecretKeyPrefix = "sk_";
inline constexpr std::string_view kSiteIdPrefix = "site_";
inline constexpr std::string_view kOperatorIdPrefix = "op_";

/// Length of the random body of public keys and ids, and of secret keys.
inline constexpr std::size_t kPublicBodyLength = 24;
inline constexpr std::size_t kSecretBodyLength = 43;  // ~256 bits of base62

/// The base62 alphabet used in key bodies.
inline constexpr std::string_view kBase62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// True when `key` is `prefix` followed by exactly `body_length` base62 characters.
bool is_key_of(std::string_view key, std::string_view prefix, std::size_t body_length) noexcept;

inline bool is_public_key(std::string_view key) noexcept { return is_key_of(key, kPublicKeyPrefix, kPublicBodyLength); }
inline bool is_secret_key(std::string_view key) noexcept { return is_key_of(key, kSecretKeyPrefix, kSecretBodyLength); }

/// Builds a key from `prefix` and random bytes: each byte picks one base62 character by
/// rejection sampling, so the characters are uniform. `random` must yield fresh bytes on each
/// call (the caller owns the source of randomness, which keeps this library free of I/O).
template <class RandomByte>
std::string make_key(std::string_view prefix, std::size_t body_length, RandomByte&& random) {
  std::string key(prefix);
  key.reserve(prefix.size() + body_length);
  while (key.size() < prefix.size() + body_length) {
    const unsigned char b = static_cast<unsigned char>(random());
    if (b < 248) key.push_back(kBase62[b % 62]);  // 248 = 4 * 62: no modulo bias
  }
  return key;
}

/// Checks that an origin is of the form scheme://host[:port] with scheme http or https, no
/// path, query, fragment or user info. Used for a site's allowed origins.
bool is_valid_origin(std::string_view origin) noexcept;

}  // namespace vitrina::protocol
