#pragma once
// The operator console's sign-in: POST /v1/console/login, GET /v1/console/me and
// POST /v1/console/logout. A session is a random token in an HttpOnly, SameSite=Strict cookie;
// the store keeps only its hash. Sign-in answers only after the session has committed, so an
// acknowledged cookie survives a crash.

#include "config/config.hpp"
#include "http/blocking_pool.hpp"
#include "http/console_auth.hpp"
#include "http/router.hpp"
#include "store/store.hpp"

namespace vitrina::http {

/// Registers the console routes. Password verification runs on `cpu` (503 "busy" when it is
/// full); `store` and `cpu` must outlive the router.
void add_console_routes(Router& router, store::Store& store, BlockingPool& cpu,
                        const config::ConsoleSettings& settings);

}  // namespace vitrina::http
