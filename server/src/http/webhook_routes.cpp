#include "http/webhook_routes.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <utility>
#include <variant>

#include "http/api_support.hpp"
#include "http/await_store.hpp"
#include "http/route_auth.hpp"
#include "log/log.hpp"
#include "webhooks/api_json.hpp"
#include "webhooks/api_request.hpp"
#include "webhooks/endpoints.hpp"
#include "webhooks/target.hpp"

namespace vitrina::http {

namespace {

namespace net = boost::asio;

constexpr std::size_t kDefaultListLimit = 20;
constexpr std::size_t kMaxListLimit = 100;
constexpr std::string_view kDisabledByApi = "disabled through the API";

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The same answer for an id that does not exist and one of another site.
Response no_endpoint() { return problem(protocol::ErrorCode::not_found, "no such webhook endpoint"); }
Response no_message() { return problem(protocol::ErrorCode::not_found, "no such webhook message"); }

// A store error on a write that names one endpoint.
Response endpoint_write_problem(const protocol::Error& e) {
  if (e.code == protocol::ErrorCode::not_found) return no_endpoint();
  return problem(e);
}

}  // namespace

class WebhookApi {
 public:
  WebhookApi(store::Store& store, WebhookApiOptions options) : store_(store), options_(std::move(options)) {}

  // Each is called with the site whose secret key authenticated the request.
  net::awaitable<Response> create(const Request& req, Context& ctx, const store::Site& site);
  Response list(const Request& req, Context& ctx, const store::Site& site);
  Response get(const Request& req, Context& ctx, const store::Site& site);
  net::awaitable<Response> update(const Request& req, Context& ctx, const store::Site& site);
  net::awaitable<Response> remove(const Request& req, Context& ctx, const store::Site& site);
  net::awaitable<Response> rotate(const Request& req, Context& ctx, const store::Site& site);
  Response list_messages(const Request& req, Context& ctx, const store::Site& site);
  Response get_message(const Request& req, Context& ctx, const store::Site& site);
  net::awaitable<Response> resend(const Request& req, Context& ctx, const store::Site& site);

 private:
  // The site's own message, or the answer to give.
  std::variant<store::WebhookMessage, Response> own_message(const store::Site& site, const std::string& id);

  store::Store& store_;
  const WebhookApiOptions options_;
};

net::awaitable<Response> WebhookApi::create(const Request& req, Context& ctx, const store::Site& site) {
  if (auto stop = check_json_body(req, webhooks::kMaxApiBody)) co_return std::move(*stop);
  const bool allow_private = options_.allow_private_targets || webhooks::site_allows_private_targets(site);
  auto spec = webhooks::parse_create_endpoint(req.body(), allow_private);
  if (!spec) co_return problem(spec.error());
  auto made = webhooks::new_endpoint(site.id, std::move(*spec), allow_private, now_ms());
  if (!made) co_return problem(made.error());
  store::WebhookEndpoint endpoint = std::move(*made);
  // Named local, not a temporary inside co_await: GCC 12 destroys such init-captures twice.
  auto insert = [this, &endpoint](store::Done<store::WebhookEndpoint> done) {
    store_.insert_webhook_endpoint(std::move(endpoint), std::move(done));
  };
  auto stored = co_await await_write<store::WebhookEndpoint>(std::move(insert));
  if (!stored) {
    log::error("cannot store webhook endpoint").str("rid", ctx.request_id).str("error", stored.error().message).emit();
    co_return problem(stored.error());
  }
  log::info("webhook endpoint created")
      .str("rid", ctx.request_id)
      .str("site", site.id)
      .str("endpoint", stored->id)
      .str("signing", webhooks::to_string(webhooks::signing_of(*stored)))
      .emit();
  Response r = json_answer(Status::created, webhooks::endpoint_json(*stored, now_ms(), true));
  r.head.set(Field::location, "/v1/webhook_endpoints/" + stored->id);
  co_return r;
}

Response WebhookApi::list(const Request&, Context&, const store::Site& site) {
  auto endpoints = store_.list_webhook_endpoints(site.id);
  if (!endpoints) return problem(endpoints.error());
  return json_answer(Status::ok, webhooks::endpoint_list_json(*endpoints, now_ms()));
}

Response WebhookApi::get(const Request&, Context& ctx, const store::Site& site) {
  auto found = store_.find_webhook_endpoint(ctx.params["id"]);
  if (!found) return problem(found.error());
  if (!*found || (*found)->site_id != site.id) return no_endpoint();
  return json_answer(Status::ok, webhooks::endpoint_json(**found, now_ms()));
}

net::awaitable<Response> WebhookApi::update(const Request& req, Context& ctx, const store::Site& site) {
  if (auto stop = check_json_body(req, webhooks::kMaxApiBody)) co_return std::move(*stop);
  auto patch = webhooks::parse_endpoint_patch(
      req.body(), options_.allow_private_targets || webhooks::site_allows_private_targets(site));
  if (!patch) co_return problem(patch.error());
  store::WebhookEndpointChange change{.endpoint_id = ctx.params["id"],
                                      .site_id = site.id,
                                      .url = std::move(patch->url),
                                      .event_types = std::move(patch->event_types),
                                      .description = std::move(patch->description),
                                      .enabled = patch->enabled,
                                      .disable_reason = std::string(kDisabledByApi),
                                      .now = now_ms()};
  auto write = [this, &change](store::Done<store::WebhookEndpoint> done) {
    store_.update_webhook_endpoint(std::move(change), std::move(done));
  };
  auto stored = co_await await_write<store::WebhookEndpoint>(std::move(write));
  if (!stored) co_return endpoint_write_problem(stored.error());
  log::info("webhook endpoint changed")
      .str("rid", ctx.request_id)
      .str("site", site.id)
      .str("endpoint", stored->id)
      .str("enabled", stored->disabled ? "false" : "true")
      .emit();
  co_return json_answer(Status::ok, webhooks::endpoint_json(*stored, now_ms()));
}

net::awaitable<Response> WebhookApi::remove(const Request&, Context& ctx, const store::Site& site) {
  const std::string id = ctx.params["id"];
  auto write = [this, &id, &site](store::Done<void> done) {
    store_.delete_webhook_endpoint(id, site.id, std::move(done));
  };
  auto deleted = co_await await_write<void>(std::move(write));
  if (!deleted) co_return endpoint_write_problem(deleted.error());
  log::info("webhook endpoint deleted").str("rid", ctx.request_id).str("site", site.id).str("endpoint", id).emit();
  Response r;
  r.head.result(Status::no_content);
  r.head.set(Field::cache_control, "no-store");
  co_return r;
}

net::awaitable<Response> WebhookApi::rotate(const Request& req, Context& ctx, const store::Site& site) {
  if (auto stop = check_json_body(req, webhooks::kMaxApiBody)) co_return std::move(*stop);
  if (auto empty = webhooks::parse_empty(req.body()); !empty) co_return problem(empty.error());
  auto keys = webhooks::fresh_keys();
  if (!keys) co_return problem(keys.error());
  const std::int64_t now = now_ms();
  const std::string id = ctx.params["id"];
  auto write = [this, &id, &site, &keys, now](store::Done<store::WebhookEndpoint> done) {
    store_.rotate_webhook_keys(id, site.id, std::move(*keys), now + webhooks::kRotationOverlapMs, now, std::move(done));
  };
  auto stored = co_await await_write<store::WebhookEndpoint>(std::move(write));
  if (!stored) co_return endpoint_write_problem(stored.error());
  log::info("webhook endpoint keys rotated").str("rid", ctx.request_id).str("site", site.id).str("endpoint", id).emit();
  co_return json_answer(Status::ok, webhooks::endpoint_json(*stored, now, true));
}

std::variant<store::WebhookMessage, Response> WebhookApi::own_message(const store::Site& site, const std::string& id) {
  auto found = store_.find_webhook_message(id);
  if (!found) return problem(found.error());
  if (!*found || (*found)->site_id != site.id) return no_message();
  return std::move(**found);
}

Response WebhookApi::list_messages(const Request& req, Context&, const store::Site& site) {
  auto limit_text = query_param(req, "limit");
  if (!limit_text) return problem(limit_text.error());
  auto limit = webhooks::parse_limit(*limit_text, kDefaultListLimit, kMaxListLimit);
  if (!limit) return problem(limit.error());
  auto messages = store_.list_webhook_messages(site.id, *limit);
  if (!messages) return problem(messages.error());
  std::vector<std::pair<store::WebhookMessage, std::vector<store::WebhookDelivery>>> items;
  items.reserve(messages->size());
  for (auto& m : *messages) {
    auto deliveries = store_.list_deliveries(m.id);
    if (!deliveries) return problem(deliveries.error());
    items.emplace_back(std::move(m), std::move(*deliveries));
  }
  return json_answer(Status::ok, webhooks::message_list_json(items));
}

Response WebhookApi::get_message(const Request&, Context& ctx, const store::Site& site) {
  auto message = own_message(site, ctx.params["id"]);
  if (auto* refused = std::get_if<Response>(&message)) return std::move(*refused);
  const auto& m = std::get<store::WebhookMessage>(message);
  auto deliveries = store_.list_deliveries(m.id);
  if (!deliveries) return problem(deliveries.error());
  auto attempts = store_.list_attempts(m.id);
  if (!attempts) return problem(attempts.error());
  return json_answer(Status::ok, webhooks::message_json(m, *deliveries, &*attempts));
}

net::awaitable<Response> WebhookApi::resend(const Request& req, Context& ctx, const store::Site& site) {
  if (auto stop = check_json_body(req, webhooks::kMaxApiBody)) co_return std::move(*stop);
  auto endpoint_id = webhooks::parse_resend(req.body());
  if (!endpoint_id) co_return problem(endpoint_id.error());
  store::ResendRequest request{
      .message_id = ctx.params["id"], .site_id = site.id, .endpoint_id = std::move(*endpoint_id), .now = now_ms()};
  const std::string id = request.message_id;
  const bool to_one = !request.endpoint_id.empty();
  auto write = [this, &request](store::Done<std::int64_t> done) { store_.resend(std::move(request), std::move(done)); };
  auto requeued = co_await await_write<std::int64_t>(std::move(write));
  if (!requeued) {
    const auto& e = requeued.error();
    if (e.code == protocol::ErrorCode::not_found && e.field == "message_id") co_return no_message();
    // The endpoint named in the body: not one of the site's (422), or disabled (409).
    if (e.code == protocol::ErrorCode::not_found) {
      co_return problem(
          protocol::make_error(protocol::ErrorCode::invalid, "is not an endpoint of this site", "endpoint_id"));
    }
    co_return problem(e);
  }
  if (*requeued > 0 && options_.on_event) options_.on_event();
  log::info("webhook message resent")
      .str("rid", ctx.request_id)
      .str("site", site.id)
      .str("message", id)
      .num("deliveries", *requeued)
      .str("scope", to_one ? "one endpoint" : "all endpoints")
      .emit();
  auto message = own_message(site, id);
  if (auto* refused = std::get_if<Response>(&message)) co_return std::move(*refused);
  auto deliveries = store_.list_deliveries(id);
  if (!deliveries) co_return problem(deliveries.error());
  co_return json_answer(Status::accepted,
                        webhooks::message_json(std::get<store::WebhookMessage>(message), *deliveries, nullptr));
}

void add_webhook_routes(Router& router, store::Store& store, WebhookApiOptions options) {
  auto api = std::make_shared<WebhookApi>(store, std::move(options));
  const RouteAuth auth(store);
  router.post("/v1/webhook_endpoints", auth.api_key(std::bind_front(&WebhookApi::create, api)));
  router.get("/v1/webhook_endpoints", auth.api_key(std::bind_front(&WebhookApi::list, api)));
  router.get("/v1/webhook_endpoints/{id}", auth.api_key(std::bind_front(&WebhookApi::get, api)));
  router.patch("/v1/webhook_endpoints/{id}", auth.api_key(std::bind_front(&WebhookApi::update, api)));
  router.del("/v1/webhook_endpoints/{id}", auth.api_key(std::bind_front(&WebhookApi::remove, api)));
  router.post("/v1/webhook_endpoints/{id}/rotate_secret", auth.api_key(std::bind_front(&WebhookApi::rotate, api)));
  router.get("/v1/webhook_messages", auth.api_key(std::bind_front(&WebhookApi::list_messages, api)));
  router.get("/v1/webhook_messages/{id}", auth.api_key(std::bind_front(&WebhookApi::get_message, api)));
  router.post("/v1/webhook_messages/{id}/resend", auth.api_key(std::bind_front(&WebhookApi::resend, api)));
}

}  // namespace vitrina::http
