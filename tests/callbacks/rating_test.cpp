// Rating rules, the report's arithmetic and buckets, CSV escaping and page patterns.

#include "callbacks/rating.hpp"

#include <gtest/gtest.h>

#include "callbacks/settings.hpp"
#include "vitrina/protocol/timestamp.hpp"

namespace vitrina::callbacks {
namespace {

std::int64_t at(const char* text) { return protocol::parse_timestamp_ms(text).value(); }

store::Rating rating(const char* kind, int score, const char* when, const char* op = "") {
  store::Rating r;
  r.kind = kind;
  r.score = score;
  r.created_at = at(when);
  r.operator_id = op;
  return r;
}

TEST(RatingRequest, ScoresByKind) {
  EXPECT_TRUE(parse_rating_request(R"({"kind":"nps","score":0})"));
  EXPECT_TRUE(parse_rating_request(R"({"kind":"nps","score":10})"));
  EXPECT_FALSE(parse_rating_request(R"({"kind":"page","score":0})"));
  EXPECT_FALSE(parse_rating_request(R"({"kind":"page","score":6})"));
  EXPECT_FALSE(parse_rating_request(R"({"kind":"nps","score":"9"})"));
  auto with_conversation = parse_rating_request(R"({"kind":"page","score":3,"conversation_id":"c"})");
  ASSERT_FALSE(with_conversation);
  EXPECT_EQ(with_conversation.error().field, "conversation_id");
  auto long_comment = parse_rating_request(R"({"kind":"nps","score":3,"comment":")" + std::string(2001, 'x') + "\"}");
  ASSERT_FALSE(long_comment);
  EXPECT_EQ(long_comment.error().field, "comment");
}

TEST(PlanRating, ChecksTheConversation) {
  store::Site site{.id = "site_A"};
  RatingRequest csat{.kind = "csat", .score = 5, .conversation_id = "conv_1"};
  EXPECT_FALSE(plan_rating(site, {}, csat, {}, "", 1000));
  EXPECT_FALSE(plan_rating(site, {}, csat, {.found = true}, "", 1000));
  auto closed = plan_rating(site, {}, csat, {.found = true, .closed = true, .operator_id = "op_9"}, "", 1000);
  ASSERT_TRUE(closed);
  EXPECT_EQ(closed->rating.conversation_id, "conv_1");
  EXPECT_EQ(closed->event.event_type, kEventRatingSubmitted);
  EXPECT_EQ(closed->rating.operator_id, "op_9");
}

TEST(RatingReport, DailyBucketsDistributionAndOperators) {
  ReportQuery q{.kind = "csat",
                .bucket = Bucket::day,
                .from_ms = at("2026-11-01T00:00:00Z"),
                .to_ms = at("2026-11-04T00:00:00Z")};
  const std::vector<store::Rating> ratings{
      rating("csat", 5, "2026-11-01T10:00:00Z", "op_a"), rating("csat", 4, "2026-11-01T23:59:59Z", "op_a"),
      rating("csat", 1, "2026-11-03T00:00:00Z", "op_b"), rating("nps", 9, "2026-11-02T00:00:00Z"),
      rating("csat", 5, "2026-11-04T00:00:00Z")};  // past `to`
  const std::string json = report_json(q, ratings);
  EXPECT_NE(json.find(R"("total":{"count":3,"average":3.33,"csat":66.6})"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("series":[{"start":"2026-11-01T00:00:00.000Z","count":2,"average":4.5,"csat":100},)"
                      R"({"start":"2026-11-02T00:00:00.000Z","count":0,"average":null,"csat":null},)"
                      R"({"start":"2026-11-03T00:00:00.000Z","count":1,"average":1,"csat":0}])"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("distribution":{"1":1,"2":0,"3":0,"4":1,"5":1})"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("operators":[{"operator_id":"op_a","count":2,"average":4.5,"csat":100},)"
                      R"({"operator_id":"op_b","count":1,"average":1,"csat":0}])"),
            std::string::npos)
      << json;
}

TEST(RatingReport, WeeksStartOnMonday) {
  // 2026-11-04 is a Wednesday; its week starts on Monday 2026-11-02.
  ReportQuery q{.kind = "nps",
                .bucket = Bucket::week,
                .from_ms = at("2026-11-04T00:00:00Z"),
                .to_ms = at("2026-11-10T00:00:00Z")};
  const std::string json =
      report_json(q, {rating("nps", 10, "2026-11-09T12:00:00Z"), rating("nps", 0, "2026-11-05T00:00:00Z")});
  EXPECT_NE(json.find(R"("series":[{"start":"2026-11-02T00:00:00.000Z","count":1,"average":0,"nps":-100},)"
                      R"({"start":"2026-11-09T00:00:00.000Z","count":1,"average":10,"nps":100}])"),
            std::string::npos)
      << json;
}

TEST(RatingReport, QueryBounds) {
  const std::int64_t now = at("2026-11-22T00:00:00Z");
  auto d = parse_report_query({}, {}, {}, {}, now);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->to_ms - d->from_ms, 30LL * 86400 * 1000);
  EXPECT_GT(d->to_ms, now);  // a rating stored at `now` is inside [from, to)
  auto wide = parse_report_query({}, {}, std::string("2020-01-01T00:00:00Z"), {}, now);
  ASSERT_FALSE(wide);
  EXPECT_EQ(wide.error().field, "from");
  auto kind = parse_report_query(std::string("stars"), {}, {}, {}, now);
  ASSERT_FALSE(kind);
  EXPECT_EQ(kind.error().field, "kind");
}

// A report query in `zone` for [from, to).
ReportQuery in_zone(const char* zone, Bucket bucket, const char* from, const char* to, const char* kind = "csat") {
  auto q = parse_report_query(std::string(kind), std::string(bucket == Bucket::week ? "week" : "day"),
                              std::string(from), std::string(to), at(to), std::string(zone));
  EXPECT_TRUE(q) << zone;
  return *q;
}

// The bucket starts of a report, in order.
std::vector<std::string> starts(const std::string& json) {
  std::vector<std::string> out;
  for (std::size_t at = json.find("\"start\":\""); at != std::string::npos; at = json.find("\"start\":\"", at + 1)) {
    out.push_back(json.substr(at + 9, 24));
  }
  return out;
}

TEST(RatingReportZone, SpringForwardDayLasts23Hours) {
  // Berlin, 2026-03-29: 02:00 CET becomes 03:00 CEST.
  ReportQuery q = in_zone("Europe/Berlin", Bucket::day, "2026-03-27T23:00:00Z", "2026-03-30T22:00:00Z");
  const std::string json = report_json(q, {rating("csat", 5, "2026-03-29T21:59:59Z"),    // 23:59:59 on the 29th
                                           rating("csat", 1, "2026-03-29T22:00:00Z"),    // 00:00 on the 30th
                                           rating("csat", 4, "2026-03-28T22:59:59Z")});  // 23:59:59 on the 28th
  EXPECT_EQ(starts(json), (std::vector<std::string>{"2026-03-27T23:00:00.000Z", "2026-03-28T23:00:00.000Z",
                                                    "2026-03-29T22:00:00.000Z"}))
      << json;
  EXPECT_NE(json.find(R"("time_zone":"Europe/Berlin")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"({"start":"2026-03-27T23:00:00.000Z","count":1,"average":4,"csat":100},)"
                      R"({"start":"2026-03-28T23:00:00.000Z","count":1,"average":5,"csat":100},)"
                      R"({"start":"2026-03-29T22:00:00.000Z","count":1,"average":1,"csat":0}])"),
            std::string::npos)
      << json;
}

TEST(RatingReportZone, FallBackDayLasts25Hours) {
  // Berlin, 2026-10-25: 03:00 CEST becomes 02:00 CET.
  ReportQuery q = in_zone("Europe/Berlin", Bucket::day, "2026-10-23T22:00:00Z", "2026-10-26T23:00:00Z");
  const std::string json = report_json(q, {rating("csat", 5, "2026-10-25T22:59:59Z"),    // 23:59:59 on the 25th
                                           rating("csat", 2, "2026-10-25T23:00:00Z")});  // 00:00 on the 26th
  EXPECT_EQ(starts(json), (std::vector<std::string>{"2026-10-23T22:00:00.000Z", "2026-10-24T22:00:00.000Z",
                                                    "2026-10-25T23:00:00.000Z"}))
      << json;
  EXPECT_NE(json.find(R"({"start":"2026-10-24T22:00:00.000Z","count":1,"average":5,"csat":100},)"
                      R"({"start":"2026-10-25T23:00:00.000Z","count":1,"average":2,"csat":0}])"),
            std::string::npos)
      << json;
}

TEST(RatingReportZone, WeeksStartOnLocalMondayAcrossAChange) {
  // New York, 2026-03-08: EST (-5) becomes EDT (-4); 2026-11-01: back to EST.
  ReportQuery spring = in_zone("America/New_York", Bucket::week, "2026-03-02T05:00:00Z", "2026-03-16T04:00:00Z", "nps");
  const std::string json = report_json(spring, {rating("nps", 10, "2026-03-09T03:59:59Z"),   // Sunday 23:59:59 EDT
                                                rating("nps", 0, "2026-03-09T04:00:00Z")});  // Monday 00:00 EDT
  EXPECT_EQ(starts(json), (std::vector<std::string>{"2026-03-02T05:00:00.000Z", "2026-03-09T04:00:00.000Z"})) << json;
  EXPECT_NE(json.find(R"({"start":"2026-03-02T05:00:00.000Z","count":1,"average":10,"nps":100},)"
                      R"({"start":"2026-03-09T04:00:00.000Z","count":1,"average":0,"nps":-100}])"),
            std::string::npos)
      << json;
  ReportQuery autumn = in_zone("America/New_York", Bucket::week, "2026-10-26T04:00:00Z", "2026-11-09T05:00:00Z", "nps");
  EXPECT_EQ(starts(report_json(autumn, {})),
            (std::vector<std::string>{"2026-10-26T04:00:00.000Z", "2026-11-02T05:00:00.000Z"}));
}

TEST(RatingReportZone, NonWholeHourOffsets) {
  // Kolkata is 5:30 ahead, Kathmandu 5:45, Chatham (winter) 13:45.
  ReportQuery kolkata = in_zone("Asia/Kolkata", Bucket::day, "2026-10-31T18:30:00Z", "2026-11-02T18:30:00Z");
  const std::string json =
      report_json(kolkata, {rating("csat", 5, "2026-11-01T18:29:59Z"), rating("csat", 3, "2026-11-01T18:30:00Z")});
  EXPECT_NE(json.find(R"("series":[{"start":"2026-10-31T18:30:00.000Z","count":1,"average":5,"csat":100},)"
                      R"({"start":"2026-11-01T18:30:00.000Z","count":1,"average":3,"csat":0}])"),
            std::string::npos)
      << json;
  ReportQuery kathmandu = in_zone("Asia/Kathmandu", Bucket::day, "2026-10-31T18:15:00Z", "2026-11-01T18:15:00Z");
  EXPECT_EQ(starts(report_json(kathmandu, {})), (std::vector<std::string>{"2026-10-31T18:15:00.000Z"}));
  EXPECT_EQ(report_date(kathmandu, at("2026-11-01T18:14:59Z")), "2026-11-01");
  EXPECT_EQ(report_date(kathmandu, at("2026-11-01T18:15:00Z")), "2026-11-02");
}

TEST(RatingReportZone, UtcIsTheDefault) {
  auto q = parse_report_query({}, {}, std::string("2026-11-01T00:00:00Z"), std::string("2026-11-03T00:00:00Z"),
                              at("2026-11-05T00:00:00Z"));
  ASSERT_TRUE(q);
  const std::string json = report_json(*q, {rating("csat", 4, "2026-11-01T23:59:59Z")});
  EXPECT_NE(json.find(R"("time_zone":"UTC")"), std::string::npos) << json;
  EXPECT_EQ(starts(json), (std::vector<std::string>{"2026-11-01T00:00:00.000Z", "2026-11-02T00:00:00.000Z"}));
}

TEST(RatingReportZone, DefaultSpanIsThirtyLocalDaysAndTzOverrides) {
  const std::int64_t now = at("2026-11-22T12:00:00Z");
  auto site = parse_report_query({}, {}, {}, {}, now, {}, "Europe/Moscow");  // +3 all year
  ASSERT_TRUE(site);
  EXPECT_EQ(site->zone->name(), "Europe/Moscow");
  EXPECT_EQ(site->to_ms, at("2026-11-22T21:00:00Z"));  // the coming local midnight
  EXPECT_EQ(site->from_ms, at("2026-10-23T21:00:00Z"));
  EXPECT_EQ(report_date(*site, site->from_ms), "2026-10-24");
  EXPECT_EQ(report_date(*site, site->to_ms - 1), "2026-11-22");
  auto over = parse_report_query({}, {}, {}, {}, now, std::string("Asia/Tokyo"), "Europe/Moscow");
  ASSERT_TRUE(over);
  EXPECT_EQ(over->zone->name(), "Asia/Tokyo");
  EXPECT_EQ(over->to_ms, at("2026-11-22T15:00:00Z"));
  for (const char* bad : {"Mars/Olympus", "../etc/passwd", ""}) {
    auto refused = parse_report_query({}, {}, {}, {}, now, std::string(bad), "UTC");
    ASSERT_FALSE(refused) << bad;
    EXPECT_EQ(refused.error().field, "tz") << bad;
  }
}

TEST(RatingReportZone, TheSiteZoneIsItsSettingElseItsBusinessHoursElseUtc) {
  store::Site site;
  site.settings_json = "{}";
  EXPECT_EQ(read_settings(site).time_zone, "UTC");
  site.settings_json = R"({"chat":{"business_hours":{"time_zone":"Europe/Berlin","weekly":{"mon":["09:00-18:00"]}}}})";
  EXPECT_EQ(read_settings(site).time_zone, "Europe/Berlin");
  site.settings_json = R"({"time_zone":"Asia/Kolkata","chat":{"business_hours":{"time_zone":"Europe/Berlin"}}})";
  EXPECT_EQ(read_settings(site).time_zone, "Asia/Kolkata");
  // A name written around the admin command that the database does not know is ignored.
  site.settings_json = R"({"time_zone":"Mars/Olympus","chat":{"business_hours":{"time_zone":"Europe/Berlin"}}})";
  EXPECT_EQ(read_settings(site).time_zone, "Europe/Berlin");
}

TEST(Csv, QuotesWhatNeedsItAndDefusesFormulas) {
  EXPECT_EQ(csv_cell("plain"), "plain");
  EXPECT_EQ(csv_cell("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_cell("two\r\nlines"), "\"two\r\nlines\"");
  EXPECT_EQ(csv_cell("=1+2"), "'=1+2");
  EXPECT_EQ(csv_cell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(csv_cell("-5,x"), "\"'-5,x\"");
  EXPECT_EQ(csv_cell(""), "");
  store::Rating r = rating("page", 4, "2026-11-01T10:00:00Z");
  r.id = "rt_1";
  r.comment = "ok, \"fine\"";
  EXPECT_EQ(ratings_csv({r}),
            "id,kind,score,comment,conversation_id,operator_id,page_url,created_at\r\n"
            "rt_1,page,4,\"ok, \"\"fine\"\"\",,,,2026-11-01T10:00:00.000Z\r\n");
}

}  // namespace
}  // namespace vitrina::callbacks
