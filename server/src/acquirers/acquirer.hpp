#pragma once
// The interface every acquirer connector implements (docs/acquirers.md). A connector turns our
// commands into the acquirer's calls and the acquirer's callbacks into verified state-machine
// events; the rules (protocol::apply) and the store stay on our side.
//
// Calls are synchronous for now: the only connector is the built-in sandbox, whose "acquirer
// side" runs in this process. Network connectors will need an asynchronous form.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/payment_records.hpp"
#include "vitrina/protocol/payment.hpp"
#include "vitrina/protocol/result.hpp"

namespace vitrina::acquirers {

using protocol::Result;

/// Header name/value pairs as received; lookups compare names case-insensitively.
using RawHeaders = std::vector<std::pair<std::string, std::string>>;

/// The first value of header `name` (case-insensitive), or empty.
std::string_view header_value(const RawHeaders& headers, std::string_view name);

/// One verified event from an acquirer's callback.
struct AcquirerEvent {
  std::string event_id;    // the acquirer's key for this event: the dedupe key
  std::string site_id;     // whose payment it is
  std::string payment_id;  // pay_…
  protocol::PaymentEvent event;
};

/// What the acquirer says when a payment is created.
struct Created {
  std::string confirmation_url;  // where the customer pays
};

class Acquirer {
 public:
  virtual ~Acquirer() = default;

  /// The name used in payments (`acquirer`) and in /v1/callbacks/{acquirer}/{site}.
  virtual std::string_view name() const noexcept = 0;

  virtual Result<Created> create(const store::Payment& payment, std::string_view public_url) = 0;
  virtual Result<void> capture(const store::Payment& payment, std::int64_t amount) = 0;
  virtual Result<void> cancel(const store::Payment& payment) = 0;
  virtual Result<void> refund(const store::Payment& payment, std::int64_t amount) = 0;
  /// The status the acquirer knows, or nothing when it has no news beyond ours.
  virtual Result<std::optional<protocol::PaymentStatus>> fetch_status(const store::Payment& payment) = 0;

  /// Authenticates an inbound callback from the raw headers and the raw body, and only then
  /// parses it. Errors: "unauthenticated" (bad, missing or expired signature; nothing may be
  /// trusted or changed), "invalid" (signed but not understood). `now_s` is Unix seconds.
  [[nodiscard]] virtual Result<std::vector<AcquirerEvent>> verify_callback(const RawHeaders& headers,
                                                                           std::string_view body,
                                                                           std::int64_t now_s) const = 0;
};

}  // namespace vitrina::acquirers
