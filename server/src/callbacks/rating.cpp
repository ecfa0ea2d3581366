#include "callbacks/rating.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <utility>

#include "auth/keys.hpp"
#include "callbacks/json_input.hpp"
#include "vitrina/protocol/json.hpp"
#include "vitrina/protocol/timestamp.hpp"
#include "webhooks/event.hpp"

namespace vitrina::callbacks {

namespace {

using protocol::make_error;
using protocol::Result;

constexpr std::int64_t kDayMs = 86400LL * 1000;
constexpr std::int64_t kMaxReportSpanMs = 400 * kDayMs;

const chat::LocalZone& zone_of(const ReportQuery& q) {
  static const chat::LocalZone utc = *chat::LocalZone::find("UTC");
  return q.zone ? *q.zone : utc;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// The local day of an instant, and the instant of a local day's 00:00.
std::int64_t local_day(const chat::LocalZone& zone, std::int64_t ms) { return zone.local_day(floor_div(ms, 1000)); }
std::int64_t midnight_ms(const chat::LocalZone& zone, std::int64_t day) { return zone.resolve(day, 0) * 1000; }

// The first local day of the bucket holding the instant.
std::int64_t bucket_day(const chat::LocalZone& zone, std::int64_t ms, Bucket bucket) {
  std::int64_t day = local_day(zone, ms);
  if (bucket == Bucket::week) day -= protocol::iso_weekday_from_days(day);
  return day;
}

struct Tally {
  std::int64_t count = 0;
  std::int64_t sum = 0;
  std::int64_t good = 0;  // CSAT and page: 4–5; NPS: promoters 9–10
  std::int64_t bad = 0;   // NPS: detractors 0–6

  void add(const store::Rating& r) {
    ++count;
    sum += r.score;
    if (r.kind == "nps") {
      good += r.score >= 9;
      bad += r.score <= 6;
    } else {
      good += r.score >= 4;
    }
  }
};

void write_tally(protocol::JsonWriter& w, std::string_view kind, const Tally& t) {
  w.key("count").value(t.count);
  w.key("average");
  if (t.count == 0) {
    w.null();
  } else {
    w.value(static_cast<double>(t.sum * 100 / t.count) / 100.0);
  }
  w.key(kind == "nps" ? "nps" : "csat");
  if (t.count == 0) {
    w.null();
  } else if (kind == "nps") {
    w.value(static_cast<double>((t.good - t.bad) * 1000 / t.count) / 10.0);
  } else {
    w.value(static_cast<double>(t.good * 1000 / t.count) / 10.0);
  }
}

}  // namespace

Result<RatingRequest> parse_rating_request(std::string_view body) {
  auto doc = parse_object(body, 8 * 1024);
  if (!doc) return std::move(doc).error();
  if (auto r = only_members(*doc, {"kind", "score", "comment", "conversation_id", "page_url"}); !r) {
    return std::move(r).error();
  }
  RatingRequest out;
  const protocol::JsonValue* kind = doc->find("kind");
  if (kind == nullptr || !kind->is_string() || (kind->text != "csat" && kind->text != "page" && kind->text != "nps")) {
    return invalid("kind", "must be csat, page or nps");
  }
  out.kind = kind->text;
  const protocol::JsonValue* score = doc->find("score");
  const auto value = score != nullptr ? score->as_int64() : std::nullopt;
  const int low = out.kind == "nps" ? 0 : 1;
  const int high = out.kind == "nps" ? 10 : 5;
  if (!value || *value < low || *value > high) {
    return invalid("score", "must be a whole number from " + std::to_string(low) + " to " + std::to_string(high));
  }
  out.score = static_cast<int>(*value);
  auto comment = optional_text(*doc, "comment", kMaxCommentChars);
  if (!comment) return std::move(comment).error();
  out.comment = comment->value_or("");
  auto conversation = optional_text(*doc, "conversation_id", kMaxConversationIdChars);
  if (!conversation) return std::move(conversation).error();
  out.conversation_id = conversation->value_or("");
  auto page = optional_text(*doc, "page_url", 2048);
  if (!page) return std::move(page).error();
  out.page_url = page->value_or("");
  if (out.kind == "csat" && out.conversation_id.empty()) return invalid("conversation_id", "is required with csat");
  if (out.kind != "csat" && !out.conversation_id.empty()) return invalid("conversation_id", "goes only with csat");
  return out;
}

Result<store::NewRating> plan_rating(const store::Site& site, const SiteSettings& settings, RatingRequest request,
                                     const store::RatedConversation& conversation, std::string ip,
                                     std::int64_t now_ms) {
  store::NewRating out;
  store::Rating& r = out.rating;
  if (request.kind == "csat") {
    if (!conversation.found) return invalid("conversation_id", "is not a conversation of this site");
    if (!conversation.closed) return invalid("conversation_id", "can be rated once the conversation is closed");
    r.operator_id = conversation.operator_id;
  }
  r.id = auth::generate_id(kRatingPrefix);
  r.site_id = site.id;
  r.kind = std::move(request.kind);
  r.score = request.score;
  r.comment = std::move(request.comment);
  r.conversation_id = std::move(request.conversation_id);
  r.page_url = std::move(request.page_url);
  r.ip = std::move(ip);
  r.created_at = now_ms;
  constexpr std::int64_t kHourMs = 3600 * 1000;
  out.limit = {"ip", r.ip, settings.rating_ip_limit, now_ms - kHourMs, kHourMs};
  out.event = webhooks::make_event(site.id, std::string(kEventRatingSubmitted), rating_json(r), now_ms);
  return out;
}

std::string rating_json(const store::Rating& r) {
  protocol::JsonWriter w;
  w.begin_object();
  w.key("id").value(r.id);
  w.key("object").value("rating");
  w.key("kind").value(r.kind);
  w.key("score").value(r.score);
  w.key("comment").value(r.comment);
  w.key("conversation_id").value(r.conversation_id);
  w.key("operator_id").value(r.operator_id);
  w.key("page_url").value(r.page_url);
  w.key("created_at").value(protocol::format_timestamp_ms(r.created_at));
  w.end_object();
  return std::move(w).str();
}

Result<ReportQuery> parse_report_query(const std::optional<std::string>& kind, const std::optional<std::string>& bucket,
                                       const std::optional<std::string>& from, const std::optional<std::string>& to,
                                       std::int64_t now_ms, const std::optional<std::string>& tz,
                                       std::string_view site_zone) {
  ReportQuery q;
  if (kind) {
    if (*kind != "csat" && *kind != "page" && *kind != "nps") return invalid("kind", "must be csat, page or nps");
    q.kind = *kind;
  }
  if (bucket) {
    if (*bucket == "week") {
      q.bucket = Bucket::week;
    } else if (*bucket != "day") {
      return invalid("bucket", "must be day or week");
    }
  }
  std::string_view zone_name = site_zone;
  std::string_view zone_field = "time_zone";
  if (tz) {
    zone_name = *tz;
    zone_field = "tz";
  }
  auto zone = chat::LocalZone::find(zone_name, zone_field);
  if (!zone) return std::move(zone).error();
  q.zone = std::move(*zone);
  constexpr std::int64_t kDefaultDays = 30;
  q.to_ms = midnight_ms(*q.zone, local_day(*q.zone, now_ms) + 1);
  if (to) {
    auto t = protocol::parse_timestamp_ms(*to);
    if (!t) return invalid("to", "must be a time such as 2026-11-01T00:00:00Z");
    q.to_ms = *t;
  }
  q.from_ms = midnight_ms(*q.zone, local_day(*q.zone, q.to_ms - 1) + 1 - kDefaultDays);
  if (from) {
    auto f = protocol::parse_timestamp_ms(*from);
    if (!f) return invalid("from", "must be a time such as 2026-10-01T00:00:00Z");
    q.from_ms = *f;
  }
  if (q.from_ms >= q.to_ms) return invalid("from", "must be before to");
  if (q.to_ms - q.from_ms > kMaxReportSpanMs) return invalid("from", "must be at most 400 days before to");
  return q;
}

std::string report_date(const ReportQuery& q, std::int64_t unix_ms) {
  const auto d = protocol::civil_from_days(local_day(zone_of(q), unix_ms));
  char out[16];
  std::snprintf(out, sizeof out, "%04lld-%02u-%02u", static_cast<long long>(d.year), d.month, d.day);
  return out;
}

std::string report_json(const ReportQuery& q, const std::vector<store::Rating>& ratings) {
  const chat::LocalZone& zone = zone_of(q);
  const std::int64_t step_days = q.bucket == Bucket::week ? 7 : 1;
  std::map<std::int64_t, Tally> series;  // by the bucket's first local day
  for (std::int64_t d = bucket_day(zone, q.from_ms, q.bucket); midnight_ms(zone, d) < q.to_ms; d += step_days) {
    series[d];
  }
  std::map<int, std::int64_t> distribution;
  for (int s = q.kind == "nps" ? 0 : 1; s <= (q.kind == "nps" ? 10 : 5); ++s) distribution[s] = 0;
  std::map<std::string, Tally> operators;
  Tally total;
  for (const auto& r : ratings) {
    if (r.kind != q.kind || r.created_at < q.from_ms || r.created_at >= q.to_ms) continue;
    total.add(r);
    series[bucket_day(zone, r.created_at, q.bucket)].add(r);
    ++distribution[r.score];
    if (!r.operator_id.empty()) operators[r.operator_id].add(r);
  }
  protocol::JsonWriter w;
  w.begin_object();
  w.key("kind").value(q.kind);
  w.key("bucket").value(q.bucket == Bucket::week ? "week" : "day");
  w.key("time_zone").value(zone.name());
  w.key("from").value(protocol::format_timestamp_ms(q.from_ms));
  w.key("to").value(protocol::format_timestamp_ms(q.to_ms));
  w.key("total").begin_object();
  write_tally(w, q.kind, total);
  w.end_object();
  w.key("series").begin_array();
  for (const auto& [day, tally] : series) {
    w.begin_object().key("start").value(protocol::format_timestamp_ms(midnight_ms(zone, day)));
    write_tally(w, q.kind, tally);
    w.end_object();
  }
  w.end_array();
  w.key("distribution").begin_object();
  for (const auto& [score, count] : distribution) w.key(std::to_string(score)).value(count);
  w.end_object();
  w.key("operators").begin_array();
  for (const auto& [op, tally] : operators) {
    w.begin_object().key("operator_id").value(op);
    write_tally(w, q.kind, tally);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return std::move(w).str();
}

std::string csv_cell(std::string_view text) {
  std::string cell;
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' || text[0] == '\t')) {
    cell.push_back('\'');
  }
  cell.append(text);
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

std::string ratings_csv(const std::vector<store::Rating>& ratings) {
  std::string out = "id,kind,score,comment,conversation_id,operator_id,page_url,created_at\r\n";
  for (const auto& r : ratings) {
    out.append(csv_cell(r.id)).push_back(',');
    out.append(csv_cell(r.kind)).push_back(',');
    out.append(std::to_string(r.score)).push_back(',');
    out.append(csv_cell(r.comment)).push_back(',');
    out.append(csv_cell(r.conversation_id)).push_back(',');
    out.append(csv_cell(r.operator_id)).push_back(',');
    out.append(csv_cell(r.page_url)).push_back(',');
    out.append(protocol::format_timestamp_ms(r.created_at)).append("\r\n");
  }
  return out;
}

}  // namespace vitrina::callbacks
