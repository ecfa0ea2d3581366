// Checking a received message: headers, timestamp window, then the signature entries.

#include <charconv>
#include <limits>

#include <sodium.h>

#include "codec.hpp"
#include "vitrina/webhook/webhook.hpp"

namespace vitrina::webhook {

namespace {

using protocol::make_error;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Unix seconds as plain decimal digits; no sign, no spaces inside, no overflow.
std::optional<std::int64_t> parse_timestamp(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// |a - b| > limit without overflow for any int64 inputs: map both onto uint64 preserving order.
bool farther_apart_than(std::int64_t a, std::int64_t b, std::chrono::seconds limit) {
  const auto ua = static_cast<std::uint64_t>(a) ^ (std::uint64_t{1} << 63);
  const auto ub = static_cast<std::uint64_t>(b) ^ (std::uint64_t{1} << 63);
  const std::uint64_t diff = ua > ub ? ua - ub : ub - ua;
  const std::int64_t lim = limit.count() < 0 ? 0 : limit.count();
  return diff > static_cast<std::uint64_t>(lim);
}

struct Entry {
  std::string_view version;
  std::string_view value;
};

// Hands out the space-separated `version,value` entries of a webhook-signature header.
class EntryReader {
 public:
  explicit EntryReader(std::string_view header) : rest_(header) {}

  std::optional<Entry> next() {
    while (!rest_.empty()) {
      const std::size_t end = rest_.find(' ');
      const std::string_view token = rest_.substr(0, end);
      rest_.remove_prefix(end == std::string_view::npos ? rest_.size() : end + 1);
      const std::size_t comma = token.find(',');
      // Empty tokens (runs of spaces) and entries without a comma are malformed: skipped.
      if (comma == std::string_view::npos) continue;
      return Entry{token.substr(0, comma), token.substr(comma + 1)};
    }
    return std::nullopt;
  }

 private:
  std::string_view rest_;
};

bool matches_v1(std::string_view value, std::span<const VerifyKey> keys,
                std::span<const std::array<unsigned char, detail::kHmacBytes>> macs) {
  std::array<unsigned char, detail::kHmacBytes> got{};
  if (!detail::base64_decode_exact(value, got)) return false;
  bool match = false;
  for (std::size_t i = 0, m = 0; i < keys.size(); ++i) {
    if (keys[i].scheme() != Scheme::hmac_sha256) continue;
    // Every HMAC key is compared, match or not, so the time taken does not say which matched.
    match |= sodium_memcmp(got.data(), macs[m++].data(), got.size()) == 0;
  }
  return match;
}

bool matches_v1a(std::string_view value, std::span<const VerifyKey> keys, const std::string& content) {
  std::array<unsigned char, detail::kEd25519SignatureBytes> sig{};
  if (!detail::base64_decode_exact(value, sig)) return false;
  for (const VerifyKey& key : keys) {
    if (key.scheme() != Scheme::ed25519) continue;
    if (crypto_sign_verify_detached(sig.data(), reinterpret_cast<const unsigned char*>(content.data()), content.size(),
                                    key.bytes().data()) == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace

Headers headers_from(const HeaderLookup& lookup) {
  Headers h;
  if (!lookup) return h;
  if (auto v = lookup(kHeaderId)) h.id = std::move(*v);
  if (auto v = lookup(kHeaderTimestamp)) h.timestamp = std::move(*v);
  if (auto v = lookup(kHeaderSignature)) h.signature = std::move(*v);
  return h;
}

protocol::Result<void> verify(const Headers& headers, std::string_view body, std::span<const VerifyKey> keys,
                              std::int64_t now, std::chrono::seconds tolerance) {
  (void)detail::sodium_ready();  // as in sign(): asked for, not relied upon
  if (keys.empty()) return make_error(protocol::ErrorCode::invalid_key, "no key to verify the webhook with", "keys");

  const std::string_view id = trim(headers.id);
  const std::string_view ts_text = trim(headers.timestamp);
  const std::string_view signature = trim(headers.signature);
  if (id.empty())
    return make_error(protocol::ErrorCode::missing_header, "the webhook-id header is missing", std::string(kHeaderId));
  if (ts_text.empty()) {
    return make_error(protocol::ErrorCode::missing_header, "the webhook-timestamp header is missing",
                      std::string(kHeaderTimestamp));
  }
  if (signature.empty()) {
    return make_error(protocol::ErrorCode::missing_header, "the webhook-signature header is missing",
                      std::string(kHeaderSignature));
  }

  const auto ts = parse_timestamp(ts_text);
  if (!ts) {
    return make_error(protocol::ErrorCode::invalid_header, "webhook-timestamp is not a number of seconds",
                      std::string(kHeaderTimestamp));
  }
  if (farther_apart_than(*ts, now, tolerance)) {
    return make_error(protocol::ErrorCode::timestamp_out_of_tolerance,
                      *ts < now ? "the webhook's timestamp is too old" : "the webhook's timestamp is too new",
                      std::string(kHeaderTimestamp));
  }

  // The content is signed with the timestamp as we parsed it, as the official libraries do.
  detail::TimestampBuffer ts_buf;
  const std::string_view ts_canon = detail::timestamp_format(*ts, ts_buf);

  // Each key's MAC is computed once, whatever the number of entries.
  std::vector<std::array<unsigned char, detail::kHmacBytes>> macs;
  bool any_ed25519 = false;
  for (const VerifyKey& key : keys) {
    if (key.scheme() == Scheme::hmac_sha256) {
      macs.push_back(detail::hmac_content(key.bytes(), id, ts_canon, body));
    } else {
      any_ed25519 = true;
    }
  }
  const std::string content = any_ed25519 ? detail::signed_content(id, ts_canon, body) : std::string();

  EntryReader reader(signature);
  for (std::size_t seen = 0; seen < kMaxSignatureEntries; ++seen) {
    const auto entry = reader.next();
    if (!entry) break;
    if (entry->version == "v1" && !macs.empty()) {
      if (matches_v1(entry->value, keys, macs)) return {};
    } else if (entry->version == "v1a" && any_ed25519) {
      if (matches_v1a(entry->value, keys, content)) return {};
    }
    // Unknown versions, and known ones we hold no key for, are skipped.
  }
  return make_error(protocol::ErrorCode::invalid_signature, "no webhook-signature entry matches a known key",
                    std::string(kHeaderSignature));
}

}  // namespace vitrina::webhook
