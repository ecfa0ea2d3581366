#include "acquirers/yookassa.hpp"

#include <charconv>

namespace vitrina::acquirers {

namespace {

constexpr std::size_t kMaxIdempotenceKey = 64;

// YooKassa keys idempotence per shop account: the site, the operation and the payment are part
// of the key, so one shop key used for two operations never collides.
std::string idempotence_key(const store::Payment& payment, std::string_view operation, std::string_view key) {
  const std::string base = key.empty() ? payment.id : std::string(key);
  return bounded_key(payment.site_id + ":" + std::string(operation) + ":" + payment.id + ":" + base,
                     kMaxIdempotenceKey);
}

Result<int> small_int(const ConnectorConfig& config, const std::string& site, std::string_view key, int lo, int hi) {
  const std::string text = config.site_optional(site, key);
  int n = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || ptr != text.data() + text.size() || n < lo || n > hi) {
    return protocol::make_error(
        protocol::ErrorCode::invalid,
        config.key_name(key, site) + " must be " + std::to_string(lo) + " to " + std::to_string(hi),
        config.key_name(key, site));
  }
  return n;
}

}  // namespace

Result<std::shared_ptr<const Acquirer>> YooKassa::from_config(const ConnectorConfig& config) {
  if (auto known = config.only_keys({"base_url", "allowed_ips"},
                                    {"shop_id", "secret_key", "receipt", "vat_code", "tax_system_code"});
      !known) {
    return std::move(known).error();
  }
  auto client = config.client(kYooKassaDefaultBaseUrl);
  if (!client) return std::move(client).error();
  auto allowed = config.allowed_ips(yookassa::kDefaultAllowedIps);
  if (!allowed) return std::move(allowed).error();
  std::map<std::string, Site, std::less<>> sites;
  for (const auto& [site_id, keys] : config.section.sites) {
    Site s;
    auto shop = config.site_required(site_id, "shop_id");
    if (!shop) return std::move(shop).error();
    auto secret = config.site_required(site_id, "secret_key");
    if (!secret) return std::move(secret).error();
    s.shop_id = std::move(*shop);
    s.secret_key = std::move(*secret);
    const std::string receipt = config.site_optional(site_id, "receipt", "false");
    if (receipt != "true" && receipt != "false") {
      return protocol::make_error(protocol::ErrorCode::invalid,
                                  config.key_name("receipt", site_id) + " must be true or false",
                                  config.key_name("receipt", site_id));
    }
    s.receipt.enabled = receipt == "true";
    if (!config.site_optional(site_id, "vat_code").empty()) {
      auto vat = small_int(config, site_id, "vat_code", 1, 12);
      if (!vat) return std::move(vat).error();
      s.receipt.vat_code = *vat;
    }
    if (!config.site_optional(site_id, "tax_system_code").empty()) {
      auto tax = small_int(config, site_id, "tax_system_code", 1, 6);
      if (!tax) return std::move(tax).error();
      s.receipt.tax_system_code = *tax;
    }
    sites.emplace(site_id, std::move(s));
  }
  return std::shared_ptr<const Acquirer>(
      std::make_shared<YooKassa>(std::move(*client), std::move(*allowed), std::move(sites)));
}

const YooKassa::Site* YooKassa::site(std::string_view site_id) const {
  const auto it = sites_.find(site_id);
  return it == sites_.end() ? nullptr : &it->second;
}

namespace {

Result<std::string> body_of(Result<HttpReply> reply, std::string_view what) {
  if (!reply) return unavailable_error("YooKassa " + std::string(what) + ": " + reply.error().message);
  // 202: YooKassa is still working on it and asks to repeat the request later with the same key.
  if (reply->status >= 500 || reply->status == 202) {
    const auto e = yookassa::parse_error(reply->body);
    return unavailable_error("YooKassa " + std::string(what) + " failed with HTTP " + std::to_string(reply->status),
                             reply->status == 202 ? "processing" : e.code);
  }
  if (reply->status >= 400) {
    const auto e = yookassa::parse_error(reply->body);
    std::string message = e.description;
    if (!e.parameter.empty()) message += " (" + e.parameter + ")";
    return refused_error(std::move(message), e.code);
  }
  return std::move(reply->body);
}

}  // namespace

Result<std::string> YooKassa::post(const Site& site, const std::string& path, const std::string& body,
                                   const std::string& key) const {
  const RawHeaders headers{{"Authorization", yookassa::basic_auth(site.shop_id, site.secret_key)},
                           {"Idempotence-Key", key},
                           {"Accept", "application/json"}};
  return body_of(client_.send_idempotent("POST", path, headers, body, "application/json"), "POST " + path);
}

Result<std::string> YooKassa::get(const Site& site, const std::string& path) const {
  const RawHeaders headers{{"Authorization", yookassa::basic_auth(site.shop_id, site.secret_key)},
                           {"Accept", "application/json"}};
  return body_of(client_.send("GET", path, headers), "GET " + path);
}

Result<Created> YooKassa::create(const store::Payment& payment, std::string_view, std::string_view key) const {
  const Site* s = site(payment.site_id);
  if (s == nullptr)
    return protocol::make_error(protocol::ErrorCode::invalid, "has no YooKassa shop for this site", "acquirer");
  auto body = yookassa::create_request(payment, payment.return_url, s->receipt);
  if (!body) return std::move(body).error();
  auto answer = post(*s, "/payments", *body, idempotence_key(payment, "create", key));
  if (!answer) return std::move(answer).error();
  auto created = yookassa::parse_payment(*answer);
  if (!created) return unavailable_error("YooKassa answered the payment without a readable payment object");
  if (created->confirmation_url.empty()) return unavailable_error("YooKassa answered without a confirmation_url");
  if (created->amount != payment.amount || created->currency != payment.currency) {
    return refused_error("YooKassa registered another amount than the payment's", "amount");
  }
  return Created{.confirmation_url = std::move(created->confirmation_url), .acquirer_ref = std::move(created->id)};
}

Result<void> YooKassa::capture(const store::Payment& payment, std::int64_t amount, std::string_view key) const {
  const Site* s = site(payment.site_id);
  if (s == nullptr)
    return protocol::make_error(protocol::ErrorCode::invalid, "has no YooKassa shop for this site", "acquirer");
  auto answer = post(*s, "/payments/" + payment.acquirer_ref + "/capture",
                     yookassa::capture_request(amount, payment.currency), idempotence_key(payment, "capture", key));
  if (!answer) return std::move(answer).error();
  auto p = yookassa::parse_payment(*answer);
  if (!p) return unavailable_error("YooKassa answered the capture without a readable payment object");
  if (p->status != "succeeded") return refused_error("YooKassa left the payment " + p->status, p->status);
  return {};
}

Result<void> YooKassa::cancel(const store::Payment& payment, std::string_view key) const {
  const Site* s = site(payment.site_id);
  if (s == nullptr)
    return protocol::make_error(protocol::ErrorCode::invalid, "has no YooKassa shop for this site", "acquirer");
  // YooKassa cancels only held payments; an unpaid one lapses on its own and is not asked.
  if (payment.status != protocol::PaymentStatus::waiting_for_capture) return {};
  auto answer =
      post(*s, "/payments/" + payment.acquirer_ref + "/cancel", "{}", idempotence_key(payment, "cancel", key));
  if (!answer) return std::move(answer).error();
  auto p = yookassa::parse_payment(*answer);
  if (!p) return unavailable_error("YooKassa answered the cancel without a readable payment object");
  if (p->status != "canceled") return refused_error("YooKassa left the payment " + p->status, p->status);
  return {};
}

Result<RefundAnswer> YooKassa::refund(const store::Payment& payment, std::int64_t amount, std::string_view key) const {
  const Site* s = site(payment.site_id);
  if (s == nullptr)
    return protocol::make_error(protocol::ErrorCode::invalid, "has no YooKassa shop for this site", "acquirer");
  auto answer = post(*s, "/refunds", yookassa::refund_request(payment.acquirer_ref, amount, payment.currency),
                     idempotence_key(payment, "refund", key));
  if (!answer) return std::move(answer).error();
  auto r = yookassa::parse_refund(*answer);
  if (!r) return unavailable_error("YooKassa answered the refund without a readable refund object");
  if (r->status == "succeeded") return RefundAnswer{.status = protocol::RefundStatus::succeeded, .failure_reason = {}};
  if (r->status == "canceled") {
    return RefundAnswer{.status = protocol::RefundStatus::failed,
                        .failure_reason = r->cancellation_reason.empty() ? "refund_declined" : r->cancellation_reason};
  }
  return RefundAnswer{.status = protocol::RefundStatus::pending, .failure_reason = {}};
}

Result<std::optional<AcquirerEvent>> YooKassa::read(const Site& site, std::string_view site_id,
                                                    std::string_view yookassa_id) const {
  auto answer = get(site, "/payments/" + std::string(yookassa_id));
  if (!answer) return std::move(answer).error();
  auto p = yookassa::parse_payment(*answer);
  if (!p)
    return protocol::make_error(protocol::ErrorCode::invalid,
                                "YooKassa's payment could not be read: " + p.error().message, "id");
  if (p->id != yookassa_id)
    return protocol::make_error(protocol::ErrorCode::invalid, "YooKassa answered about another payment", "id");
  auto event = yookassa::payment_event(*p);
  if (!event) return std::optional<AcquirerEvent>{};
  return std::optional<AcquirerEvent>{AcquirerEvent{.event_id = yookassa::event_key(*p),
                                                    .site_id = std::string(site_id),
                                                    .payment_id = p->vitrina_payment_id,
                                                    .event = std::move(*event),
                                                    .acquirer_ref = p->id,
                                                    .amount = p->amount,
                                                    .currency = p->currency}};
}

Result<std::optional<AcquirerEvent>> YooKassa::fetch_status(const store::Payment& payment) const {
  const Site* s = site(payment.site_id);
  if (s == nullptr || payment.acquirer_ref.empty()) return std::optional<AcquirerEvent>{};
  auto event = read(*s, payment.site_id, payment.acquirer_ref);
  if (event && *event && (*event)->payment_id.empty()) (*event)->payment_id = payment.id;
  return event;
}

Result<std::vector<AcquirerEvent>> YooKassa::verify_callback(const RawHeaders&, std::string_view body,
                                                             const CallbackRequest& request) const {
  if (!allowed_.allows(request.peer_address)) {
    return protocol::make_error(protocol::ErrorCode::unauthenticated,
                                "the notification came from an address not on the allow-list", "peer_address");
  }
  const Site* s = site(request.site_id);
  if (s == nullptr)
    return protocol::make_error(protocol::ErrorCode::unauthenticated, "no YooKassa shop for this site", "site");
  auto n = yookassa::parse_notification(body);
  if (!n) return std::move(n).error();
  std::vector<AcquirerEvent> events;
  // Refunds are settled when they are made (the shop's retry with the same key reads a pending
  // one again); their notifications change nothing here.
  if (!n->event.starts_with("payment.")) return events;
  // The notification only says which payment to look at; YooKassa's own answer says what happened.
  auto read_back = read(*s, request.site_id, n->object_id);
  if (!read_back) {
    if (read_back.error().code == protocol::ErrorCode::acquirer_refused) {
      return protocol::make_error(protocol::ErrorCode::invalid, "YooKassa does not know the notified payment",
                                  "object.id");
    }
    return std::move(read_back).error();
  }
  if (*read_back) events.push_back(std::move(**read_back));
  return events;
}

}  // namespace vitrina::acquirers
