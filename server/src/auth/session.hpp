#pragma once
// Operator console sessions: the token the cookie carries and the hash the store keeps.

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace vitrina::auth {

inline constexpr std::string_view kSessionTokenPrefix = "ses_";
/// Body length of a session token: 43 base62 characters, ~256 bits, like a secret key.
inline constexpr std::size_t kSessionTokenBodyLength = 43;
/// How long a console session lasts unless console.session_ttl_ms says otherwise.
inline constexpr std::chrono::milliseconds kDefaultSessionTtl = std::chrono::hours(12);
/// The longest user agent kept with a session, in bytes.
inline constexpr std::size_t kMaxUserAgentLength = 256;

/// "ses_" + 43 base62 characters from the CSPRNG.
std::string generate_session_token();

/// True for exactly "ses_" + 43 base62 characters; anything else is not worth a lookup.
[[nodiscard]] bool is_session_token(std::string_view token) noexcept;

/// What the store keeps instead of the token: hex BLAKE2b-256, as for secret keys, so a copy
/// of the database does not let anyone sign in.
std::string hash_session_token(std::string_view token);

/// The CSRF token of a session: hex BLAKE2b-256 of a fixed label and the session token (64
/// characters). The console reads it from the sign-in answer or /v1/console/me and sends it in
/// the X-CSRF-Token header of every state-changing request; another site's page can neither
/// read it nor send that header without a CORS preflight the server never grants. Derived, not
/// stored, and it does not reveal the session token.
std::string csrf_token(std::string_view session_token);

/// `user_agent` cut to at most kMaxUserAgentLength bytes, never inside a UTF-8 sequence, with
/// control characters replaced by spaces (it is shown to operators later).
std::string truncate_user_agent(std::string_view user_agent);

}  // namespace vitrina::auth
