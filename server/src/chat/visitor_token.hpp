#pragma once
// Visitor tokens: the server's signed statement "this browser is visitor vis_… of site site_…",
// handed out in `welcome` and presented again in later `hello`s. A token is
//
//   vt1.<visitor_id>.<site_id>.<issued_at>.<expires_at>.<mac>
//
// with the times in decimal Unix seconds and <mac> the unpadded base64url of keyed BLAKE2b-256
// (crypto_generichash, 32-byte server key) over everything before the last dot: 43 characters.
// Nothing in it is secret; it cannot be forged or moved to another site without the key. The
// key lives in the data directory (visitor-token.key): 32 bytes, or 64 when a rotated key
// follows the current one, so tokens signed with the previous key keep working until they are
// rotated at the visitor's next connection.

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "vitrina/protocol/chat.hpp"
#include "vitrina/protocol/result.hpp"

namespace vitrina::chat {

using protocol::Result;

inline constexpr std::string_view kVisitorTokenPrefix = "vt1.";
inline constexpr std::size_t kTokenKeyBytes = 32;

/// A 32-byte signing key. Wiped when destroyed.
class TokenKey {
 public:
  TokenKey() = default;
  explicit TokenKey(const std::array<unsigned char, kTokenKeyBytes>& bytes) : bytes_(bytes) {}
  TokenKey(const TokenKey&) = default;
  TokenKey& operator=(const TokenKey&) = default;
  ~TokenKey();
  const unsigned char* data() const noexcept { return bytes_.data(); }

 private:
  std::array<unsigned char, kTokenKeyBytes> bytes_{};
};

/// A fresh key from the CSPRNG.
TokenKey generate_token_key();

/// The signing keys in force: the current one signs, both verify.
struct TokenKeys {
  TokenKey current;
  std::optional<TokenKey> previous;
};

/// Reads the key file at `path`, creating it (mode 0600, 32 random bytes) when it does not
/// exist. A file of 64 bytes holds the current key then the previous one. Errors: "unavailable"
/// naming the path (never the key).
Result<TokenKeys> load_or_create_token_keys(const std::string& path);

struct TokenOptions {
  std::int64_t ttl_s = 30 * 86400;      ///< a token's lifetime
  std::int64_t rotate_after_s = 86400;  ///< a token older than this is replaced at the next hello
  std::int64_t max_clock_skew_s = 300;  ///< issued_at may be this far in the future
};

struct TokenClaims {
  std::string visitor_id;
  std::string site_id;
  std::int64_t issued_at_s = 0;
  std::int64_t expires_at_s = 0;
  bool operator==(const TokenClaims&) const = default;
};

struct IssuedToken {
  std::string token;
  TokenClaims claims;
};

struct VerifiedToken {
  TokenClaims claims;
  bool rotate = false;  ///< older than rotate_after_s, or signed with the previous key
};

/// What `welcome` says about a visitor: which visitor this is and the token to send back.
struct WelcomeToken {
  std::string visitor_id;
  std::string token;
  std::int64_t expires_at_s = 0;
  protocol::chat::TokenStatus status = protocol::chat::TokenStatus::issued;
};

class VisitorTokens {
 public:
  explicit VisitorTokens(TokenKeys keys, TokenOptions options = {});

  /// A new token for `visitor_id` (`vis_…`) on `site_id` (`site_…`), valid from now_s for ttl_s.
  IssuedToken issue(std::string_view visitor_id, std::string_view site_id, std::int64_t now_s) const;

  /// Checks a presented token for `site_id` at `now_s`. Errors (field "token"):
  /// "token_invalid" (malformed, or the MAC matches no key, or issued in the future beyond the
  /// skew), "token_wrong_site", "token_expired" (now_s >= expires_at). The MAC is checked first.
  [[nodiscard]] Result<VerifiedToken> verify(std::string_view token, std::string_view site_id,
                                             std::int64_t now_s) const;

  /// The hello rule: no token -> a new visitor (issued); a valid token -> the same (valid), or a
  /// fresh token for the same visitor when due (rotated); a refused token -> a new visitor
  /// (replaced). `new_visitor_id` makes a `vis_…` id when one is needed.
  WelcomeToken for_hello(std::string_view presented, std::string_view site_id, std::int64_t now_s,
                         const std::function<std::string()>& new_visitor_id) const;

  const TokenOptions& options() const noexcept { return options_; }

 private:
  std::string mac(const TokenKey& key, std::string_view signed_part) const;

  TokenKeys keys_;
  TokenOptions options_;
};

}  // namespace vitrina::chat
