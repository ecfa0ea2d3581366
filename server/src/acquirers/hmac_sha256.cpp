#include "acquirers/hmac_sha256.hpp"

#include <cstring>

namespace vitrina::acquirers {

Mac hmac_sha256(std::string_view key, std::initializer_list<std::string_view> parts) {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  for (std::string_view part : parts) {
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(part.data()), part.size());
  }
  Mac mac{};
  crypto_auth_hmacsha256_final(&state, mac.data());
  sodium_memzero(&state, sizeof state);
  return mac;
}

std::string to_hex(const Mac& mac) {
  std::string hex(mac.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), mac.data(), mac.size());
  hex.pop_back();
  return hex;
}

std::string base64_encode(std::string_view bytes) {
  std::string b64(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(b64.data(), b64.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  b64.resize(std::strlen(b64.c_str()));
  return b64;
}

std::string to_base64(const Mac& mac) {
  return base64_encode(std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()));
}

std::optional<Mac> mac_from_hex(std::string_view hex) {
  Mac mac{};
  std::size_t len = 0;
  if (hex.size() != mac.size() * 2) return std::nullopt;
  if (sodium_hex2bin(mac.data(), mac.size(), hex.data(), hex.size(), nullptr, &len, nullptr) != 0 ||
      len != mac.size()) {
    return std::nullopt;
  }
  return mac;
}

std::optional<Mac> mac_from_base64(std::string_view b64) {
  Mac mac{};
  std::size_t len = 0;
  if (sodium_base642bin(mac.data(), mac.size(), b64.data(), b64.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      len != mac.size()) {
    return std::nullopt;
  }
  return mac;
}

bool same_mac(const Mac& a, const Mac& b) noexcept { return sodium_memcmp(a.data(), b.data(), a.size()) == 0; }

}  // namespace vitrina::acquirers
