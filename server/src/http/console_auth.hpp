#pragma once
// Who is calling a console endpoint: the operator behind the session cookie, with the CSRF
// check for requests that change something. Shared by every /v1/console/… route.

#include <string>
#include <string_view>
#include <variant>

#include "http/message.hpp"
#include "store/store.hpp"

namespace vitrina::http {

inline constexpr std::string_view kSessionCookie = "vitrina_session";
inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";

struct ConsoleCaller {
  store::Operator op;
  store::Session session;
  std::string token;  // the session token from the cookie, for deriving the CSRF token
};

/// The first well-formed session token among the Cookie headers' vitrina_session values.
std::optional<std::string> session_token(const Request& req);

/// The signed-in operator, or the answer to give: 401 `unauthenticated` (no cookie, an unknown
/// or expired session, which also expires the cookie, or a removed operator), 403 `csrf`
/// naming X-CSRF-Token when `state_changing` and the header does not carry the session's CSRF
/// token, 503 when the store cannot read. `now_ms` is the current unix time in milliseconds.
std::variant<ConsoleCaller, Response> authenticate_console(store::Store& store, const Request& req, bool state_changing,
                                                           std::int64_t now_ms, bool secure_cookies = false);

/// Owners manage the site's settings (canned responses among them). The store spells the role
/// "admin"; the protocol and the console call it "owner".
bool is_owner(const store::Operator& op) noexcept;

/// 403 `forbidden`: the operator's role does not allow this.
Response owner_only();

}  // namespace vitrina::http
