#pragma once
// The YooKassa API v3 connector (docs/acquirers.md). Each site has its own shop
// (`[acquirers.yookassa.sites.<site_id>]`: shop_id, secret_key, and for 54-FZ receipts
// receipt = true, vat_code, tax_system_code). Requests carry Basic auth and, on every POST, an
// Idempotence-Key derived from the shop's own key, so a POST that got no answer or a 5xx is
// sent again with the same key and YooKassa answers with the first outcome.
//
// Notifications are not signed. One is believed only when it comes from an address on the
// allow-list (YooKassa's published ranges unless `allowed_ips` says otherwise), and even then
// only as a hint: the payment is re-read with GET /v3/payments/{id} and only that answer is
// acted on.

#include <map>
#include <memory>
#include <string>

#include "acquirers/connector_config.hpp"
#include "acquirers/http_client.hpp"
#include "acquirers/ip_allow_list.hpp"
#include "acquirers/yookassa_wire.hpp"

namespace vitrina::acquirers {

inline constexpr std::string_view kYooKassaName = "yookassa";
inline constexpr std::string_view kYooKassaDefaultBaseUrl = "https://api.yookassa.ru/v3";

class YooKassa final : public Acquirer {
 public:
  struct Site {
    std::string shop_id;
    std::string secret_key;
    yookassa::ReceiptOptions receipt;
  };

  YooKassa(HttpClient client, IpAllowList allowed, std::map<std::string, Site, std::less<>> sites)
      : client_(std::move(client)), allowed_(std::move(allowed)), sites_(std::move(sites)) {}

  /// From `[acquirers.yookassa]`: base_url, allowed_ips and the sites' keys.
  static Result<std::shared_ptr<const Acquirer>> from_config(const ConnectorConfig& config);

  std::string_view name() const noexcept override { return kYooKassaName; }
  bool serves(std::string_view site_id) const noexcept override { return sites_.find(site_id) != sites_.end(); }

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
  const Site* site(std::string_view site_id) const;
  // A POST with Basic auth and an Idempotence-Key (retried on no answer or a 5xx), or a GET;
  // the 2xx body, or "refused" with YooKassa's error code, or "unavailable".
  Result<std::string> post(const Site& site, const std::string& path, const std::string& body,
                           const std::string& idempotence_key) const;
  Result<std::string> get(const Site& site, const std::string& path) const;
  Result<std::optional<AcquirerEvent>> read(const Site& site, std::string_view site_id,
                                            std::string_view yookassa_id) const;

  HttpClient client_;
  IpAllowList allowed_;
  std::map<std::string, Site, std::less<>> sites_;
};

}  // namespace vitrina::acquirers
