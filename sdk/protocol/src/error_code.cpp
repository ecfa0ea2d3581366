#include "vitrina/protocol/error_code.hpp"

#include <array>
#include <cstddef>

namespace vitrina::protocol {

namespace {

constexpr std::size_t kCodes = static_cast<std::size_t>(ErrorCode::http_status) + 1;

// One row per code, in the enum's order (checked below). A problem type may serve several codes
// only where the HTTP answer is meant to be the same.
constexpr std::array<ErrorInfo, kCodes> kTable = {{
    {"malformed", 400, "malformed", "Malformed request"},
    {"invalid", 422, "invalid", "Invalid input"},
    {"too_large", 413, "body-too-large", "Content too large"},
    {"header_too_large", 431, "header-too-large", "Request header fields too large"},
    {"invalid_header", 400, "invalid-header", "Invalid header"},
    {"missing_header", 400, "missing-header", "Missing header"},
    {"unsupported_media_type", 415, "unsupported-media-type", "Unsupported media type"},
    {"unknown_type", 400, "unknown-type", "Unknown type"},
    {"unsupported_version", 400, "unsupported-version", "Unsupported version"},
    {"method_not_allowed", 405, "method-not-allowed", "Method not allowed"},
    {"upgrade_required", 426, "upgrade-required", "Upgrade required"},
    {"timeout", 408, "timeout", "Request timeout"},
    {"unauthenticated", 401, "unauthenticated", "Unauthenticated"},
    {"invalid_credentials", 401, "invalid-credentials", "Sign-in failed"},
    {"invalid_signature", 401, "invalid-signature", "Invalid signature"},
    {"invalid_key", 401, "invalid-key", "Invalid key"},
    {"timestamp_out_of_tolerance", 401, "timestamp-out-of-tolerance", "Timestamp out of tolerance"},
    {"identity_required", 401, "identity-required", "Identity required"},
    {"identity_invalid", 401, "identity-invalid", "Identity invalid"},
    {"identity_expired", 401, "identity-expired", "Identity expired"},
    {"token_invalid", 401, "token-invalid", "Visitor token invalid"},
    {"token_wrong_site", 401, "token-wrong-site", "Visitor token of another site"},
    {"token_expired", 401, "token-expired", "Visitor token expired"},
    {"forbidden", 403, "forbidden", "Not allowed"},
    {"not_allowed", 403, "not-allowed", "Not allowed"},
    {"csrf", 403, "csrf", "CSRF check failed"},
    {"cross_site", 403, "cross-site", "Cross-site request refused"},
    {"origin_not_allowed", 403, "origin-not-allowed", "Origin not allowed"},
    {"site_disabled", 403, "site-disabled", "Site disabled"},
    {"pow_invalid", 403, "pow-invalid", "Proof of work refused"},
    {"not_found", 404, "not-found", "Not found"},
    {"conflict", 409, "conflict", "Conflict"},
    {"stale", 409, "changed-meanwhile", "Changed meanwhile"},
    {"duplicate", 409, "duplicate", "Already applied"},
    {"conversation_closed", 409, "conversation-closed", "Conversation closed"},
    {"already_rated", 409, "already-rated", "Already rated"},
    {"limit_reached", 409, "limit-reached", "Limit reached"},
    {"not_payable", 409, "not-payable", "Not payable"},
    {"request_in_flight", 409, "request-in-flight", "Request in flight"},
    {"idempotency_key_reused", 422, "idempotency-key-reused", "Idempotency-Key reused"},
    {"amount_mismatch", 422, "amount-mismatch", "Amount mismatch"},
    {"pow_replayed", 409, "pow-replayed", "Challenge already used"},
    {"phone_refused", 422, "phone-refused", "Number refused"},
    {"rate_limited", 429, "rate-limited", "Too many requests"},
    {"too_many_attempts", 429, "too-many-attempts", "Too many failed sign-ins"},
    {"too_many_connections", 429, "too-many-connections", "Too many connections"},
    {"unavailable", 503, "unavailable", "Service unavailable"},
    {"busy", 503, "busy", "Busy"},
    {"not_ready", 503, "not-ready", "Not ready"},
    {"shutting_down", 503, "shutting-down", "Shutting down"},
    {"internal", 500, "internal", "Internal error"},
    {"address_in_use", 500, "internal", "Internal error"},
    {"acquirer_unavailable", 502, "acquirer-unavailable", "Acquirer unavailable"},
    {"acquirer_refused", 422, "acquirer-refused", "Refused by the acquirer"},
    {"acquirer_error", 502, "acquirer-error", "Acquirer error"},
    {"invalid_options", 500, "internal", "Internal error"},
    {"invalid_argument", 422, "invalid", "Invalid input"},
    {"transport", 502, "transport", "No answer"},
    {"response_too_large", 502, "response-too-large", "Answer too large"},
    {"invalid_response", 502, "invalid-response", "Invalid answer"},
    {"http_status", 502, "http-status", "Unexpected HTTP status"},
}};

constexpr bool names_are_distinct() {
  for (std::size_t i = 0; i < kTable.size(); ++i) {
    if (kTable[i].name.empty() || kTable[i].problem_type.empty() || kTable[i].title.empty()) return false;
    for (std::size_t j = i + 1; j < kTable.size(); ++j) {
      if (kTable[i].name == kTable[j].name) return false;
    }
  }
  return true;
}
static_assert(names_are_distinct(), "every code has its own name, and every row a type and a title");
static_assert(kTable[static_cast<std::size_t>(ErrorCode::internal)].name == "internal");
static_assert(kTable[static_cast<std::size_t>(ErrorCode::acquirer_error)].name == "acquirer_error");
static_assert(kTable.back().name == "http_status", "the table follows the enum's order");

}  // namespace

const ErrorInfo& error_info(ErrorCode code) noexcept {
  const auto i = static_cast<std::size_t>(code);
  return i < kTable.size() ? kTable[i] : kTable[static_cast<std::size_t>(ErrorCode::internal)];
}

std::optional<ErrorCode> error_code_from_name(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kTable.size(); ++i) {
    if (kTable[i].name == name) return static_cast<ErrorCode>(i);
  }
  return std::nullopt;
}

std::optional<ErrorCode> error_code_from_problem_type(std::string_view type) noexcept {
  // The first row with the type is the code that owns it (e.g. "internal", "invalid").
  for (std::size_t i = 0; i < kTable.size(); ++i) {
    if (kTable[i].problem_type == type) return static_cast<ErrorCode>(i);
  }
  return std::nullopt;
}

}  // namespace vitrina::protocol
