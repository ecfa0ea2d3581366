#pragma once
// Who is behind a console request: the operator whose session cookie it carries, and whether
// it comes from the console's own origin (the CSRF check for state-changing requests and the
// console WebSocket).

#include <optional>
#include <string>
#include <variant>

#include "http/message.hpp"
#include "store/store.hpp"
#include "vitrina/protocol/chat.hpp"

namespace vitrina::http {

/// The first well-formed session token among the Cookie headers' vitrina_session values.
std::optional<std::string> session_token(const Request& req);

/// The operator signed in with the request's session cookie, or the answer to give: 401 for a
/// missing, unknown or expired session (or a deleted operator), 503 when the store cannot read.
std::variant<store::Operator, Response> authenticate_operator(store::Store& store, const Request& req);

/// True when `Origin` is this server's own, as the Host header names it: what a page served by
/// the server sends. Browsers send Origin on every WebSocket upgrade and cross-origin POST.
bool is_same_origin(const Request& req);

/// 403 naming Origin, for a console request from another origin.
Response cross_origin();

/// An operator's role in the chat protocol: the store's "admin" is the site's owner.
protocol::chat::OperatorRole chat_role(const store::Operator& op);

}  // namespace vitrina::http
