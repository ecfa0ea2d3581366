#pragma once
/// \file
/// The closed set of error codes, and the one table that says what each means on the wire.
///
/// Every `Error` carries an `ErrorCode`. Code compares codes as enum values, never as text; the
/// text forms exist only at the edges: `error_code_name` is the code in WebSocket error frames,
/// logs and the admin CLI, and `error_info` gives the HTTP status, the RFC 9457 problem type
/// (`urn:vitrina:problem:<type>`) and its title, so that every HTTP answer for a code is the same.

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string_view>

namespace vitrina::protocol {

enum class ErrorCode : std::uint8_t {
  // The request or frame itself.
  malformed,               ///< not parseable (broken JSON, bad framing)
  invalid,                 ///< parseable, but a value breaks a rule; `field` names it
  too_large,               ///< a body or frame over its limit
  header_too_large,        ///< request header fields over their limit
  invalid_header,          ///< a header that cannot be read
  missing_header,          ///< a required header is absent
  unsupported_media_type,  ///< a body in another media type than the one accepted
  unknown_type,            ///< a frame type this side does not know
  unsupported_version,     ///< a protocol version this side does not speak
  method_not_allowed,      ///< the path exists under other methods
  upgrade_required,        ///< a WebSocket path asked without an upgrade
  timeout,                 ///< the request did not arrive in time
  // Who is asking.
  unauthenticated,             ///< no credentials, or credentials that are not valid
  invalid_credentials,         ///< a sign-in with a wrong e-mail or password
  invalid_signature,           ///< a signature that does not verify
  invalid_key,                 ///< a key that cannot be parsed
  timestamp_out_of_tolerance,  ///< a signed timestamp too far from now
  identity_required,           ///< the site requires a verified visitor identity
  identity_invalid,            ///< a visitor identity whose hash does not verify
  identity_expired,            ///< a visitor identity past its expiry
  token_invalid,               ///< a visitor token that is malformed or does not verify
  token_wrong_site,            ///< a visitor token of another site
  token_expired,               ///< a visitor token past its expiry
  forbidden,                   ///< authenticated, but the role may not do this
  not_allowed,                 ///< not allowed in this state or for this party
  csrf,                        ///< the CSRF token is missing or wrong
  cross_site,                  ///< a cross-site request to a same-site endpoint
  origin_not_allowed,          ///< the Origin is not one of the site's
  site_disabled,               ///< the site is switched off
  pow_invalid,                 ///< the proof of work does not verify
  // The state of things.
  not_found,               ///< no such thing (or not the caller's)
  conflict,                ///< a uniqueness rule or another party's claim says no
  stale,                   ///< changed meanwhile: a compare-and-set lost; read again
  duplicate,               ///< this exact event or request was already applied
  conversation_closed,     ///< the conversation is closed
  already_rated,           ///< one rating of this kind per conversation
  limit_reached,           ///< a count limit of the site is reached
  not_payable,             ///< the payment is not in a state that can be paid
  request_in_flight,       ///< the same Idempotency-Key is being processed
  idempotency_key_reused,  ///< an Idempotency-Key reused with another request
  amount_mismatch,         ///< an acquirer reported another amount or currency
  pow_replayed,            ///< a proof-of-work challenge used twice
  phone_refused,           ///< the phone number is in a refused range
  // Too much.
  rate_limited,          ///< too many requests or frames; retry later
  too_many_attempts,     ///< too many failed sign-ins
  too_many_connections,  ///< too many connections from one address or site
  // Our side or a neighbour's.
  unavailable,           ///< temporarily unable (the store, a queue); retry later
  busy,                  ///< the server's bounded work queue is full; retry later
  not_ready,             ///< not ready to serve (starting)
  shutting_down,         ///< shutting down
  internal,              ///< a fault of ours; details only in the log
  address_in_use,        ///< a listener's address is taken
  acquirer_unavailable,  ///< the acquirer did not answer (timeout, 5xx); retry later
  acquirer_refused,      ///< the acquirer answered no; its own code in `field`
  acquirer_error,        ///< the acquirer's answer was unusable
  // The client library's own (vitrina::sdk).
  invalid_options,     ///< the client's options are unusable; `field` names the option
  invalid_argument,    ///< a call's argument cannot be sent; `field` names it
  transport,           ///< no HTTP answer: refused, DNS, TLS, timeout, dropped
  response_too_large,  ///< the answer exceeded the client's limit
  invalid_response,    ///< an answer that is not what the API promises
  http_status,         ///< a non-2xx answer that is no Vitrina problem; `Error::http_status` has it
};

/// What a code means on the wire.
struct ErrorInfo {
  std::string_view name;          ///< the code's text: WebSocket error frames, logs, the CLI
  int http_status;                ///< the HTTP status of the answer
  std::string_view problem_type;  ///< the RFC 9457 type, after `urn:vitrina:problem:`
  std::string_view title;         ///< the problem's title
};

/// The table row of `code`. Every code has one.
const ErrorInfo& error_info(ErrorCode code) noexcept;

/// The code's text, e.g. "not_found".
inline std::string_view error_code_name(ErrorCode code) noexcept { return error_info(code).name; }

/// The code whose text is `name` (a peer's error frame), or nothing for a text not in the table.
std::optional<ErrorCode> error_code_from_name(std::string_view name) noexcept;

/// The code whose problem type is `type` (the part after `urn:vitrina:problem:`), or nothing.
std::optional<ErrorCode> error_code_from_problem_type(std::string_view type) noexcept;

/// Prints the code's text (test failure messages, logs).
std::ostream& operator<<(std::ostream& out, ErrorCode code);

}  // namespace vitrina::protocol
