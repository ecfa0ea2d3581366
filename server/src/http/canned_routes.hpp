#pragma once
// Canned responses for the operator console (docs/operations.md): every operator of a site lists
// them, only the owner creates, changes and deletes them. Session cookie plus X-CSRF-Token on
// changes; problems name the field.
//
//   GET    /v1/console/canned_responses
//   POST   /v1/console/canned_responses            {shortcut, text, title?}
//   PATCH  /v1/console/canned_responses/{id}       {shortcut?, text?, title?}
//   DELETE /v1/console/canned_responses/{id}

#include "config/config.hpp"
#include "http/router.hpp"
#include "store/store.hpp"

namespace vitrina::http {

/// `store` must outlive the router.
void add_canned_routes(Router& router, store::Store& store, const config::ConsoleSettings& settings);

}  // namespace vitrina::http
