#include "http/widget_routes.hpp"

#include <algorithm>
#include <functional>
#include <utility>
#include <variant>

#include "callbacks/callback.hpp"
#include "callbacks/rating.hpp"
#include "callbacks/settings.hpp"
#include "chat/service.hpp"
#include "http/api_support.hpp"
#include "http/await_store.hpp"
#include "http/route_auth.hpp"
#include "http/static_files.hpp"
#include "log/log.hpp"
#include "vitrina/protocol/json.hpp"
#include "vitrina/protocol/keys.hpp"
#include "vitrina/protocol/page_pattern.hpp"
#include "vitrina/protocol/sha256.hpp"
#include "webhooks/worker.hpp"

namespace vitrina::http {

namespace {

namespace net = boost::asio;

struct Visitor {
  store::Site site;
  std::string origin;
};

void allow_origin(Response& r, std::string_view origin) {
  if (origin.empty()) return;  // a same-origin read: no CORS headers needed
  r.head.set(Field::access_control_allow_origin, origin);
  r.head.set(Field::vary, "Origin");
}

Response with_cors(Response r, std::string_view origin) {
  allow_origin(r, origin);
  return r;
}

// 429 with Retry-After in whole seconds, rounded up.
Response rate_limited(std::string_view detail, std::string_view field, std::int64_t wait_ms) {
  Response r = problem(protocol::ErrorCode::rate_limited, detail, field);
  r.head.set(Field::retry_after, std::to_string(std::max<std::int64_t>(1, (wait_ms + 999) / 1000)));
  return r;
}

}  // namespace

class WidgetApi {
 public:
  WidgetApi(store::Store& store, WidgetApiOptions options) : store_(store), options_(std::move(options)) {
    if (!options_.now_ms) options_.now_ms = webhooks::system_now_ms;
  }

  // The site named by {pk} and the request's allowed origin, or the answer to give.
  std::variant<Visitor, Response> visitor(const Request& req, Context& ctx);

  // Each is called with the visitor `visitor` found.
  Response preflight(const Request& req, Context& ctx, const Visitor& v);
  Response challenge(const Request& req, Context& ctx, const Visitor& v);
  Response callback_options(const Request& req, Context& ctx, const Visitor& v);
  net::awaitable<Response> request_callback(const Request& req, Context& ctx, const Visitor& v);
  net::awaitable<Response> rate(const Request& req, Context& ctx, const Visitor& v);
  Response rating_options(const Request& req, Context& ctx, const Visitor& v);
  Response config(const Request& req, Context& ctx, const Visitor& v);

 private:
  callbacks::IssuedChallenge issue(const store::Site& site, const callbacks::SiteSettings& settings) const {
    return options_.challenges->issue(site.id, settings.pow_difficulty, options_.now_ms() / 1000);
  }
  void notify() const {
    if (options_.on_event) options_.on_event();
  }

  store::Store& store_;
  WidgetApiOptions options_;
};

std::variant<Visitor, Response> WidgetApi::visitor(const Request& req, Context& ctx) {
  const std::string& pk = ctx.params["pk"];
  auto no_site = [] { return problem(protocol::ErrorCode::not_found, "no such site"); };
  if (!protocol::is_public_key(pk)) return no_site();
  auto site = store_.find_site_by_public_key(pk);
  if (!site) return problem(site.error());
  if (!*site) return no_site();
  const std::string origin(req[Field::origin]);
  // Browsers leave Origin out of same-origin GETs (a shop serving Vitrina under its own
  // origin); those only read what any page of the site may read. Everything else must name
  // an allowed origin.
  const bool read = req.method() == bhttp::verb::get || req.method() == bhttp::verb::head;
  if (origin.empty() && read) return Visitor{std::move(**site), origin};
  const auto& allowed = (*site)->allowed_origins;
  if (origin.empty() || std::find(allowed.begin(), allowed.end(), origin) == allowed.end()) {
    return problem(protocol::ErrorCode::origin_not_allowed,
                   origin.empty() ? "the request has no Origin header" : "the site does not allow this origin",
                   "Origin");
  }
  return Visitor{std::move(**site), origin};
}

Response WidgetApi::preflight(const Request&, Context&, const Visitor& v) {
  Response r;
  r.head.result(Status::no_content);
  allow_origin(r, v.origin);
  r.head.set(Field::access_control_allow_methods, "GET, POST");
  r.head.set(Field::access_control_allow_headers, "Content-Type");
  r.head.set(Field::access_control_max_age, "600");
  return r;
}

Response WidgetApi::challenge(const Request&, Context&, const Visitor& v) {
  const auto& [site, origin] = v;
  const auto settings = callbacks::read_settings(site);
  return with_cors(json_answer(Status::ok, callbacks::challenge_json(issue(site, settings))), origin);
}

Response WidgetApi::callback_options(const Request&, Context&, const Visitor& v) {
  const auto& [site, origin] = v;
  const auto settings = callbacks::read_settings(site);
  return with_cors(json_answer(Status::ok, callbacks::options_json(settings, issue(site, settings), options_.now_ms())),
                   origin);
}

net::awaitable<Response> WidgetApi::request_callback(const Request& req, Context& ctx, const Visitor& v) {
  if (auto stop = check_json_body(req, callbacks::kMaxVisitorBody)) co_return with_cors(std::move(*stop), v.origin);
  auto parsed = callbacks::parse_visitor_request(req.body());
  if (!parsed) co_return with_cors(problem(parsed.error()), v.origin);
  const std::int64_t now = options_.now_ms();
  auto checked = options_.challenges->verify(parsed->challenge, parsed->nonce, v.site.id, now / 1000);
  if (!checked) {
    co_return with_cors(problem(protocol::ErrorCode::pow_invalid, checked.error().field + " " + checked.error().message,
                                checked.error().field),
                        v.origin);
  }
  const auto settings = callbacks::read_settings(v.site);
  auto planned = callbacks::plan_callback(v.site, settings, std::move(*parsed), *checked, ctx.remote_address, now);
  if (!planned) {
    const auto& e = planned.error();
    if (e.code == protocol::ErrorCode::phone_refused) {
      co_return with_cors(problem(protocol::ErrorCode::phone_refused, e.field + ": " + e.message, e.field), v.origin);
    }
    co_return with_cors(problem(e), v.origin);
  }
  store::NewCallback request = std::move(*planned);
  // Named local, not a temporary inside co_await: GCC 12 destroys such init-captures twice.
  auto create = [this, &request](store::Done<store::CallbackCreated> done) {
    store_.create_callback(std::move(request), std::move(done));
  };
  auto stored = co_await await_write<store::CallbackCreated>(std::move(create));
  if (!stored) {
    const auto& e = stored.error();
    if (e.code == protocol::ErrorCode::conflict && e.field == "pow.challenge") {
      co_return with_cors(
          problem(protocol::ErrorCode::pow_replayed, "pow.challenge was already used; fetch a new one", e.field),
          v.origin);
    }
    log::error("cannot store callback request").str("rid", ctx.request_id).str("error", e.message).emit();
    co_return with_cors(problem(e), v.origin);
  }
  if (!stored->callback) {
    log::info("callback request rate-limited")
        .str("rid", ctx.request_id)
        .str("site", v.site.id)
        .str("by", stored->limited_by)
        .emit();
    const std::string detail = stored->limited_by == "ip" ? "too many callback requests from this address; try later"
                                                          : "too many callback requests for this number; try later";
    co_return with_cors(rate_limited(detail, stored->limited_by, stored->retry_at - now), v.origin);
  }
  notify();
  if (options_.chat) options_.chat->send_to_operators(v.site.id, callbacks::callback_frame(*stored->callback, {}));
  log::info("callback requested")
      .str("rid", ctx.request_id)
      .str("site", v.site.id)
      .str("callback", stored->callback->id)
      .str("status", stored->callback->status)
      .emit();
  Response r = json_answer(Status::created, callbacks::visitor_answer_json(*stored->callback, settings));
  co_return with_cors(std::move(r), v.origin);
}

net::awaitable<Response> WidgetApi::rate(const Request& req, Context& ctx, const Visitor& v) {
  if (auto stop = check_json_body(req, callbacks::kMaxVisitorBody)) co_return with_cors(std::move(*stop), v.origin);
  auto parsed = callbacks::parse_rating_request(req.body());
  if (!parsed) co_return with_cors(problem(parsed.error()), v.origin);
  store::RatedConversation conversation;
  if (parsed->kind == "csat") {
    auto found = store_.find_rated_conversation(v.site.id, parsed->conversation_id);
    if (!found) co_return with_cors(problem(found.error()), v.origin);
    conversation = std::move(*found);
  }
  const std::int64_t now = options_.now_ms();
  const auto settings = callbacks::read_settings(v.site);
  auto planned = callbacks::plan_rating(v.site, settings, std::move(*parsed), conversation, ctx.remote_address, now);
  if (!planned) co_return with_cors(problem(planned.error()), v.origin);
  store::NewRating rating = std::move(*planned);
  auto create = [this, &rating](store::Done<store::RatingCreated> done) {
    store_.create_rating(std::move(rating), std::move(done));
  };
  auto stored = co_await await_write<store::RatingCreated>(std::move(create));
  if (!stored) {
    const auto& e = stored.error();
    if (e.code == protocol::ErrorCode::conflict) {
      co_return with_cors(
          problem(protocol::ErrorCode::already_rated, "conversation_id has already been rated", e.field), v.origin);
    }
    log::error("cannot store rating").str("rid", ctx.request_id).str("error", e.message).emit();
    co_return with_cors(problem(e), v.origin);
  }
  if (!stored->rating) {
    co_return with_cors(rate_limited("too many ratings from this address; try later", "ip", stored->retry_at - now),
                        v.origin);
  }
  notify();
  log::info("rating submitted")
      .str("rid", ctx.request_id)
      .str("site", v.site.id)
      .str("rating", stored->rating->id)
      .emit();
  co_return with_cors(json_answer(Status::created, callbacks::rating_json(*stored->rating)), v.origin);
}

Response WidgetApi::rating_options(const Request& req, Context&, const Visitor& v) {
  const auto& [site, origin] = v;
  auto page = query_param(req, "page");
  if (!page) return with_cors(problem(page.error()), origin);
  const auto settings = callbacks::read_settings(site);
  // url_path views its argument: the URL must outlive `path` (value_or makes a temporary).
  const std::string url = page->value_or("/");
  const std::string_view path = protocol::url_path(url);
  const bool shown = std::any_of(settings.rating_pages.begin(), settings.rating_pages.end(),
                                 [&](const std::string& pattern) { return protocol::path_matches(pattern, path); });
  protocol::JsonWriter w;
  w.begin_object().key("page");
  if (shown) {
    w.begin_object().key("kind").value(settings.rating_page_kind).end_object();
  } else {
    w.null();
  }
  w.end_object();
  return with_cors(json_answer(Status::ok, std::move(w).str()), origin);
}

// Changes reach visitors within a minute; a browser revalidating within that gets a 304.
Response WidgetApi::config(const Request& req, Context&, const Visitor& v) {
  const auto& [site, origin] = v;
  std::string body = callbacks::widget_config_json(callbacks::read_widget_settings(site));
  const std::string etag = "\"" + protocol::to_hex(protocol::sha256(body)).substr(0, 32) + "\"";
  Response r;
  if (etag_matches(req[Field::if_none_match], etag)) {
    r.head.result(Status::not_modified);
  } else {
    r = json_answer(Status::ok, std::move(body));
  }
  r.head.set(Field::etag, etag);
  r.head.set(Field::cache_control, "public, max-age=60");
  // Also on same-origin reads, which carry no CORS headers: a shared cache must not hand
  // such an answer to another origin's page.
  r.head.set(Field::vary, "Origin");
  return with_cors(std::move(r), origin);
}

void add_widget_routes(Router& router, store::Store& store, WidgetApiOptions options) {
  auto api = std::make_shared<WidgetApi>(store, std::move(options));
  // Every widget route is the site's, named by its public key, for the origins it allows.
  auto visitor = [api](const Request& req, Context& ctx) { return api->visitor(req, ctx); };
  for (const char* path :
       {"/v1/widget/{pk}/challenge", "/v1/widget/{pk}/callbacks/options", "/v1/widget/{pk}/callbacks",
        "/v1/widget/{pk}/ratings", "/v1/widget/{pk}/ratings/options", "/v1/widget/{pk}/config"}) {
    router.add("OPTIONS", path, authenticated(visitor, std::bind_front(&WidgetApi::preflight, api)));
  }
  router.get("/v1/widget/{pk}/challenge", authenticated(visitor, std::bind_front(&WidgetApi::challenge, api)));
  router.get("/v1/widget/{pk}/callbacks/options",
             authenticated(visitor, std::bind_front(&WidgetApi::callback_options, api)));
  router.post("/v1/widget/{pk}/callbacks", authenticated(visitor, std::bind_front(&WidgetApi::request_callback, api)));
  router.post("/v1/widget/{pk}/ratings", authenticated(visitor, std::bind_front(&WidgetApi::rate, api)));
  router.get("/v1/widget/{pk}/ratings/options",
             authenticated(visitor, std::bind_front(&WidgetApi::rating_options, api)));
  router.get("/v1/widget/{pk}/config", authenticated(visitor, std::bind_front(&WidgetApi::config, api)));
}

}  // namespace vitrina::http
