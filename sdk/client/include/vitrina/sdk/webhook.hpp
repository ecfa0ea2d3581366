#pragma once
/// \file
/// Verifying the webhooks Vitrina sends, in one call. A thin layer over `vitrina::webhook`
/// (Standard Webhooks 1.0); use that directly for several keys at once or a custom tolerance.
///
/// \code
///   // body: the raw request body, before any JSON parsing
///   auto ok = vitrina::sdk::verify_webhook(request.headers, body, "whsec_…");
///   if (!ok) return reply(400, ok.error().code);  // missing_header, invalid_signature…
/// \endcode

#include <cstdint>
#include <span>
#include <string_view>
#include <utility>

#include "vitrina/protocol/result.hpp"
#include "vitrina/webhook/webhook.hpp"

namespace vitrina::sdk {

/// Verifies one received webhook: the three `webhook-*` headers, the raw `body` as received,
/// the endpoint's `secret` (`whsec_…` for `v1`, or `whpk_…` for `v1a`), and the receiver's clock
/// `now` in Unix seconds. Tolerance 300 s both ways; several signatures per header (any valid
/// one passes); unknown versions skipped; constant-time comparison. Error codes are those of
/// `vitrina::webhook` (an unusable secret is `invalid_key`).
[[nodiscard]] inline protocol::Result<void> verify_webhook(const webhook::Headers& headers, std::string_view body,
                                                           std::string_view secret, std::int64_t now) {
  auto key = webhook::verify_key_parse(secret);
  if (!key) return std::move(key).error();
  return webhook::verify(headers, body, *key, now);
}

/// `verify_webhook` at the system clock's current time.
[[nodiscard]] inline protocol::Result<void> verify_webhook(const webhook::Headers& headers, std::string_view body,
                                                           std::string_view secret) {
  return verify_webhook(headers, body, secret, webhook::unix_now());
}

/// `verify_webhook` with the headers picked out of a container of (name, value) pairs, such as
/// cpp-httplib's `Request::headers` or a `std::map`; names are compared case-insensitively.
template <webhook::HeaderPairs R>
[[nodiscard]] protocol::Result<void> verify_webhook(const R& headers, std::string_view body, std::string_view secret,
                                                    std::int64_t now) {
  return verify_webhook(webhook::headers_from(headers), body, secret, now);
}

/// `verify_webhook` over a container of headers, at the system clock's current time.
template <webhook::HeaderPairs R>
[[nodiscard]] protocol::Result<void> verify_webhook(const R& headers, std::string_view body, std::string_view secret) {
  return verify_webhook(webhook::headers_from(headers), body, secret, webhook::unix_now());
}

}  // namespace vitrina::sdk
