#pragma once
/// \file
/// Standard Webhooks 1.0: signing (Vitrina's delivery worker) and verification (shop backends).
///
/// A message is signed over `webhook-id "." webhook-timestamp "." body` and carries the
/// `webhook-signature` header: space-separated `version,base64` entries, one per key, so that a
/// key rotation can send the old and the new signature side by side. Two versions are known:
///
/// | version | key (as configured)                    | primitive                            |
/// |---------|----------------------------------------|--------------------------------------|
/// | `v1`    | `whsec_<base64>` on both sides          | HMAC-SHA256, base64 of the 32-byte MAC |
/// | `v1a`   | `whsk_<base64 seed>` signs, `whpk_<base64>` verifies | Ed25519, base64 of the 64-byte detached signature
/// |
///
/// Nothing here throws except `std::bad_alloc`; errors are `protocol::Result` values with stable
/// codes:
///
/// | code                         | field                 | meaning                                    |
/// |------------------------------|-----------------------|--------------------------------------------|
/// | `missing_header`             | the header's name     | `webhook-id`, `-timestamp` or `-signature` absent or empty
/// | | `invalid_header`             | `webhook-timestamp`   | the timestamp is not a decimal number of seconds | |
/// `timestamp_out_of_tolerance` | `webhook-timestamp`   | more than the tolerance away from now, either way | |
/// `invalid_signature`          | `webhook-signature`   | no entry of a known version matches any key | | `invalid_key`
/// | `secret` or `keys`    | a key string that cannot be parsed, or no key at all | | `invalid`                    |
/// the argument's name   | an argument out of range (`secret_generate`) |
///
/// Error messages never contain secrets or signatures.

#include <algorithm>
#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <ranges>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vitrina/protocol/result.hpp"

namespace vitrina::webhook {

inline constexpr std::string_view kHeaderId = "webhook-id";
inline constexpr std::string_view kHeaderTimestamp = "webhook-timestamp";
inline constexpr std::string_view kHeaderSignature = "webhook-signature";

inline constexpr std::string_view kSecretPrefix = "whsec_";     ///< v1 shared secret
inline constexpr std::string_view kSigningKeyPrefix = "whsk_";  ///< v1a Ed25519 seed (private)
inline constexpr std::string_view kPublicKeyPrefix = "whpk_";   ///< v1a Ed25519 public key

/// The spec's window: a message more than this far from the receiver's clock is refused.
inline constexpr std::chrono::seconds kDefaultTolerance{300};

/// Sizes of freshly generated `whsec_` secrets, in bytes (parsing accepts any non-zero length).
inline constexpr std::size_t kSecretBytesMin = 24;
inline constexpr std::size_t kSecretBytesMax = 32;

/// `verify` looks at no more than this many entries of one `webhook-signature` header, so that
/// a hostile header cannot buy unbounded Ed25519 verifications. Senders rotate 2 or 3 keys.
inline constexpr std::size_t kMaxSignatureEntries = 16;

/// The primitive behind a key, and so the version of the entries it signs or verifies.
enum class Scheme {
  hmac_sha256,  ///< `v1`
  ed25519,      ///< `v1a`
};

namespace detail {

/// Owned key bytes, wiped with `sodium_memzero` when destroyed or overwritten.
class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::vector<unsigned char> bytes) noexcept : bytes_(std::move(bytes)) {}
  SecretBytes(const SecretBytes&) = default;
  // A moved-from vector is empty: the bytes now live only in the destination.
  SecretBytes(SecretBytes&&) noexcept = default;
  // By value: the old bytes end up in `other`, whose destructor wipes them.
  SecretBytes& operator=(SecretBytes other) noexcept {
    bytes_.swap(other.bytes_);
    return *this;
  }
  ~SecretBytes();

  [[nodiscard]] std::span<const unsigned char> view() const noexcept { return bytes_; }

 private:
  std::vector<unsigned char> bytes_;
};

}  // namespace detail

class SigningKey;
class VerifyKey;

/// Parses `whsec_<base64>` (the prefix is optional, padding too) into an HMAC key, or
/// `whsk_<base64 of a 32-byte seed>` into an Ed25519 key pair (`crypto_sign_seed_keypair`).
/// A `whpk_` public key is refused: it cannot sign. Errors: `invalid_key`, field `secret`.
[[nodiscard]] protocol::Result<SigningKey> signing_key_parse(std::string_view text);

/// Parses `whsec_<base64>` (prefix and padding optional) into an HMAC key, or
/// `whpk_<base64 of a 32-byte public key>`. A `whsk_` key is refused: a receiver should never
/// hold the private key; give it the `whpk_` from `ed25519_keypair_generate`.
/// Errors: `invalid_key`, field `secret`.
[[nodiscard]] protocol::Result<VerifyKey> verify_key_parse(std::string_view text);

/// A key that signs: an HMAC secret (`whsec_…`) or an Ed25519 secret key (`whsk_…`).
/// Obtained from `signing_key_parse`. Copyable; every copy wipes its bytes when destroyed.
class SigningKey {
 public:
  [[nodiscard]] Scheme scheme() const noexcept { return scheme_; }
  /// The raw key: the HMAC secret, or libsodium's 64-byte Ed25519 secret key (seed ‖ public).
  [[nodiscard]] std::span<const unsigned char> bytes() const noexcept { return bytes_.view(); }
  /// What the receiving side holds: the same secret for `v1`, the public key for `v1a`.
  [[nodiscard]] VerifyKey verify_key() const;

 private:
  friend protocol::Result<SigningKey> signing_key_parse(std::string_view text);
  SigningKey(Scheme scheme, detail::SecretBytes bytes) : scheme_(scheme), bytes_(std::move(bytes)) {}

  Scheme scheme_;
  detail::SecretBytes bytes_;
};

/// A key that verifies: an HMAC secret (`whsec_…`) or an Ed25519 public key (`whpk_…`).
/// Obtained from `verify_key_parse` or `SigningKey::verify_key`.
class VerifyKey {
 public:
  [[nodiscard]] Scheme scheme() const noexcept { return scheme_; }
  /// The raw key: the HMAC secret, or the 32-byte Ed25519 public key.
  [[nodiscard]] std::span<const unsigned char> bytes() const noexcept { return bytes_.view(); }

 private:
  friend class SigningKey;
  friend protocol::Result<VerifyKey> verify_key_parse(std::string_view text);
  VerifyKey(Scheme scheme, detail::SecretBytes bytes) : scheme_(scheme), bytes_(std::move(bytes)) {}

  Scheme scheme_;
  detail::SecretBytes bytes_;
};

/// A new random `whsec_…` secret of `key_bytes` bytes (`kSecretBytesMin`..`kSecretBytesMax`),
/// padded base64. Error `invalid` (field `key_bytes`) outside that range.
[[nodiscard]] protocol::Result<std::string> secret_generate(std::size_t key_bytes = kSecretBytesMax);

/// A new Ed25519 key pair as the strings an operator configures.
struct Ed25519Keypair {
  std::string secret_key;  ///< `whsk_…`: stays with the signer (Vitrina)
  std::string public_key;  ///< `whpk_…`: handed to the receiver (the shop)
};

/// A new random Ed25519 key pair (`crypto_sign_seed_keypair` over a random seed).
[[nodiscard]] Ed25519Keypair ed25519_keypair_generate();

/// The `webhook-signature` header value for one message: one entry per key, in the order given
/// (`v1,<base64 HMAC-SHA256>` or `v1a,<base64 Ed25519 signature>`), separated by single spaces.
/// `timestamp` is the message's `webhook-timestamp` in Unix seconds. No keys: an empty string.
[[nodiscard]] std::string sign(std::string_view msg_id, std::int64_t timestamp, std::string_view body,
                               std::span<const SigningKey> keys);

/// `sign` with one key.
[[nodiscard]] inline std::string sign(std::string_view msg_id, std::int64_t timestamp, std::string_view body,
                                      const SigningKey& key) {
  return sign(msg_id, timestamp, body, std::span<const SigningKey>(&key, 1));
}

/// The three Standard Webhooks headers of one request. Empty means absent.
struct Headers {
  std::string id;         ///< `webhook-id`
  std::string timestamp;  ///< `webhook-timestamp`
  std::string signature;  ///< `webhook-signature`
};

/// Returns a header's value by name, or nothing when the request has no such header. It is
/// asked for the lower-case names above; HTTP libraries' own lookups ignore case already.
/// It returns a `std::string` (not a view) so that a framework's by-value getter cannot dangle.
using HeaderLookup = std::function<std::optional<std::string>(std::string_view name)>;

/// The three headers, asked of `lookup`.
[[nodiscard]] Headers headers_from(const HeaderLookup& lookup);

/// Any container of (name, value) pairs: `std::map`, `std::unordered_multimap` (cpp-httplib's
/// `Headers`), `std::vector<std::pair<…>>`…
template <class R>
concept HeaderPairs = std::ranges::input_range<const R&> && requires(std::ranges::range_reference_t<const R&> p) {
  { p.first } -> std::convertible_to<std::string_view>;
  { p.second } -> std::convertible_to<std::string_view>;
};

/// True when `a` and `b` are equal ignoring ASCII case (HTTP header names).
[[nodiscard]] constexpr bool header_name_equals(std::string_view a, std::string_view b) noexcept {
  constexpr auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [&](char x, char y) { return lower(x) == lower(y); });
}

/// The three headers, picked out of `pairs` by case-insensitive name; the first non-empty
/// value of each wins.
template <HeaderPairs R>
[[nodiscard]] Headers headers_from(const R& pairs) {
  Headers h;
  for (const auto& p : pairs) {
    const std::string_view name = p.first;
    const std::string_view value = p.second;
    if (header_name_equals(name, kHeaderId) && h.id.empty()) {
      h.id = value;
    } else if (header_name_equals(name, kHeaderTimestamp) && h.timestamp.empty()) {
      h.timestamp = value;
    } else if (header_name_equals(name, kHeaderSignature) && h.signature.empty()) {
      h.signature = value;
    }
  }
  return h;
}

/// Verifies one received message against the raw `body` exactly as it came off the wire (verify
/// before parsing). `now` is the receiver's clock in Unix seconds (inject it; `unix_now()` reads
/// the system clock). Checks, in order: some key was given, the three headers are present, the
/// timestamp is a decimal number within `tolerance` of `now` (too old and too new both fail),
/// and at least one entry of a known version matches one of `keys`. Entries of unknown versions
/// and malformed entries are skipped; only the first `kMaxSignatureEntries` are looked at.
/// MACs are compared in constant time (`sodium_memcmp`), Ed25519 signatures checked with
/// `crypto_sign_verify_detached`.
[[nodiscard]] protocol::Result<void> verify(const Headers& headers, std::string_view body,
                                            std::span<const VerifyKey> keys, std::int64_t now,
                                            std::chrono::seconds tolerance = kDefaultTolerance);

/// `verify` with one key.
[[nodiscard]] inline protocol::Result<void> verify(const Headers& headers, std::string_view body, const VerifyKey& key,
                                                   std::int64_t now,
                                                   std::chrono::seconds tolerance = kDefaultTolerance) {
  return verify(headers, body, std::span<const VerifyKey>(&key, 1), now, tolerance);
}

/// `verify` with the headers fetched through `lookup`.
[[nodiscard]] inline protocol::Result<void> verify(const HeaderLookup& lookup, std::string_view body,
                                                   std::span<const VerifyKey> keys, std::int64_t now,
                                                   std::chrono::seconds tolerance = kDefaultTolerance) {
  return verify(headers_from(lookup), body, keys, now, tolerance);
}

/// `verify` with the headers picked out of a container of (name, value) pairs.
template <HeaderPairs R>
[[nodiscard]] protocol::Result<void> verify(const R& pairs, std::string_view body, std::span<const VerifyKey> keys,
                                            std::int64_t now, std::chrono::seconds tolerance = kDefaultTolerance) {
  return verify(headers_from(pairs), body, keys, now, tolerance);
}

/// The system clock in Unix seconds, for `now`.
[[nodiscard]] inline std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace vitrina::webhook
