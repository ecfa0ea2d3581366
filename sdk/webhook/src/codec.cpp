#include "codec.hpp"

#include <algorithm>
#include <charconv>

#include <sodium.h>

namespace vitrina::webhook::detail {

static_assert(kHmacBytes == crypto_auth_hmacsha256_BYTES);
static_assert(kEd25519SignatureBytes == crypto_sign_BYTES);

bool sodium_ready() noexcept {
  // A function-local static: thread-safe, and after the first call as cheap as a load, which
  // matters because sign() is on the delivery worker's hot path.
  static const bool ready = sodium_init() >= 0;
  return ready;
}

void base64_append(std::string& out, std::span<const unsigned char> bin) {
  const std::size_t at = out.size();
  const std::size_t encoded = sodium_base64_ENCODED_LEN(bin.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(at + encoded);
  sodium_bin2base64(out.data() + at, encoded, bin.data(), bin.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL sodium writes
}

namespace {

// Tries the padded variant first, then the unpadded one: sodium accepts each only in its form.
bool decode_into(std::string_view text, unsigned char* out, std::size_t max_len, std::size_t& len) noexcept {
  for (const int variant : {sodium_base64_VARIANT_ORIGINAL, sodium_base64_VARIANT_ORIGINAL_NO_PADDING}) {
    // A null b64_end makes sodium refuse input that is not base64 to its very end.
    if (sodium_base642bin(out, max_len, text.data(), text.size(), nullptr, &len, nullptr, variant) == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::optional<std::vector<unsigned char>> base64_decode(std::string_view text, std::size_t max_len) {
  std::vector<unsigned char> bin(std::min(max_len, text.size() / 4 * 3 + 3));
  std::size_t len = 0;
  if (!decode_into(text, bin.data(), bin.size(), len)) {
    sodium_memzero(bin.data(), bin.size());
    return std::nullopt;
  }
  bin.resize(len);
  return bin;
}

bool base64_decode_exact(std::string_view text, std::span<unsigned char> out) noexcept {
  std::size_t len = 0;
  return decode_into(text, out.data(), out.size(), len) && len == out.size();
}

std::string_view timestamp_format(std::int64_t timestamp, TimestampBuffer& buf) noexcept {
  const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), timestamp);
  (void)ec;  // 24 chars always hold an int64
  return {buf.data(), static_cast<std::size_t>(end - buf.data())};
}

std::string signed_content(std::string_view id, std::string_view timestamp, std::string_view body) {
  std::string content;
  content.reserve(id.size() + timestamp.size() + body.size() + 2);
  content.append(id).append(1, '.').append(timestamp).append(1, '.').append(body);
  return content;
}

std::array<unsigned char, kHmacBytes> hmac_content(std::span<const unsigned char> key, std::string_view id,
                                                   std::string_view timestamp, std::string_view body) noexcept {
  const auto update = [](crypto_auth_hmacsha256_state& state, std::string_view part) {
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(part.data()), part.size());
  };
  // The _init API takes keys of any length (longer ones are hashed first, as HMAC specifies);
  // the one-shot crypto_auth_hmacsha256 would insist on exactly 32 bytes.
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, key.data(), key.size());
  update(state, id);
  update(state, ".");
  update(state, timestamp);
  update(state, ".");
  update(state, body);
  std::array<unsigned char, kHmacBytes> mac{};
  crypto_auth_hmacsha256_final(&state, mac.data());
  sodium_memzero(&state, sizeof state);
  return mac;
}

}  // namespace vitrina::webhook::detail
