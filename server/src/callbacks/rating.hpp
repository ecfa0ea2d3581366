#pragma once
// Ratings: CSAT (1 to 5) once per closed conversation, a page rating (1 to 5) and NPS (0 to 10);
// the report (figures over time, the distribution, per operator) and the CSV export.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callbacks/settings.hpp"
#include "store/store.hpp"

namespace vitrina::callbacks {

inline constexpr std::string_view kRatingPrefix = "rt_";
inline constexpr std::string_view kEventRatingSubmitted = "rating.submitted";
inline constexpr std::size_t kMaxCommentChars = 2000;
inline constexpr std::size_t kMaxConversationIdChars = 64;

struct RatingRequest {
  std::string kind;  // csat | page | nps
  int score = 0;
  std::string comment;
  std::string conversation_id;
  std::string page_url;
};

/// Parses and checks a visitor's rating. Errors: "malformed" (field "body"), "invalid" naming
/// the member.
protocol::Result<RatingRequest> parse_rating_request(std::string_view body);

/// The rating to store. For CSAT, when the chat is present the conversation must be the site's
/// and closed ("invalid", field "conversation_id") and the rating goes to its operator.
protocol::Result<store::NewRating> plan_rating(const store::Site& site, const SiteSettings& settings,
                                               RatingRequest request, const store::RatedConversation& conversation,
                                               std::string ip, std::int64_t now_ms);

std::string rating_json(const store::Rating& rating);

enum class Bucket { day, week };

struct ReportQuery {
  std::string kind = "csat";  // csat | page | nps
  Bucket bucket = Bucket::day;
  std::int64_t from_ms = 0;
  std::int64_t to_ms = 0;
  std::optional<chat::LocalZone> zone;  // whose days the buckets are; none: UTC
};

/// Parses kind, bucket, from, to (RFC 3339) and tz (an IANA zone overriding `site_zone` for
/// this request). `from` and `to` default to the local midnights that make the last 30 days,
/// today included, up to `now_ms`; at most 400 days apart. "invalid" names the one at fault.
protocol::Result<ReportQuery> parse_report_query(const std::optional<std::string>& kind,
                                                 const std::optional<std::string>& bucket,
                                                 const std::optional<std::string>& from,
                                                 const std::optional<std::string>& to, std::int64_t now_ms,
                                                 const std::optional<std::string>& tz = {},
                                                 std::string_view site_zone = "UTC");

/// The local date (YYYY-MM-DD) of an instant in the query's zone.
std::string report_date(const ReportQuery& query, std::int64_t unix_ms);

/// The report over `ratings` (all of query.kind, in [from, to)). Buckets are local days, or ISO
/// weeks from Monday 00:00 local time, in the query's zone (a day across a DST change lasts 23
/// or 25 hours); each bucket's start is the UTC instant of its local midnight. Empty buckets are
/// listed with a count of 0. CSAT is the share of 4 and 5 among 1 to 5 scores, NPS the share of
/// 9–10 minus the share of 0–6, in percent.
std::string report_json(const ReportQuery& query, const std::vector<store::Rating>& ratings);

/// RFC 4180 CSV (CRLF line ends, a header line). Cells with a comma, quote or line break are
/// quoted with quotes doubled; a cell starting with = + - @ or a tab gets a leading ' so a
/// spreadsheet shows a visitor's comment instead of running it as a formula.
std::string ratings_csv(const std::vector<store::Rating>& ratings);

/// One CSV cell as ratings_csv writes it.
std::string csv_cell(std::string_view text);

}  // namespace vitrina::callbacks
