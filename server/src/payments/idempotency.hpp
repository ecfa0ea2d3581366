#pragma once
// Idempotency-Key handling for the payments API: the key's shape, the fingerprint of a request
// (so a key reused for another request is caught), and the set of keys whose first request is
// still being answered in this process (a duplicate meanwhile gets 409). Which request wins a
// race is decided by the store (unique (site, key)); the set only tells a duplicate to retry.

#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "vitrina/protocol/result.hpp"

namespace vitrina::payments {

inline constexpr std::size_t kMaxIdempotencyKey = 255;

/// 1 to 255 printable ASCII characters (0x21-0x7e and space inside). Errors: "invalid" with
/// field "Idempotency-Key".
protocol::Result<void> validate_idempotency_key(std::string_view key);

/// Lowercase hex SHA-256 over the method, the path and the body bytes, each length-prefixed so
/// that no two different requests share an input.
std::string request_fingerprint(std::string_view method, std::string_view path, std::string_view body);

class InFlight {
 public:
  /// False when `key` is already being answered.
  bool try_begin(const std::string& key);
  void end(const std::string& key);

  /// Ends the key when destroyed.
  class Guard {
   public:
    Guard(InFlight& owner, std::string key) : owner_(&owner), key_(std::move(key)) {}
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;
    ~Guard() { owner_->end(key_); }

   private:
    InFlight* owner_;
    std::string key_;
  };

 private:
  std::mutex mutex_;
  std::set<std::string, std::less<>> keys_;
};

}  // namespace vitrina::payments
