#pragma once
// Webhook endpoints: what one may be (URL, event filter, description, signing schemes), their
// keys (a whsec_ secret for v1, an Ed25519 whsk_/whpk_ pair for v1a, or both), and which keys
// sign a delivery. Plain functions over values, plus blocking wrappers for the admin CLI.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.hpp"
#include "vitrina/protocol/result.hpp"
#include "vitrina/webhook/webhook.hpp"

namespace vitrina::webhooks {

inline constexpr std::string_view kEndpointPrefix = "we_";
/// After a rotation the old keys keep signing this long (both signatures are sent).
inline constexpr std::int64_t kRotationOverlapMs = 24LL * 60 * 60 * 1000;
inline constexpr std::size_t kMaxEventTypes = 64;
inline constexpr std::size_t kMaxEventTypeLength = 128;
inline constexpr std::size_t kMaxDescription = 256;  // characters

/// Which Standard Webhooks signatures an endpoint's deliveries carry: v1 (HMAC-SHA256 with a
/// whsec_ secret), v1a (Ed25519 with a whsk_ key; the shop holds its whpk_), or both.
enum class Signing { hmac, ed25519, both };

/// "hmac" | "ed25519" | "both".
std::optional<Signing> parse_signing(std::string_view text);
std::string_view to_string(Signing signing);
/// What the endpoint's stored keys sign with.
Signing signing_of(const store::WebhookEndpoint& endpoint);

/// Event patterns: at most kMaxEventTypes, each 1 to kMaxEventTypeLength characters of
/// [a-z0-9_.*]. Errors name the pattern as "<field>[i]".
protocol::Result<void> validate_event_types(const std::vector<std::string>& patterns, std::string_view field);
/// At most kMaxDescription characters, no control characters (field "description").
protocol::Result<void> validate_description(std::string_view description);

/// What a new endpoint is to be.
struct EndpointSpec {
  std::string url;
  std::vector<std::string> event_types;  // empty: every event
  Signing signing = Signing::hmac;
  std::string description;
};

/// Checks `spec` (validate_endpoint_url, validate_event_types with field "event_types",
/// validate_description) and makes the record to insert, with a fresh we_… id and the keys its
/// signing needs. The record holds the secrets: show them once, never log them.
protocol::Result<store::WebhookEndpoint> new_endpoint(const std::string& site_id, EndpointSpec spec, bool allow_private,
                                                      std::int64_t now_ms);

/// A fresh whsec_ secret and Ed25519 pair for a rotation (the store keeps only the kinds the
/// endpoint signs with).
protocol::Result<store::EndpointKeys> fresh_keys();

/// The keys that sign a delivery to `endpoint` at `now_ms`: the current whsec_ and whsk_ keys
/// it has, then the previous ones while they have not expired. Unparseable stored keys are
/// skipped.
std::vector<webhook::SigningKey> signing_keys(const store::WebhookEndpoint& endpoint, std::int64_t now_ms);

/// For the admin CLI (blocks until committed): new_endpoint, then the insert. Answers the
/// endpoint with its keys, for the caller to show once.
protocol::Result<store::WebhookEndpoint> create_endpoint(store::Store& store, const std::string& site_id,
                                                         EndpointSpec spec, bool allow_private, std::int64_t now_ms);

/// For the admin CLI (blocks until committed): gives the endpoint new keys; the old ones keep
/// signing for kRotationOverlapMs. Answers the endpoint with its new keys.
protocol::Result<store::WebhookEndpoint> rotate_endpoint_keys(store::Store& store, const std::string& endpoint_id,
                                                              std::int64_t now_ms);

}  // namespace vitrina::webhooks
