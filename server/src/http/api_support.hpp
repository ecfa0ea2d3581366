#pragma once
// What the sk_… Bearer APIs (payments, webhooks) share: finding the site from its secret key,
// problems that name the field, the JSON body checks and the query string.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "http/message.hpp"
#include "store/store.hpp"

namespace vitrina::http {

/// 401 `unauthenticated` naming Authorization, with WWW-Authenticate: Bearer.
Response unauthenticated(std::string_view detail);

/// The site whose sk_… key the request carries as `Authorization: Bearer sk_…`, or the answer
/// to give (401 for a missing, malformed or unknown key; 503 when the store cannot read).
std::variant<store::Site, Response> authenticate_site(store::Store& store, const Request& req);

/// A JSON answer that no cache keeps.
Response json_answer(Status status, std::string body);

/// 415 for a non-empty body that is not application/json (with Accept-Post / Accept-Patch
/// naming it), 413 past `max_body`; nothing when the body may be parsed.
std::optional<Response> check_json_body(const Request& req, std::size_t max_body);

/// The first value of `name` in the request's query string, percent-decoded; "invalid" naming
/// it when it is badly encoded.
protocol::Result<std::optional<std::string>> query_param(const Request& req, std::string_view name);

}  // namespace vitrina::http
