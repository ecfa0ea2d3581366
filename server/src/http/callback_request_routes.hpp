#pragma once
// The staff side of callback requests and ratings, for the shop's backend (Bearer sk_…) and
// signed-in operators (the console's session cookie): /v1/callback_requests (list, get, change
// status) and /v1/ratings (list, report, CSV export). docs/api.md.

#include <functional>

#include "http/router.hpp"
#include "store/store.hpp"

namespace vitrina::chat {
class Service;
}  // namespace vitrina::chat

namespace vitrina::http {

struct StaffApiOptions {
  std::function<void()> on_event;  // after a committed status change: wake the webhook worker
  chat::Service* chat = nullptr;   // tells the site's connected operators of the change
};

/// Registers the routes; `store` must outlive the router.
void add_callback_request_routes(Router& router, store::Store& store, StaffApiOptions options);

}  // namespace vitrina::http
