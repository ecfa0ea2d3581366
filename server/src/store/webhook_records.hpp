#pragma once
// Outbound webhooks as the store keeps them: endpoints, the outbox of messages, one delivery per
// (message, endpoint) and a log of every attempt. The delivery worker (server/src/webhooks)
// decides what happens next; the store only records it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vitrina::store {

/// A shop's URL that receives a site's events.
struct WebhookEndpoint {
  std::string id;  // we_…
  std::string site_id;
  std::string url;
  std::vector<std::string> event_types;  // patterns ("payment.succeeded", "payment.*"); empty = all
  // The whsec_… secret that signs v1 entries; empty when the endpoint signs only v1a. It must be
  // kept to sign, so it is stored as is: never log it, never print it except once when it is made.
  std::string secret;
  // The secret before the last rotation, still used to sign until previous_secret_expires_at, so
  // a shop can switch keys without dropping messages. Empty when there is none.
  std::string previous_secret;
  std::int64_t previous_secret_expires_at = 0;  // unix milliseconds; also ends previous_signing_key
  bool disabled = false;
  std::string disabled_reason;
  std::int64_t created_at = 0;
  // The whsk_… Ed25519 key that signs v1a entries (as secret as `secret`), its whpk_… public key
  // (not secret: the shop verifies with it), and the key before the last rotation. Empty when
  // the endpoint signs only v1.
  std::string signing_key;
  std::string public_key;
  std::string previous_signing_key;
  std::string description;  // the shop's note, at most 256 characters
  std::int64_t updated_at = 0;
};

/// Fresh keys for a rotation. An endpoint keeps its schemes: a key of a kind the endpoint does
/// not sign with is ignored.
struct EndpointKeys {
  std::string secret;       // whsec_…
  std::string signing_key;  // whsk_…
  std::string public_key;   // whpk_… of signing_key
};

/// A change to a site's endpoint; members left unset stay as they are.
struct WebhookEndpointChange {
  std::string endpoint_id;
  std::string site_id;  // only this site's endpoint changes ("not_found" otherwise)
  std::optional<std::string> url;
  std::optional<std::vector<std::string>> event_types;
  std::optional<std::string> description;
  // true: sending resumes (a 410 or an earlier change disabled it); deliveries it missed stay
  // as they are and can be resent. false: disabled with `disable_reason`, like a 410.
  std::optional<bool> enabled;
  std::string disable_reason;
  std::int64_t now = 0;
};

/// What to put in the outbox. The caller fixes the id and the body, so that every retry sends
/// identical bytes under the same webhook-id (see webhooks::make_event).
struct NewWebhookEvent {
  std::string message_id;  // msg_…: the webhook-id
  std::string site_id;
  std::string event_type;
  std::string payload;  // the whole {"type","timestamp","data"} body, valid JSON
  std::int64_t created_at = 0;
  // Non-empty: deliver to this endpoint only, whatever its filter ("webhook test").
  std::string only_endpoint_id;
};

/// A message in the outbox.
struct WebhookMessage {
  std::string id;  // msg_…
  std::string site_id;
  std::string event_type;
  std::string payload;
  std::int64_t created_at = 0;
};

struct EnqueuedEvent {
  std::string message_id;
  std::vector<std::string> endpoint_ids;  // one pending delivery each; may be empty
};

namespace delivery_status {
inline constexpr std::string_view kPending = "pending";
inline constexpr std::string_view kDelivered = "delivered";
inline constexpr std::string_view kFailed = "failed";      // retries exhausted
inline constexpr std::string_view kDisabled = "disabled";  // the endpoint was disabled
}  // namespace delivery_status

struct WebhookDelivery {
  std::string message_id;
  std::string endpoint_id;
  std::string status = "pending";
  std::int64_t attempts = 0;
  std::int64_t next_attempt_at = 0;  // unix milliseconds; meaningful while pending
  std::int64_t last_status_code = 0;
  std::string last_error;
  std::int64_t updated_at = 0;
};

/// A pending delivery whose time has come, with what it takes to send it.
struct DueDelivery {
  WebhookDelivery delivery;
  WebhookEndpoint endpoint;
  std::string event_type;
  std::string payload;
};

/// One try at a delivery.
struct WebhookAttempt {
  std::int64_t id = 0;  // assigned by the store, increasing
  std::string message_id;
  std::string endpoint_id;
  std::int64_t attempted_at = 0;  // unix milliseconds
  std::int64_t status_code = 0;   // 0: no HTTP answer (refused, timeout, connection error)
  std::string error;
  std::int64_t duration_ms = 0;
  std::string response_snippet;      // at most 256 bytes of the answer's body
  std::int64_t next_attempt_at = 0;  // when the next try was scheduled; 0 when none was
};

/// The outcome of an attempt: the attempt's log row and the delivery's new state.
struct AttemptRecord {
  WebhookAttempt attempt;
  std::string new_status = "pending";
  std::int64_t next_attempt_at = 0;
  bool disable_endpoint = false;  // 410 Gone: stop sending to this endpoint at all
  std::string disable_reason;
};

/// A resend by hand: the message's deliveries go back to pending with the retry schedule
/// restarted, under the same webhook-id and body.
struct ResendRequest {
  std::string message_id;
  std::string site_id;  // only this site's message ("not_found" otherwise); empty: any site
  // Empty: every delivery of the message to an enabled endpoint. Otherwise only to this enabled
  // endpoint of the message's site, which gets a delivery if it had none (its filter aside).
  std::string endpoint_id;
  std::int64_t now = 0;
};

/// True when an event type passes an endpoint's filter: an empty filter takes everything, "*"
/// too, "payment.*" every type starting with "payment.", anything else must match exactly.
bool event_matches(const std::vector<std::string>& patterns, std::string_view type);

}  // namespace vitrina::store
