#pragma once
// The CloudPayments connector (docs/acquirers.md#cloudpayments): a hosted payment link
// (orders/create) for the redirect, payments/confirm and payments/void for two-stage payments,
// payments/refund, v2/payments/find to read a payment, and notifications authenticated by
// Content-HMAC before anything in them is read. Wire format in cloudpayments_wire.hpp.
//
// Each notification kind is registered at its own URL, the kind in the query:
//   /v1/callbacks/cloudpayments/{site}?type=check|pay|fail|confirm|refund|cancel
//
// Configuration, [acquirers.cloudpayments]:
//   base_url      default https://api.cloudpayments.ru
//   allowed_ips   optional: notifications only from these networks (comma-separated)
//   [acquirers.cloudpayments.sites.<site_id>] public_id = "pk_…", api_secret = "…"

#include <map>
#include <memory>
#include <string>

#include "acquirers/acquirer.hpp"
#include "acquirers/cloudpayments_wire.hpp"
#include "acquirers/connector_config.hpp"
#include "acquirers/http_client.hpp"
#include "acquirers/ip_allow_list.hpp"

namespace vitrina::acquirers {

inline constexpr std::string_view kCloudPaymentsName = "cloudpayments";

class CloudPayments final : public Acquirer {
 public:
  struct SiteKeys {
    std::string public_id;
    std::string api_secret;  // the API password: Basic auth and the notifications' HMAC key
  };

  CloudPayments(HttpClient client, std::map<std::string, SiteKeys, std::less<>> sites, IpAllowList allowed)
      : client_(std::move(client)), sites_(std::move(sites)), allowed_(std::move(allowed)) {}

  std::string_view name() const noexcept override { return kCloudPaymentsName; }
  bool serves(std::string_view site_id) const noexcept override { return sites_.contains(site_id); }

  Result<Created> create(const store::Payment& payment, std::string_view public_url,
                         std::string_view idempotency_key) const override;
  Result<void> capture(const store::Payment& payment, std::int64_t amount,
                       std::string_view idempotency_key) const override;
  Result<void> cancel(const store::Payment& payment, std::string_view idempotency_key) const override;
  Result<RefundAnswer> refund(const store::Payment& payment, std::int64_t amount,
                              std::string_view idempotency_key) const override;
  Result<std::optional<AcquirerEvent>> fetch_status(const store::Payment& payment) const override;
  [[nodiscard]] Result<std::vector<AcquirerEvent>> verify_callback(const RawHeaders& headers, std::string_view body,
                                                                   const CallbackRequest& request) const override;
  /// {"code":0} for accepted notifications, 12 for a wrong amount, 10 for an unknown payment,
  /// 13 for one that can no longer be paid, 20 for an expired one; the server's own answers
  /// (401, 503) otherwise, which CloudPayments retries.
  std::optional<CallbackAnswer> answer_callback(CallbackOutcome outcome) const override;

 private:
  const SiteKeys* keys(std::string_view site_id) const;
  /// One API call: JSON in, {"Success", "Message", "Model"} out. With a request id (sent as
  /// X-Request-ID, which CloudPayments deduplicates) the call is retried on no answer or 5xx.
  Result<cloudpayments::ApiAnswer> call(const store::Payment& payment, const std::string& path, const std::string& json,
                                        std::string_view request_id) const;
  /// The payment's latest transaction (v2/payments/find by InvoiceId); Success false when none.
  Result<cloudpayments::ApiAnswer> find(const store::Payment& payment) const;

  HttpClient client_;
  std::map<std::string, SiteKeys, std::less<>> sites_;
  IpAllowList allowed_;
};

/// Builds the connector from [acquirers.cloudpayments]; errors name the key.
Result<std::shared_ptr<const Acquirer>> make_cloudpayments(const ConnectorConfig& config);

}  // namespace vitrina::acquirers
