#include "http/route_auth.hpp"

#include <chrono>

namespace vitrina::http {

std::variant<ConsoleCaller, Response> ConsoleSession::operator()(const Request& req, Context&) const {
  const auto now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  auto who = authenticate_console(*store, req, access != ConsoleAccess::read, now_ms, secure_cookies);
  // The CSRF token is checked first: a forged request learns nothing about the operator's role.
  if (auto* caller = std::get_if<ConsoleCaller>(&who);
      caller && access == ConsoleAccess::owner_write && !is_owner(caller->op)) {
    return owner_only();
  }
  return who;
}

}  // namespace vitrina::http
