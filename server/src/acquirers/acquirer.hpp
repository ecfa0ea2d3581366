#pragma once
// The interface every acquirer connector implements (docs/acquirers.md). A connector turns our
// commands into the acquirer's calls and the acquirer's callbacks into verified state-machine
// events; the rules (protocol::apply) and the store stay on our side.
//
// Commands are plain blocking calls. A connector that talks to the network says so with
// blocking(), and the payments API then runs its commands on a worker pool, never on an I/O
// thread; the sandbox answers in-process and is called inline. Connectors hold no per-call
// state: every method is const and may run on several threads at once.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/payment_records.hpp"
#include "vitrina/protocol/payment.hpp"
#include "vitrina/protocol/refund.hpp"
#include "vitrina/protocol/result.hpp"

namespace vitrina::acquirers {

using protocol::Result;

/// The acquirer a payment uses when neither the request nor the site's settings name one.
inline constexpr std::string_view kDefaultAcquirer = "sandbox";

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

/// What the acquirer says about a refund it was asked for: settled at once (succeeded or
/// failed, with a reason), or pending until a callback says more.
struct RefundAnswer {
  protocol::RefundStatus status = protocol::RefundStatus::pending;
  std::string failure_reason;
};

class Acquirer {
 public:
  virtual ~Acquirer() = default;

  /// The name used in payments (`acquirer`) and in /v1/callbacks/{acquirer}/{site}.
  virtual std::string_view name() const noexcept = 0;

  /// True when the commands wait on the network (run them off the I/O threads).
  virtual bool blocking() const noexcept { return true; }

  // The commands. `idempotency_key` is stable for one request of the shop's (the same key on a
  // retry), for connectors whose acquirer deduplicates requests. Errors: "unavailable" (the
  // acquirer could not be reached or failed; safe to retry), "refused" (the acquirer said no;
  // the message says why), "invalid" (a field the acquirer does not accept).
  virtual Result<Created> create(const store::Payment& payment, std::string_view public_url,
                                 std::string_view idempotency_key) const = 0;
  virtual Result<void> capture(const store::Payment& payment, std::int64_t amount,
                               std::string_view idempotency_key) const = 0;
  virtual Result<void> cancel(const store::Payment& payment, std::string_view idempotency_key) const = 0;
  virtual Result<RefundAnswer> refund(const store::Payment& payment, std::int64_t amount,
                                      std::string_view idempotency_key) const = 0;
  /// The status the acquirer knows, or nothing when it has no news beyond ours.
  virtual Result<std::optional<protocol::PaymentStatus>> fetch_status(const store::Payment& payment) const = 0;

  /// Authenticates an inbound callback from the raw headers and the raw body, and only then
  /// parses it. Errors: "unauthenticated" (bad, missing or expired signature; nothing may be
  /// trusted or changed), "invalid" (signed but not understood). `now_s` is Unix seconds.
  [[nodiscard]] virtual Result<std::vector<AcquirerEvent>> verify_callback(const RawHeaders& headers,
                                                                           std::string_view body,
                                                                           std::int64_t now_s) const = 0;
};

/// The connectors a server runs, by name. Filled at start, read-only afterwards.
class Registry {
 public:
  void add(std::shared_ptr<const Acquirer> acquirer);
  /// The connector called `name`, or null.
  const Acquirer* find(std::string_view name) const noexcept;
  std::shared_ptr<const Acquirer> shared(std::string_view name) const;
  /// The names, sorted: "sandbox", ….
  std::vector<std::string> names() const;

 private:
  std::map<std::string, std::shared_ptr<const Acquirer>, std::less<>> acquirers_;
};

}  // namespace vitrina::acquirers
