#include "acquirers/stripe_signature.hpp"

#include <vector>

#include "acquirers/hmac_sha256.hpp"

namespace vitrina::acquirers::stripe {

namespace {

// A header carries a handful of entries; a secret roll adds one more. Anything far beyond that
// is not Stripe, and bounding it bounds the work a forged header can cause.
constexpr std::size_t kMaxHeader = 2048;
constexpr std::size_t kMaxTimestampDigits = 12;

protocol::Error unauthenticated(std::string message) {
  return protocol::make_error(protocol::ErrorCode::unauthenticated, std::move(message), std::string(kSignatureHeader));
}

bool parse_seconds(std::string_view text, std::int64_t& out) {
  if (text.empty() || text.size() > kMaxTimestampDigits) return false;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  out = value;
  return true;
}

}  // namespace

protocol::Result<void> verify_signature(std::string_view header, std::string_view body, std::string_view secret,
                                        std::int64_t now_s, std::int64_t tolerance_s) {
  if (header.empty()) return unauthenticated("missing Stripe-Signature");
  if (header.size() > kMaxHeader) return unauthenticated("the Stripe-Signature header is too long");
  std::string_view timestamp_text;
  std::vector<Mac> candidates;
  bool saw_v1 = false;
  while (!header.empty()) {
    const std::size_t comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) return unauthenticated("malformed Stripe-Signature");
    const std::string_view key = item.substr(0, eq);
    const std::string_view value = item.substr(eq + 1);
    if (key == "t") {
      // Two timestamps would leave it open which one was signed.
      if (!timestamp_text.empty()) return unauthenticated("Stripe-Signature has more than one timestamp");
      timestamp_text = value;
    } else if (key == "v1") {
      saw_v1 = true;
      // A v1 that is not 64 hex digits cannot match; it does not spoil the others.
      if (auto mac = mac_from_hex(value)) candidates.push_back(*mac);
    }
  }
  std::int64_t timestamp = 0;
  if (!parse_seconds(timestamp_text, timestamp)) return unauthenticated("Stripe-Signature has no valid timestamp");
  if (!saw_v1) return unauthenticated("Stripe-Signature has no v1 signature");
  if (timestamp < now_s - tolerance_s || timestamp > now_s + tolerance_s) {
    return unauthenticated("the timestamp is outside the tolerance");
  }
  const Mac expected = hmac_sha256(secret, {timestamp_text, ".", body});
  // Compare against every candidate without stopping early: the time taken says nothing about
  // which entry (if any) matched.
  bool match = false;
  for (const Mac& candidate : candidates) match |= same_mac(candidate, expected);
  if (!match) return unauthenticated("no v1 signature matches");
  return {};
}

std::string sign(std::string_view secret, std::int64_t timestamp, std::string_view body) {
  const std::string t = std::to_string(timestamp);
  return "t=" + t + ",v1=" + to_hex(hmac_sha256(secret, {t, ".", body}));
}

}  // namespace vitrina::acquirers::stripe
