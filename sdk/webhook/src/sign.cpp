// Producing the webhook-signature header value.

#include <sodium.h>

#include "codec.hpp"
#include "vitrina/webhook/webhook.hpp"

namespace vitrina::webhook {

std::string sign(std::string_view msg_id, std::int64_t timestamp, std::string_view body,
                 std::span<const SigningKey> keys) {
  // Nothing below depends on sodium_init() having succeeded, but libsodium asks for the call.
  (void)detail::sodium_ready();
  detail::TimestampBuffer ts_buf;
  const std::string_view ts = detail::timestamp_format(timestamp, ts_buf);

  std::string header;
  // "v1a," + 88 base64 characters + a separator is the longest entry.
  header.reserve(keys.size() * 93);
  std::string content;  // built only when an Ed25519 key needs it contiguous
  for (const SigningKey& key : keys) {
    if (!header.empty()) header.push_back(' ');
    if (key.scheme() == Scheme::hmac_sha256) {
      auto mac = detail::hmac_content(key.bytes(), msg_id, ts, body);
      header.append("v1,");
      detail::base64_append(header, mac);
    } else {
      if (content.empty()) content = detail::signed_content(msg_id, ts, body);
      std::array<unsigned char, detail::kEd25519SignatureBytes> sig{};
      crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const unsigned char*>(content.data()), content.size(),
                           key.bytes().data());
      header.append("v1a,");
      detail::base64_append(header, sig);
    }
  }
  return header;
}

}  // namespace vitrina::webhook
