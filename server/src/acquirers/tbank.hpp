#pragma once
// The T-Bank (Tinkoff) acquiring API v2 connector (docs/acquirers.md). Each site has its own
// terminal (`[acquirers.tbank.sites.<site_id>]`: terminal_key, password, and for 54-FZ
// receipts taxation and tax). Payments are made on T-Bank's payment page (Init's PaymentURL);
// notifications come to /v1/callbacks/tbank/<site_id>, are checked by their Token with the
// site's password, and are answered with exactly "OK".
//
// Init is not idempotent at T-Bank, so it is never sent twice for one payment: a timeout or a
// 5xx is reported to the shop as "unavailable" (the shop's retry makes a new payment, with a new
// OrderId), and whatever T-Bank may have registered under the old OrderId is looked up with
// CheckOrder and canceled, so that nobody can pay it. GetState, Confirm and Cancel name T-Bank's
// PaymentId.

#include <map>
#include <memory>
#include <string>

#include "acquirers/connector_config.hpp"
#include "acquirers/http_client.hpp"
#include "acquirers/tbank_wire.hpp"

namespace vitrina::acquirers {

inline constexpr std::string_view kTBankName = "tbank";
inline constexpr std::string_view kTBankDefaultBaseUrl = "https://securepay.tinkoff.ru/v2";

class TBank final : public Acquirer {
 public:
  struct Site {
    std::string terminal_key;
    std::string password;
    std::string taxation;  // "" : no receipt
    std::string tax = "none";
  };

  TBank(HttpClient client, std::map<std::string, Site, std::less<>> sites)
      : client_(std::move(client)), sites_(std::move(sites)) {}

  /// From `[acquirers.tbank]`: base_url (default kTBankDefaultBaseUrl) and the sites' keys.
  static Result<std::shared_ptr<const Acquirer>> from_config(const ConnectorConfig& config);

  std::string_view name() const noexcept override { return kTBankName; }
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
  std::optional<CallbackAnswer> answer_callback(CallbackOutcome outcome) const override;

 private:
  const Site* site(std::string_view site_id) const;
  // Sends `body` to `method` ("Init", "GetState", …) and reads T-Bank's answer: a transport
  // failure or a 5xx is "unavailable", Success=false is "refused" with T-Bank's ErrorCode.
  Result<tbank::Answer> call(std::string_view method, const std::string& body) const;
  // After an Init that got no answer: cancels the payments T-Bank holds under `order_id` that
  // nobody has paid yet (best effort; a payment not yet visible lapses at RedirectDueDate).
  void cancel_orphans(const Site& site, const std::string& order_id) const;

  HttpClient client_;
  std::map<std::string, Site, std::less<>> sites_;
};

}  // namespace vitrina::acquirers
