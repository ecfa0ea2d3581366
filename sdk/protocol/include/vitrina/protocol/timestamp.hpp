#pragma once
/// \file
/// RFC 3339 timestamps as Vitrina writes them on the wire: UTC, millisecond precision,
/// `2026-05-01T12:00:00.123Z`. Plain arithmetic on the proleptic Gregorian calendar, no time
/// zone database and no C library time functions, so it behaves the same natively and in WASM.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vitrina::protocol {

/// The earliest and latest instants these functions handle: 1970-01-01T00:00:00.000Z and
/// 9999-12-31T23:59:59.999Z, as Unix milliseconds.
inline constexpr std::int64_t kMinTimestampMs = 0;
inline constexpr std::int64_t kMaxTimestampMs = 253402300799999;

/// Days since 1970-01-01 of a civil date (month 1..12, day 1..31); no range check.
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) noexcept;

/// The civil date of a day number counted from 1970-01-01.
struct CivilDate {
  std::int64_t year = 1970;
  unsigned month = 1;
  unsigned day = 1;
  bool operator==(const CivilDate&) const = default;
};
CivilDate civil_from_days(std::int64_t days) noexcept;

/// Monday = 0 … Sunday = 6 for a day number counted from 1970-01-01 (a Thursday).
unsigned iso_weekday_from_days(std::int64_t days) noexcept;

/// `unix_ms` as `YYYY-MM-DDTHH:MM:SS.mmmZ`, clamped to [kMinTimestampMs, kMaxTimestampMs].
std::string format_timestamp_ms(std::int64_t unix_ms);

/// The inverse of format_timestamp_ms. Accepts `YYYY-MM-DDTHH:MM:SS` followed by an optional
/// fraction of 1 to 9 digits (cut to milliseconds) and `Z`; nothing else (no offsets, no
/// lowercase `t`/`z`, no leap second 60). Nothing for any other text or an impossible date.
std::optional<std::int64_t> parse_timestamp_ms(std::string_view text) noexcept;

}  // namespace vitrina::protocol
