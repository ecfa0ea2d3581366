#include "auth/keys.hpp"

#include <sodium.h>

#include <array>
#include <cstddef>

#include "vitrina/protocol/keys.hpp"

namespace vitrina::auth {

namespace {

bool sodium_ready() noexcept {
  // A function-local static: initialised once, thread-safely, on first use.
  static const bool ready = sodium_init() >= 0;
  return ready;
}

// Hands make_key one random byte at a time from a buffer refilled in blocks, and wipes the
// buffer afterwards because the bytes are the key.
class RandomBytes {
 public:
  RandomBytes() { (void)sodium_ready(); }
  RandomBytes(const RandomBytes&) = delete;
  RandomBytes& operator=(const RandomBytes&) = delete;
  ~RandomBytes() { sodium_memzero(buffer_.data(), buffer_.size()); }

  unsigned char operator()() {
    if (next_ == buffer_.size()) {
      randombytes_buf(buffer_.data(), buffer_.size());
      next_ = 0;
    }
    return buffer_[next_++];
  }

 private:
  std::array<unsigned char, 64> buffer_{};
  std::size_t next_ = buffer_.size();
};

std::string random_key(std::string_view prefix, std::size_t body_length) {
  RandomBytes random;
  return protocol::make_key(prefix, body_length, random);
}

}  // namespace

Result<void> initialize() {
  if (!sodium_ready()) {
    return protocol::make_error(protocol::ErrorCode::internal, "libsodium failed to initialise");
  }
  return {};
}

std::string generate_public_key() { return random_key(protocol::kPublicKeyPrefix, protocol::kPublicBodyLength); }

std::string generate_secret_key() { return random_key(protocol::kSecretKeyPrefix, protocol::kSecretBodyLength); }

std::string generate_id(std::string_view prefix) { return random_key(prefix, protocol::kPublicBodyLength); }

std::string random_base62(std::size_t length) { return random_key("", length); }

std::string hash_secret_key(std::string_view secret_key) {
  (void)sodium_ready();
  std::array<unsigned char, crypto_generichash_BYTES> digest{};
  crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(secret_key.data()),
                     secret_key.size(), nullptr, 0);
  std::array<char, crypto_generichash_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string(hex.data(), digest.size() * 2);
}

bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace vitrina::auth
