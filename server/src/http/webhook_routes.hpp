#pragma once
// The webhook API (docs/webhooks.md): a site's endpoints (create, list, read, change, delete,
// rotate their keys) and its messages (list, read with every attempt, resend). Authenticated
// with the site's sk_… key as a Bearer token, like the payments API; a site sees only its own
// endpoints and messages. Thin handlers: the rules are plain functions in server/src/webhooks,
// and every write is awaited before answering.

#include <functional>

#include "http/router.hpp"
#include "store/store.hpp"

namespace vitrina::http {

struct WebhookApiOptions {
  bool allow_private_targets = false;  // webhooks.allow_private_targets: the SSRF rule for URLs
  std::function<void()> on_event;      // after a committed resend: wake the delivery worker
};

/// Registers the routes; `store` must outlive the router.
void add_webhook_routes(Router& router, store::Store& store, WebhookApiOptions options);

}  // namespace vitrina::http
