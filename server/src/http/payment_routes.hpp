#pragma once
// The payments API (docs/api.md): POST/GET /v1/payments, GET /v1/payments/{id},
// POST /v1/payments/{id}/cancel, /capture and /refunds. Authenticated with the site's sk_… key as a
// Bearer token. Thin handlers: validation, idempotency fingerprints and state changes are
// plain functions in server/src/payments; every write is awaited before answering.

#include <functional>
#include <memory>
#include <string>

#include "acquirers/acquirer.hpp"
#include "http/blocking_pool.hpp"
#include "http/router.hpp"
#include "payments/request.hpp"
#include "store/store.hpp"

namespace vitrina::http {

struct PaymentApiOptions {
  std::string public_url;  // base of redirect URLs, no trailing slash; may be set later
  std::int64_t min_expires_in_s = 60;
  std::function<void()> on_event;  // after a committed change that queued a webhook event
  // The connectors payments may use (`acquirer`); required.
  std::shared_ptr<const acquirers::Registry> acquirers;
  // Where blocking connectors' commands run; null runs them inline (tests, sandbox only).
  BlockingPool* acquirer_pool = nullptr;
};

class PaymentApi;

/// Registers the routes; `store` must outlive the router. The returned handle lets the caller
/// set the public URL once the listening port is known (before the server starts).
std::shared_ptr<PaymentApi> add_payment_routes(Router& router, store::Store& store, PaymentApiOptions options);
void set_public_url(PaymentApi& api, std::string public_url);

}  // namespace vitrina::http
