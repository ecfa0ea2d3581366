#pragma once
// The operator console's JSON: reading a sign-in request, writing an operator. Plain functions
// over strings, unit-tested with no server.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.hpp"
#include "vitrina/protocol/result.hpp"

namespace vitrina::http {

/// The most a sign-in body may hold; anything longer is refused (413) before parsing.
inline constexpr std::size_t kMaxLoginBody = 8 * 1024;

struct LoginRequest {
  std::string email;  // normalised: trimmed, lower-cased
  std::string password;
  std::optional<std::string> site;  // site_… or pk_…, when the e-mail is on several sites
};

/// Parses `{"email": string, "password": string, "site"?: string|null}`. Unknown members are
/// ignored, duplicated ones refused. Errors: "malformed" (field "body": not JSON, or not one
/// complete value), "invalid" (field "body" when the value is not an object, otherwise the
/// member at fault: missing, of the wrong type, empty or too long).
protocol::Result<LoginRequest> parse_login_request(std::string_view body);

/// True for "application/json", any case, with or without parameters ("; charset=utf-8").
bool is_json_media_type(std::string_view content_type) noexcept;

/// `{"operator":{"id","email","name","role","site_id"}}`: never the password hash.
std::string operator_json(const store::Operator& op);

/// `{"operator":{…},"csrf_token":"…"}`: the sign-in and /v1/console/me answer.
std::string session_json(const store::Operator& op, std::string_view csrf_token);

}  // namespace vitrina::http
