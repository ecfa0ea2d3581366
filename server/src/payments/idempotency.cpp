#include "payments/idempotency.hpp"

#include <sodium.h>

#include <array>
#include <cstdint>

namespace vitrina::payments {

protocol::Result<void> validate_idempotency_key(std::string_view key) {
  if (key.empty())
    return protocol::make_error(protocol::ErrorCode::invalid, "the Idempotency-Key header is required",
                                "Idempotency-Key");
  if (key.size() > kMaxIdempotencyKey) {
    return protocol::make_error(protocol::ErrorCode::invalid, "must be at most 255 characters", "Idempotency-Key");
  }
  for (char c : key) {
    if (c < 0x20 || c > 0x7e) {
      return protocol::make_error(protocol::ErrorCode::invalid, "must be printable ASCII", "Idempotency-Key");
    }
  }
  return {};
}

std::string request_fingerprint(std::string_view method, std::string_view path, std::string_view body) {
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  for (std::string_view part : {method, path, body}) {
    std::array<unsigned char, 8> length{};
    auto n = static_cast<std::uint64_t>(part.size());
    for (auto& byte : length) {
      byte = static_cast<unsigned char>(n & 0xff);
      n >>= 8;
    }
    crypto_hash_sha256_update(&state, length.data(), length.size());
    crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(part.data()), part.size());
  }
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256_final(&state, digest.data());
  std::string hex(digest.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  hex.pop_back();
  return hex;
}

bool InFlight::try_begin(const std::string& key) {
  std::lock_guard lock(mutex_);
  return keys_.insert(key).second;
}

void InFlight::end(const std::string& key) {
  std::lock_guard lock(mutex_);
  keys_.erase(key);
}

}  // namespace vitrina::payments
