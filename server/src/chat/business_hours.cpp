#include "chat/business_hours.hpp"

#include <date/tz.h>

#include <algorithm>
#include <chrono>
#include <exception>

namespace vitrina::chat {

namespace {

constexpr std::int64_t kSecondsPerDay = 86400;
// next_open looks this many days ahead: a year of holidays plus a week.
constexpr std::int64_t kSearchDays = 400;
constexpr std::int64_t kClosesAtDays = 8;
constexpr std::array<std::string_view, 7> kDayNames = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

protocol::Error invalid(std::string field, std::string message) {
  return protocol::make_error(protocol::ErrorCode::invalid, std::move(message), std::move(field));
}

Result<void> check_intervals(const std::vector<HoursInterval>& intervals, const std::string& field) {
  if (intervals.size() > kMaxIntervalsPerDay) {
    return invalid(field, "at most " + std::to_string(kMaxIntervalsPerDay) + " intervals a day");
  }
  for (std::size_t i = 0; i < intervals.size(); ++i) {
    const HoursInterval& h = intervals[i];
    const std::string name = field + "[" + std::to_string(i) + "]";
    if (h.open_minute < 0 || h.open_minute >= kMinutesPerDay || h.close_minute < 1 || h.close_minute > kMinutesPerDay) {
      return invalid(name, "opens at 00:00..23:59 and closes at 00:01..24:00");
    }
    if (h.open_minute == h.close_minute) return invalid(name, "opens and closes at the same time");
  }
  return {};
}

}  // namespace

bool is_time_zone_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > 64) return false;
  std::size_t start = 0;
  while (true) {
    const auto slash = name.find('/', start);
    const auto part = name.substr(start, slash == std::string_view::npos ? slash : slash - start);
    if (part.empty() || part.front() == '.' || part.front() == '-') return false;
    for (char c : part) {
      const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
                      c == '-' || c == '+';
      if (!ok) return false;
    }
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

Result<LocalZone> LocalZone::find(std::string_view name, std::string_view field) {
  if (!is_time_zone_name(name)) return invalid(std::string(field), "must be an IANA time zone name");
  const date::time_zone* zone = nullptr;
  try {
    // The database is read from /usr/share/zoneinfo once; lookups after that only search it.
    zone = date::locate_zone(name);
  } catch (const std::exception&) {
    return invalid(std::string(field), "unknown time zone \"" + std::string(name) + "\"");
  }
  return LocalZone(std::string(name), zone);
}

Result<Schedule> Schedule::create(BusinessHours hours) {
  auto zone = LocalZone::find(hours.time_zone);
  if (!zone) return std::move(zone).error();
  for (std::size_t d = 0; d < hours.weekly.size(); ++d) {
    if (auto ok = check_intervals(hours.weekly[d], "weekly." + std::string(kDayNames[d])); !ok) return ok.error();
  }
  if (hours.holidays.size() > kMaxHolidays) {
    return invalid("holidays", "at most " + std::to_string(kMaxHolidays) + " holidays");
  }
  for (std::size_t i = 0; i < hours.holidays.size(); ++i) {
    const Holiday& h = hours.holidays[i];
    const std::string name = "holidays[" + std::to_string(i) + "]";
    if (auto ok = check_intervals(h.hours, name + ".hours"); !ok) return ok.error();
    for (std::size_t j = 0; j < i; ++j) {
      if (hours.holidays[j].date == h.date) return invalid(name + ".date", "the date is listed twice");
    }
  }
  return Schedule(std::move(hours), std::move(*zone));
}

std::int64_t LocalZone::local_day(std::int64_t unix_s) const {
  const auto info = zone_->get_info(date::sys_seconds{std::chrono::seconds{unix_s}});
  return floor_div(unix_s + info.offset.count(), kSecondsPerDay);
}

std::int64_t LocalZone::resolve(std::int64_t day, int minute) const {
  const std::int64_t local_s = day * kSecondsPerDay + std::int64_t{minute} * 60;
  const auto info = zone_->get_info(date::local_seconds{std::chrono::seconds{local_s}});
  switch (info.result) {
    case date::local_info::nonexistent:
      return info.second.begin.time_since_epoch().count();  // where the skipped hour ends
    case date::local_info::ambiguous:
    case date::local_info::unique:
    default:
      return local_s - info.first.offset.count();  // the earlier of two readings
  }
}

std::vector<Schedule::Span> Schedule::spans(std::int64_t day) const {
  const std::vector<HoursInterval>* intervals = &hours_.weekly[protocol::iso_weekday_from_days(day)];
  const protocol::CivilDate date = protocol::civil_from_days(day);
  for (const Holiday& h : hours_.holidays) {
    if (h.date == date) {
      intervals = &h.hours;
      break;
    }
  }
  std::vector<Span> out;
  out.reserve(intervals->size());
  for (const HoursInterval& h : *intervals) {
    const std::int64_t close_day = h.close_minute <= h.open_minute ? day + 1 : day;
    const Span span{resolve(day, h.open_minute), resolve(close_day, h.close_minute)};
    if (span.end_s > span.start_s) out.push_back(span);
  }
  return out;
}

bool Schedule::is_open(std::int64_t unix_ms) const {
  const std::int64_t t = floor_div(unix_ms, 1000);
  const std::int64_t today = local_day(t);
  // An interval lasts at most a local day, plus a DST shift: two days back reach every one.
  for (std::int64_t day = today - 2; day <= today; ++day) {
    for (const Span& s : spans(day)) {
      if (s.start_s <= t && t < s.end_s) return true;
    }
  }
  return false;
}

std::optional<std::int64_t> Schedule::next_open(std::int64_t unix_ms) const {
  if (is_open(unix_ms)) return unix_ms;
  const std::int64_t t = floor_div(unix_ms, 1000);
  const std::int64_t today = local_day(t);
  // Openings are whole minutes, so the first one after a closed instant is strictly later, and
  // every opening on a later local date is later than every opening on an earlier one.
  for (std::int64_t day = today; day <= today + kSearchDays; ++day) {
    std::optional<std::int64_t> best;
    for (const Span& s : spans(day)) {
      if (s.start_s * 1000 > unix_ms && (!best || s.start_s < *best)) best = s.start_s;
    }
    if (best) return *best * 1000;
  }
  return std::nullopt;
}

std::optional<std::int64_t> Schedule::closes_at(std::int64_t unix_ms) const {
  if (!is_open(unix_ms)) return std::nullopt;
  const std::int64_t t = floor_div(unix_ms, 1000);
  const std::int64_t today = local_day(t);
  std::vector<Span> all;
  for (std::int64_t day = today - 2; day <= today + kClosesAtDays; ++day) {
    for (const Span& s : spans(day)) all.push_back(s);
  }
  std::sort(all.begin(), all.end(), [](const Span& a, const Span& b) { return a.start_s < b.start_s; });
  // Walk the spans in order of opening, extending the opening that contains t.
  std::optional<std::int64_t> end;
  for (const Span& s : all) {
    if (!end) {
      if (s.start_s <= t && t < s.end_s) end = s.end_s;
      continue;
    }
    if (s.start_s > *end) break;
    end = std::max(*end, s.end_s);
  }
  if (!end) return std::nullopt;
  const std::int64_t horizon = resolve(today + kClosesAtDays, 0);
  if (*end >= horizon) return std::nullopt;
  return *end * 1000;
}

}  // namespace vitrina::chat
