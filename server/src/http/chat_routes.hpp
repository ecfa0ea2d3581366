#pragma once
// The operator console's HTTP API over the live chat (docs/api.md, "Console: conversations"):
// history, search and the same actions as the operator WebSocket, authenticated by the console
// session cookie; state-changing requests must come from the server's own origin (CSRF).
//
//   GET  /v1/console/conversations                 list and search
//   GET  /v1/console/conversations/{id}            one conversation
//   GET  /v1/console/conversations/{id}/messages   its messages, internal notes included
//   POST /v1/console/conversations/{id}/take | assign | close | reopen
//   POST /v1/console/conversations/{id}/notes      an internal note
//   GET  /v1/console/operators                     the site's operators (to assign to)

#include "chat/service.hpp"
#include "http/router.hpp"
#include "store/store.hpp"

namespace vitrina::http {

/// Registers the routes. `service` and `store` must outlive the router.
void add_chat_console_routes(Router& router, chat::Service& service, store::Store& store);

}  // namespace vitrina::http
