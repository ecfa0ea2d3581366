// Business hours in a site's settings JSON, read with the protocol library's strict reader.

#include <algorithm>
#include <string>
#include <utility>

#include "chat/business_hours.hpp"
#include "vitrina/protocol/json.hpp"
#include "vitrina/protocol/json_reader.hpp"

namespace vitrina::chat {

namespace {

constexpr std::array<std::string_view, 7> kDays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

protocol::Error invalid(std::string field, std::string message) {
  return protocol::make_error(protocol::ErrorCode::invalid, std::move(message), std::move(field));
}

// "HH:MM" with HH 00..24 (24 only as 24:00); minutes after midnight, or -1.
int parse_clock(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return -1;
  for (std::size_t i : {0u, 1u, 3u, 4u}) {
    if (text[i] < '0' || text[i] > '9') return -1;
  }
  const int h = (text[0] - '0') * 10 + (text[1] - '0');
  const int m = (text[3] - '0') * 10 + (text[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return -1;
  return h * 60 + m;
}

void append_clock(std::string& out, int minutes) {
  const int h = minutes / 60;
  const int m = minutes % 60;
  out.push_back(static_cast<char>('0' + h / 10));
  out.push_back(static_cast<char>('0' + h % 10));
  out.push_back(':');
  out.push_back(static_cast<char>('0' + m / 10));
  out.push_back(static_cast<char>('0' + m % 10));
}

Result<std::vector<HoursInterval>> parse_intervals(const protocol::JsonValue& value, const std::string& field) {
  if (!value.is_array()) return invalid(field, "must be an array of \"HH:MM-HH:MM\" strings");
  if (value.items.size() > kMaxIntervalsPerDay) {
    return invalid(field, "at most " + std::to_string(kMaxIntervalsPerDay) + " intervals a day");
  }
  std::vector<HoursInterval> out;
  for (std::size_t i = 0; i < value.items.size(); ++i) {
    const protocol::JsonValue& item = value.items[i];
    const std::string name = field + "[" + std::to_string(i) + "]";
    const std::string_view text = item.is_string() ? std::string_view(item.text) : std::string_view();
    const int open = text.size() == 11 && text[5] == '-' ? parse_clock(text.substr(0, 5)) : -1;
    const int close = open >= 0 ? parse_clock(text.substr(6)) : -1;
    if (open < 0 || close < 0 || open == kMinutesPerDay) {
      return invalid(name, "must be \"HH:MM-HH:MM\", e.g. \"09:00-18:00\" or \"20:00-02:00\"");
    }
    // "xx:xx-00:00" closes at midnight: the end of the day, the same as 24:00.
    out.push_back(HoursInterval{open, close == 0 ? kMinutesPerDay : close});
  }
  return out;
}

Result<protocol::CivilDate> parse_date(const protocol::JsonValue* value, const std::string& field) {
  // Reuse the timestamp parser for the calendar rules (month lengths, leap years).
  if (value != nullptr && value->is_string() && value->text.size() == 10) {
    if (const auto ms = protocol::parse_timestamp_ms(value->text + "T00:00:00Z")) {
      return protocol::civil_from_days(*ms / 86'400'000);
    }
  }
  return invalid(field, "must be a date \"YYYY-MM-DD\"");
}

}  // namespace

Result<Schedule> parse_business_hours(std::string_view json) {
  auto root = protocol::parse_json(json, protocol::JsonReadLimits{.max_bytes = 64 * 1024, .max_depth = 4});
  if (!root) return std::move(root).error();
  if (!root->is_object())
    return protocol::make_error(protocol::ErrorCode::malformed, "business hours must be a JSON object");
  BusinessHours hours;
  for (const protocol::JsonMember& m : root->members) {
    if (m.key != "time_zone" && m.key != "weekly" && m.key != "holidays") {
      return invalid(m.key, "is not a business hours member");
    }
  }
  const protocol::JsonValue* zone = root->find("time_zone");
  if (zone == nullptr || !zone->is_string()) return invalid("time_zone", "must be an IANA time zone name");
  hours.time_zone = zone->text;
  if (const protocol::JsonValue* weekly = root->find("weekly"); weekly != nullptr) {
    if (!weekly->is_object()) return invalid("weekly", "must be an object of days");
    for (const protocol::JsonMember& m : weekly->members) {
      const auto day = std::find(kDays.begin(), kDays.end(), m.key);
      if (day == kDays.end()) return invalid("weekly." + m.key, "days are mon, tue, wed, thu, fri, sat and sun");
      auto intervals = parse_intervals(m.value, "weekly." + m.key);
      if (!intervals) return std::move(intervals).error();
      hours.weekly[static_cast<std::size_t>(day - kDays.begin())] = std::move(*intervals);
    }
  }
  if (const protocol::JsonValue* holidays = root->find("holidays"); holidays != nullptr) {
    if (!holidays->is_array()) return invalid("holidays", "must be an array");
    if (holidays->items.size() > kMaxHolidays) {
      return invalid("holidays", "at most " + std::to_string(kMaxHolidays) + " holidays");
    }
    for (std::size_t i = 0; i < holidays->items.size(); ++i) {
      const protocol::JsonValue& item = holidays->items[i];
      const std::string name = "holidays[" + std::to_string(i) + "]";
      if (!item.is_object()) return invalid(name, "must be {\"date\": \"YYYY-MM-DD\", \"hours\"?: [...]}");
      for (const protocol::JsonMember& m : item.members) {
        if (m.key != "date" && m.key != "hours") return invalid(name + "." + m.key, "is not a holiday member");
      }
      Holiday holiday;
      auto date = parse_date(item.find("date"), name + ".date");
      if (!date) return std::move(date).error();
      holiday.date = *date;
      if (const protocol::JsonValue* h = item.find("hours"); h != nullptr) {
        auto intervals = parse_intervals(*h, name + ".hours");
        if (!intervals) return std::move(intervals).error();
        holiday.hours = std::move(*intervals);
      }
      hours.holidays.push_back(std::move(holiday));
    }
  }
  return Schedule::create(std::move(hours));
}

std::string business_hours_json(const BusinessHours& hours) {
  const auto intervals = [](protocol::JsonWriter& w, const std::vector<HoursInterval>& list) {
    w.begin_array();
    for (const HoursInterval& h : list) {
      std::string text;
      append_clock(text, h.open_minute);
      text.push_back('-');
      append_clock(text, h.close_minute);
      w.value(text);
    }
    w.end_array();
  };
  protocol::JsonWriter w;
  w.begin_object().key("time_zone").value(hours.time_zone).key("weekly").begin_object();
  for (std::size_t d = 0; d < kDays.size(); ++d) {
    w.key(kDays[d]);
    intervals(w, hours.weekly[d]);
  }
  w.end_object().key("holidays").begin_array();
  for (const Holiday& h : hours.holidays) {
    std::string date =
        protocol::format_timestamp_ms(protocol::days_from_civil(h.date.year, h.date.month, h.date.day) * 86'400'000)
            .substr(0, 10);
    w.begin_object().key("date").value(date);
    if (!h.hours.empty()) {
      w.key("hours");
      intervals(w, h.hours);
    }
    w.end_object();
  }
  w.end_array().end_object();
  return std::move(w).str();
}

}  // namespace vitrina::chat
