#pragma once
// Verified identity: the shop's backend signs a user id and an expiry with the site's identity
// secret, the page passes {user_id, expires_at, hash}, and the server checks it here.
//
//   hash = lowercase hex HMAC-SHA256(key = identity secret, message = user_id + "." + expires_at)
//
// where expires_at is written in decimal (Unix seconds). The HMAC is computed over the secret's
// bytes as given, of any length, and compared in constant time.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "vitrina/protocol/chat.hpp"
#include "vitrina/protocol/result.hpp"

namespace vitrina::chat {

using protocol::Result;

/// Whether a site accepts anonymous visitors (`optional`) or only verified ones (`required`).
enum class IdentityMode { optional, required };

struct VerifiedIdentity {
  std::string user_id;
  std::int64_t expires_at = 0;
  bool operator==(const VerifiedIdentity&) const = default;
};

/// The hash a shop's backend computes, as 64 lowercase hex digits.
std::string identity_hash(std::string_view secret, std::string_view user_id, std::int64_t expires_at);

/// Checks `identity` against the site's `secret` at `now_s` (Unix seconds). The hash is
/// checked before the expiry, so a forged hash is never reported as merely expired. Errors
/// (protocol::chat codes, `field` set):
/// - "invalid" (identity.user_id / identity.hash / identity.expires_at): malformed member;
/// - "identity_invalid" (identity.hash): wrong hash, or the site has no identity secret;
/// - "identity_expired" (identity.expires_at): now_s >= expires_at.
[[nodiscard]] Result<VerifiedIdentity> verify_identity(std::string_view secret,
                                                       const protocol::chat::Identity& identity, std::int64_t now_s);

/// The site's policy over a hello: no identity is fine in `optional` mode (nothing verified),
/// and "identity_required" (field "identity") in `required` mode; an identity that is present is
/// verified as above in either mode, so a bad one is refused, never silently ignored.
[[nodiscard]] Result<std::optional<VerifiedIdentity>> check_identity(
    IdentityMode mode, std::string_view secret, const std::optional<protocol::chat::Identity>& identity,
    std::int64_t now_s);

}  // namespace vitrina::chat
