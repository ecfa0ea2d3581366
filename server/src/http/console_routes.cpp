#include "http/console_routes.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "auth/password.hpp"
#include "auth/session.hpp"
#include "http/await_store.hpp"
#include "http/console_auth.hpp"
#include "http/console_json.hpp"
#include "http/cookies.hpp"
#include "http/login_limiter.hpp"
#include "http/route_auth.hpp"
#include "log/log.hpp"
#include "vitrina/protocol/keys.hpp"

namespace vitrina::http {

namespace {

namespace net = boost::asio;
using protocol::Result;
using SteadyClock = std::chrono::steady_clock;

constexpr std::string_view kWrongCredentials = "the e-mail or the password is wrong";

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class Console {
 public:
  Console(store::Store& store, BlockingPool& cpu, const config::ConsoleSettings& settings)
      : store_(store),
        cpu_(cpu),
        ttl_(settings.session_ttl_ms),
        secure_(settings.secure_cookies),
        per_email_({.max_failures = settings.login_failures_per_email}),
        per_address_({.max_failures = settings.login_failures_per_address}) {}

  net::awaitable<Response> login(const Request& req, Context& ctx);
  Response me(const Request& req, Context& ctx, const ConsoleCaller& who);
  net::awaitable<Response> logout(const Request& req, Context& ctx);

 private:
  Result<std::vector<store::Operator>> candidates(const LoginRequest& login);
  std::chrono::seconds retry_after(const std::string& email, const Context& ctx, SteadyClock::time_point now);
  void record_failure(const std::string& email, const Context& ctx);
  std::string cookie(std::string_view token, std::int64_t max_age_s) const {
    return make_set_cookie(kSessionCookie, token, {.max_age_s = max_age_s, .secure = secure_});
  }

  store::Store& store_;
  BlockingPool& cpu_;
  std::chrono::milliseconds ttl_;
  bool secure_;
  LoginLimiter per_email_;
  LoginLimiter per_address_;
};

Result<std::vector<store::Operator>> Console::candidates(const LoginRequest& login) {
  auto found = store_.find_operators_by_email(login.email);
  if (!found || !login.site) return found;
  std::string site_id = *login.site;
  if (site_id.starts_with(protocol::kPublicKeyPrefix)) {
    auto site = store_.find_site_by_public_key(site_id);
    if (!site) return std::move(site).error();
    site_id = *site ? (*site)->id : std::string();
  }
  std::erase_if(*found, [&](const store::Operator& op) { return op.site_id != site_id; });
  return found;
}

std::chrono::seconds Console::retry_after(const std::string& email, const Context& ctx, SteadyClock::time_point now) {
  auto wait = per_email_.retry_after(email, now);
  if (!ctx.remote_address.empty()) {
    wait = std::max(wait, per_address_.retry_after("ip:" + ctx.remote_address, now));
  }
  return wait;
}

void Console::record_failure(const std::string& email, const Context& ctx) {
  const auto now = SteadyClock::now();
  per_email_.record_failure(email, now);
  if (!ctx.remote_address.empty()) per_address_.record_failure("ip:" + ctx.remote_address, now);
}

net::awaitable<Response> Console::login(const Request& req, Context& ctx) {
  if (!is_json_media_type(req[Field::content_type])) {
    Response r =
        problem(protocol::ErrorCode::unsupported_media_type, "send the body as application/json", "Content-Type");
    r.head.set("Accept-Post", "application/json");
    co_return r;
  }
  if (req.body().size() > kMaxLoginBody) {
    co_return problem(protocol::ErrorCode::too_large, "a sign-in body is at most 8 KiB", "body");
  }
  auto parsed = parse_login_request(req.body());
  if (!parsed) {
    const auto& e = parsed.error();
    if (e.code == protocol::ErrorCode::malformed) {
      co_return problem(protocol::ErrorCode::malformed, e.message, e.field);
    }
    co_return problem(protocol::ErrorCode::invalid, e.field + " " + e.message, e.field);
  }
  LoginRequest login = std::move(*parsed);

  // Refused before any lookup or hashing, so a blocked key costs the server nothing.
  if (auto wait = retry_after(login.email, ctx, SteadyClock::now()); wait.count() > 0) {
    log::warn("console sign-in rate-limited").str("rid", ctx.request_id).emit();
    Response r = problem(protocol::ErrorCode::too_many_attempts, "try again later");
    r.head.set(Field::retry_after, std::to_string(wait.count()));
    co_return r;
  }

  auto found = candidates(login);
  if (!found) co_return problem(found.error());
  // An unknown e-mail is verified against a dummy hash: it takes as long as a wrong password.
  std::optional<store::Operator> target;
  if (!found->empty()) target = found->front();
  // The job is a named local, not a temporary in the co_await expression: GCC 12 destroys
  // init-captures of such temporaries twice.
  auto verify = [hash = target ? target->password_hash : std::string(), password = std::move(login.password)] {
    const bool match = auth::verify_password(hash.empty() ? auth::dummy_password_hash() : hash, password);
    return match && !hash.empty();
  };
  auto verified = co_await cpu_.run(std::move(verify));
  if (!verified) {
    Response r = problem(protocol::ErrorCode::busy, "too many sign-ins at once; try again shortly");
    r.head.set(Field::retry_after, "1");
    co_return r;
  }
  if (!*verified) {
    record_failure(login.email, ctx);
    log::info("console sign-in refused").str("rid", ctx.request_id).emit();
    co_return problem(protocol::ErrorCode::invalid_credentials, kWrongCredentials);
  }
  // Only someone who knows the password learns that the e-mail is on several sites.
  if (found->size() > 1) {
    co_return problem(protocol::ErrorCode::invalid, "site is required: this e-mail signs in to several sites", "site");
  }
  per_email_.clear(login.email);

  const std::string token = auth::generate_session_token();
  store::Session session;
  session.token_hash = auth::hash_session_token(token);
  session.operator_id = target->id;
  session.site_id = target->site_id;
  session.created_at = now_ms();
  session.expires_at = session.created_at + ttl_.count();
  session.user_agent = auth::truncate_user_agent(req[Field::user_agent]);
  // Answer only once the session is on disk: an acknowledged sign-in survives a crash.
  auto insert = [this, &session](store::Done<store::Session> done) {
    store_.insert_session(std::move(session), std::move(done));
  };
  auto stored = co_await await_write<store::Session>(std::move(insert));
  if (!stored) {
    log::error("cannot store console session").str("rid", ctx.request_id).str("error", stored.error().message).emit();
    co_return problem(stored.error());
  }
  log::info("console sign-in")
      .str("rid", ctx.request_id)
      .str("operator", target->id)
      .str("site", target->site_id)
      .emit();
  Response r = make_json(Status::ok, session_json(*target, auth::csrf_token(token)));
  r.head.set(Field::cache_control, "no-store");
  r.head.set(Field::set_cookie, cookie(token, ttl_.count() / 1000));
  co_return r;
}

Response Console::me(const Request&, Context&, const ConsoleCaller& who) {
  Response r = make_json(Status::ok, session_json(who.op, auth::csrf_token(who.token)));
  r.head.set(Field::cache_control, "no-store");
  return r;
}

net::awaitable<Response> Console::logout(const Request& req, Context& ctx) {
  if (auto token = session_token(req)) {
    // A live session ends only with its CSRF token; one that is unknown or expired has
    // nothing left to protect, and its cookie is expired below all the same.
    auto caller = authenticate_console(store_, req, true, now_ms(), secure_);
    if (auto* refusal = std::get_if<Response>(&caller); refusal && refusal->head.result() == Status::forbidden) {
      co_return std::move(*refusal);
    }
    auto remove = [this, hash = auth::hash_session_token(*token)](store::Done<void> done) mutable {
      store_.delete_session(std::move(hash), std::move(done));
    };
    auto deleted = co_await await_write<void>(std::move(remove));
    // Signing out twice is not an error.
    if (!deleted && deleted.error().code != protocol::ErrorCode::not_found) {
      log::error("cannot delete console session")
          .str("rid", ctx.request_id)
          .str("error", deleted.error().message)
          .emit();
      co_return problem(deleted.error());
    }
  }
  Response r;
  r.head.result(Status::no_content);
  r.head.set(Field::cache_control, "no-store");
  r.head.set(Field::set_cookie, cookie("", 0));
  co_return r;
}

}  // namespace

void add_console_routes(Router& router, store::Store& store, BlockingPool& cpu,
                        const config::ConsoleSettings& settings) {
  // Shared by the handlers; lives as long as the router holds them.
  auto console = std::make_shared<Console>(store, cpu, settings);
  // Make the dummy hash now, so the first sign-in with an unknown e-mail is not slower than
  // the rest (which would tell that the e-mail is unknown).
  cpu.post([] { (void)auth::dummy_password_hash(); });
  const RouteAuth auth(store, settings.secure_cookies);
  // Signing in and out need no session: sign-in makes one, and sign-out checks the CSRF token
  // only of a session that is still live.
  router.post("/v1/console/login", std::bind_front(&Console::login, console));
  router.get("/v1/console/me", auth.console(ConsoleAccess::read, std::bind_front(&Console::me, console)));
  router.post("/v1/console/logout", std::bind_front(&Console::logout, console));
}

}  // namespace vitrina::http
