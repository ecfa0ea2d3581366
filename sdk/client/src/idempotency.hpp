#pragma once
// Internal to vitrina::sdk: Idempotency-Key values, drawn or checked.

#include <string>
#include <string_view>

#include "vitrina/protocol/result.hpp"

namespace vitrina::sdk::detail {

/// Length of a drawn key: 32 base62 characters, about 190 bits from libsodium's CSPRNG, so two
/// keys never meet by chance even across every shop using the same server.
inline constexpr std::size_t kIdempotencyKeyLength = 32;

/// A fresh random key, or an `internal` error when libsodium cannot be initialised.
protocol::Result<std::string> random_idempotency_key();

/// What the server accepts: 1–255 printable ASCII characters (space to '~').
bool is_valid_idempotency_key(std::string_view key) noexcept;

}  // namespace vitrina::sdk::detail
