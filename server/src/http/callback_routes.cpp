#include "http/callback_routes.hpp"

#include <chrono>
#include <utility>

#include "http/api_support.hpp"
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
  Response r = problem(protocol::ErrorCode::unavailable, detail);
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
                                                   std::string request_id, std::string peer_address, std::string kind) {
  using acquirers::CallbackOutcome;
  const acquirers::Acquirer* connector = acquirers_->find(acquirer);
  if (connector == nullptr) {
    co_return problem(protocol::ErrorCode::not_found, "no such acquirer", "acquirer");
  }
  // The connector's own answer for an outcome when it has one, else ours.
  const auto answer = [connector](CallbackOutcome outcome, Response fallback) {
    auto own = connector->answer_callback(outcome);
    if (!own) return fallback;
    Response r = make_response(static_cast<Status>(own->status), std::move(own->body), own->content_type);
    r.head.set(Field::cache_control, "no-store");
    return r;
  };
  if (body.size() > kMaxCallbackBody) {
    co_return answer(CallbackOutcome::invalid,
                     problem(protocol::ErrorCode::too_large, "a callback body is at most 64 KiB", "body"));
  }
  const acquirers::CallbackRequest request{
      .site_id = site_id, .peer_address = std::move(peer_address), .now_s = now_ms() / 1000, .kind = std::move(kind)};
  using Verified = protocol::Result<std::vector<acquirers::AcquirerEvent>>;
  auto verify = [connector, &headers, &body, &request]() -> Verified {
    return connector->verify_callback(headers, body, request);
  };
  std::optional<Verified> verified;
  if (connector->blocking() && pool_ != nullptr) {
    // A confirming read may wait on the acquirer's API: never on an I/O thread.
    auto ran = co_await pool_->run(std::move(verify));
    if (!ran) co_return answer(CallbackOutcome::unavailable, retry_later("too many callbacks are waiting"));
    verified.emplace(std::move(*ran));
  } else {
    verified.emplace(verify());
  }
  auto& events = *verified;
  if (!events) {
    // Never log the body or the signature: only why it was refused.
    log::warn("acquirer callback refused")
        .str("rid", request_id)
        .str("acquirer", acquirer)
        .str("error", events.error().message)
        .emit();
    const auto& e = events.error();
    if (e.code == protocol::ErrorCode::unauthenticated) {
      co_return answer(CallbackOutcome::unauthenticated,
                       problem(protocol::ErrorCode::unauthenticated, e.message, e.field));
    }
    if (e.code == protocol::ErrorCode::unavailable)
      co_return answer(CallbackOutcome::unavailable, retry_later(e.message));
    co_return answer(CallbackOutcome::invalid, problem(protocol::ErrorCode::malformed, e.message, e.field));
  }
  bool all_duplicates = !events->empty();
  for (const auto& event : *events) {
    if (event.site_id != site_id) {
      co_return answer(
          CallbackOutcome::invalid,
          problem(protocol::ErrorCode::malformed, "the event belongs to another site than the URL names", "site_id"));
    }
    auto applied = co_await apply(event, acquirer, request_id);
    if (applied.outcome == CallbackOutcome::accepted) all_duplicates = false;
    if (applied.problem) co_return answer(applied.outcome, std::move(*applied.problem));
  }
  co_return answer(all_duplicates ? CallbackOutcome::duplicate : CallbackOutcome::accepted, received());
}

net::awaitable<CallbackProcessor::Applied> CallbackProcessor::apply(const acquirers::AcquirerEvent& event,
                                                                    const std::string& acquirer,
                                                                    const std::string& request_id) {
  using acquirers::CallbackOutcome;
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    // Connectors name the payment by our id, or by the acquirer's own reference of it.
    auto found = event.payment_id.empty()
                     ? store_.find_payment_by_acquirer_ref(event.site_id, acquirer, event.acquirer_ref)
                     : store_.find_payment(event.site_id, event.payment_id);
    if (!found) co_return Applied{CallbackOutcome::unavailable, retry_later("the store cannot be read")};
    if (!*found || (*found)->acquirer != acquirer) {
      co_return Applied{CallbackOutcome::invalid,
                        problem(protocol::ErrorCode::not_found, "no such payment", "payment_id")};
    }
    const store::Payment& payment = **found;
    // An event that names both our payment and the acquirer's must name the same one.
    if (!event.acquirer_ref.empty() && !payment.acquirer_ref.empty() && event.acquirer_ref != payment.acquirer_ref) {
      co_return Applied{
          CallbackOutcome::invalid,
          problem(protocol::ErrorCode::not_found, "the acquirer's payment is not this payment's", "payment_id")};
    }
    if (auto agrees = acquirers::amount_agrees(payment, event); !agrees) {
      // Money that does not match the payment is never applied: nothing is written, not even
      // the event id, and the payment is left for a person and for reconciliation.
      log::error("acquirer event disagrees with the payment")
          .str("rid", request_id)
          .str("acquirer", acquirer)
          .str("payment", payment.id)
          .str("error", agrees.error().message)
          .emit();
      co_return Applied{CallbackOutcome::refused,
                        problem(protocol::ErrorCode::amount_mismatch, agrees.error().message, agrees.error().field)};
    }
    const std::int64_t now = now_ms();
    if (event.check_only) co_return check(payment, now);
    std::optional<store::PaymentUpdate> update;
    // A step on the way to a one-stage payment's success is no news for it.
    auto planned = acquirers::is_news_for(payment, event) ? payments::plan_change(payment, event.event, now)
                                                          : protocol::Result<payments::Change>(payments::Change{});
    if (planned) {
      update = std::move(planned->update);
    } else {
      // The acquirer cannot fix a conflict by resending: keep the event as seen, report it, and
      // leave the payment for reconciliation.
      log::warn("acquirer event refused by the state machine")
          .str("rid", request_id)
          .str("payment", payment.id)
          .str("event", protocol::to_string(event.event.kind))
          .str("error", planned.error().message)
          .emit();
    }
    const bool has_event = update && update->event.has_value();
    store::AcquirerEventRecord record{.acquirer = acquirer,
                                      .event_id = event.event_id,
                                      .site_id = event.site_id,
                                      .payment_id = payment.id,
                                      .received_at = now};
    // Named local, not a temporary inside co_await: GCC 12 destroys such init-captures twice.
    auto write = [this, &record, &update](store::Done<void> done) {
      store_.apply_acquirer_event(std::move(record), std::move(update), std::move(done));
    };
    auto stored = co_await await_write<void>(std::move(write));
    if (!stored) {
      if (stored.error().code == protocol::ErrorCode::duplicate) {
        log::info("duplicate acquirer event").str("rid", request_id).str("payment", payment.id).emit();
        co_return Applied{CallbackOutcome::duplicate, std::nullopt};
      }
      if (stored.error().code == protocol::ErrorCode::stale) continue;
      log::error("cannot store acquirer event").str("rid", request_id).str("error", stored.error().message).emit();
      co_return Applied{CallbackOutcome::unavailable, retry_later("the event could not be stored")};
    }
    if (has_event && on_event_) on_event_();
    log::info("acquirer event applied")
        .str("rid", request_id)
        .str("acquirer", acquirer)
        .str("payment", payment.id)
        .str("event", protocol::to_string(event.event.kind))
        .emit();
    co_return Applied{CallbackOutcome::accepted, std::nullopt};
  }
  co_return Applied{CallbackOutcome::unavailable, retry_later("the payment kept changing")};
}

CallbackProcessor::Applied CallbackProcessor::check(const store::Payment& payment, std::int64_t now) {
  using acquirers::CallbackOutcome;
  if (payment.status != protocol::PaymentStatus::pending) {
    return Applied{CallbackOutcome::not_payable,
                   problem(protocol::ErrorCode::not_payable,
                           "the payment is " + std::string(protocol::to_string(payment.status)), "payment_id")};
  }
  if (payment.expires_at > 0 && now >= payment.expires_at) {
    return Applied{CallbackOutcome::expired,
                   problem(protocol::ErrorCode::not_payable, "the payment has expired", "payment_id")};
  }
  return Applied{CallbackOutcome::accepted, std::nullopt};
}

void add_callback_routes(Router& router, std::shared_ptr<CallbackProcessor> processor) {
  router.add_async("POST", "/v1/callbacks/{acquirer}/{site}", [processor](const Request& req, Context& ctx) {
    // Acquirers whose callbacks do not say what they are get a URL per kind (`?type=pay`).
    auto kind = query_param(req, "type");
    return processor->handle(ctx.params["acquirer"], ctx.params["site"], raw_headers(req), req.body(), ctx.request_id,
                             ctx.remote_address, kind && *kind ? std::move(**kind) : std::string{});
  });
}

}  // namespace vitrina::http
