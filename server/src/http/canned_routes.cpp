#include "http/canned_routes.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <variant>

#include "auth/keys.hpp"
#include "http/api_support.hpp"
#include "http/await_store.hpp"
#include "http/canned_json.hpp"
#include "http/console_auth.hpp"
#include "http/route_auth.hpp"
#include "log/log.hpp"

namespace vitrina::http {

namespace {

namespace net = boost::asio;

constexpr std::string_view kIdPrefix = "cr_";

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Response no_response() { return problem(protocol::ErrorCode::not_found, "no canned response with this id", "id"); }

// Store errors of a write: a taken shortcut is 409 naming it, a missing row 404.
Response write_problem(const protocol::Error& error) {
  if (error.code == protocol::ErrorCode::not_found) return no_response();
  if (error.code == protocol::ErrorCode::conflict) {
    return problem(protocol::ErrorCode::conflict, "the site already has a canned response with this shortcut",
                   "shortcut");
  }
  return problem(error);
}

class CannedApi {
 public:
  explicit CannedApi(store::Store& store) : store_(store) {}

  // Any operator of the site reads them; only its owner changes them (see add_canned_routes).
  Response list(const Request&, Context&, const ConsoleCaller& caller) {
    auto found = store_.list_canned_responses(caller.op.site_id);
    if (!found) return problem(found.error());
    return json_answer(Status::ok, canned_list_json(*found));
  }

  net::awaitable<Response> create(const Request& req, Context& ctx, const ConsoleCaller& caller) {
    if (auto stop = check_json_body(req, kMaxCannedBody)) co_return std::move(*stop);
    auto input = parse_canned_input(req.body(), false);
    if (!input) co_return problem(input.error());
    auto existing = store_.list_canned_responses(caller.op.site_id);
    if (!existing) co_return problem(existing.error());
    if (existing->size() >= kMaxCannedResponses) {
      co_return problem(protocol::ErrorCode::limit_reached,
                        "a site keeps at most " + std::to_string(kMaxCannedResponses) + "; delete one first");
    }
    store::CannedResponse response;
    response.id = auth::generate_id(kIdPrefix);
    response.site_id = caller.op.site_id;
    response.shortcut = std::move(*input->shortcut);
    response.title = input->title.value_or("");
    response.text = std::move(*input->text);
    response.created_at = response.updated_at = now_ms();
    auto write = [this, &response](store::Done<store::CannedResponse> done) {
      store_.insert_canned_response(response, std::move(done));
    };
    auto stored = co_await await_write<store::CannedResponse>(std::move(write));
    if (!stored) co_return write_problem(stored.error());
    log::info("canned response created")
        .str("rid", ctx.request_id)
        .str("site", caller.op.site_id)
        .str("id", stored->id)
        .emit();
    Response r = json_answer(Status::created, canned_json(*stored));
    r.head.set(Field::location, "/v1/console/canned_responses/" + stored->id);
    co_return r;
  }

  net::awaitable<Response> change(const Request& req, Context& ctx, const ConsoleCaller& caller) {
    if (auto stop = check_json_body(req, kMaxCannedBody)) co_return std::move(*stop);
    auto input = parse_canned_input(req.body(), true);
    if (!input) co_return problem(input.error());
    store::CannedResponseChange change{.id = ctx.params["id"],
                                       .site_id = caller.op.site_id,
                                       .shortcut = std::move(input->shortcut),
                                       .title = std::move(input->title),
                                       .text = std::move(input->text),
                                       .updated_at = now_ms()};
    auto write = [this, &change](store::Done<store::CannedResponse> done) {
      store_.update_canned_response(change, std::move(done));
    };
    auto stored = co_await await_write<store::CannedResponse>(std::move(write));
    if (!stored) co_return write_problem(stored.error());
    log::info("canned response changed")
        .str("rid", ctx.request_id)
        .str("site", caller.op.site_id)
        .str("id", stored->id)
        .emit();
    co_return json_answer(Status::ok, canned_json(*stored));
  }

  net::awaitable<Response> remove(const Request&, Context& ctx, const ConsoleCaller& caller) {
    const std::string id = ctx.params["id"];
    auto write = [this, &id, &caller](store::Done<void> done) {
      store_.delete_canned_response(id, caller.op.site_id, std::move(done));
    };
    auto deleted = co_await await_write<void>(std::move(write));
    if (!deleted) co_return write_problem(deleted.error());
    log::info("canned response deleted").str("rid", ctx.request_id).str("site", caller.op.site_id).str("id", id).emit();
    Response r;
    r.head.result(Status::no_content);
    r.head.set(Field::cache_control, "no-store");
    co_return r;
  }

 private:
  store::Store& store_;
};

}  // namespace

void add_canned_routes(Router& router, store::Store& store, const config::ConsoleSettings& settings) {
  auto api = std::make_shared<CannedApi>(store);
  const RouteAuth auth(store, settings.secure_cookies);
  router.get("/v1/console/canned_responses", auth.console(ConsoleAccess::read, std::bind_front(&CannedApi::list, api)));
  router.post("/v1/console/canned_responses",
              auth.console(ConsoleAccess::owner_write, std::bind_front(&CannedApi::create, api)));
  router.patch("/v1/console/canned_responses/{id}",
               auth.console(ConsoleAccess::owner_write, std::bind_front(&CannedApi::change, api)));
  router.del("/v1/console/canned_responses/{id}",
             auth.console(ConsoleAccess::owner_write, std::bind_front(&CannedApi::remove, api)));
}

}  // namespace vitrina::http
