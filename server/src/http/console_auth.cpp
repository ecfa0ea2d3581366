#include "http/console_auth.hpp"

#include <chrono>

#include "auth/session.hpp"
#include "http/console_routes.hpp"
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

std::variant<store::Operator, Response> authenticate_operator(store::Store& store, const Request& req) {
  auto token = session_token(req);
  if (!token) return not_signed_in("no session cookie");
  auto session = store.find_session(auth::hash_session_token(*token));
  if (!session) return problem_from_error(session.error());
  if (!*session || (*session)->expires_at <= now_ms()) return not_signed_in("the session is unknown or has ended");
  auto op = store.find_operator_by_id((*session)->operator_id);
  if (!op) return problem_from_error(op.error());
  if (!*op) return not_signed_in("the operator no longer exists");
  return std::move(**op);
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

Response cross_origin() {
  return make_problem(Status::forbidden, "origin-not-allowed", "Origin not allowed",
                      "console requests come from this server's own origin", "Origin");
}

protocol::chat::OperatorRole chat_role(const store::Operator& op) {
  return op.role == "admin" ? protocol::chat::OperatorRole::owner : protocol::chat::OperatorRole::operator_;
}

}  // namespace vitrina::http
