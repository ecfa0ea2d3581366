#include "acquirers/tbank.hpp"

namespace vitrina::acquirers {

namespace {

constexpr std::int64_t kMinuteMs = 60 * 1000;

protocol::Error tbank_refused(const tbank::Answer& a) {
  std::string message = a.message.empty() ? "T-Bank refused the request" : a.message;
  if (!a.details.empty()) message += ": " + a.details;
  return refused_error(std::move(message), a.error_code);
}

}  // namespace

Result<std::shared_ptr<const Acquirer>> TBank::from_config(const ConnectorConfig& config) {
  if (auto known = config.only_keys({"base_url"}, {"terminal_key", "password", "taxation", "tax"}); !known) {
    return std::move(known).error();
  }
  auto client = config.client(kTBankDefaultBaseUrl);
  if (!client) return std::move(client).error();
  std::map<std::string, Site, std::less<>> sites;
  for (const auto& [site_id, keys] : config.section.sites) {
    Site s;
    auto terminal = config.site_required(site_id, "terminal_key");
    if (!terminal) return std::move(terminal).error();
    auto password = config.site_required(site_id, "password");
    if (!password) return std::move(password).error();
    s.terminal_key = std::move(*terminal);
    s.password = std::move(*password);
    s.taxation = config.site_optional(site_id, "taxation");
    s.tax = config.site_optional(site_id, "tax", "none");
    sites.emplace(site_id, std::move(s));
  }
  return std::shared_ptr<const Acquirer>(std::make_shared<TBank>(std::move(*client), std::move(sites)));
}

const TBank::Site* TBank::site(std::string_view site_id) const {
  const auto it = sites_.find(site_id);
  return it == sites_.end() ? nullptr : &it->second;
}

Result<tbank::Answer> TBank::call(std::string_view method, const std::string& body) const {
  auto reply =
      client_.send("POST", "/" + std::string(method), {{"Accept", "application/json"}}, body, "application/json");
  if (!reply) return unavailable_error("T-Bank " + std::string(method) + ": " + reply.error().message);
  auto answer = tbank::parse_answer(reply->body);
  if (reply->status >= 500) {
    const bool coded = answer && !answer->error_code.empty();
    return unavailable_error("T-Bank " + std::string(method) + " failed with HTTP " + std::to_string(reply->status),
                             coded ? answer->error_code : "http_" + std::to_string(reply->status));
  }
  if (!answer) {
    return unavailable_error("T-Bank " + std::string(method) + " answered HTTP " + std::to_string(reply->status) +
                             " without its JSON answer");
  }
  if (!answer->success || (!answer->error_code.empty() && answer->error_code != "0")) return tbank_refused(*answer);
  return answer;
}

Result<Created> TBank::create(const store::Payment& payment, std::string_view public_url, std::string_view) const {
  const Site* s = site(payment.site_id);
  if (s == nullptr)
    return protocol::make_error(protocol::ErrorCode::invalid, "has no T-Bank terminal for this site", "acquirer");
  // The payer is sent back to the shop either way; the shop learns the outcome from webhooks.
  const std::int64_t due = payment.expires_at > 0 ? payment.expires_at : payment.created_at + 60 * kMinuteMs;
  const tbank::InitOptions options{
      .terminal_key = s->terminal_key,
      .password = s->password,
      .notification_url = std::string(public_url) + "/v1/callbacks/tbank/" + payment.site_id,
      .success_url = payment.return_url,
      .fail_url = payment.return_url,
      .redirect_due_date = tbank::iso8601_utc(due),
      .taxation = s->taxation,
      .tax = s->tax};
  auto body = tbank::init_request(payment, options);
  if (!body) return std::move(body).error();
  auto answer = call("Init", *body);
  if (!answer) {
    if (answer.error().code == protocol::ErrorCode::acquirer_unavailable) cancel_orphans(*s, payment.id);
    return std::move(answer).error();
  }
  if (answer->payment_url.empty() || answer->payment_id.empty()) {
    return unavailable_error("T-Bank Init answered without PaymentURL or PaymentId");
  }
  if (answer->amount && *answer->amount != payment.amount) {
    return refused_error("T-Bank registered another amount than the payment's", "amount");
  }
  return Created{.confirmation_url = std::move(answer->payment_url), .acquirer_ref = std::move(answer->payment_id)};
}

void TBank::cancel_orphans(const Site& s, const std::string& order_id) const {
  const tbank::Fields check{{"TerminalKey", s.terminal_key}, {"OrderId", order_id}};
  auto order = call("CheckOrder", tbank::signed_request(check, s.password));
  if (!order) return;
  for (const auto& p : order->payments) {
    if (p.status != "NEW" && p.status != "FORM_SHOWED") continue;
    const tbank::Fields fields{{"TerminalKey", s.terminal_key}, {"PaymentId", p.payment_id}};
    (void)call("Cancel", tbank::signed_request(fields, s.password));
  }
}

Result<void> TBank::capture(const store::Payment& payment, std::int64_t amount, std::string_view) const {
  const Site* s = site(payment.site_id);
  if (s == nullptr)
    return protocol::make_error(protocol::ErrorCode::invalid, "has no T-Bank terminal for this site", "acquirer");
  const tbank::Fields fields{{"TerminalKey", s->terminal_key}, {"PaymentId", payment.acquirer_ref}, {"Amount", amount}};
  auto answer = call("Confirm", tbank::signed_request(fields, s->password));
  if (!answer) return std::move(answer).error();
  if (answer->status != "CONFIRMED" && answer->status != "CONFIRMING") {
    return refused_error("T-Bank left the payment " + answer->status + " instead of confirming it", answer->error_code);
  }
  return {};
}

Result<void> TBank::cancel(const store::Payment& payment, std::string_view) const {
  const Site* s = site(payment.site_id);
  if (s == nullptr)
    return protocol::make_error(protocol::ErrorCode::invalid, "has no T-Bank terminal for this site", "acquirer");
  if (payment.acquirer_ref.empty()) return {};
  const tbank::Fields fields{{"TerminalKey", s->terminal_key}, {"PaymentId", payment.acquirer_ref}};
  auto answer = call("Cancel", tbank::signed_request(fields, s->password));
  if (!answer) return std::move(answer).error();
  if (answer->status != "REVERSED" && answer->status != "CANCELED" && answer->status != "REVERSING") {
    return refused_error("T-Bank left the payment " + answer->status + " instead of canceling it", answer->error_code);
  }
  return {};
}

Result<RefundAnswer> TBank::refund(const store::Payment& payment, std::int64_t amount, std::string_view) const {
  const Site* s = site(payment.site_id);
  if (s == nullptr)
    return protocol::make_error(protocol::ErrorCode::invalid, "has no T-Bank terminal for this site", "acquirer");
  const tbank::Fields fields{{"TerminalKey", s->terminal_key}, {"PaymentId", payment.acquirer_ref}, {"Amount", amount}};
  auto answer = call("Cancel", tbank::signed_request(fields, s->password));
  if (!answer) return std::move(answer).error();
  if (answer->status == "REFUNDED" || answer->status == "PARTIAL_REFUNDED") {
    return RefundAnswer{.status = protocol::RefundStatus::succeeded, .failure_reason = {}};
  }
  if (answer->status == "REFUNDING")
    return RefundAnswer{.status = protocol::RefundStatus::pending, .failure_reason = {}};
  return refused_error("T-Bank left the payment " + answer->status + " instead of refunding it", answer->error_code);
}

Result<std::optional<AcquirerEvent>> TBank::fetch_status(const store::Payment& payment) const {
  const Site* s = site(payment.site_id);
  if (s == nullptr || payment.acquirer_ref.empty()) return std::optional<AcquirerEvent>{};
  const tbank::Fields fields{{"TerminalKey", s->terminal_key}, {"PaymentId", payment.acquirer_ref}};
  auto answer = call("GetState", tbank::signed_request(fields, s->password));
  if (!answer) return std::move(answer).error();
  auto event = tbank::payment_event(answer->status, answer->amount, answer->error_code);
  if (!event) return std::optional<AcquirerEvent>{};
  const bool moves_money =
      event->kind == protocol::PaymentEventKind::authorized || event->kind == protocol::PaymentEventKind::succeeded;
  return std::optional<AcquirerEvent>{
      AcquirerEvent{.event_id = tbank::event_key(answer->payment_id.empty() ? payment.acquirer_ref : answer->payment_id,
                                                 answer->status, answer->amount),
                    .site_id = payment.site_id,
                    .payment_id = payment.id,
                    .event = std::move(*event),
                    .acquirer_ref = payment.acquirer_ref,
                    .amount = moves_money ? answer->amount : std::nullopt,
                    .currency = {},
                    .step_of_one_stage = answer->status == "AUTHORIZED"}};
}

Result<std::vector<AcquirerEvent>> TBank::verify_callback(const RawHeaders&, std::string_view body,
                                                          const CallbackRequest& request) const {
  const Site* s = site(request.site_id);
  if (s == nullptr)
    return protocol::make_error(protocol::ErrorCode::unauthenticated, "no T-Bank terminal for this site", "site");
  auto n = tbank::verify_notification(body, s->password);
  if (!n) return std::move(n).error();
  if (n->terminal_key != s->terminal_key) {
    return protocol::make_error(protocol::ErrorCode::unauthenticated, "the notification is for another terminal",
                                "TerminalKey");
  }
  std::vector<AcquirerEvent> events;
  auto event = tbank::payment_event(n->status, n->amount, n->error_code);
  if (!event) return events;  // news that does not move the payment: acknowledged
  const bool moves_money =
      event->kind == protocol::PaymentEventKind::authorized || event->kind == protocol::PaymentEventKind::succeeded;
  events.push_back(AcquirerEvent{.event_id = tbank::event_key(n->payment_id, n->status, n->amount),
                                 .site_id = request.site_id,
                                 .payment_id = n->order_id,
                                 .event = std::move(*event),
                                 .acquirer_ref = n->payment_id,
                                 .amount = moves_money ? n->amount : std::nullopt,
                                 .currency = {},
                                 // A one-stage payment is AUTHORIZED on its way to CONFIRMED.
                                 .step_of_one_stage = n->status == "AUTHORIZED"});
  return events;
}

std::optional<CallbackAnswer> TBank::answer_callback(CallbackOutcome outcome) const {
  // T-Bank counts a notification delivered only when the answer is exactly "OK", and sends it
  // again otherwise: refused, unreadable and failed ones are left to be sent again.
  switch (outcome) {
    case CallbackOutcome::accepted:
    case CallbackOutcome::duplicate:
      return CallbackAnswer{.status = 200, .content_type = "text/plain", .body = "OK"};
    case CallbackOutcome::refused:
      return CallbackAnswer{.status = 422, .content_type = "text/plain", .body = "AMOUNT_MISMATCH"};
    case CallbackOutcome::unauthenticated:
      return CallbackAnswer{.status = 403, .content_type = "text/plain", .body = "INVALID_TOKEN"};
    case CallbackOutcome::invalid:
      return CallbackAnswer{.status = 400, .content_type = "text/plain", .body = "INVALID"};
    case CallbackOutcome::unavailable:
      return CallbackAnswer{.status = 503, .content_type = "text/plain", .body = "RETRY"};
    case CallbackOutcome::not_payable:
    case CallbackOutcome::expired:
      return std::nullopt;  // outcomes of check_only events, which T-Bank never sends
  }
  return std::nullopt;
}

}  // namespace vitrina::acquirers
