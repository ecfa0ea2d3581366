#include "http/console_auth.hpp"

#include <chrono>

#include "auth/session.hpp"
#include "http/api_support.hpp"
#include "http/cookies.hpp"

namespace vitrina::http {

namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Response not_signed_in(std::string_view detail) {
  return make_problem(Status::unauthorized, "unauthenticated", "Not signed in", detail);
}

}  // namespace

std::optional<std::string> session_token(const Request& req) {
  const auto [begin, end] = req.equal_range(Field::cookie);
  for (auto it = begin; it != end; ++it) {
    for (auto value : cookie_values(it->value(), kSessionCookie)) {
      if (auth::is_session_token(value)) return std::string(value);
    }
  }
  return std::nullopt;
}

std::variant<SignedIn, Response> signed_in_operator(store::Store& store, const Request& req, bool* expired) {
  auto token = session_token(req);
  if (!token) return not_signed_in("no session cookie");
  const std::string hash = auth::hash_session_token(*token);
  auto session = store.find_session(hash);
  if (!session) return problem_from_error(session.error());
  if (!*session) return not_signed_in("the session is unknown or has ended");
  if ((*session)->expires_at <= now_ms()) {
    // Nobody waits for this removal; sign-in prunes expired sessions too.
    store.delete_session(hash, {});
    if (expired != nullptr) *expired = true;
    return not_signed_in("the session has expired");
  }
  auto op = store.find_operator_by_id((*session)->operator_id);
  if (!op) return problem_from_error(op.error());
  if (!*op) return not_signed_in("the operator no longer exists");
  return SignedIn{std::move(**session), std::move(**op)};
}

bool same_origin(const Request& req) {
  const std::string_view origin = req[Field::origin];
  if (origin.empty()) return true;
  const auto scheme_end = origin.find("://");
  if (scheme_end == std::string_view::npos) return false;
  return origin.substr(scheme_end + 3) == req[Field::host];
}

std::variant<StaffCaller, Response> authenticate_staff(store::Store& store, const Request& req) {
  if (!req[Field::authorization].empty() || session_token(req) == std::nullopt) {
    auto site = authenticate_site(store, req);
    if (auto* refused = std::get_if<Response>(&site)) return std::move(*refused);
    return StaffCaller{std::get<store::Site>(std::move(site)), {}};
  }
  auto who = signed_in_operator(store, req);
  if (auto* refused = std::get_if<Response>(&who)) return std::move(*refused);
  auto& signed_in = std::get<SignedIn>(who);
  const bool safe = req.method() == bhttp::verb::get || req.method() == bhttp::verb::head;
  if (!safe && !same_origin(req)) {
    return make_problem(Status::forbidden, "cross-site", "Cross-site request refused",
                        "a signed-in change must come from the console's own origin", "Origin");
  }
  auto site = store.find_site_by_id(signed_in.op.site_id);
  if (!site) return problem_from_error(site.error());
  if (!*site) return not_signed_in("the operator's site no longer exists");
  return StaffCaller{std::move(**site), signed_in.op.id};
}

}  // namespace vitrina::http
