#pragma once
// Who is calling a console endpoint: the operator behind the session cookie, with the CSRF
// checks for requests that change something (the session's token in X-CSRF-Token, and the
// server's own Origin). Shared by every /v1/console/… route and the operator WebSocket.

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "http/message.hpp"
#include "store/store.hpp"
#include "vitrina/protocol/chat.hpp"

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

/// authenticate_console for a request that changes nothing, answering only the operator.
std::variant<store::Operator, Response> authenticate_operator(store::Store& store, const Request& req);

/// True when `Origin` is this server's own, as the Host header names it: what a page served by
/// the server sends. Browsers send Origin on every WebSocket upgrade and cross-origin POST.
bool is_same_origin(const Request& req);

/// 403 naming Origin, for a console request from another origin.
Response cross_origin();

/// Whoever may use a staff API (callback requests, ratings): the shop's backend or an operator.
struct StaffCaller {
  store::Site site;
  std::string operator_id;  // empty for the shop's backend
};

/// The site's backend (Authorization: Bearer sk_…) or one of its signed-in operators (the
/// session cookie), or the answer to give: 401 when neither; 403 `cross-site` naming Origin
/// for a cookie-authenticated change whose Origin is another site's.
std::variant<StaffCaller, Response> authenticate_staff(store::Store& store, const Request& req);

/// An operator's role in the chat protocol: the store's "admin" is the site's owner.
protocol::chat::OperatorRole chat_role(const store::Operator& op);

/// Owners manage the site's settings (canned responses among them). The store spells the role
/// "admin"; the protocol and the console call it "owner".
bool is_owner(const store::Operator& op) noexcept;

/// 403 `forbidden`: the operator's role does not allow this.
Response owner_only();

}  // namespace vitrina::http
