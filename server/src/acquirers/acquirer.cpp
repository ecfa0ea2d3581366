#include "acquirers/acquirer.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>

namespace vitrina::acquirers {

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool same_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace

std::string_view header_value(const RawHeaders& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (same_name(key, name)) return value;
  }
  return {};
}

Result<void> amount_agrees(const store::Payment& payment, const AcquirerEvent& event) {
  if (!event.currency.empty() && event.currency != payment.currency) {
    return protocol::make_error(
        protocol::ErrorCode::acquirer_refused,
        "the acquirer reports currency " + event.currency + ", the payment is in " + payment.currency, "currency");
  }
  if (!event.amount || *event.amount == payment.amount) return {};
  // A two-stage payment may be captured in part: the acquirer then reports the amount taken.
  const auto kind = event.event.kind;
  const bool taking = kind == protocol::PaymentEventKind::captured || kind == protocol::PaymentEventKind::succeeded;
  if (!payment.capture && taking && *event.amount > 0 && *event.amount <= payment.amount &&
      (!event.event.amount || *event.event.amount == *event.amount)) {
    return {};
  }
  return protocol::make_error(protocol::ErrorCode::acquirer_refused,
                              "the acquirer reports amount " + std::to_string(*event.amount) + ", the payment is for " +
                                  std::to_string(payment.amount),
                              "amount");
}

std::string bounded_key(std::string_view key, std::size_t max_length) {
  if (key.size() <= max_length) return std::string(key);
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(key.data()), key.size());
  std::string hex(digest.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  hex.resize(std::min(digest.size() * 2, max_length));
  return hex;
}

void Registry::add(std::shared_ptr<const Acquirer> acquirer) {
  std::string name(acquirer->name());
  acquirers_[std::move(name)] = std::move(acquirer);
}

const Acquirer* Registry::find(std::string_view name) const noexcept {
  const auto it = acquirers_.find(name);
  return it == acquirers_.end() ? nullptr : it->second.get();
}

std::shared_ptr<const Acquirer> Registry::shared(std::string_view name) const {
  const auto it = acquirers_.find(name);
  return it == acquirers_.end() ? nullptr : it->second;
}

std::vector<std::string> Registry::names() const {
  std::vector<std::string> out;
  for (const auto& [name, acquirer] : acquirers_) out.push_back(name);
  return out;
}

}  // namespace vitrina::acquirers
