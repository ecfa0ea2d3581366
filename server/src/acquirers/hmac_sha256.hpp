#pragma once
// HMAC-SHA256 with keys of any length, and the encodings acquirers put MACs in. Stripe keys its
// webhook MAC with the whole `whsec_…` string and CloudPayments with the API secret, neither of
// them the 32 bytes libsodium's one-shot crypto_auth_hmacsha256 insists on.

#include <sodium.h>

#include <array>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace vitrina::acquirers {

using Mac = std::array<unsigned char, crypto_auth_hmacsha256_BYTES>;

/// HMAC-SHA256 over the concatenation of `parts`, keyed with the bytes of `key`.
Mac hmac_sha256(std::string_view key, std::initializer_list<std::string_view> parts);

/// Lower-case hex of a MAC.
std::string to_hex(const Mac& mac);
/// Standard base64 (with padding) of a MAC.
std::string to_base64(const Mac& mac);
/// Standard base64 of any bytes (Basic auth credentials).
std::string base64_encode(std::string_view bytes);

/// A MAC from its hex form (either case), or nothing when `hex` is not exactly 64 hex digits.
std::optional<Mac> mac_from_hex(std::string_view hex);
/// A MAC from its standard base64 form, or nothing when it does not decode to 32 bytes.
std::optional<Mac> mac_from_base64(std::string_view b64);

/// Constant-time equality.
[[nodiscard]] bool same_mac(const Mac& a, const Mac& b) noexcept;

}  // namespace vitrina::acquirers
