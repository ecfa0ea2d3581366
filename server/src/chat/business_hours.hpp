#pragma once
// A site's business hours: an IANA time zone, a weekly schedule with any number of intervals a
// day, and holidays (closed, or open on special hours). Outside them the visitor is told the
// site is closed and when it opens next.
//
// An interval is wall-clock time on the site's clock, opening on one local date. It becomes
// instants like this:
// - "open" and "close" are minutes after local midnight; a close at or before the open means
//   the next day (20:00-02:00), and 24:00 is the end of the day (00:00-24:00 is the whole day).
// - A local time that the clock skips (the spring-forward gap) means the instant the gap ends;
//   one it shows twice (the fall-back overlap) means the first of the two. So 01:30-03:30 on a
//   spring-forward night at 02:00 lasts one hour, and 20:00-03:00 on a fall-back night at 03:00
//   lasts eight.
// - A holiday replaces the weekly intervals that open on its date (none: closed all day). An
//   interval that opened the day before still runs past midnight into a holiday.
//
// Zones come from the system's tzdata (/usr/share/zoneinfo) through Howard Hinnant's date/tz.
// Debian's zone files list transitions up to 2037; later instants keep the last offset known.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vitrina/protocol/result.hpp"
#include "vitrina/protocol/timestamp.hpp"

namespace date {
class time_zone;
}

namespace vitrina::chat {

using protocol::Result;

inline constexpr int kMinutesPerDay = 1440;
inline constexpr std::size_t kMaxIntervalsPerDay = 8;
inline constexpr std::size_t kMaxHolidays = 400;

/// [open, close) in minutes after local midnight: open 0..1439, close 1..1440, close <= open
/// runs into the next day.
struct HoursInterval {
  int open_minute = 0;
  int close_minute = kMinutesPerDay;
  bool operator==(const HoursInterval&) const = default;
};

struct Holiday {
  protocol::CivilDate date;
  std::vector<HoursInterval> hours;  ///< empty: closed all day
  bool operator==(const Holiday&) const = default;
};

struct BusinessHours {
  std::string time_zone = "UTC";                     ///< IANA name: "Europe/Moscow"
  std::array<std::vector<HoursInterval>, 7> weekly;  ///< Monday first; empty: closed that day
  std::vector<Holiday> holidays;
  bool operator==(const BusinessHours&) const = default;
};

/// A zone of the database, reading instants as local dates and local wall times as instants.
/// Cheap to copy; the zone is shared read-only data, safe to use from any thread.
class LocalZone {
 public:
  /// Finds the zone. Errors: "invalid" naming `field` (a malformed or unknown name).
  static Result<LocalZone> find(std::string_view name, std::string_view field = "time_zone");

  const std::string& name() const noexcept { return name_; }
  /// The local date (days since 1970-01-01) of an instant.
  std::int64_t local_day(std::int64_t unix_s) const;
  /// The instant (unix seconds) of a local wall time: a time the clock skips (the spring-forward
  /// gap) means the instant the gap ends, one it shows twice (the fall-back overlap) the first.
  std::int64_t resolve(std::int64_t day, int minute) const;

 private:
  LocalZone(std::string name, const date::time_zone* zone) : name_(std::move(name)), zone_(zone) {}
  std::string name_;
  const date::time_zone* zone_;
};

/// BusinessHours checked and bound to its time zone. Cheap to copy; the zone is shared
/// read-only data, safe to use from any thread.
class Schedule {
 public:
  /// Checks the hours and finds the zone. Errors: "invalid" naming `time_zone` (unknown or
  /// malformed name), `weekly.<day>[i]` or `holidays[i]` (bad minutes, too many intervals, a
  /// zero-length interval, a repeated date).
  static Result<Schedule> create(BusinessHours hours);

  const BusinessHours& hours() const noexcept { return hours_; }

  /// True when `unix_ms` falls in an interval.
  bool is_open(std::int64_t unix_ms) const;
  /// The first instant at or after `unix_ms` when the site is open (`unix_ms` itself when it is
  /// open now); nothing when it opens on no day within the next 400.
  std::optional<std::int64_t> next_open(std::int64_t unix_ms) const;
  /// When the site is open at `unix_ms`: the instant the current opening ends, joining
  /// intervals that touch or overlap; nothing when it is closed, or open for more than 8 days.
  std::optional<std::int64_t> closes_at(std::int64_t unix_ms) const;

 private:
  struct Span {
    std::int64_t start_s;
    std::int64_t end_s;
  };
  Schedule(BusinessHours hours, LocalZone zone) : hours_(std::move(hours)), zone_(std::move(zone)) {}
  std::int64_t local_day(std::int64_t unix_s) const { return zone_.local_day(unix_s); }
  // The instants of the intervals that open on local day `day`, empty ones left out.
  std::vector<Span> spans(std::int64_t day) const;
  // The instant a local wall time means, by the gap and overlap rules above.
  std::int64_t resolve(std::int64_t day, int minute) const { return zone_.resolve(day, minute); }

  BusinessHours hours_;
  LocalZone zone_;
};

inline bool is_open(const Schedule& schedule, std::int64_t unix_ms) { return schedule.is_open(unix_ms); }
inline std::optional<std::int64_t> next_open(const Schedule& schedule, std::int64_t unix_ms) {
  return schedule.next_open(unix_ms);
}

/// True for a plausible IANA zone name: letters, digits, '_', '-', '+' and '/' separated
/// parts, no empty or dot-leading parts, at most 64 characters.
bool is_time_zone_name(std::string_view name) noexcept;

// ---------------------------------------------------------------------------------------------
// As JSON in a site's settings:
//
//   {"time_zone": "Europe/Berlin",
//    "weekly": {"mon": ["09:00-13:00", "14:00-18:00"], "fri": ["20:00-02:00"], "sun": []},
//    "holidays": [{"date": "2026-01-01"}, {"date": "2026-12-31", "hours": ["10:00-15:00"]}]}
//
// Days are mon tue wed thu fri sat sun; a missing day is closed. Intervals are "HH:MM-HH:MM",
// 24:00 allowed as a close.

/// Parses and checks the JSON above (Schedule::create included). Errors: "malformed" for JSON
/// that does not parse, "invalid" naming the member (`weekly.fri[0]`, `holidays[1].date`).
Result<Schedule> parse_business_hours(std::string_view json);

/// The JSON above for `hours`, with every day present.
std::string business_hours_json(const BusinessHours& hours);

}  // namespace vitrina::chat
