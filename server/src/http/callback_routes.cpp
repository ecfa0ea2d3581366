#include "http/callback_routes.hpp"

#include <chrono>
#include <utility>

#include "http/await_store.hpp"
#include "log/log.hpp"
#include "payments/payment.hpp"

namespace vitrina::http {

namespace {

namespace net = boost::asio;

// A change computed from a read can lose a race (the API, the sweeper); it is recomputed from
// a fresh read this many times before the acquirer is asked to retry.
constexpr int kMaxAttempts = 3;
constexpr std::size_t kMaxCallbackBody = 64 * 1024;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Response received() {
  Response r = make_json(Status::ok, R"({"received":true})");
  r.head.set(Field::cache_control, "no-store");
  return r;
}

Response retry_later(std::string_view detail) {
  Response r = make_problem(Status::service_unavailable, "unavailable", "Try again", detail);
  r.head.set(Field::retry_after, "5");
  return r;
}

}  // namespace

acquirers::RawHeaders raw_headers(const Request& req) {
  acquirers::RawHeaders headers;
  for (const auto& field : req) headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  return headers;
}

net::awaitable<Response> CallbackProcessor::handle(std::string acquirer, std::string site_id,
                                                   acquirers::RawHeaders headers, std::string body,
                                                   std::string request_id) {
  const acquirers::Acquirer* connector = acquirers_->find(acquirer);
  if (connector == nullptr) {
    co_return make_problem(Status::not_found, "not-found", "Not found", "no such acquirer", "acquirer");
  }
  if (body.size() > kMaxCallbackBody) {
    co_return make_problem(Status::payload_too_large, "body-too-large", "Content too large",
                           "a callback body is at most 64 KiB", "body");
  }
  const std::int64_t now_s = now_ms() / 1000;
  auto events = connector->verify_callback(headers, body, now_s);
  if (!events) {
    // Never log the body or the signature: only why it was refused.
    log::warn("acquirer callback refused")
        .str("rid", request_id)
        .str("acquirer", acquirer)
        .str("error", events.error().message)
        .emit();
    if (events.error().code == "unauthenticated") {
      co_return make_problem(Status::unauthorized, "unauthenticated", "Unauthenticated", events.error().message,
                             events.error().field);
    }
    co_return make_problem(Status::bad_request, "malformed", "Malformed callback", events.error().message,
                           events.error().field);
  }
  for (const auto& event : *events) {
    if (event.site_id != site_id) {
      co_return make_problem(Status::bad_request, "invalid", "Invalid callback",
                             "the event belongs to another site than the URL names", "site_id");
    }
    if (auto stop = co_await apply(event, acquirer, request_id)) co_return std::move(*stop);
  }
  co_return received();
}

net::awaitable<std::optional<Response>> CallbackProcessor::apply(const acquirers::AcquirerEvent& event,
                                                                 const std::string& acquirer,
                                                                 const std::string& request_id) {
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    auto found = store_.find_payment(event.site_id, event.payment_id);
    if (!found) co_return retry_later("the store cannot be read");
    if (!*found || (*found)->acquirer != acquirer) {
      co_return make_problem(Status::not_found, "not-found", "Not found", "no such payment", "payment_id");
    }
    const std::int64_t now = now_ms();
    std::optional<store::PaymentUpdate> update;
    auto planned = payments::plan_change(**found, event.event, now);
    if (planned) {
      update = std::move(planned->update);
    } else {
      // The acquirer cannot fix a conflict by resending: keep the event as seen, report it, and
      // leave the payment for reconciliation.
      log::warn("acquirer event refused by the state machine")
          .str("rid", request_id)
          .str("payment", event.payment_id)
          .str("event", protocol::to_string(event.event.kind))
          .str("error", planned.error().message)
          .emit();
    }
    const bool has_event = update && update->event.has_value();
    store::AcquirerEventRecord record{.acquirer = acquirer,
                                      .event_id = event.event_id,
                                      .site_id = event.site_id,
                                      .payment_id = event.payment_id,
                                      .received_at = now};
    // Named local, not a temporary inside co_await: GCC 12 destroys such init-captures twice.
    auto write = [this, &record, &update](store::Done<void> done) {
      store_.apply_acquirer_event(std::move(record), std::move(update), std::move(done));
    };
    auto stored = co_await await_write<void>(std::move(write));
    if (!stored) {
      if (stored.error().code == "duplicate") {
        log::info("duplicate acquirer event").str("rid", request_id).str("payment", event.payment_id).emit();
        co_return std::nullopt;
      }
      if (stored.error().code == "stale") continue;
      log::error("cannot store acquirer event").str("rid", request_id).str("error", stored.error().message).emit();
      co_return retry_later("the event could not be stored");
    }
    if (has_event && on_event_) on_event_();
    log::info("acquirer event applied")
        .str("rid", request_id)
        .str("acquirer", acquirer)
        .str("payment", event.payment_id)
        .str("event", protocol::to_string(event.event.kind))
        .emit();
    co_return std::nullopt;
  }
  co_return retry_later("the payment kept changing");
}

void add_callback_routes(Router& router, std::shared_ptr<CallbackProcessor> processor) {
  router.add_async("POST", "/v1/callbacks/{acquirer}/{site}", [processor](const Request& req, Context& ctx) {
    return processor->handle(ctx.params["acquirer"], ctx.params["site"], raw_headers(req), req.body(), ctx.request_id);
  });
}

}  // namespace vitrina::http
