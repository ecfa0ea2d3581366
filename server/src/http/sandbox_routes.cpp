#include "http/sandbox_routes.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>

#include "acquirers/sandbox_page.hpp"
#include "log/log.hpp"

namespace vitrina::http {

namespace {

namespace net = boost::asio;

constexpr std::size_t kMaxFormBody = 1024;

std::int64_t now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

bool is_form_media_type(std::string_view content_type) {
  constexpr std::string_view kForm = "application/x-www-form-urlencoded";
  const std::string_view type = content_type.substr(0, content_type.find(';'));
  if (type.size() < kForm.size()) return false;
  for (std::size_t i = 0; i < kForm.size(); ++i) {
    const char c = type[i];
    if (((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c) != kForm[i]) return false;
  }
  return type.substr(kForm.size()).find_first_not_of(' ') == std::string_view::npos;
}

// No script, no style, no framing; the form posts here, and its 303 goes to the shop's origin
// (browsers hold form redirects to form-action too).
Response page(Status status, std::string html, std::string_view return_origin = {}) {
  Response r = make_response(status, std::move(html), "text/html; charset=utf-8");
  std::string csp = "default-src 'none'; style-src 'self'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
  if (!return_origin.empty()) csp.append(" ").append(return_origin);
  r.head.set("Content-Security-Policy", csp);
  r.head.set(Field::cache_control, "no-store");
  r.head.set("X-Content-Type-Options", "nosniff");
  r.head.set("Referrer-Policy", "no-referrer");
  return r;
}

Response not_found() {
  return page(Status::not_found,
              "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
              "<title>Not found</title></head><body><p>No such payment.</p></body></html>\n");
}

// The delayed test card: the sandbox's acquirer side answers later, on its own.
net::awaitable<void> deliver_later(std::shared_ptr<CallbackProcessor> callbacks, acquirers::SignedCallback callback,
                                   std::string site_id, std::chrono::milliseconds delay, std::string request_id) {
  net::steady_timer timer(co_await net::this_coro::executor, delay);
  co_await timer.async_wait(net::use_awaitable);
  Response r = co_await callbacks->handle(std::string(acquirers::kSandboxName), std::move(site_id),
                                          std::move(callback.headers), std::move(callback.body), request_id);
  if (r.head.result() != Status::ok) {
    log::error("delayed sandbox callback refused").str("rid", request_id).num("status", r.head.result_int()).emit();
  }
}

class SandboxPage {
 public:
  SandboxPage(store::Store& store, std::shared_ptr<const acquirers::Sandbox> sandbox,
              std::shared_ptr<CallbackProcessor> callbacks, SandboxPageOptions options)
      : store_(store), sandbox_(std::move(sandbox)), callbacks_(std::move(callbacks)), options_(options) {}

  Response show(const Request&, Context& ctx) {
    auto payment = find(ctx.params["id"]);
    if (!payment) return not_found();
    if (payment->status != protocol::PaymentStatus::pending)
      return page(Status::ok, acquirers::render_closed_page(*payment));
    return page(Status::ok, acquirers::render_pay_page(*payment), acquirers::url_origin(payment->return_url));
  }

  net::awaitable<Response> submit(const Request& req, Context& ctx) {
    auto payment = find(ctx.params["id"]);
    if (!payment) co_return not_found();
    const std::string origin = acquirers::url_origin(payment->return_url);
    if (payment->status != protocol::PaymentStatus::pending)
      co_return page(Status::conflict, acquirers::render_closed_page(*payment));
    if (req.body().size() > kMaxFormBody || !is_form_media_type(req[Field::content_type])) {
      co_return page(Status::unprocessable_entity,
                     acquirers::render_pay_page(*payment, "Send the form from this page."), origin);
    }
    // The card number lives only in these locals: never stored, logged or echoed in full.
    const auto typed = acquirers::form_field(req.body(), "card_number");
    const std::string digits = typed ? acquirers::normalize_card_number(*typed) : std::string{};
    const acquirers::CardOutcome outcome = acquirers::card_outcome(digits);
    if (outcome == acquirers::CardOutcome::unknown) {
      co_return page(Status::unprocessable_entity,
                     acquirers::render_pay_page(*payment, "Use one of the test cards listed below."), origin);
    }
    const std::string last4 = digits.substr(digits.size() - 4);

    acquirers::SignedCallback callback = sandbox_->sign(acquirers::result_for(outcome, *payment), now_s());
    if (outcome == acquirers::CardOutcome::delayed) {
      auto executor = co_await net::this_coro::executor;
      net::co_spawn(
          executor,
          deliver_later(callbacks_, std::move(callback), payment->site_id, options_.delayed_result, ctx.request_id),
          net::detached);
    } else {
      Response answer =
          co_await callbacks_->handle(std::string(acquirers::kSandboxName), payment->site_id,
                                      std::move(callback.headers), std::move(callback.body), ctx.request_id);
      if (answer.head.result() != Status::ok) {
        log::error("sandbox callback refused")
            .str("rid", ctx.request_id)
            .num("status", answer.head.result_int())
            .emit();
        co_return page(Status::bad_gateway, acquirers::render_pay_page(*payment, "The sandbox could not answer."),
                       origin);
      }
    }
    log::info("sandbox card submitted").str("rid", ctx.request_id).str("payment", payment->id).emit();
    Response r = page(Status::see_other, acquirers::render_submitted_page(*payment, last4), origin);
    r.head.set(Field::location, payment->return_url);
    co_return r;
  }

 private:
  std::optional<store::Payment> find(const std::string& id) {
    auto found = store_.find_payment_by_id(id);
    if (!found || !*found || (*found)->acquirer != acquirers::kSandboxName) return std::nullopt;
    return std::move(**found);
  }

  store::Store& store_;
  std::shared_ptr<const acquirers::Sandbox> sandbox_;
  std::shared_ptr<CallbackProcessor> callbacks_;
  SandboxPageOptions options_;
};

}  // namespace

void add_sandbox_routes(Router& router, store::Store& store, std::shared_ptr<const acquirers::Sandbox> sandbox,
                        std::shared_ptr<CallbackProcessor> callbacks, SandboxPageOptions options) {
  auto p = std::make_shared<SandboxPage>(store, std::move(sandbox), std::move(callbacks), options);
  router.get("/sandbox/sandbox.css", [](const Request&, Context&) {
    Response r = make_response(Status::ok, std::string(acquirers::sandbox_stylesheet()), "text/css; charset=utf-8");
    r.head.set(Field::cache_control, "public, max-age=3600");
    r.head.set("X-Content-Type-Options", "nosniff");
    return r;
  });
  router.get("/sandbox/pay/{id}", [p](const Request& req, Context& ctx) { return p->show(req, ctx); });
  router.add_async("POST", "/sandbox/pay/{id}", [p](const Request& req, Context& ctx) { return p->submit(req, ctx); });
}

}  // namespace vitrina::http
