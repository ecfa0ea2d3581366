#include "http/callback_request_routes.hpp"

#include <charconv>
#include <functional>
#include <memory>
#include <utility>
#include <variant>

#include "callbacks/callback.hpp"
#include "callbacks/rating.hpp"
#include "chat/service.hpp"
#include "http/api_support.hpp"
#include "http/await_store.hpp"
#include "http/console_auth.hpp"
#include "http/route_auth.hpp"
#include "log/log.hpp"
#include "vitrina/protocol/json.hpp"
#include "vitrina/protocol/timestamp.hpp"
#include "webhooks/worker.hpp"

namespace vitrina::http {

namespace {

namespace net = boost::asio;

constexpr std::size_t kDefaultListLimit = 50;
constexpr std::size_t kMaxListLimit = 200;
// A report or an export reads at most this many ratings; a longer span is refused.
constexpr std::size_t kMaxReportRows = 200000;
constexpr int kStaleRetries = 3;

Response no_callback() { return problem(protocol::ErrorCode::not_found, "no such callback request"); }

// `limit` from the query: 1 to kMaxListLimit.
protocol::Result<std::size_t> list_limit(const Request& req) {
  auto text = query_param(req, "limit");
  if (!text) return std::move(text).error();
  if (!*text) return kDefaultListLimit;
  std::size_t n = 0;
  auto [end, ec] = std::from_chars((*text)->data(), (*text)->data() + (*text)->size(), n);
  if (ec != std::errc() || end != (*text)->data() + (*text)->size() || n < 1 || n > kMaxListLimit) {
    return protocol::make_error(protocol::ErrorCode::invalid,
                                "must be a whole number from 1 to " + std::to_string(kMaxListLimit), "limit");
  }
  return n;
}

protocol::Result<std::int64_t> optional_time_param(const Request& req, std::string_view name) {
  auto text = query_param(req, name);
  if (!text) return std::move(text).error();
  if (!*text) return std::int64_t{0};
  auto ms = protocol::parse_timestamp_ms(**text);
  if (!ms)
    return protocol::make_error(protocol::ErrorCode::invalid, "must be a time such as 2026-11-01T00:00:00Z",
                                std::string(name));
  return *ms;
}

}  // namespace

class StaffApi {
 public:
  StaffApi(store::Store& store, StaffApiOptions options) : store_(store), options_(std::move(options)) {}

  // Each is called with the site's backend or operator that authenticated the request.
  Response list(const Request& req, Context& ctx, const StaffCaller& caller);
  Response get(const Request& req, Context& ctx, const StaffCaller& caller);
  net::awaitable<Response> change_status(const Request& req, Context& ctx, const StaffCaller& caller);
  Response list_ratings(const Request& req, Context& ctx, const StaffCaller& caller);
  Response report(const Request& req, Context& ctx, const StaffCaller& caller);
  Response export_csv(const Request& req, Context& ctx, const StaffCaller& caller);

 private:
  // The ratings a report or export covers, or the answer to give.
  std::variant<std::pair<callbacks::ReportQuery, std::vector<store::Rating>>, Response> report_rows(
      const Request& req, const store::Site& site);

  store::Store& store_;
  StaffApiOptions options_;
};

Response StaffApi::list(const Request& req, Context&, const StaffCaller& caller) {
  auto limit = list_limit(req);
  if (!limit) return problem(limit.error());
  auto status = query_param(req, "status");
  if (!status) return problem(status.error());
  const std::string wanted = status->value_or("");
  if (!wanted.empty() && wanted != "new" && wanted != "calling" && wanted != "done" && wanted != "missed" &&
      wanted != "scheduled") {
    return problem(protocol::make_error(protocol::ErrorCode::invalid, "must be new, calling, done, missed or scheduled",
                                        "status"));
  }
  auto before = optional_time_param(req, "before");
  if (!before) return problem(before.error());
  // One more than asked tells whether there are more.
  auto found =
      store_.list_callbacks({.site_id = caller.site.id, .status = wanted, .before = *before, .limit = *limit + 1});
  if (!found) return problem(found.error());
  const bool has_more = found->size() > *limit;
  if (has_more) found->pop_back();
  return json_answer(Status::ok, callbacks::callback_list_json(*found, has_more));
}

Response StaffApi::get(const Request&, Context& ctx, const StaffCaller& caller) {
  auto found = store_.find_callback(caller.site.id, ctx.params["id"]);
  if (!found) return problem(found.error());
  if (!*found) return no_callback();
  return json_answer(Status::ok, callbacks::callback_json(**found));
}

net::awaitable<Response> StaffApi::change_status(const Request& req, Context& ctx, const StaffCaller& caller) {
  if (auto stop = check_json_body(req, callbacks::kMaxVisitorBody)) co_return std::move(*stop);
  auto change = callbacks::parse_status_change(req.body());
  if (!change) co_return problem(change.error());
  const std::string id = ctx.params["id"];
  // A change computed from a stale read is refused by the store; read again and retry.
  for (int attempt = 0; attempt < kStaleRetries; ++attempt) {
    auto found = store_.find_callback(caller.site.id, id);
    if (!found) co_return problem(found.error());
    if (!*found) co_return no_callback();
    auto update = callbacks::change_status(**found, *change, caller.operator_id, webhooks::system_now_ms());
    if (!update) {
      if (update.error().code == protocol::ErrorCode::conflict) {
        co_return problem(protocol::ErrorCode::conflict, update.error().message, "status");
      }
      co_return problem(update.error());
    }
    if (!*update) co_return json_answer(Status::ok, callbacks::callback_json(**found));
    store::CallbackUpdate write = std::move(**update);
    auto submit = [this, &write](store::Done<store::Callback> done) {
      store_.update_callback(std::move(write), std::move(done));
    };
    auto stored = co_await await_write<store::Callback>(std::move(submit));
    if (!stored) {
      if (stored.error().code == protocol::ErrorCode::stale) continue;
      log::error("cannot change callback request")
          .str("rid", ctx.request_id)
          .str("error", stored.error().message)
          .emit();
      co_return problem(stored.error());
    }
    if (options_.on_event) options_.on_event();
    if (options_.chat) {
      options_.chat->send_to_operators(caller.site.id, callbacks::callback_frame(*stored, (*found)->status));
    }
    log::info("callback request changed")
        .str("rid", ctx.request_id)
        .str("callback", stored->id)
        .str("status", stored->status)
        .str("operator", caller.operator_id)
        .emit();
    co_return json_answer(Status::ok, callbacks::callback_json(*stored));
  }
  Response r = problem(protocol::ErrorCode::stale, "the request keeps changing; try again");
  r.head.set(Field::retry_after, "1");
  co_return r;
}

Response StaffApi::list_ratings(const Request& req, Context&, const StaffCaller& caller) {
  auto limit = list_limit(req);
  if (!limit) return problem(limit.error());
  auto kind = query_param(req, "kind");
  if (!kind) return problem(kind.error());
  if (*kind && **kind != "csat" && **kind != "page" && **kind != "nps") {
    return problem(protocol::make_error(protocol::ErrorCode::invalid, "must be csat, page or nps", "kind"));
  }
  auto before = optional_time_param(req, "before");
  if (!before) return problem(before.error());
  auto found =
      store_.list_ratings({.site_id = caller.site.id, .kind = kind->value_or(""), .to = *before, .limit = *limit + 1});
  if (!found) return problem(found.error());
  const bool has_more = found->size() > *limit;
  if (has_more) found->pop_back();
  protocol::JsonWriter w;
  w.begin_object().key("object").value("list").key("data").begin_array();
  for (const auto& r : *found) w.raw(callbacks::rating_json(r));
  w.end_array().key("has_more").value(has_more).end_object();
  return json_answer(Status::ok, std::move(w).str());
}

std::variant<std::pair<callbacks::ReportQuery, std::vector<store::Rating>>, Response> StaffApi::report_rows(
    const Request& req, const store::Site& site) {
  std::optional<std::string> params[5];
  const char* names[5] = {"kind", "bucket", "from", "to", "tz"};
  for (int i = 0; i < 5; ++i) {
    auto value = query_param(req, names[i]);
    if (!value) return problem(value.error());
    params[i] = std::move(*value);
  }
  auto query = callbacks::parse_report_query(params[0], params[1], params[2], params[3], webhooks::system_now_ms(),
                                             params[4], callbacks::read_settings(site).time_zone);
  if (!query) return problem(query.error());
  auto rows = store_.list_ratings({.site_id = site.id,
                                   .kind = query->kind,
                                   .from = query->from_ms,
                                   .to = query->to_ms,
                                   .limit = kMaxReportRows + 1});
  if (!rows) return problem(rows.error());
  if (rows->size() > kMaxReportRows) {
    return problem(protocol::make_error(
        protocol::ErrorCode::invalid,
        "covers more than " + std::to_string(kMaxReportRows) + " ratings; choose a shorter span", "from"));
  }
  return std::make_pair(std::move(*query), std::move(*rows));
}

Response StaffApi::report(const Request& req, Context&, const StaffCaller& caller) {
  auto rows = report_rows(req, caller.site);
  if (auto* refused = std::get_if<Response>(&rows)) return std::move(*refused);
  const auto& [query, ratings] = std::get<0>(rows);
  return json_answer(Status::ok, callbacks::report_json(query, ratings));
}

Response StaffApi::export_csv(const Request& req, Context&, const StaffCaller& caller) {
  const auto& site = caller.site;
  auto rows = report_rows(req, site);
  if (auto* refused = std::get_if<Response>(&rows)) return std::move(*refused);
  const auto& [query, ratings] = std::get<0>(rows);
  Response r = make_response(Status::ok, callbacks::ratings_csv(ratings), "text/csv; charset=utf-8");
  r.head.set(Field::cache_control, "no-store");
  // The name is built from ids and dates only, so it needs no quoting beyond the quotes: the
  // first and the last local day the span covers.
  const std::string filename = "ratings-" + query.kind + "-" + callbacks::report_date(query, query.from_ms) + "-" +
                               callbacks::report_date(query, query.to_ms - 1) + ".csv";
  r.head.set(Field::content_disposition, "attachment; filename=\"" + filename + "\"");
  return r;
}

void add_callback_request_routes(Router& router, store::Store& store, StaffApiOptions options) {
  auto api = std::make_shared<StaffApi>(store, std::move(options));
  const RouteAuth auth(store);
  router.get("/v1/callback_requests", auth.staff(std::bind_front(&StaffApi::list, api)));
  router.get("/v1/callback_requests/{id}", auth.staff(std::bind_front(&StaffApi::get, api)));
  router.post("/v1/callback_requests/{id}/status", auth.staff(std::bind_front(&StaffApi::change_status, api)));
  router.get("/v1/ratings", auth.staff(std::bind_front(&StaffApi::list_ratings, api)));
  router.get("/v1/ratings/report", auth.staff(std::bind_front(&StaffApi::report, api)));
  router.get("/v1/ratings/export", auth.staff(std::bind_front(&StaffApi::export_csv, api)));
}

}  // namespace vitrina::http
