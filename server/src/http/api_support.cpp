#include "http/api_support.hpp"

#include "auth/keys.hpp"
#include "http/console_json.hpp"
#include "vitrina/protocol/form.hpp"
#include "vitrina/protocol/keys.hpp"

namespace vitrina::http {

Response unauthenticated(std::string_view detail) {
  Response r = problem(protocol::ErrorCode::unauthenticated, detail, "Authorization");
  r.head.set(Field::www_authenticate, "Bearer");
  return r;
}

std::variant<store::Site, Response> authenticate_site(store::Store& store, const Request& req) {
  const std::string_view header = req[Field::authorization];
  constexpr std::string_view kBearer = "Bearer ";
  if (header.empty()) return unauthenticated("send the site's secret key as Authorization: Bearer sk_…");
  if (!header.starts_with(kBearer) || !protocol::is_secret_key(header.substr(kBearer.size()))) {
    return unauthenticated("the Authorization header must be Bearer sk_…");
  }
  auto site = store.find_site_by_secret_hash(auth::hash_secret_key(header.substr(kBearer.size())));
  if (!site) return problem(site.error());
  if (!*site) return unauthenticated("the secret key is not valid");
  return std::move(**site);
}

Response json_answer(Status status, std::string body) {
  Response r = make_json(status, std::move(body));
  r.head.set(Field::cache_control, "no-store");
  return r;
}

std::optional<Response> check_json_body(const Request& req, std::size_t max_body) {
  if (!req.body().empty() && !is_json_media_type(req[Field::content_type])) {
    Response r =
        problem(protocol::ErrorCode::unsupported_media_type, "send the body as application/json", "Content-Type");
    r.head.set(req.method() == bhttp::verb::patch ? "Accept-Patch" : "Accept-Post", "application/json");
    return r;
  }
  if (req.body().size() > max_body) {
    return problem(protocol::ErrorCode::too_large, "the body is at most " + std::to_string(max_body / 1024) + " KiB",
                   "body");
  }
  return std::nullopt;
}

protocol::Result<std::optional<std::string>> query_param(const Request& req, std::string_view name) {
  const std::string_view target = req.target();
  const auto q = target.find('?');
  if (q == std::string_view::npos) return std::optional<std::string>{};
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) != name) continue;
    auto value = protocol::form_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
    if (!value)
      return protocol::make_error(protocol::ErrorCode::invalid, "is not well percent-encoded", std::string(name));
    return std::optional<std::string>{std::move(*value)};
  }
  return std::optional<std::string>{};
}

}  // namespace vitrina::http
