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

/// One verified event from an acquirer's callback (or from re-reading a payment).
struct AcquirerEvent {
  std::string event_id;    // the acquirer's key for this event: the dedupe key
  std::string site_id;     // whose payment it is
  std::string payment_id;  // pay_…; may be empty when acquirer_ref names the payment
  protocol::PaymentEvent event;
  /// The acquirer's own reference of the payment (Created::acquirer_ref); used to find the
  /// payment when payment_id is empty.
  std::string acquirer_ref;
  /// The amount (minor units) and currency the acquirer reports for the payment, when it says:
  /// a callback that disagrees with the payment is refused and changes nothing
  /// (amount_agrees).
  std::optional<std::int64_t> amount;
  std::string currency;
  /// A question before the payment rather than news about it (CloudPayments' Check): may the
  /// payment still go ahead in this amount and currency? Answered from the payment as read;
  /// nothing is written for it.
  bool check_only = false;
  /// True for a hold that a one-stage payment passes through on its way to success (T-Bank's
  /// AUTHORIZED before its CONFIRMED): news only for a two-stage payment (is_news_for).
  bool step_of_one_stage = false;
};

/// What the acquirer says when a payment is created.
struct Created {
  std::string confirmation_url;  // where the customer pays
  std::string acquirer_ref;      // the acquirer's id of the payment (kept on the payment)
};

/// What the acquirer says about a refund it was asked for: settled at once (succeeded or
/// failed, with a reason), or pending until a callback says more.
struct RefundAnswer {
  protocol::RefundStatus status = protocol::RefundStatus::pending;
  std::string failure_reason;
};

/// What verify_callback knows about the request besides its headers and body.
struct CallbackRequest {
  std::string site_id;       // from /v1/callbacks/{acquirer}/{site}
  std::string peer_address;  // the TCP peer's IP address ("" when unknown)
  std::int64_t now_s = 0;    // Unix seconds
  /// The callback kind the URL names (`?type=`), for acquirers whose callbacks do not say it.
  std::string kind;
};

/// How a callback ended, for the acquirer's answer (Acquirer::answer_callback).
enum class CallbackOutcome {
  accepted,         // every event applied (or already reflected)
  duplicate,        // every event had been received before
  refused,          // verified, but the amount or currency disagrees with the payment; nothing changed
  unauthenticated,  // did not verify; nothing changed
  invalid,          // verified but not understood, or for an unknown payment
  unavailable,      // our side failed (store); the acquirer should send it again
  not_payable,      // a check_only event for a payment that is no longer pending; nothing changed
  expired,          // a check_only event for a payment past its deadline; nothing changed
};

/// An answer in the acquirer's own terms.
struct CallbackAnswer {
  int status = 200;
  std::string content_type = "text/plain";
  std::string body;
};

class Acquirer {
 public:
  virtual ~Acquirer() = default;

  /// The name used in payments (`acquirer`) and in /v1/callbacks/{acquirer}/{site}.
  virtual std::string_view name() const noexcept = 0;

  /// True when the commands (and verify_callback) wait on the network: they then run on a
  /// worker pool, never on an I/O thread.
  virtual bool blocking() const noexcept { return true; }

  /// True when `site_id` may use this acquirer (its credentials are configured).
  virtual bool serves(std::string_view site_id) const noexcept {
    (void)site_id;
    return true;
  }

  // The commands. `idempotency_key` is stable for one request of the shop's (the same key on a
  // retry), for connectors whose acquirer deduplicates requests. Errors: "unavailable" (the
  // acquirer could not be reached or failed; safe to retry), "refused" (the acquirer said no;
  // the message says why, Error::field carries the acquirer's own error code when it gave
  // one), "invalid" (a field the acquirer does not accept).
  virtual Result<Created> create(const store::Payment& payment, std::string_view public_url,
                                 std::string_view idempotency_key) const = 0;
  virtual Result<void> capture(const store::Payment& payment, std::int64_t amount,
                               std::string_view idempotency_key) const = 0;
  virtual Result<void> cancel(const store::Payment& payment, std::string_view idempotency_key) const = 0;
  virtual Result<RefundAnswer> refund(const store::Payment& payment, std::int64_t amount,
                                      std::string_view idempotency_key) const = 0;
  /// What the acquirer knows about the payment now, as an event to apply (its event_id is a
  /// dedupe key for this reading), or nothing when it has no news beyond ours.
  virtual Result<std::optional<AcquirerEvent>> fetch_status(const store::Payment& payment) const = 0;

  /// Authenticates an inbound callback from the raw headers and the raw body, and only then
  /// parses it. Errors: "unauthenticated" (bad, missing or expired signature, a peer outside
  /// the allow-list; nothing may be trusted or changed), "invalid" (signed but not
  /// understood), "unavailable" (a confirming read failed; the acquirer should retry).
  [[nodiscard]] virtual Result<std::vector<AcquirerEvent>> verify_callback(const RawHeaders& headers,
                                                                           std::string_view body,
                                                                           const CallbackRequest& request) const = 0;

  /// The answer for a callback that ended in `outcome`, in the acquirer's terms; nothing for
  /// the server's default (200 {"received":true}, 401, 400, 404, 422 or 503 problems).
  virtual std::optional<CallbackAnswer> answer_callback(CallbackOutcome outcome) const {
    (void)outcome;
    return std::nullopt;
  }
};

/// Whether the amount and currency `event` reports agree with `payment`: the payment's
/// amount, or, for a capture of a two-stage payment, the amount the event takes. Errors
/// "refused" naming the field ("amount" or "currency").
Result<void> amount_agrees(const store::Payment& payment, const AcquirerEvent& event);

/// False for an event that says nothing new about this payment: a step_of_one_stage event for a
/// one-stage payment.
inline bool is_news_for(const store::Payment& payment, const AcquirerEvent& event) {
  return !(event.step_of_one_stage && payment.capture);
}

/// The acquirer said no: "refused", with the acquirer's own error code (kept in Error::field,
/// which has no input field to name here) when it gave one.
inline protocol::Error refused_error(std::string message, std::string acquirer_code = {}) {
  return protocol::make_error(protocol::ErrorCode::acquirer_refused, std::move(message), std::move(acquirer_code));
}
/// The acquirer could not be reached or failed (timeouts, 5xx): "unavailable", safe to retry.
inline protocol::Error unavailable_error(std::string message, std::string acquirer_code = {}) {
  return protocol::make_error(protocol::ErrorCode::acquirer_unavailable, std::move(message), std::move(acquirer_code));
}

/// A key of at most `max_length` characters derived from `key` (the key itself when it fits,
/// otherwise its hex SHA-256 prefix), for acquirers that limit idempotency keys.
std::string bounded_key(std::string_view key, std::size_t max_length);

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
