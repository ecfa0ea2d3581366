#pragma once
// The Stripe connector (docs/acquirers.md#stripe): Checkout Sessions for the redirect, the
// session's PaymentIntent for two-stage capture and cancel, refunds, and webhooks verified by
// Stripe-Signature before anything in them is read. Wire format in stripe_wire.hpp.
//
// Configuration, [acquirers.stripe]:
//   base_url      default https://api.stripe.com
//   allowed_ips   optional: webhooks only from these networks (comma-separated)
//   [acquirers.stripe.sites.<site_id>] secret_key = "sk_…", webhook_secret = "whsec_…"

#include <map>
#include <memory>
#include <string>

#include "acquirers/acquirer.hpp"
#include "acquirers/connector_config.hpp"
#include "acquirers/http_client.hpp"
#include "acquirers/ip_allow_list.hpp"
#include "acquirers/stripe_wire.hpp"

namespace vitrina::acquirers {

inline constexpr std::string_view kStripeName = "stripe";
/// The API version we speak; pinned so that Stripe's object shapes do not change under us.
inline constexpr std::string_view kStripeApiVersion = "2024-06-20";

class Stripe final : public Acquirer {
 public:
  struct SiteKeys {
    std::string secret_key;      // sk_…: calls the API
    std::string webhook_secret;  // whsec_…: the webhook endpoint's signing secret
  };

  Stripe(HttpClient client, std::map<std::string, SiteKeys, std::less<>> sites, IpAllowList allowed)
      : client_(std::move(client)), sites_(std::move(sites)), allowed_(std::move(allowed)) {}

  std::string_view name() const noexcept override { return kStripeName; }
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

 private:
  const SiteKeys* keys(std::string_view site_id) const;
  /// One API call; POSTs carry the Idempotency-Key when given (and are then retried on no
  /// answer or 5xx, which Stripe's idempotency makes safe). Non-2xx answers become errors.
  Result<std::string> call(const store::Payment& payment, std::string_view method, const std::string& path,
                           std::string_view form, std::string_view idempotency_key) const;
  /// The payment's Checkout Session with its PaymentIntent expanded.
  Result<stripe::Session> session(const store::Payment& payment) const;

  HttpClient client_;
  std::map<std::string, SiteKeys, std::less<>> sites_;
  IpAllowList allowed_;
};

/// Builds the connector from [acquirers.stripe]; errors name the key.
Result<std::shared_ptr<const Acquirer>> make_stripe(const ConnectorConfig& config);

}  // namespace vitrina::acquirers
