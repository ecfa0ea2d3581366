#pragma once
// Internal to vitrina_webhook: libsodium set-up and base64 as Standard Webhooks uses it.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vitrina::webhook::detail {

/// Runs sodium_init() once per process; false if libsodium could not initialise.
bool sodium_ready() noexcept;

/// Appends the padded, original-alphabet base64 of `bin` to `out`.
void base64_append(std::string& out, std::span<const unsigned char> bin);

/// Decodes original-alphabet base64, padded or not, into at most `max_len` bytes (the whole
/// input must be base64). Nothing when it is not, or decodes to more than `max_len` bytes.
std::optional<std::vector<unsigned char>> base64_decode(std::string_view text, std::size_t max_len);

/// Decodes like base64_decode into exactly `out.size()` bytes; false otherwise. No allocation.
bool base64_decode_exact(std::string_view text, std::span<unsigned char> out) noexcept;

/// HMAC-SHA256 output size (crypto_auth_hmacsha256_BYTES) and Ed25519 signature size
/// (crypto_sign_BYTES); static_assert'ed against libsodium in codec.cpp.
inline constexpr std::size_t kHmacBytes = 32;
inline constexpr std::size_t kEd25519SignatureBytes = 64;

/// Room for any int64 in decimal.
using TimestampBuffer = std::array<char, 24>;

/// `timestamp` in decimal, written into `buf`.
std::string_view timestamp_format(std::int64_t timestamp, TimestampBuffer& buf) noexcept;

/// The signed content `id "." timestamp "." body` as one string (Ed25519 needs it contiguous).
std::string signed_content(std::string_view id, std::string_view timestamp, std::string_view body);

/// HMAC-SHA256 under a key of any length over `id "." timestamp "." body`, streamed so that
/// the body is never copied.
std::array<unsigned char, kHmacBytes> hmac_content(std::span<const unsigned char> key, std::string_view id,
                                                   std::string_view timestamp, std::string_view body) noexcept;

}  // namespace vitrina::webhook::detail
