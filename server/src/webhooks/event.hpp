#pragma once
// Building outbox messages and endpoint records: ids, bodies, secrets.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.hpp"
#include "vitrina/webhook/webhook.hpp"

namespace vitrina::webhooks {

inline constexpr std::string_view kMessagePrefix = "msg_";
inline constexpr std::string_view kEndpointPrefix = "we_";
/// After a rotation the old secret keeps signing this long (both signatures are sent).
inline constexpr std::int64_t kRotationOverlapMs = 24LL * 60 * 60 * 1000;

/// "2024-05-01T12:00:00.123Z" for unix milliseconds.
std::string rfc3339_ms(std::int64_t unix_ms);

/// A new message for the outbox: a fresh msg_… id and the body
/// {"type":…,"timestamp":…,"data":<data_json>} fixed now. `data_json` must be a JSON value
/// (the store refuses the write otherwise).
store::NewWebhookEvent make_event(std::string site_id, std::string type, std::string_view data_json,
                                  std::int64_t now_ms);

/// The keys that sign a delivery to `endpoint` at `now_ms`: the current secret, and the previous
/// one while it has not expired. Unparseable stored secrets are skipped.
std::vector<webhook::SigningKey> signing_keys(const store::WebhookEndpoint& endpoint, std::int64_t now_ms);

/// A new endpoint and its secret (returned once, for the caller to show), after checking the URL
/// (validate_endpoint_url) and the event patterns (non-empty, at most 64, each at most 128
/// characters of [a-z0-9_.*]).
struct NewEndpoint {
  store::WebhookEndpoint endpoint;
  std::string secret;
};
protocol::Result<NewEndpoint> create_endpoint(store::Store& store, const std::string& site_id, const std::string& url,
                                              std::vector<std::string> event_types, bool allow_private,
                                              std::int64_t now_ms);

/// Gives the endpoint a new secret; the old one keeps signing for kRotationOverlapMs. Returns
/// the new secret.
protocol::Result<std::string> rotate_endpoint_secret(store::Store& store, const std::string& endpoint_id,
                                                     std::int64_t now_ms);

}  // namespace vitrina::webhooks
