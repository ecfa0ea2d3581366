#include "http/payment_routes.hpp"

#include <simdjson.h>

#include <chrono>
#include <functional>
#include <optional>
#include <utility>
#include <variant>

#include "http/api_support.hpp"
#include "http/await_store.hpp"
#include "http/console_json.hpp"
#include "http/route_auth.hpp"
#include "log/log.hpp"
#include "payments/idempotency.hpp"
#include "payments/payment.hpp"
#include "payments/refund.hpp"
#include "vitrina/protocol/json.hpp"

namespace vitrina::http {

namespace {

namespace net = boost::asio;
using protocol::Result;

constexpr std::size_t kDefaultListLimit = 20;
constexpr std::size_t kMaxListLimit = 100;
// A change computed from a read can lose a race to another change (the sweeper, a parallel
// request with another key); it is recomputed from a fresh read this many times.
constexpr int kMaxAttempts = 3;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The acquirer failed or said no: nothing was written, and the key stays free for a retry. The
// problem names the acquirer and, when it gave one, its own error code (Error::field of
// acquirer_refused and acquirer_unavailable errors). A field the acquirer does not accept is the
// caller's `invalid`; anything else the connector reports is an unusable answer.
Response acquirer_problem(const protocol::Error& e, std::string_view acquirer) {
  using protocol::ErrorCode;
  if (e.code == ErrorCode::invalid) return problem(e);
  const ErrorCode code = e.code == ErrorCode::acquirer_unavailable || e.code == ErrorCode::acquirer_refused
                             ? e.code
                             : ErrorCode::acquirer_error;
  Response r = problem(code, std::string(acquirer) + ": " + e.message, "acquirer",
                       {{"acquirer", acquirer}, {"acquirer_code", e.field}});
  if (code == ErrorCode::acquirer_unavailable) r.head.set(Field::retry_after, "5");
  return r;
}

// Site settings may name the acquirer used when a request names none.
std::string default_acquirer(const store::Site& site) {
  thread_local simdjson::dom::parser parser;
  std::string_view name;
  auto doc = parser.parse(site.settings_json);
  if (!doc.error() && !doc["default_acquirer"].get(name) && !name.empty()) return std::string(name);
  return std::string(acquirers::kDefaultAcquirer);
}

Response stored_answer(const store::IdempotencyRecord& record) {
  Response r = make_json(static_cast<Status>(record.status_code), record.response_body);
  r.head.set(Field::cache_control, "no-store");
  r.head.set("Idempotent-Replayed", "true");
  return r;
}

// A request with the same Idempotency-Key is still being answered by this process.
Response in_flight_problem() {
  Response r = problem(protocol::ErrorCode::request_in_flight,
                       "a request with this Idempotency-Key is still being answered", "Idempotency-Key");
  r.head.set(Field::retry_after, "1");
  return r;
}

}  // namespace

enum class Action { cancel, capture, refund };

// What a keyed change writes and answers, computed from the payment as read (and, for a
// change the acquirer must make, after it made it).
struct Planned {
  store::PaymentUpdate update;
  std::string body;
  Status status = Status::ok;
};

// The request's inputs for a change: the amount capture and refunds may name.
struct ChangeInput {
  Action action = Action::cancel;
  std::optional<std::int64_t> amount;
};

// A planning step failed: a rule of ours (answered with problem()) or the acquirer.
struct PlanError {
  protocol::Error error;
  bool from_acquirer = false;
};

class PaymentApi {
 public:
  PaymentApi(store::Store& store, PaymentApiOptions options) : store_(store), options_(std::move(options)) {}

  // Each is called with the site whose secret key authenticated the request.
  net::awaitable<Response> create(const Request& req, Context& ctx, const store::Site& site);
  Response get(const Request& req, Context& ctx, const store::Site& site);
  Response list(const Request& req, Context& ctx, const store::Site& site);
  Response list_refunds(const Request& req, Context& ctx, const store::Site& site);
  net::awaitable<Response> change(Action action, const Request& req, Context& ctx, const store::Site& site);
  void set_public_url(std::string url) { options_.public_url = std::move(url); }

 private:
  // Runs one acquirer command: inline for in-process connectors, on the pool for the others.
  template <class Call, class R = std::invoke_result_t<Call&>>
  net::awaitable<R> call_acquirer(const acquirers::Acquirer& acquirer, Call call);
  // The change `input` makes to `current`, asking the acquirer first when it must act.
  net::awaitable<std::variant<Planned, PlanError>> plan(const ChangeInput& input, const store::Payment& current,
                                                        std::string acquirer_key, std::int64_t now);
  // A stored answer for the key: its replay, or 422 when the key was used for another request.
  std::optional<Response> replay(const store::Site& site, const std::string& key, const std::string& fingerprint,
                                 const Context& ctx);
  // The checks every keyed POST starts with; an answer when the request stops there.
  std::optional<Response> check_post(const Request& req, std::string_view key);

  store::Store& store_;
  PaymentApiOptions options_;
  payments::InFlight in_flight_;
};

std::optional<Response> PaymentApi::replay(const store::Site& site, const std::string& key,
                                           const std::string& fingerprint, const Context& ctx) {
  auto record = store_.find_idempotency(site.id, key);
  if (!record) return problem(record.error());
  if (!*record) return std::nullopt;
  if ((*record)->request_hash != fingerprint) {
    log::info("idempotency key reused for another request").str("rid", ctx.request_id).str("site", site.id).emit();
    return problem(protocol::ErrorCode::idempotency_key_reused, "this Idempotency-Key was used for a different request",
                   "Idempotency-Key");
  }
  return stored_answer(**record);
}

std::optional<Response> PaymentApi::check_post(const Request& req, std::string_view key) {
  if (auto stop = check_json_body(req, payments::kMaxBody)) return stop;
  if (auto ok = payments::validate_idempotency_key(key); !ok) {
    return problem(protocol::ErrorCode::invalid_header, ok.error().message, "Idempotency-Key");
  }
  return std::nullopt;
}

net::awaitable<Response> PaymentApi::create(const Request& req, Context& ctx, const store::Site& site) {
  const std::string key(req["Idempotency-Key"]);
  if (auto stop = check_post(req, key)) co_return std::move(*stop);
  const std::string fingerprint = payments::request_fingerprint("POST", ctx.path, req.body());

  if (!in_flight_.try_begin(site.id + '\n' + key)) co_return in_flight_problem();
  payments::InFlight::Guard guard(in_flight_, site.id + '\n' + key);
  if (auto answer = replay(site, key, fingerprint, ctx)) co_return std::move(*answer);

  auto parsed = payments::parse_create_request(req.body(), {.default_acquirer = default_acquirer(site),
                                                            .acquirers = options_.acquirers->names(),
                                                            .min_expires_in_s = options_.min_expires_in_s});
  if (!parsed) co_return problem(parsed.error());
  const acquirers::Acquirer* acquirer = options_.acquirers->find(parsed->acquirer);
  if (!acquirer) co_return problem(protocol::make_error(protocol::ErrorCode::invalid, "is not available", "acquirer"));
  if (!acquirer->serves(site.id)) {
    co_return problem(protocol::make_error(
        protocol::ErrorCode::invalid,
        "\"" + parsed->acquirer + "\" has no credentials for this site in the server's configuration", "acquirer"));
  }

  store::Payment payment = payments::new_payment(*parsed, site.id, now_ms());
  {
    auto call = [acquirer, &payment, url = options_.public_url, akey = site.id + ':' + key] {
      return acquirer->create(payment, url, akey);
    };
    auto created = co_await call_acquirer(*acquirer, std::move(call));
    if (!created) {
      log::warn("acquirer refused a payment")
          .str("rid", ctx.request_id)
          .str("acquirer", parsed->acquirer)
          .str("error", created.error().message)
          .emit();
      co_return acquirer_problem(created.error(), parsed->acquirer);
    }
    payment.confirmation_url = std::move(created->confirmation_url);
    payment.acquirer_ref = std::move(created->acquirer_ref);
  }
  const std::int64_t now = payment.created_at;
  std::string body = payments::payment_json(payment);
  store::IdempotencyRecord record{.site_id = site.id,
                                  .key = key,
                                  .request_hash = fingerprint,
                                  .status_code = 201,
                                  .response_body = body,
                                  .created_at = now};
  const std::string id = payment.id;
  // Named local, not a temporary inside co_await: GCC 12 destroys such init-captures twice.
  auto insert = [this, &payment, &record](store::Done<store::Payment> done) {
    store_.create_payment(std::move(payment), std::move(record), std::move(done));
  };
  auto stored = co_await await_write<store::Payment>(std::move(insert));
  if (!stored) {
    // Another node (or process) won the key between our check and our write.
    if (stored.error().field == "Idempotency-Key") {
      if (auto answer = replay(site, key, fingerprint, ctx)) co_return std::move(*answer);
    }
    log::error("cannot store payment").str("rid", ctx.request_id).str("error", stored.error().message).emit();
    co_return problem(stored.error());
  }
  log::info("payment created").str("rid", ctx.request_id).str("payment", id).str("site", site.id).emit();
  Response r = json_answer(Status::created, std::move(body));
  r.head.set(Field::location, "/v1/payments/" + id);
  co_return r;
}

Response PaymentApi::get(const Request&, Context& ctx, const store::Site& site) {
  auto found = store_.find_payment(site.id, ctx.params["id"]);
  if (!found) return problem(found.error());
  if (!*found) return problem(protocol::ErrorCode::not_found, "no such payment");
  return json_answer(Status::ok, payments::payment_json(**found));
}

Response PaymentApi::list_refunds(const Request&, Context& ctx, const store::Site& site) {
  auto found = store_.find_payment(site.id, ctx.params["id"]);
  if (!found) return problem(found.error());
  if (!*found) return problem(protocol::ErrorCode::not_found, "no such payment");
  auto refunds = store_.list_refunds(site.id, (*found)->id);
  if (!refunds) return problem(refunds.error());
  return json_answer(Status::ok, payments::refund_list_json(*refunds, **found));
}

Response PaymentApi::list(const Request& req, Context&, const store::Site& site) {
  auto order_id = query_param(req, "order_id");
  if (!order_id) return problem(order_id.error());
  if (!*order_id || (*order_id)->empty()) {
    return problem(protocol::make_error(protocol::ErrorCode::invalid, "is required", "order_id"));
  }
  std::size_t limit = kDefaultListLimit;
  auto limit_text = query_param(req, "limit");
  if (!limit_text) return problem(limit_text.error());
  if (*limit_text) {
    const std::string& t = **limit_text;
    std::size_t n = 0;
    bool ok = !t.empty() && t.size() <= 3;
    for (char c : t) {
      ok = ok && c >= '0' && c <= '9';
      n = n * 10 + static_cast<std::size_t>(c - '0');
    }
    if (!ok || n < 1 || n > kMaxListLimit) {
      return problem(protocol::make_error(protocol::ErrorCode::invalid, "must be from 1 to 100", "limit"));
    }
    limit = n;
  }
  auto found = store_.list_payments_by_order(site.id, **order_id, limit);
  if (!found) return problem(found.error());
  return json_answer(Status::ok, payments::payment_list_json(*found));
}

template <class Call, class R>
net::awaitable<R> PaymentApi::call_acquirer(const acquirers::Acquirer& acquirer, Call call) {
  if (!acquirer.blocking() || options_.acquirer_pool == nullptr) co_return call();
  auto answered = co_await options_.acquirer_pool->run(std::move(call));
  if (!answered)
    co_return protocol::make_error(protocol::ErrorCode::acquirer_unavailable,
                                   "too many acquirer calls are waiting; try again");
  co_return std::move(*answered);
}

net::awaitable<std::variant<Planned, PlanError>> PaymentApi::plan(const ChangeInput& input,
                                                                  const store::Payment& current,
                                                                  std::string acquirer_key, std::int64_t now) {
  using Step = std::variant<Planned, PlanError>;
  const acquirers::Acquirer* acquirer = options_.acquirers->find(current.acquirer);
  if (input.action == Action::refund) {
    auto amount = payments::refund_amount(current, input.amount);
    if (!amount) co_return Step{PlanError{std::move(amount).error()}};
    if (!acquirer)
      co_return Step{
          PlanError{protocol::make_error(protocol::ErrorCode::acquirer_unavailable, "is not configured"), true}};
    auto call = [acquirer, &current, value = *amount, &acquirer_key] {
      return acquirer->refund(current, value, acquirer_key);
    };
    auto answer = co_await call_acquirer(*acquirer, std::move(call));
    if (!answer) co_return Step{PlanError{std::move(answer).error(), true}};
    if (answer->status == protocol::RefundStatus::pending) {
      co_return Step{PlanError{protocol::make_error(protocol::ErrorCode::acquirer_unavailable,
                                                    "left the refund pending, which this server cannot track"),
                               true}};
    }
    const protocol::RefundEvent event = answer->status == protocol::RefundStatus::succeeded
                                            ? protocol::RefundEvent::succeeded()
                                            : protocol::RefundEvent::failed(answer->failure_reason);
    auto refund = payments::plan_refund(current, *amount, event, now);
    if (!refund) co_return Step{PlanError{std::move(refund).error()}};
    std::string body = payments::refund_json(refund->refund, refund->update.payment);
    co_return Step{Planned{std::move(refund->update), std::move(body), Status::created}};
  }

  const protocol::PaymentEvent event = input.action == Action::capture ? protocol::PaymentEvent::captured(input.amount)
                                                                       : protocol::PaymentEvent::canceled();
  auto planned = payments::plan_change(current, event, now);
  if (!planned) co_return Step{PlanError{std::move(planned).error()}};
  if (planned->update) {
    // A real change: the acquirer makes it first; a repeat (canceling a canceled payment) asks
    // nothing of it.
    if (!acquirer)
      co_return Step{
          PlanError{protocol::make_error(protocol::ErrorCode::acquirer_unavailable, "is not configured"), true}};
    auto call = [acquirer, &current, &acquirer_key, capture = input.action == Action::capture,
                 amount = planned->payment.captured_amount]() -> Result<void> {
      return capture ? acquirer->capture(current, amount, acquirer_key) : acquirer->cancel(current, acquirer_key);
    };
    auto done = co_await call_acquirer(*acquirer, std::move(call));
    if (!done) co_return Step{PlanError{std::move(done).error(), true}};
  }
  // A repeat changes nothing but still claims the key, so its answer is replayed like any
  // other; the version check proves nothing moved meanwhile.
  store::PaymentUpdate update = planned->update
                                    ? std::move(*planned->update)
                                    : store::PaymentUpdate{.payment = current, .expected_version = current.version};
  std::string body = payments::payment_json(update.payment);
  co_return Step{Planned{std::move(update), std::move(body), Status::ok}};
}

net::awaitable<Response> PaymentApi::change(Action action, const Request& req, Context& ctx, const store::Site& site) {
  const std::string key(req["Idempotency-Key"]);
  if (auto stop = check_post(req, key)) co_return std::move(*stop);
  const std::string fingerprint = payments::request_fingerprint("POST", ctx.path, req.body());
  if (!in_flight_.try_begin(site.id + '\n' + key)) co_return in_flight_problem();
  payments::InFlight::Guard guard(in_flight_, site.id + '\n' + key);
  if (auto answer = replay(site, key, fingerprint, ctx)) co_return std::move(*answer);

  ChangeInput input{.action = action, .amount = std::nullopt};
  if (action == Action::cancel) {
    if (auto parsed = payments::parse_cancel_request(req.body()); !parsed) co_return problem(parsed.error());
  } else {
    auto parsed = action == Action::refund ? payments::parse_refund_request(req.body())
                                           : payments::parse_capture_request(req.body());
    if (!parsed) co_return problem(parsed.error());
    input.amount = parsed->amount;
  }

  const std::string id = ctx.params["id"];
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    auto found = store_.find_payment(site.id, id);
    if (!found) co_return problem(found.error());
    if (!*found) co_return problem(protocol::ErrorCode::not_found, "no such payment");
    const store::Payment& current = **found;
    const std::int64_t now = now_ms();
    auto step = co_await plan(input, current, site.id + ':' + key, now);
    if (auto* failed = std::get_if<PlanError>(&step)) {
      if (!failed->from_acquirer) co_return problem(failed->error);
      log::warn("acquirer refused a change")
          .str("rid", ctx.request_id)
          .str("payment", id)
          .str("acquirer", current.acquirer)
          .str("error", failed->error.message)
          .emit();
      co_return acquirer_problem(failed->error, current.acquirer);
    }
    Planned& planned = std::get<Planned>(step);
    store::PaymentUpdate update = std::move(planned.update);
    std::string body = std::move(planned.body);
    const Status status = planned.status;
    update.idempotency = store::IdempotencyRecord{.site_id = site.id,
                                                  .key = key,
                                                  .request_hash = fingerprint,
                                                  .status_code = static_cast<int>(status),
                                                  .response_body = body,
                                                  .created_at = now};
    const bool has_event = update.event.has_value();
    auto write = [this, &update](store::Done<store::Payment> done) {
      store_.update_payment(std::move(update), std::move(done));
    };
    auto stored = co_await await_write<store::Payment>(std::move(write));
    if (!stored) {
      if (stored.error().code == protocol::ErrorCode::stale) continue;
      if (stored.error().field == "Idempotency-Key") {
        if (auto answer = replay(site, key, fingerprint, ctx)) co_return std::move(*answer);
      }
      log::error("cannot store payment change").str("rid", ctx.request_id).str("error", stored.error().message).emit();
      co_return problem(stored.error());
    }
    if (has_event && options_.on_event) options_.on_event();
    log::info(action == Action::refund    ? "payment refunded"
              : action == Action::capture ? "payment captured"
                                          : "payment canceled")
        .str("rid", ctx.request_id)
        .str("payment", id)
        .str("status", protocol::to_string(stored->status))
        .emit();
    co_return json_answer(status, std::move(body));
  }
  co_return problem(protocol::ErrorCode::conflict, "the payment kept changing; try again");
}

std::shared_ptr<PaymentApi> add_payment_routes(Router& router, store::Store& store, PaymentApiOptions options) {
  auto api = std::make_shared<PaymentApi>(store, std::move(options));
  const RouteAuth auth(store);
  router.post("/v1/payments", auth.api_key(std::bind_front(&PaymentApi::create, api)));
  router.get("/v1/payments", auth.api_key(std::bind_front(&PaymentApi::list, api)));
  router.get("/v1/payments/{id}", auth.api_key(std::bind_front(&PaymentApi::get, api)));
  router.post("/v1/payments/{id}/cancel", auth.api_key(std::bind_front(&PaymentApi::change, api, Action::cancel)));
  router.post("/v1/payments/{id}/capture", auth.api_key(std::bind_front(&PaymentApi::change, api, Action::capture)));
  router.get("/v1/payments/{id}/refunds", auth.api_key(std::bind_front(&PaymentApi::list_refunds, api)));
  router.post("/v1/payments/{id}/refunds", auth.api_key(std::bind_front(&PaymentApi::change, api, Action::refund)));
  return api;
}

void set_public_url(PaymentApi& api, std::string public_url) {
  while (!public_url.empty() && public_url.back() == '/') public_url.pop_back();
  api.set_public_url(std::move(public_url));
}

}  // namespace vitrina::http
