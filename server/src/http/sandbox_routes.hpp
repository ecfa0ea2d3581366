#pragma once
// The sandbox acquirer's hosted page: GET /sandbox/pay/{id} shows the payment and a card field;
// POST /sandbox/pay/{id} (form-encoded) lets the test card decide, sends the sandbox's signed
// callback through the same CallbackProcessor a real acquirer's callback reaches, and
// redirects (303) to the payment's return_url. The card number is never stored or logged.

#include <chrono>
#include <memory>

#include "acquirers/sandbox.hpp"
#include "http/callback_routes.hpp"
#include "http/router.hpp"
#include "store/store.hpp"

namespace vitrina::http {

struct SandboxPageOptions {
  std::chrono::milliseconds delayed_result{2000};  // how late the "delayed" test card answers
};

/// Registers the page's routes; `store`, `sandbox` and `callbacks` must outlive the router.
void add_sandbox_routes(Router& router, store::Store& store, std::shared_ptr<const acquirers::Sandbox> sandbox,
                        std::shared_ptr<CallbackProcessor> callbacks, SandboxPageOptions options = {});

}  // namespace vitrina::http
