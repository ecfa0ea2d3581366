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
