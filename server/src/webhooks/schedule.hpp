#pragma once
// What happens after a delivery attempt: delivered, retried later (Standard Webhooks schedule
// with jitter, or the receiver's Retry-After), given up, or the endpoint disabled (410 Gone).
// Plain functions over values, so every rule is unit-tested without a network or a clock.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/webhook_records.hpp"

namespace vitrina::webhooks {

struct RetryPolicy {
  // Delay before the 2nd, 3rd… attempt; the first attempt is immediate. Empty: no retries.
  std::vector<std::int64_t> delays_ms;
  double jitter = 0.1;  // each delay is scaled by a random factor in [1 - jitter, 1 + jitter)
};

/// The Standard Webhooks schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h.
RetryPolicy standard_policy();

/// The delay before the next attempt after `attempts_done` (≥ 1) failed attempts, with jitter
/// from `random01` in [0, 1); nothing when the schedule is exhausted.
std::optional<std::int64_t> retry_delay_ms(const RetryPolicy& policy, std::int64_t attempts_done, double random01);

/// A Retry-After value in milliseconds from `now_ms`: delta-seconds ("120") or an HTTP-date
/// ("Sun, 06 Nov 1994 08:49:37 GMT", IMF-fixdate only). A date in the past gives 0. Nothing
/// for anything else.
std::optional<std::int64_t> parse_retry_after_ms(std::string_view value, std::int64_t now_ms);

/// What one attempt came to, as far as the decision goes.
struct AttemptOutcome {
  int status_code = 0;      // 0: no HTTP answer (refused by the SSRF guard, timeout, reset…)
  std::string retry_after;  // the Retry-After header, if any
};

struct Decision {
  std::string status;  // a store::delivery_status value
  std::int64_t next_attempt_at = 0;
  bool disable_endpoint = false;
  std::string disable_reason;
};

/// 2xx: delivered. 410: the endpoint is disabled. Anything else (3xx included, no answer
/// included) fails this attempt: retry after the schedule's next delay, or after Retry-After on
/// 429/503 (bounded by the schedule's longest delay), or give up when the schedule is spent.
Decision decide(const AttemptOutcome& outcome, std::int64_t attempts_done, const RetryPolicy& policy,
                std::int64_t now_ms, double random01);

}  // namespace vitrina::webhooks
