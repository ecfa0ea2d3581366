#pragma once
// The built-in sandbox acquirer. Its "acquirer side" (the hosted page's test cards and the
// signed callback) runs in this process, but its callbacks are signed with Ed25519 and verified
// through verify_callback exactly like a real acquirer's would be.
//
// Callback wire format (docs/acquirers.md):
//   Sandbox-Timestamp: <unix seconds>
//   Sandbox-Signature: v1,<base64 Ed25519 signature over "<timestamp>.<raw body>">
//   body: {"id":"sbxevt_…","site_id":…,"payment_id":…,"outcome":"succeeded"|"authorized"|"failed",
//          "amount":<minor units>,"reason":…}

#include <sodium.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "acquirers/acquirer.hpp"

namespace vitrina::acquirers {

inline constexpr std::string_view kSandboxName = "sandbox";
inline constexpr std::string_view kSandboxTimestampHeader = "Sandbox-Timestamp";
inline constexpr std::string_view kSandboxSignatureHeader = "Sandbox-Signature";
inline constexpr std::int64_t kSandboxToleranceS = 300;  // |now - timestamp| allowed
inline constexpr std::size_t kSandboxMaxBody = 4096;

struct SandboxKeys {
  std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> public_key{};
  std::array<unsigned char, crypto_sign_SECRETKEYBYTES> secret_key{};
};

/// A fresh keypair from libsodium's CSPRNG.
SandboxKeys generate_sandbox_keys();

/// Reads the keypair kept at `path` (the 64-byte Ed25519 secret key, mode 0600), creating it on
/// first start. Fails with "unavailable" naming the file when it cannot.
Result<SandboxKeys> load_or_create_sandbox_keys(const std::string& path);

/// What a test card does (docs/acquirers.md lists the numbers).
enum class CardOutcome { success, decline, error, delayed, unknown };

/// The digits of a card number as typed (spaces allowed between digits), or empty when it is
/// not 12 to 19 digits.
std::string normalize_card_number(std::string_view typed);
/// The outcome of a normalized card number; unknown for anything but the test cards.
CardOutcome card_outcome(std::string_view digits) noexcept;

/// The sandbox acquirer's report about one payment.
struct SandboxResult {
  std::string event_id;  // sbxevt_…
  std::string site_id;
  std::string payment_id;
  std::string outcome;  // "succeeded" | "authorized" | "failed"
  std::int64_t amount = 0;
  std::string reason;  // for failed
};

/// The report a card's outcome leads to for `payment` (a two-stage payment is authorized
/// rather than succeeded); delayed cards report like success, only later. `outcome` must not be
/// unknown.
SandboxResult result_for(CardOutcome outcome, const store::Payment& payment);

struct SignedCallback {
  RawHeaders headers;
  std::string body;
};

class Sandbox final : public Acquirer {
 public:
  explicit Sandbox(SandboxKeys keys) : keys_(keys) {}

  std::string_view name() const noexcept override { return kSandboxName; }
  bool blocking() const noexcept override { return false; }
  Result<Created> create(const store::Payment& payment, std::string_view public_url,
                         std::string_view idempotency_key) const override;
  // The sandbox holds no money anywhere: captures and cancels always succeed at its end.
  Result<void> capture(const store::Payment&, std::int64_t, std::string_view) const override { return {}; }
  Result<void> cancel(const store::Payment&, std::string_view) const override { return {}; }
  /// Settles at once: succeeded, except for amounts whose last two minor-unit digits are 13
  /// (1.13, 250.13 …), which fail with reason "refund_declined" (docs/acquirers.md).
  Result<RefundAnswer> refund(const store::Payment& payment, std::int64_t amount,
                              std::string_view idempotency_key) const override;
  Result<std::optional<AcquirerEvent>> fetch_status(const store::Payment&) const override {
    return std::optional<AcquirerEvent>{};
  }
  [[nodiscard]] Result<std::vector<AcquirerEvent>> verify_callback(const RawHeaders& headers, std::string_view body,
                                                                   const CallbackRequest& request) const override {
    return verify_callback(headers, body, request.now_s);
  }
  /// As above, at time `now_s` (Unix seconds).
  [[nodiscard]] Result<std::vector<AcquirerEvent>> verify_callback(const RawHeaders& headers, std::string_view body,
                                                                   std::int64_t now_s) const;

  /// The acquirer side: `result` as a signed callback at time `now_s`.
  SignedCallback sign(const SandboxResult& result, std::int64_t now_s) const;

 private:
  SandboxKeys keys_;
};

}  // namespace vitrina::acquirers
