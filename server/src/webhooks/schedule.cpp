#include "webhooks/schedule.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <ctime>

namespace vitrina::webhooks {

namespace {

constexpr std::int64_t kSecond = 1000;
constexpr std::int64_t kMinute = 60 * kSecond;
constexpr std::int64_t kHour = 60 * kMinute;

std::optional<int> parse_int(std::string_view text) {
  int n = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size()) return std::nullopt;
  return n;
}

// "Sun, 06 Nov 1994 08:49:37 GMT" as unix seconds.
std::optional<std::int64_t> parse_imf_fixdate(std::string_view s) {
  static constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (s.size() != 29 || s.substr(3, 2) != ", " || s.substr(25) != " GMT") return std::nullopt;
  if (s[7] != ' ' || s[11] != ' ' || s[16] != ' ' || s[19] != ':' || s[22] != ':') return std::nullopt;
  const auto day = parse_int(s.substr(5, 2));
  const auto year = parse_int(s.substr(12, 4));
  const auto hour = parse_int(s.substr(17, 2));
  const auto minute = parse_int(s.substr(20, 2));
  const auto second = parse_int(s.substr(23, 2));
  const auto month = std::find(kMonths.begin(), kMonths.end(), s.substr(8, 3));
  if (!day || !year || !hour || !minute || !second || month == kMonths.end()) return std::nullopt;
  if (*day < 1 || *day > 31 || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
  std::tm tm{};
  tm.tm_year = *year - 1900;
  tm.tm_mon = static_cast<int>(month - kMonths.begin());
  tm.tm_mday = *day;
  tm.tm_hour = *hour;
  tm.tm_min = *minute;
  tm.tm_sec = *second;
  return static_cast<std::int64_t>(timegm(&tm));
}

}  // namespace

RetryPolicy standard_policy() {
  return {.delays_ms = {5 * kSecond, 5 * kMinute, 30 * kMinute, 2 * kHour, 5 * kHour, 10 * kHour, 14 * kHour,
                        20 * kHour, 24 * kHour},
          .jitter = 0.1};
}

std::optional<std::int64_t> retry_delay_ms(const RetryPolicy& policy, std::int64_t attempts_done, double random01) {
  if (attempts_done < 1 || attempts_done > static_cast<std::int64_t>(policy.delays_ms.size())) return std::nullopt;
  const auto base = static_cast<double>(policy.delays_ms[static_cast<std::size_t>(attempts_done - 1)]);
  const double r = std::clamp(random01, 0.0, 1.0);
  const double factor = 1.0 - policy.jitter + 2.0 * policy.jitter * r;
  return std::max<std::int64_t>(0, std::llround(base * factor));
}

std::optional<std::int64_t> parse_retry_after_ms(std::string_view value, std::int64_t now_ms) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    // Anything longer than a day's worth of digits is capped later anyway; avoid overflow.
    if (value.size() > 9) return std::int64_t{999'999'999} * kSecond;
    return std::int64_t{*parse_int(value)} * kSecond;
  }
  const auto date = parse_imf_fixdate(value);
  if (!date) return std::nullopt;
  return std::max<std::int64_t>(0, *date * kSecond - now_ms);
}

Decision decide(const AttemptOutcome& outcome, std::int64_t attempts_done, const RetryPolicy& policy,
                std::int64_t now_ms, double random01) {
  const int code = outcome.status_code;
  if (code >= 200 && code <= 299) return {.status = std::string(store::delivery_status::kDelivered)};
  if (code == 410) {
    return {.status = std::string(store::delivery_status::kDisabled),
            .disable_endpoint = true,
            .disable_reason = "the endpoint answered 410 Gone"};
  }
  auto delay = retry_delay_ms(policy, attempts_done, random01);
  if (!delay) return {.status = std::string(store::delivery_status::kFailed)};
  if ((code == 429 || code == 503) && !outcome.retry_after.empty()) {
    if (auto asked = parse_retry_after_ms(outcome.retry_after, now_ms)) {
      const auto longest = *std::max_element(policy.delays_ms.begin(), policy.delays_ms.end());
      delay = std::min(*asked, longest);
    }
  }
  return {.status = std::string(store::delivery_status::kPending), .next_attempt_at = now_ms + *delay};
}

}  // namespace vitrina::webhooks
