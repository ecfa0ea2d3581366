#include "acquirers/sandbox.hpp"

#include <fcntl.h>
#include <simdjson.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "auth/keys.hpp"
#include "vitrina/protocol/json.hpp"

namespace vitrina::acquirers {

namespace {

constexpr std::string_view kSignaturePrefix = "v1,";
constexpr std::size_t kMaxTimestampDigits = 12;

protocol::Error unauthenticated(std::string message) {
  return protocol::make_error(protocol::ErrorCode::unauthenticated, std::move(message),
                              std::string(kSandboxSignatureHeader));
}

std::string signed_content(std::string_view timestamp, std::string_view body) {
  std::string content;
  content.reserve(timestamp.size() + 1 + body.size());
  content.append(timestamp).append(1, '.').append(body);
  return content;
}

std::optional<std::int64_t> parse_timestamp(std::string_view text) {
  if (text.empty() || text.size() > kMaxTimestampDigits) return std::nullopt;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

Result<protocol::PaymentEvent> event_of(std::string_view outcome, std::int64_t amount, std::string_view reason) {
  if (outcome == "succeeded") return protocol::PaymentEvent::succeeded(amount);
  if (outcome == "authorized") return protocol::PaymentEvent::authorized(amount);
  if (outcome == "failed") return protocol::PaymentEvent::failed(std::string(reason));
  return protocol::make_error(protocol::ErrorCode::invalid, "is not a known outcome", "outcome");
}

}  // namespace

SandboxKeys generate_sandbox_keys() {
  SandboxKeys keys;
  crypto_sign_keypair(keys.public_key.data(), keys.secret_key.data());
  return keys;
}

Result<SandboxKeys> load_or_create_sandbox_keys(const std::string& path) {
  const auto fail = [&path](std::string_view what) {
    return protocol::make_error(protocol::ErrorCode::acquirer_unavailable,
                                "cannot " + std::string(what) + " sandbox key " + path + ": " + std::strerror(errno));
  };
  SandboxKeys keys;
  // O_EXCL: two processes starting at once never overwrite each other's key.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    keys = generate_sandbox_keys();
    const bool written =
        ::write(fd, keys.secret_key.data(), keys.secret_key.size()) == static_cast<ssize_t>(keys.secret_key.size()) &&
        ::fsync(fd) == 0;
    ::close(fd);
    if (!written) return fail("write");
    return keys;
  }
  if (errno != EEXIST) return fail("create");
  fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail("open");
  const ssize_t n = ::read(fd, keys.secret_key.data(), keys.secret_key.size());
  ::close(fd);
  if (n != static_cast<ssize_t>(keys.secret_key.size())) {
    return protocol::make_error(protocol::ErrorCode::acquirer_unavailable,
                                "sandbox key " + path + " is not a 64-byte Ed25519 secret key");
  }
  crypto_sign_ed25519_sk_to_pk(keys.public_key.data(), keys.secret_key.data());
  return keys;
}

std::string normalize_card_number(std::string_view typed) {
  std::string digits;
  for (char c : typed) {
    if (c == ' ') continue;
    if (c < '0' || c > '9' || digits.size() == 19) return {};
    digits += c;
  }
  return digits.size() >= 12 ? digits : std::string{};
}

CardOutcome card_outcome(std::string_view digits) noexcept {
  if (digits == "4242424242424242") return CardOutcome::success;
  if (digits == "4000000000000002") return CardOutcome::decline;
  if (digits == "4000000000009995") return CardOutcome::error;
  if (digits == "4000000000003220") return CardOutcome::delayed;
  return CardOutcome::unknown;
}

SandboxResult result_for(CardOutcome outcome, const store::Payment& payment) {
  SandboxResult r{.event_id = auth::generate_id("sbxevt_"),
                  .site_id = payment.site_id,
                  .payment_id = payment.id,
                  .outcome = payment.capture ? "succeeded" : "authorized",
                  .amount = payment.amount,
                  .reason = {}};
  if (outcome == CardOutcome::decline) {
    r.outcome = "failed";
    r.reason = "card_declined";
  } else if (outcome == CardOutcome::error) {
    r.outcome = "failed";
    r.reason = "processing_error";
  }
  return r;
}

Result<Created> Sandbox::create(const store::Payment& payment, std::string_view public_url, std::string_view) const {
  return Created{.confirmation_url = std::string(public_url) + "/sandbox/pay/" + payment.id, .acquirer_ref = {}};
}

Result<RefundAnswer> Sandbox::refund(const store::Payment&, std::int64_t amount, std::string_view) const {
  if (amount % 100 == 13)
    return RefundAnswer{.status = protocol::RefundStatus::failed, .failure_reason = "refund_declined"};
  return RefundAnswer{.status = protocol::RefundStatus::succeeded, .failure_reason = {}};
}

SignedCallback Sandbox::sign(const SandboxResult& result, std::int64_t now_s) const {
  protocol::JsonWriter w;
  w.begin_object()
      .key("id")
      .value(result.event_id)
      .key("site_id")
      .value(result.site_id)
      .key("payment_id")
      .value(result.payment_id)
      .key("outcome")
      .value(result.outcome)
      .key("amount")
      .value(result.amount)
      .key("reason")
      .value(result.reason)
      .end_object();
  SignedCallback out{.headers = {}, .body = std::move(w).str()};
  const std::string timestamp = std::to_string(now_s);
  const std::string content = signed_content(timestamp, out.body);
  std::array<unsigned char, crypto_sign_BYTES> sig{};
  crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const unsigned char*>(content.data()), content.size(),
                       keys_.secret_key.data());
  std::string b64(sodium_base64_ENCODED_LEN(sig.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(b64.data(), b64.size(), sig.data(), sig.size(), sodium_base64_VARIANT_ORIGINAL);
  b64.resize(std::strlen(b64.c_str()));
  out.headers.emplace_back(kSandboxTimestampHeader, timestamp);
  out.headers.emplace_back(kSandboxSignatureHeader, std::string(kSignaturePrefix) + b64);
  return out;
}

Result<std::vector<AcquirerEvent>> Sandbox::verify_callback(const RawHeaders& headers, std::string_view body,
                                                            std::int64_t now_s) const {
  // Authenticate first: nothing in the body is looked at before the signature holds.
  const auto timestamp_text = header_value(headers, kSandboxTimestampHeader);
  const auto timestamp = parse_timestamp(timestamp_text);
  if (!timestamp) return unauthenticated("missing or malformed Sandbox-Timestamp");
  if (*timestamp > now_s + kSandboxToleranceS || *timestamp < now_s - kSandboxToleranceS) {
    return unauthenticated("the timestamp is outside the 300 s tolerance");
  }
  const auto signature = header_value(headers, kSandboxSignatureHeader);
  if (!signature.starts_with(kSignaturePrefix)) return unauthenticated("missing or malformed Sandbox-Signature");
  const std::string_view b64 = signature.substr(kSignaturePrefix.size());
  std::array<unsigned char, crypto_sign_BYTES> sig{};
  std::size_t sig_len = 0;
  if (sodium_base642bin(sig.data(), sig.size(), b64.data(), b64.size(), nullptr, &sig_len, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      sig_len != sig.size()) {
    return unauthenticated("malformed Sandbox-Signature");
  }
  if (body.size() > kSandboxMaxBody) return unauthenticated("the body is too large");
  const std::string content = signed_content(timestamp_text, body);
  if (crypto_sign_verify_detached(sig.data(), reinterpret_cast<const unsigned char*>(content.data()), content.size(),
                                  keys_.public_key.data()) != 0) {
    return unauthenticated("the signature does not verify");
  }

  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body.data(), body.size()).get(root)) {
    return protocol::make_error(protocol::ErrorCode::invalid, "is not valid JSON", "body");
  }
  std::string_view id, site_id, payment_id, outcome, reason;
  std::int64_t amount = 0;
  if (root["id"].get(id) || root["site_id"].get(site_id) || root["payment_id"].get(payment_id) ||
      root["outcome"].get(outcome) || root["amount"].get(amount) || root["reason"].get(reason)) {
    return protocol::make_error(protocol::ErrorCode::invalid, "lacks a field of the sandbox callback", "body");
  }
  if (id.empty() || id.size() > 64)
    return protocol::make_error(protocol::ErrorCode::invalid, "is not an event id", "id");
  auto event = event_of(outcome, amount, reason);
  if (!event) return std::move(event).error();
  std::vector<AcquirerEvent> events;
  events.push_back(AcquirerEvent{.event_id = std::string(id),
                                 .site_id = std::string(site_id),
                                 .payment_id = std::string(payment_id),
                                 .event = std::move(*event),
                                 .acquirer_ref = {},
                                 .amount = std::nullopt,
                                 .currency = {}});
  return events;
}

}  // namespace vitrina::acquirers
