#include "vitrina/protocol/timestamp.hpp"

#include <algorithm>

namespace vitrina::protocol {

namespace {

constexpr std::int64_t kMsPerDay = 86'400'000;

bool is_leap(std::int64_t y) noexcept { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(std::int64_t y, unsigned m) noexcept {
  constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// Reads exactly `width` decimal digits at text[pos]; -1 if any is not a digit.
std::int64_t digits(std::string_view text, std::size_t pos, std::size_t width) noexcept {
  std::int64_t value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

void append_padded(std::string& out, std::int64_t value, int width) {
  char buf[8];
  for (int i = width - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out.append(buf, static_cast<std::size_t>(width));
}

}  // namespace

// Howard Hinnant's days_from_civil / civil_from_days (public domain algorithms).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

CivilDate civil_from_days(std::int64_t z) noexcept {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return CivilDate{static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

unsigned iso_weekday_from_days(std::int64_t days) noexcept {
  // 1970-01-01 was a Thursday (3 when Monday is 0).
  const std::int64_t w = (days % 7 + 7 + 3) % 7;
  return static_cast<unsigned>(w);
}

std::string format_timestamp_ms(std::int64_t unix_ms) {
  unix_ms = std::clamp(unix_ms, kMinTimestampMs, kMaxTimestampMs);
  const std::int64_t days = unix_ms / kMsPerDay;
  std::int64_t rest = unix_ms % kMsPerDay;
  const CivilDate date = civil_from_days(days);
  std::string out;
  out.reserve(24);
  append_padded(out, date.year, 4);
  out.push_back('-');
  append_padded(out, date.month, 2);
  out.push_back('-');
  append_padded(out, date.day, 2);
  out.push_back('T');
  append_padded(out, rest / 3'600'000, 2);
  rest %= 3'600'000;
  out.push_back(':');
  append_padded(out, rest / 60'000, 2);
  rest %= 60'000;
  out.push_back(':');
  append_padded(out, rest / 1000, 2);
  out.push_back('.');
  append_padded(out, rest % 1000, 3);
  out.push_back('Z');
  return out;
}

std::optional<std::int64_t> parse_timestamp_ms(std::string_view t) noexcept {
  // YYYY-MM-DDTHH:MM:SS is 19 characters; then [.d{1,9}] and Z.
  if (t.size() < 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':') {
    return std::nullopt;
  }
  const std::int64_t year = digits(t, 0, 4);
  const std::int64_t month = digits(t, 5, 2);
  const std::int64_t day = digits(t, 8, 2);
  const std::int64_t hour = digits(t, 11, 2);
  const std::int64_t minute = digits(t, 14, 2);
  const std::int64_t second = digits(t, 17, 2);
  if (year < 1970 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
      second < 0 || second > 59) {
    return std::nullopt;
  }
  if (day > days_in_month(year, static_cast<unsigned>(month))) return std::nullopt;
  std::size_t pos = 19;
  std::int64_t ms = 0;
  if (t[pos] == '.') {
    const std::size_t start = ++pos;
    while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') ++pos;
    const std::size_t n = pos - start;
    if (n == 0 || n > 9) return std::nullopt;
    for (std::size_t i = 0; i < 3; ++i) ms = ms * 10 + (i < n ? t[start + i] - '0' : 0);
  }
  if (pos + 1 != t.size() || t[pos] != 'Z') return std::nullopt;
  const std::int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return days * kMsPerDay + hour * 3'600'000 + minute * 60'000 + second * 1000 + ms;
}

}  // namespace vitrina::protocol
