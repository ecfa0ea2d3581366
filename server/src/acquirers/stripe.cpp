#include "acquirers/stripe.hpp"

#include <chrono>

#include "acquirers/stripe_signature.hpp"

namespace vitrina::acquirers {

namespace {

// Stripe allows idempotency keys of up to 255 characters.
constexpr std::size_t kMaxIdempotencyKey = 255;

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// A path segment from an id Stripe gave us: ids are [A-Za-z0-9_]; anything else is refused
// rather than escaped, so no answer can steer a request elsewhere.
bool plain_id(std::string_view id) {
  if (id.empty() || id.size() > 255) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

protocol::Error error_of(int status, std::string_view body) {
  const stripe::ApiError e = stripe::parse_api_error(body);
  std::string message = e.message.empty() ? "Stripe answered HTTP " + std::to_string(status) : "Stripe: " + e.message;
  std::string code = e.code.empty() ? e.type : e.code;
  if (status == 429 || status >= 500) return unavailable_error(std::move(message), std::move(code));
  if (status == 401 || status == 403) {
    // Our credentials are wrong: nothing the shop can fix by retrying.
    return protocol::make_error(protocol::ErrorCode::internal,
                                "Stripe refused the API key (check acquirers.stripe.sites)", code);
  }
  return refused_error(std::move(message), std::move(code));
}

}  // namespace

const Stripe::SiteKeys* Stripe::keys(std::string_view site_id) const {
  const auto it = sites_.find(site_id);
  return it == sites_.end() ? nullptr : &it->second;
}

Result<std::string> Stripe::call(const store::Payment& payment, std::string_view method, const std::string& path,
                                 std::string_view form, std::string_view idempotency_key) const {
  const SiteKeys* k = keys(payment.site_id);
  if (k == nullptr)
    return protocol::make_error(protocol::ErrorCode::invalid, "Stripe is not configured for this site", "acquirer");
  RawHeaders headers{{"Authorization", "Bearer " + k->secret_key}, {"Stripe-Version", std::string(kStripeApiVersion)}};
  Result<HttpReply> reply = protocol::make_error(protocol::ErrorCode::internal, "not sent");
  if (method == "POST" && !idempotency_key.empty()) {
    headers.emplace_back("Idempotency-Key", bounded_key(idempotency_key, kMaxIdempotencyKey));
    reply = client_.send_idempotent(method, path, headers, form, "application/x-www-form-urlencoded");
  } else {
    reply = client_.send(method, path, headers, form, method == "POST" ? "application/x-www-form-urlencoded" : "");
  }
  if (!reply) return std::move(reply).error();
  if (reply->status < 200 || reply->status >= 300) return error_of(reply->status, reply->body);
  return std::move(reply->body);
}

Result<stripe::Session> Stripe::session(const store::Payment& payment) const {
  if (!plain_id(payment.acquirer_ref)) {
    return protocol::make_error(protocol::ErrorCode::invalid, "the payment has no Stripe Checkout Session",
                                "acquirer_ref");
  }
  auto body =
      call(payment, "GET", "/v1/checkout/sessions/" + payment.acquirer_ref + "?expand%5B%5D=payment_intent", {}, {});
  if (!body) return std::move(body).error();
  auto parsed = stripe::parse_session(*body);
  if (!parsed) return unavailable_error("Stripe answered a session that cannot be read");
  return parsed;
}

Result<Created> Stripe::create(const store::Payment& payment, std::string_view,
                               std::string_view idempotency_key) const {
  const std::int64_t now_s = now_seconds();
  // A Checkout Session cannot close sooner: a shorter payment would take money after it expired.
  if (payment.expires_at > 0 && payment.expires_at / 1000 < now_s + stripe::kMinSessionS) {
    return protocol::make_error(protocol::ErrorCode::invalid,
                                "must be at least " + std::to_string(stripe::kMinSessionS) +
                                    " seconds with Stripe (Checkout Sessions stay open at least 30 minutes)",
                                "expires_in");
  }
  const std::string form = stripe::form_encode(stripe::checkout_session_form(payment, now_s));
  auto body = call(payment, "POST", "/v1/checkout/sessions", form, idempotency_key);
  if (!body) return std::move(body).error();
  auto s = stripe::parse_session(*body);
  if (!s || s->url.empty() || !plain_id(s->id)) {
    return unavailable_error("Stripe answered a Checkout Session without an id or url");
  }
  return Created{.confirmation_url = std::move(s->url), .acquirer_ref = std::move(s->id)};
}

Result<void> Stripe::capture(const store::Payment& payment, std::int64_t amount,
                             std::string_view idempotency_key) const {
  auto s = session(payment);
  if (!s) return std::move(s).error();
  if (!plain_id(s->payment_intent)) return refused_error("Stripe holds no payment for this session");
  if (s->payment_intent_status == "succeeded") return {};  // captured before (a retry)
  auto body = call(payment, "POST", "/v1/payment_intents/" + s->payment_intent + "/capture",
                   stripe::form_encode({{"amount_to_capture", std::to_string(amount)}}), idempotency_key);
  if (!body) return std::move(body).error();
  return {};
}

Result<void> Stripe::cancel(const store::Payment& payment, std::string_view idempotency_key) const {
  auto s = session(payment);
  if (!s) return std::move(s).error();
  // Not paid yet: expire the session so the page stops taking money.
  if (s->status == "open") {
    auto body = call(payment, "POST", "/v1/checkout/sessions/" + s->id + "/expire", {}, idempotency_key);
    if (!body) return std::move(body).error();
    return {};
  }
  if (s->status == "expired" || s->payment_intent_status == "canceled") return {};
  if (s->payment_intent_status == "requires_capture") {
    auto body = call(payment, "POST", "/v1/payment_intents/" + s->payment_intent + "/cancel", {}, idempotency_key);
    if (!body) return std::move(body).error();
    return {};
  }
  return refused_error("Stripe's payment can no longer be canceled (" + s->payment_intent_status + ")",
                       "payment_intent_unexpected_state");
}

Result<RefundAnswer> Stripe::refund(const store::Payment& payment, std::int64_t amount,
                                    std::string_view idempotency_key) const {
  auto s = session(payment);
  if (!s) return std::move(s).error();
  if (!plain_id(s->payment_intent)) return refused_error("Stripe holds no payment for this session");
  const std::string form = stripe::form_encode({{"payment_intent", s->payment_intent},
                                                {"amount", std::to_string(amount)},
                                                {"metadata[" + std::string(stripe::kPaymentIdKey) + "]", payment.id}});
  auto body = call(payment, "POST", "/v1/refunds", form, idempotency_key);
  if (!body) return std::move(body).error();
  auto r = stripe::parse_refund(*body);
  if (!r) return unavailable_error("Stripe answered a refund that cannot be read");
  const auto status = stripe::refund_status(*r);
  return RefundAnswer{.status = status,
                      .failure_reason = status == protocol::RefundStatus::failed
                                            ? (r->failure_reason.empty() ? r->status : r->failure_reason)
                                            : std::string{}};
}

Result<std::optional<AcquirerEvent>> Stripe::fetch_status(const store::Payment& payment) const {
  auto s = session(payment);
  if (!s) return std::move(s).error();
  const auto status = stripe::session_status(*s);
  if (!status) return std::optional<AcquirerEvent>{};
  protocol::PaymentEvent event;
  switch (*status) {
    case protocol::PaymentStatus::succeeded:
      event = protocol::PaymentEvent::succeeded();
      break;
    case protocol::PaymentStatus::waiting_for_capture:
      event = protocol::PaymentEvent::authorized();
      break;
    case protocol::PaymentStatus::canceled:
      event = protocol::PaymentEvent::canceled();
      break;
    case protocol::PaymentStatus::expired:
      event = protocol::PaymentEvent::expired();
      break;
    default:
      return std::optional<AcquirerEvent>{};
  }
  // One key per session and status: reading the same news twice applies it once.
  return std::optional<AcquirerEvent>(
      AcquirerEvent{.event_id = "read:" + s->id + ":" + std::string(protocol::to_string(*status)),
                    .site_id = payment.site_id,
                    .payment_id = payment.id,
                    .event = std::move(event),
                    .acquirer_ref = s->id,
                    .amount = std::nullopt,
                    .currency = s->currency});
}

Result<std::vector<AcquirerEvent>> Stripe::verify_callback(const RawHeaders& headers, std::string_view body,
                                                           const CallbackRequest& request) const {
  const auto unauthenticated = [](std::string message) {
    return protocol::make_error(protocol::ErrorCode::unauthenticated, std::move(message),
                                std::string(stripe::kSignatureHeader));
  };
  const SiteKeys* k = keys(request.site_id);
  if (k == nullptr) return unauthenticated("Stripe is not configured for this site");
  if (!allowed_.empty() && !allowed_.allows(request.peer_address)) {
    return unauthenticated("the callback comes from outside acquirers.stripe.allowed_ips");
  }
  // Authenticate first: nothing in the body is looked at before the signature holds.
  auto verified =
      stripe::verify_signature(header_value(headers, stripe::kSignatureHeader), body, k->webhook_secret, request.now_s);
  if (!verified) return std::move(verified).error();

  auto parsed = stripe::parse_event(body);
  if (!parsed) return std::move(parsed).error();
  std::vector<AcquirerEvent> events;
  const auto event = stripe::payment_event(*parsed);
  // Events we do not act on (charge.refunded confirms a refund we already settled; other
  // types an endpoint may be subscribed to) and sessions not made by Vitrina are acknowledged.
  if (!event || parsed->session->payment_id.empty()) return events;
  const stripe::Session& s = *parsed->session;
  // Stripe sends every event of an account to each of its endpoints: another site's session
  // reaches that site through its own endpoint, and is acknowledged here.
  if (!s.site_id.empty() && s.site_id != request.site_id) return events;
  events.push_back(
      AcquirerEvent{.event_id = parsed->id,
                    .site_id = request.site_id,
                    .payment_id = s.payment_id,
                    .event = *event,
                    .acquirer_ref = s.id,
                    .amount = s.amount_total > 0 ? std::optional<std::int64_t>(s.amount_total) : std::nullopt,
                    .currency = s.currency});
  return events;
}

Result<std::shared_ptr<const Acquirer>> make_stripe(const ConnectorConfig& config) {
  if (auto only = config.only_keys({"base_url", "allowed_ips"}, {"secret_key", "webhook_secret"}); !only) {
    return std::move(only).error();
  }
  auto client = config.client("https://api.stripe.com");
  if (!client) return std::move(client).error();
  auto allowed = config.allowed_ips();
  if (!allowed) return std::move(allowed).error();
  std::map<std::string, Stripe::SiteKeys, std::less<>> sites;
  for (const auto& [site, keys] : config.section.sites) {
    auto secret = config.site_required(site, "secret_key");
    if (!secret) return std::move(secret).error();
    auto webhook = config.site_required(site, "webhook_secret");
    if (!webhook) return std::move(webhook).error();
    if (!secret->starts_with("sk_") && !secret->starts_with("rk_")) {
      return protocol::make_error(protocol::ErrorCode::invalid,
                                  config.key_name("secret_key", site) + " must be an sk_… or rk_… key",
                                  config.key_name("secret_key", site));
    }
    if (!webhook->starts_with("whsec_")) {
      return protocol::make_error(protocol::ErrorCode::invalid,
                                  config.key_name("webhook_secret", site) + " must be a whsec_… secret",
                                  config.key_name("webhook_secret", site));
    }
    sites.emplace(site, Stripe::SiteKeys{.secret_key = std::move(*secret), .webhook_secret = std::move(*webhook)});
  }
  return std::shared_ptr<const Acquirer>(
      std::make_shared<const Stripe>(std::move(*client), std::move(sites), std::move(*allowed)));
}

}  // namespace vitrina::acquirers
