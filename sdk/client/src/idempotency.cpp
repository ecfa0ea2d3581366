#include "idempotency.hpp"

#include <sodium.h>

#include <string_view>

namespace vitrina::sdk::detail {

namespace {
constexpr std::string_view kBase62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
}  // namespace

protocol::Result<std::string> random_idempotency_key() {
  // Safe to call from several threads and more than once; 1 means "already done".
  if (sodium_init() < 0)
    return protocol::make_error(protocol::ErrorCode::internal, "libsodium could not be initialised");
  std::string key(kIdempotencyKeyLength, '0');
  for (char& c : key) {
    // randombytes_uniform is unbiased, unlike taking a random byte modulo 62.
    c = kBase62[randombytes_uniform(static_cast<std::uint32_t>(kBase62.size()))];
  }
  return key;
}

bool is_valid_idempotency_key(std::string_view key) noexcept {
  if (key.empty() || key.size() > 255) return false;
  for (char c : key) {
    if (c < 0x20 || c > 0x7E) return false;
  }
  return true;
}

}  // namespace vitrina::sdk::detail
