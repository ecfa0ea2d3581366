#pragma once
// The webhook API's answers (docs/webhooks.md lists every member). Timestamps are RFC 3339 in
// UTC with milliseconds; absent values are null. Plain functions, unit-tested with no server.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "store/webhook_records.hpp"

namespace vitrina::webhooks {

/// An endpoint. Never its signing keys; its whpk_ public key (not a secret) always. With
/// `show_secret` (creation and rotation only) the whsec_ secret too, when it has one.
std::string endpoint_json(const store::WebhookEndpoint& endpoint, std::int64_t now_ms, bool show_secret = false);

/// `{"items":[endpoint, …]}`, without secrets.
std::string endpoint_list_json(const std::vector<store::WebhookEndpoint>& endpoints, std::int64_t now_ms);

/// A message with its deliveries; with `attempts` (not null) also its body as `payload` and
/// every attempt, in the order they were made.
std::string message_json(const store::WebhookMessage& message, const std::vector<store::WebhookDelivery>& deliveries,
                         const std::vector<store::WebhookAttempt>* attempts);

/// `{"items":[message, …]}`: each with its deliveries, without body or attempts.
std::string message_list_json(
    const std::vector<std::pair<store::WebhookMessage, std::vector<store::WebhookDelivery>>>& messages);

}  // namespace vitrina::webhooks
