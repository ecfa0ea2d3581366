#include "acquirers/cloudpayments.hpp"

namespace vitrina::acquirers {

namespace {

namespace cp = cloudpayments;

// CloudPayments keeps X-Request-ID answers for an hour; ids longer than this are hashed.
constexpr std::size_t kMaxRequestId = 64;

// Transaction ids are numbers; anything else in an answer is refused before it is sent back.
bool numeric(std::string_view id) {
  if (id.empty() || id.size() > 20) return false;
  for (char c : id) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Success false: CloudPayments' Message, and its ReasonCode when the model has one.
protocol::Error refusal(const cp::ApiAnswer& a) {
  return refused_error("CloudPayments: " + (a.message.empty() ? std::string("the request was refused") : a.message),
                       a.reason_code);
}

}  // namespace

const CloudPayments::SiteKeys* CloudPayments::keys(std::string_view site_id) const {
  const auto it = sites_.find(site_id);
  return it == sites_.end() ? nullptr : &it->second;
}

Result<cp::ApiAnswer> CloudPayments::call(const store::Payment& payment, const std::string& path,
                                          const std::string& json, std::string_view request_id) const {
  const SiteKeys* k = keys(payment.site_id);
  if (k == nullptr)
    return protocol::make_error(protocol::ErrorCode::invalid, "CloudPayments is not configured for this site",
                                "acquirer");
  RawHeaders headers{{"Authorization", cp::basic_auth(k->public_id, k->api_secret)}};
  Result<HttpReply> reply = protocol::make_error(protocol::ErrorCode::internal, "not sent");
  if (!request_id.empty()) {
    headers.emplace_back("X-Request-ID", bounded_key(request_id, kMaxRequestId));
    reply = client_.send_idempotent("POST", path, headers, json, "application/json");
  } else {
    reply = client_.send("POST", path, headers, json, "application/json");
  }
  if (!reply) return std::move(reply).error();
  if (reply->status == 401 || reply->status == 403) {
    return protocol::make_error(protocol::ErrorCode::internal,
                                "CloudPayments refused the credentials (check acquirers.cloudpayments.sites)");
  }
  if (reply->status != 200) {
    return unavailable_error("CloudPayments answered HTTP " + std::to_string(reply->status));
  }
  auto answer = cp::parse_answer(reply->body, payment.currency);
  if (!answer) return unavailable_error("CloudPayments answered something that cannot be read");
  return answer;
}

Result<cp::ApiAnswer> CloudPayments::find(const store::Payment& payment) const {
  return call(payment, "/v2/payments/find", cp::find_request(payment.id), {});
}

Result<Created> CloudPayments::create(const store::Payment& payment, std::string_view,
                                      std::string_view idempotency_key) const {
  auto a = call(payment, "/orders/create", cp::create_order_request(payment), idempotency_key);
  if (!a) return std::move(a).error();
  if (!a->success) return refusal(*a);
  if (a->url.empty() || a->order_id.empty()) {
    return unavailable_error("CloudPayments answered an order without an Id or Url");
  }
  return Created{.confirmation_url = std::move(a->url), .acquirer_ref = std::move(a->order_id)};
}

Result<void> CloudPayments::capture(const store::Payment& payment, std::int64_t amount,
                                    std::string_view idempotency_key) const {
  auto t = find(payment);
  if (!t) return std::move(t).error();
  if (!t->success || !numeric(t->transaction_id)) return refused_error("CloudPayments holds no payment for it");
  if (t->status == "Completed") return {};  // confirmed before (a retry)
  if (t->status != "Authorized") return refused_error("CloudPayments' payment is " + t->status);
  auto a = call(payment, "/payments/confirm", cp::confirm_request(t->transaction_id, amount, payment.currency),
                idempotency_key);
  if (!a) return std::move(a).error();
  if (!a->success) return refusal(*a);
  return {};
}

Result<void> CloudPayments::cancel(const store::Payment& payment, std::string_view idempotency_key) const {
  auto t = find(payment);
  if (!t) return std::move(t).error();
  if (t->success && t->status == "Cancelled") return {};
  if (t->success && t->status == "Authorized") {
    if (!numeric(t->transaction_id)) return unavailable_error("CloudPayments answered a bad TransactionId");
    auto a = call(payment, "/payments/void", cp::void_request(t->transaction_id), idempotency_key);
    if (!a) return std::move(a).error();
    if (!a->success) return refusal(*a);
    return {};
  }
  if (t->success && t->status == "Completed") return refused_error("CloudPayments' payment is completed; refund it");
  // Nothing paid yet (no transaction, or only declined attempts): close the link.
  if (payment.acquirer_ref.empty()) return {};
  auto a = call(payment, "/orders/cancel", cp::cancel_order_request(payment.acquirer_ref), idempotency_key);
  if (!a) return std::move(a).error();
  if (!a->success) return refusal(*a);
  return {};
}

Result<RefundAnswer> CloudPayments::refund(const store::Payment& payment, std::int64_t amount,
                                           std::string_view idempotency_key) const {
  auto t = find(payment);
  if (!t) return std::move(t).error();
  if (!t->success || !numeric(t->transaction_id)) return refused_error("CloudPayments holds no payment for it");
  auto a = call(payment, "/payments/refund", cp::refund_request(t->transaction_id, amount, payment.currency),
                idempotency_key);
  if (!a) return std::move(a).error();
  if (!a->success) return RefundAnswer{.status = protocol::RefundStatus::failed, .failure_reason = a->message};
  return RefundAnswer{.status = protocol::RefundStatus::succeeded, .failure_reason = {}};
}

Result<std::optional<AcquirerEvent>> CloudPayments::fetch_status(const store::Payment& payment) const {
  auto t = find(payment);
  if (!t) return std::move(t).error();
  if (!t->success) return std::optional<AcquirerEvent>{};
  const auto status = cp::transaction_status(t->status);
  if (!status) return std::optional<AcquirerEvent>{};
  protocol::PaymentEvent event;
  switch (*status) {
    case protocol::PaymentStatus::succeeded:
      event = protocol::PaymentEvent::succeeded(t->amount);
      break;
    case protocol::PaymentStatus::waiting_for_capture:
      event = protocol::PaymentEvent::authorized(t->amount);
      break;
    case protocol::PaymentStatus::canceled:
      event = protocol::PaymentEvent::canceled();
      break;
    default:
      return std::optional<AcquirerEvent>{};
  }
  return std::optional<AcquirerEvent>(
      AcquirerEvent{.event_id = "read:" + t->transaction_id + ":" + std::string(protocol::to_string(*status)),
                    .site_id = payment.site_id,
                    .payment_id = payment.id,
                    .event = std::move(event),
                    .acquirer_ref = payment.acquirer_ref,
                    .amount = t->amount > 0 ? std::optional<std::int64_t>(t->amount) : std::nullopt,
                    .currency = t->currency});
}

Result<std::vector<AcquirerEvent>> CloudPayments::verify_callback(const RawHeaders& headers, std::string_view body,
                                                                  const CallbackRequest& request) const {
  const auto unauthenticated = [](std::string message) {
    return protocol::make_error(protocol::ErrorCode::unauthenticated, std::move(message), std::string(cp::kHmacHeader));
  };
  const SiteKeys* k = keys(request.site_id);
  if (k == nullptr) return unauthenticated("CloudPayments is not configured for this site");
  if (!allowed_.empty() && !allowed_.allows(request.peer_address)) {
    return unauthenticated("the notification comes from outside acquirers.cloudpayments.allowed_ips");
  }
  // Authenticate first: nothing in the body is looked at before the MAC holds.
  auto verified = cp::verify_hmac(headers, body, k->api_secret);
  if (!verified) return std::move(verified).error();

  const auto kind = cp::parse_kind(request.kind);
  if (!kind)
    return protocol::make_error(protocol::ErrorCode::invalid, "the callback URL must say ?type=check|pay|fail|…",
                                "type");
  auto n = cp::parse_notification(*kind, body);
  if (!n) return std::move(n).error();
  std::vector<AcquirerEvent> events;
  const std::optional<std::int64_t> amount = n->amount > 0 ? std::optional<std::int64_t>(n->amount) : std::nullopt;
  if (*kind == cp::Kind::check) {
    // Check asks whether the payment may go ahead: the processor compares and answers; it
    // changes and records nothing.
    events.push_back(AcquirerEvent{.event_id = cp::event_key(*n),
                                   .site_id = request.site_id,
                                   .payment_id = n->invoice_id,
                                   .event = protocol::PaymentEvent::authorized(amount),
                                   .acquirer_ref = {},
                                   .amount = amount,
                                   .currency = n->currency,
                                   .check_only = true});
    return events;
  }
  const auto event = cp::payment_event(*n);
  // Fail (one declined attempt) and Refund (the answer to our own refund call) change nothing.
  if (!event) return events;
  events.push_back(AcquirerEvent{.event_id = cp::event_key(*n),
                                 .site_id = request.site_id,
                                 .payment_id = n->invoice_id,
                                 .event = *event,
                                 .acquirer_ref = {},
                                 .amount = amount,
                                 .currency = n->currency});
  return events;
}

std::optional<CallbackAnswer> CloudPayments::answer_callback(CallbackOutcome outcome) const {
  const auto code = [](cp::Answer a) {
    return CallbackAnswer{.status = 200, .content_type = "application/json", .body = cp::answer_body(a)};
  };
  switch (outcome) {
    case CallbackOutcome::accepted:
    case CallbackOutcome::duplicate:
      return code(cp::Answer::ok);
    case CallbackOutcome::refused:
      return code(cp::Answer::wrong_amount);
    case CallbackOutcome::invalid:
      return code(cp::Answer::wrong_invoice);
    case CallbackOutcome::not_payable:
      return code(cp::Answer::cannot_accept);
    case CallbackOutcome::expired:
      return code(cp::Answer::expired);
    case CallbackOutcome::unauthenticated:
    case CallbackOutcome::unavailable:
      return std::nullopt;
  }
  return std::nullopt;
}

Result<std::shared_ptr<const Acquirer>> make_cloudpayments(const ConnectorConfig& config) {
  if (auto only = config.only_keys({"base_url", "allowed_ips"}, {"public_id", "api_secret"}); !only) {
    return std::move(only).error();
  }
  auto client = config.client("https://api.cloudpayments.ru");
  if (!client) return std::move(client).error();
  auto allowed = config.allowed_ips();
  if (!allowed) return std::move(allowed).error();
  std::map<std::string, CloudPayments::SiteKeys, std::less<>> sites;
  for (const auto& [site, keys] : config.section.sites) {
    auto public_id = config.site_required(site, "public_id");
    if (!public_id) return std::move(public_id).error();
    auto secret = config.site_required(site, "api_secret");
    if (!secret) return std::move(secret).error();
    sites.emplace(site, CloudPayments::SiteKeys{.public_id = std::move(*public_id), .api_secret = std::move(*secret)});
  }
  return std::shared_ptr<const Acquirer>(
      std::make_shared<const CloudPayments>(std::move(*client), std::move(sites), std::move(*allowed)));
}

}  // namespace vitrina::acquirers
