#include "http/console_auth.hpp"

#include <chrono>

#include "auth/keys.hpp"
#include "auth/session.hpp"
#include "http/api_support.hpp"
#include "http/cookies.hpp"

namespace vitrina::http {

namespace {

Response unauthenticated_console(std::string_view detail) {
  return problem(protocol::ErrorCode::unauthenticated, detail);
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

std::variant<ConsoleCaller, Response> authenticate_console(store::Store& store, const Request& req, bool state_changing,
                                                           std::int64_t now_ms, bool secure_cookies) {
  auto token = session_token(req);
  if (!token) return unauthenticated_console("no session cookie");
  const std::string hash = auth::hash_session_token(*token);
  auto session = store.find_session(hash);
  if (!session) return problem(session.error());
  if (!*session) return unauthenticated_console("the session is unknown or has ended");
  if ((*session)->expires_at <= now_ms) {
    // Nobody waits for this removal; sign-in prunes expired sessions too.
    store.delete_session(hash, {});
    Response r = unauthenticated_console("the session has expired");
    r.head.set(Field::set_cookie, make_set_cookie(kSessionCookie, "", {.max_age_s = 0, .secure = secure_cookies}));
    return r;
  }
  // Checked before the operator is read, so a forged request learns nothing about the account.
  if (state_changing) {
    const auto presented = req[kCsrfHeader];
    if (presented.empty() || !auth::constant_time_equal(presented, auth::csrf_token(*token))) {
      return problem(protocol::ErrorCode::csrf,
                     "send the session's csrf_token (from sign-in or /v1/console/me) in X-CSRF-Token", kCsrfHeader);
    }
  }
  auto op = store.find_operator_by_id((*session)->operator_id);
  if (!op) return problem(op.error());
  if (!*op) return unauthenticated_console("the operator no longer exists");
  return ConsoleCaller{.op = std::move(**op), .session = std::move(**session), .token = std::move(*token)};
}

std::variant<store::Operator, Response> authenticate_operator(store::Store& store, const Request& req) {
  const auto now =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  auto caller = authenticate_console(store, req, false, now);
  if (auto* refusal = std::get_if<Response>(&caller)) return std::move(*refusal);
  return std::move(std::get<ConsoleCaller>(caller).op);
}

bool is_same_origin(const Request& req) {
  const auto host = req[Field::host];
  const auto origin = req[Field::origin];
  if (host.empty() || origin.empty()) return false;
  const std::string_view o(origin.data(), origin.size());
  const std::string_view h(host.data(), host.size());
  auto after = [&](std::string_view scheme) { return o.starts_with(scheme) && o.substr(scheme.size()) == h; };
  return after("http://") || after("https://");
}

std::variant<StaffCaller, Response> authenticate_staff(store::Store& store, const Request& req) {
  if (!req[Field::authorization].empty() || session_token(req) == std::nullopt) {
    auto site = authenticate_site(store, req);
    if (auto* refused = std::get_if<Response>(&site)) return std::move(*refused);
    return StaffCaller{std::get<store::Site>(std::move(site)), {}};
  }
  auto who = authenticate_operator(store, req);
  if (auto* refused = std::get_if<Response>(&who)) return std::move(*refused);
  auto& op = std::get<store::Operator>(who);
  const bool safe = req.method() == bhttp::verb::get || req.method() == bhttp::verb::head;
  if (!safe && !req[Field::origin].empty() && !is_same_origin(req)) {
    return problem(protocol::ErrorCode::cross_site, "a signed-in change must come from the console's own origin",
                   "Origin");
  }
  auto site = store.find_site_by_id(op.site_id);
  if (!site) return problem(site.error());
  if (!*site) return unauthenticated_console("the operator's site no longer exists");
  return StaffCaller{std::move(**site), op.id};
}

Response cross_origin() {
  return problem(protocol::ErrorCode::origin_not_allowed, "console requests come from this server's own origin",
                 "Origin");
}

protocol::chat::OperatorRole chat_role(const store::Operator& op) {
  return is_owner(op) ? protocol::chat::OperatorRole::owner : protocol::chat::OperatorRole::operator_;
}

bool is_owner(const store::Operator& op) noexcept { return op.role == "admin" || op.role == "owner"; }

Response owner_only() { return problem(protocol::ErrorCode::forbidden, "only the site's owner may do this", "role"); }

}  // namespace vitrina::http
