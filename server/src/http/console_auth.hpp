#pragma once
// Who is calling a console or staff API: a signed-in operator (the vitrina_session cookie) or
// the shop's backend (Authorization: Bearer sk_…).
//
// Cross-site request forgery: the session cookie is SameSite=Strict, so another site's page
// cannot send it; on top of that, a cookie-authenticated request that changes something must
// carry a JSON body (a cross-site form cannot send application/json without a CORS preflight,
// which this server never grants to the console's routes) and, when the browser sends Origin,
// come from the server's own origin (Origin's host equal to Host).

#include <optional>
#include <string>
#include <variant>

#include "http/message.hpp"
#include "store/store.hpp"

namespace vitrina::http {

inline constexpr std::string_view kSessionCookie = "vitrina_session";

/// The first well-formed session token among the Cookie headers' vitrina_session values.
std::optional<std::string> session_token(const Request& req);

struct SignedIn {
  store::Session session;
  store::Operator op;
};

/// The operator whose session cookie the request carries, or a 401 problem. An expired
/// session is deleted (nobody waits for it) and `*expired` set, so the caller may clear the
/// cookie.
std::variant<SignedIn, Response> signed_in_operator(store::Store& store, const Request& req, bool* expired = nullptr);

struct StaffCaller {
  store::Site site;
  std::string operator_id;  // empty for the shop's backend
};

/// The site's backend (Bearer sk_…) or one of its signed-in operators, or the answer to give:
/// 401 when neither, 403 `cross-site` for a cookie-authenticated change from another origin.
std::variant<StaffCaller, Response> authenticate_staff(store::Store& store, const Request& req);

/// True when the request's Origin header is absent or names the host the request was sent to.
bool same_origin(const Request& req);

}  // namespace vitrina::http
