#pragma once
// Who may call a route, declared where the route is registered:
//
//   const RouteAuth auth(store);
//   router.get("/v1/payments/{id}", auth.api_key(std::bind_front(&PaymentApi::get, api)));
//   router.patch("/v1/console/canned_responses/{id}",
//                auth.console(ConsoleAccess::owner_write, std::bind_front(&CannedApi::change, api)));
//
// where PaymentApi::get(const Request&, Context&, const store::Site&) gets the site whose
// secret key the request carries.
// The wrapper authenticates before the handler runs and hands it the caller; a refusal is the
// answer and the handler never runs. A handler returning Response becomes a SyncHandler, one
// returning net::awaitable<Response> an AsyncHandler, so both register the same way.

#include <boost/asio/awaitable.hpp>
#include <type_traits>
#include <utility>
#include <variant>

#include "http/api_support.hpp"
#include "http/console_auth.hpp"
#include "http/router.hpp"
#include "store/store.hpp"

namespace vitrina::http {

/// The caller an authenticator yields: an authenticator is any
/// `(const Request&, Context&) -> std::variant<Caller, Response>`, the Response being the refusal.
template <class Authenticate>
using CallerOf = std::variant_alternative_t<0, std::invoke_result_t<const Authenticate&, const Request&, Context&>>;

namespace detail {

// Parameters by value: the coroutine frame owns copies, whatever becomes of the router.
template <class Authenticate, class Handler>
boost::asio::awaitable<Response> run_authenticated(Authenticate authenticate, Handler handler, const Request& req,
                                                   Context& ctx) {
  auto who = authenticate(req, ctx);
  if (auto* refused = std::get_if<Response>(&who)) co_return std::move(*refused);
  // `who` lives in this frame until the handler's coroutine has finished with the caller.
  co_return co_await handler(req, ctx, std::get<0>(std::move(who)));
}

}  // namespace detail

/// `handler(req, ctx, caller)` behind `authenticate`.
template <class Authenticate, class Handler>
auto authenticated(Authenticate authenticate, Handler handler) {
  using Caller = CallerOf<Authenticate>;
  using Result = std::invoke_result_t<const Handler&, const Request&, Context&, Caller&&>;
  if constexpr (std::is_same_v<Result, Response>) {
    return SyncHandler(
        [authenticate = std::move(authenticate), handler = std::move(handler)](const Request& req, Context& ctx) {
          auto who = authenticate(req, ctx);
          if (auto* refused = std::get_if<Response>(&who)) return std::move(*refused);
          return handler(req, ctx, std::get<0>(std::move(who)));
        });
  } else {
    static_assert(std::is_same_v<Result, boost::asio::awaitable<Response>>,
                  "a handler answers Response or net::awaitable<Response>");
    return AsyncHandler(
        [authenticate = std::move(authenticate), handler = std::move(handler)](const Request& req, Context& ctx) {
          return detail::run_authenticated(authenticate, handler, req, ctx);
        });
  }
}

/// What a console route asks of the signed-in operator beyond a live session.
enum class ConsoleAccess {
  read,         // any operator of the site
  write,        // any operator, with the session's CSRF token in X-CSRF-Token
  owner_write,  // the site's owner, with the CSRF token; others get 403 `forbidden`
};

/// The site whose secret key the request carries (authenticate_site).
struct SiteKey {
  store::Store* store;
  std::variant<store::Site, Response> operator()(const Request& req, Context&) const {
    return authenticate_site(*store, req);
  }
};

/// The operator behind the session cookie (authenticate_console), held to `access`.
struct ConsoleSession {
  store::Store* store;
  ConsoleAccess access;
  bool secure_cookies;
  std::variant<ConsoleCaller, Response> operator()(const Request& req, Context&) const;
};

/// The site's backend or one of its operators (authenticate_staff).
struct StaffKeyOrSession {
  store::Store* store;
  std::variant<StaffCaller, Response> operator()(const Request& req, Context&) const {
    return authenticate_staff(*store, req);
  }
};

/// The policies a module's routes use, bound to its store. `store` must outlive the routes.
class RouteAuth {
 public:
  explicit RouteAuth(store::Store& store, bool secure_cookies = false)
      : store_(&store), secure_cookies_(secure_cookies) {}

  /// Authorization: Bearer sk_…; the handler gets `const store::Site&`.
  template <class Handler>
  auto api_key(Handler handler) const {
    return authenticated(SiteKey{store_}, std::move(handler));
  }
  /// The console's session cookie; the handler gets `const ConsoleCaller&`.
  template <class Handler>
  auto console(ConsoleAccess access, Handler handler) const {
    return authenticated(ConsoleSession{store_, access, secure_cookies_}, std::move(handler));
  }
  /// The site's secret key or an operator's session; the handler gets `const StaffCaller&`.
  template <class Handler>
  auto staff(Handler handler) const {
    return authenticated(StaffKeyOrSession{store_}, std::move(handler));
  }

 private:
  store::Store* store_;
  bool secure_cookies_;
};

}  // namespace vitrina::http
