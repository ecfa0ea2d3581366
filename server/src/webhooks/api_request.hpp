#pragma once
// The webhook API's request bodies (docs/webhooks.md): JSON in, checked values or an Error naming
// the field out. Errors: "malformed" (field "body": not JSON) and "invalid" (the member at fault:
// "url", "event_types[2]", "signing"…; "body" when the value is not an object). Unknown and
// repeated members are refused, so a typo never passes silently. Plain functions, unit-tested
// with no server.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vitrina/protocol/result.hpp"
#include "webhooks/endpoints.hpp"

namespace vitrina::webhooks {

/// The most a webhook API body may hold, as for the payments API.
inline constexpr std::size_t kMaxApiBody = 64 * 1024;

/// POST /v1/webhook_endpoints: `{url, event_types?: [string], signing?: "hmac"|"ed25519"|"both",
/// description?: string}`, checked as new_endpoint does (`allow_private`: the SSRF rule's
/// webhooks.allow_private_targets).
protocol::Result<EndpointSpec> parse_create_endpoint(std::string_view body, bool allow_private);

/// PATCH /v1/webhook_endpoints/{id}: `{url?, event_types?, description?, enabled?: bool}`;
/// `{}` changes nothing.
struct EndpointPatch {
  std::optional<std::string> url;
  std::optional<std::vector<std::string>> event_types;
  std::optional<std::string> description;
  std::optional<bool> enabled;
};
protocol::Result<EndpointPatch> parse_endpoint_patch(std::string_view body, bool allow_private);

/// POST /v1/webhook_messages/{id}/resend: empty, `{}` or `{"endpoint_id": "we_…"}`. Answers the
/// endpoint id, "" for every endpoint.
protocol::Result<std::string> parse_resend(std::string_view body);

/// A body that must say nothing (rotate_secret): empty or `{}`.
protocol::Result<void> parse_empty(std::string_view body);

/// The `limit` query parameter: absent is `fallback`, otherwise a decimal from 1 to `max`
/// (field "limit").
protocol::Result<std::size_t> parse_limit(const std::optional<std::string>& text, std::size_t fallback,
                                          std::size_t max);

}  // namespace vitrina::webhooks
