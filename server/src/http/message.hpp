#pragma once
// The request and response types every handler sees. A response body is either owned by the
// response or borrowed from an immutable buffer kept alive by `keep_alive` (static files are
// sent from memory without a copy).

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vitrina/protocol/result.hpp"

namespace vitrina::http {

namespace bhttp = boost::beast::http;

using Request = bhttp::request<bhttp::string_body>;
using Status = bhttp::status;
using Field = bhttp::field;

struct Response {
  bhttp::response_header<> head;
  std::string owned;
  std::shared_ptr<const void> keep_alive;
  std::string_view body;  // points into `owned` or into what `keep_alive` holds
  // Header lines prepared once for responses that never change (static files), each ending in
  // CRLF, Content-Length included. When set, `head` contributes only the status, and the
  // server adds Date, X-Request-Id and Connection.
  std::shared_ptr<const std::string> raw_fields;

  Response() = default;
  Response(Response&& other) noexcept { *this = std::move(other); }
  Response& operator=(Response&& other) noexcept;
  Response(const Response&) = delete;
  Response& operator=(const Response&) = delete;

  void set_body(std::string text);
  /// A header's value from `head` or `raw_fields` (name compared case-insensitively), or "".
  std::string_view header(std::string_view name) const;
  void set_shared_body(std::shared_ptr<const void> owner, std::string_view bytes);
};

/// What the server knows about the request besides the message itself.
struct Context {
  std::string request_id;
  std::string path;                                        // the decoded path, dot segments refused (see split_target)
  std::map<std::string, std::string, std::less<>> params;  // from "{name}" route segments
  std::string remote_address;                              // the client's IP address, when the session fills it in
};

Response make_response(Status status, std::string body, std::string_view content_type);
Response make_json(Status status, std::string json);

/// Further string members of a problem (RFC 9457 §3.2), each left out when its value is empty.
using ProblemExtensions = std::vector<std::pair<std::string_view, std::string_view>>;

/// The one way an error becomes an HTTP answer: an RFC 9457 problem whose status, type
/// (`urn:vitrina:problem:<type>`, documented in docs/api.md) and title come from the error
/// table (vitrina/protocol/error_code.hpp). The detail is the error's message, led by the field
/// for `invalid` ("amount must be positive"); `field` names the offending input. Content-Type:
/// application/problem+json, never cached.
Response problem(const protocol::Error& error, const ProblemExtensions& extensions = {});

/// The same for a code and its words: `detail` is used as it is.
Response problem(protocol::ErrorCode code, std::string_view detail = {}, std::string_view field = {},
                 const ProblemExtensions& extensions = {});

}  // namespace vitrina::http
