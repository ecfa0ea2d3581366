#include "chat/identity.hpp"

#include <sodium.h>

#include <array>
#include <string>

#include "auth/keys.hpp"
#include "vitrina/protocol/chat_rules.hpp"

namespace vitrina::chat {

namespace {

namespace pc = protocol::chat;

using Mac = std::array<unsigned char, crypto_auth_hmacsha256_BYTES>;

Mac hmac(std::string_view secret, std::string_view user_id, std::int64_t expires_at) {
  (void)auth::initialize();
  const std::string message = std::string(user_id) + "." + std::to_string(expires_at);
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()), message.size());
  Mac mac{};
  crypto_auth_hmacsha256_final(&state, mac.data());
  sodium_memzero(&state, sizeof state);
  return mac;
}

protocol::Error refuse(protocol::ErrorCode code, std::string message, std::string field) {
  return protocol::make_error(code, std::move(message), std::move(field));
}

}  // namespace

std::string identity_hash(std::string_view secret, std::string_view user_id, std::int64_t expires_at) {
  const Mac mac = hmac(secret, user_id, expires_at);
  std::array<char, crypto_auth_hmacsha256_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), mac.data(), mac.size());
  return std::string(hex.data(), mac.size() * 2);
}

Result<VerifiedIdentity> verify_identity(std::string_view secret, const pc::Identity& identity, std::int64_t now_s) {
  if (auto ok = pc::check_user_id(identity.user_id); !ok) return std::move(ok).error();
  if (auto ok = pc::check_identity_hash(identity.hash); !ok) return std::move(ok).error();
  if (identity.expires_at < 0 || identity.expires_at > pc::kMaxSeq) {
    return refuse(protocol::ErrorCode::invalid, "must be Unix seconds", "identity.expires_at");
  }
  if (secret.empty()) {
    return refuse(protocol::ErrorCode::identity_invalid, "this site does not use verified identity", "identity.hash");
  }
  Mac given{};
  if (sodium_hex2bin(given.data(), given.size(), identity.hash.data(), identity.hash.size(), nullptr, nullptr,
                     nullptr) != 0) {
    return refuse(protocol::ErrorCode::invalid, "must be 64 hexadecimal digits (HMAC-SHA256)", "identity.hash");
  }
  const Mac expected = hmac(secret, identity.user_id, identity.expires_at);
  if (sodium_memcmp(given.data(), expected.data(), expected.size()) != 0) {
    return refuse(protocol::ErrorCode::identity_invalid, "the identity hash does not match", "identity.hash");
  }
  if (now_s >= identity.expires_at) {
    return refuse(protocol::ErrorCode::identity_expired, "the identity hash has expired; compute a fresh one",
                  "identity.expires_at");
  }
  return VerifiedIdentity{identity.user_id, identity.expires_at};
}

Result<std::optional<VerifiedIdentity>> check_identity(IdentityMode mode, std::string_view secret,
                                                       const std::optional<pc::Identity>& identity,
                                                       std::int64_t now_s) {
  if (!identity) {
    if (mode == IdentityMode::required) {
      return refuse(protocol::ErrorCode::identity_required, "this site accepts only verified visitors", "identity");
    }
    return std::optional<VerifiedIdentity>{};
  }
  auto verified = verify_identity(secret, *identity, now_s);
  if (!verified) return std::move(verified).error();
  return std::optional<VerifiedIdentity>{std::move(*verified)};
}

}  // namespace vitrina::chat
