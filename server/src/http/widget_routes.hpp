#pragma once
// What the callback and rating widgets call from a shop's page: /v1/widget/{pk}/challenge,
// …/callbacks/options, …/callbacks, …/ratings and …/ratings/options (docs/api.md). No secret:
// the site is named by its public key and the request must come from one of its allowed
// origins; answers carry the CORS headers for that origin.

#include <cstdint>
#include <functional>
#include <memory>

#include "callbacks/challenge.hpp"
#include "http/router.hpp"
#include "store/store.hpp"

namespace vitrina::chat {
class Service;
}  // namespace vitrina::chat

namespace vitrina::http {

struct WidgetApiOptions {
  std::shared_ptr<const callbacks::Challenges> challenges;
  std::function<void()> on_event;        // after a committed request or rating: wake the webhook worker
  std::function<std::int64_t()> now_ms;  // the clock (unix ms); the system clock when empty
  chat::Service* chat = nullptr;         // tells the site's connected operators of a new request
};

/// Registers the routes; `store` must outlive the router.
void add_widget_routes(Router& router, store::Store& store, WidgetApiOptions options);

}  // namespace vitrina::http
