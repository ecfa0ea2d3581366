#pragma once
/// \file
/// The live chat's field rules, error codes and close codes. The codec applies the rules to
/// every frame it reads; the server applies the same ones to anything else visitors send (the
/// HTTP API, the console) so that one rule set holds everywhere. Each check returns an Error with
/// code "invalid" and `field` set to the name it was given.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "vitrina/protocol/chat.hpp"
#include "vitrina/protocol/result.hpp"

namespace vitrina::protocol::chat {

// ---------------------------------------------------------------------------------------------
// Error codes of `error` frames (ErrorEvent::code, a protocol::ErrorCode written by its name),
// and what each means in the chat:
//   malformed: Not JSON, not valid UTF-8, nested too deep, a member twice, or not an object with a `type`.
//   too_large: The frame exceeds Limits::frame_bytes.
//   unknown_type: `type` names no frame this protocol knows.
//   invalid: A member is missing, of the wrong type, out of bounds, or unknown; `field` names it.
//   not_allowed: The frame is not allowed now or for this role (a second hello, a message before hello, an
//     operator-only frame from a visitor).
//   unsupported_version: `hello` names a protocol version the server does not speak.
//   identity_required: The site requires verified identity and `hello` carries none.
//   identity_invalid: The identity's hash is wrong, or the site has no identity secret.
//   identity_expired: The identity's `expires_at` has passed.
//   not_found: No such conversation for this visitor or site.
//   conversation_closed: A message to a closed conversation (reopen it, or a visitor starts a new one).
//   conflict: An action the state or the operator's role does not allow (take an assigned conversation…).
//   rate_limited: Too many frames; `retry_after_ms` says when to send again.
//   unavailable: The server could not commit; nothing was stored. Send the same frame again later.
//   internal: A bug on the server. Nothing was stored.

// ---------------------------------------------------------------------------------------------
// WebSocket close codes the server uses.

inline constexpr int kCloseNormal = 1000;           ///< the client or server ended the session
inline constexpr int kCloseGoingAway = 1001;        ///< the server is shutting down; reconnect
inline constexpr int kCloseUnsupportedData = 1003;  ///< a binary frame
inline constexpr int kCloseTooBig = 1009;           ///< a frame over Limits::frame_bytes
inline constexpr int kCloseInternal = 1011;         ///< a server bug
inline constexpr int kCloseTryAgainLater = 1013;    ///< the server is overloaded; reconnect later
inline constexpr int kCloseProtocolError = 4400;    ///< repeated refused frames, no hello first, a second hello
inline constexpr int kCloseUnauthenticated = 4401;  ///< identity required/invalid/expired; operator session ended
inline constexpr int kCloseForbidden = 4403;        ///< the site or operator was disabled
inline constexpr int kCloseTimeout = 4408;          ///< no hello in time, or idle past the timeout
inline constexpr int kCloseSlowConsumer = 4413;     ///< the outbound queue overflowed: the client did not read
inline constexpr int kCloseRateLimited = 4429;      ///< frames over the rate, again and again

// ---------------------------------------------------------------------------------------------
// Field bounds. Lengths in "characters" count Unicode code points.

inline constexpr std::size_t kMinClientIdLength = 8;
inline constexpr std::size_t kMaxClientIdLength = 64;
inline constexpr std::size_t kMaxRefLength = 64;
inline constexpr std::size_t kMaxTokenLength = 512;
inline constexpr std::size_t kMaxUserIdLength = 128;
inline constexpr std::size_t kIdentityHashLength = 64;
inline constexpr std::size_t kMaxUrlBytes = 2048;
inline constexpr std::size_t kMaxTitleChars = 300;
inline constexpr std::size_t kMaxLanguageLength = 35;
inline constexpr std::size_t kMaxAttributes = 20;
inline constexpr std::size_t kMaxAttributeKeyLength = 40;
inline constexpr std::size_t kMaxAttributeValueChars = 500;
inline constexpr std::size_t kMaxNameChars = 100;
inline constexpr std::size_t kMaxEmailBytes = 254;
inline constexpr std::size_t kMaxPhoneLength = 32;
/// The highest seq: 2^53 - 1, the largest integer a JavaScript number holds exactly.
inline constexpr std::int64_t kMaxSeq = (std::int64_t{1} << 53) - 1;
/// The highest protocol version number a hello may name.
inline constexpr std::int64_t kMaxVersion = 1000;
/// Body length of `conv_`, `vis_`, `op_` and `site_` ids (base62).
inline constexpr std::size_t kIdBodyLength = 24;

/// 8 to 64 characters of `A-Z a-z 0-9 _ -` (a UUID or 16+ random characters are good choices).
Result<void> check_client_id(std::string_view id, std::string_view field = "client_id");
/// 1 to 64 characters of `A-Z a-z 0-9 _ - . :`.
Result<void> check_ref(std::string_view ref, std::string_view field = "ref");
/// `conv_` + 24 base62 characters.
Result<void> check_conversation_id(std::string_view id, std::string_view field = "conversation_id");
/// `op_` + 24 base62 characters.
Result<void> check_operator_id(std::string_view id, std::string_view field = "operator_id");
/// `vis_` + 24 base62 characters.
Result<void> check_visitor_id(std::string_view id, std::string_view field = "visitor_id");
/// A message: valid UTF-8, at most `limits.message_bytes` bytes and `limits.message_chars`
/// characters, not blank, no control characters other than tab, line feed and carriage return.
Result<void> check_message_text(std::string_view text, const Limits& limits, std::string_view field = "text");
/// 0 to kMaxSeq.
Result<void> check_seq(std::int64_t seq, std::string_view field);
/// An absolute http:// or https:// URL of printable ASCII, at most kMaxUrlBytes.
Result<void> check_url(std::string_view url, std::string_view field);
/// Printable single-line text: valid UTF-8, at most `max_chars` characters, no control characters.
Result<void> check_line(std::string_view text, std::size_t max_chars, std::string_view field);
/// A BCP 47 language tag's shape: letters, digits and hyphens, starting with a letter, 1 to 35.
Result<void> check_language(std::string_view tag, std::string_view field = "language");
/// `local@domain`, at most 254 bytes, no spaces or control characters, a dot in the domain.
Result<void> check_email(std::string_view email, std::string_view field = "email");
/// At most 32 characters of digits, spaces, `+ - ( ) .`, a `+` only first, 7 to 15 digits.
Result<void> check_phone(std::string_view phone, std::string_view field = "phone");
/// At most kMaxAttributes, keys 1 to 40 characters of `A-Z a-z 0-9 _ - .`, unique; text values
/// single-line and at most kMaxAttributeValueChars characters; integers within ±kMaxSeq.
/// `field` is the prefix for the member at fault: "attributes.cart".
Result<void> check_attributes(const std::vector<Attribute>& attributes, std::string_view field = "attributes");
/// Every present member of a context, by the rules above; `prefix` is prepended to field names.
Result<void> check_context(const VisitorContext& context, std::string_view prefix = "");
/// 1 to 128 printable ASCII characters, no spaces.
Result<void> check_user_id(std::string_view user_id, std::string_view field = "identity.user_id");
/// 64 hexadecimal digits (either case).
Result<void> check_identity_hash(std::string_view hash, std::string_view field = "identity.hash");
/// 1 to 512 printable ASCII characters, no spaces (the server checks the rest).
Result<void> check_token(std::string_view token, std::string_view field = "token");

}  // namespace vitrina::protocol::chat
