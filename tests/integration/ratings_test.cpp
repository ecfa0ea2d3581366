// Ratings with the real server: CSAT once per conversation (checked against the live chat's
// conversations when the store has them), page ratings and NPS, the signed rating.submitted
// webhook, the report and the CSV export.

#include <gtest/gtest.h>

#include "widget_api.hpp"

namespace vitrina::testing {
namespace {

class RatingsTest : public WidgetApiTest {
 protected:
  // Conversations as the live chat keeps them; the table is made here when the store has no
  // chat yet, with the columns the rating check reads.
  void conversation(const std::string& id, const std::string& status, const std::string& closed_by) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((data_.path() / "vitrina.db").c_str(), &db), SQLITE_OK);
    const std::string sql =
        // The live chat's conversations belong to a visitor (a foreign key).
        "CREATE TABLE IF NOT EXISTS chat_visitors (id TEXT PRIMARY KEY, site_id TEXT, created_at INTEGER, "
        "updated_at INTEGER);"
        "INSERT OR IGNORE INTO chat_visitors (id, site_id, created_at, updated_at) VALUES ('vis_1', '" +
        site_id_ +
        "', 0, 0);"
        "CREATE TABLE IF NOT EXISTS chat_conversations (id TEXT PRIMARY KEY, site_id TEXT, visitor_id TEXT, "
        "kind TEXT, status TEXT, assignee_id TEXT, created_at INTEGER, updated_at INTEGER, closed_by_role TEXT, "
        "closed_by_id TEXT);"
        "INSERT INTO chat_conversations (id, site_id, visitor_id, kind, status, assignee_id, created_at, updated_at, "
        "closed_by_role, closed_by_id) VALUES ('" +
        id + "', '" + site_id_ + "', 'vis_1', 'chat', '" + status + "', 'op_assignee', 0, 0, 'operator', '" +
        closed_by + "')";
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK) << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
  }
};

TEST_F(RatingsTest, CsatOncePerConversationAndEachRatingSignedOnce) {
  conversation("conv_1", "closed", "op_closer");
  start();
  auto first = widget_post("/ratings", R"({"kind":"csat","conversation_id":"conv_1","score":5,"comment":"Спасибо!"})");
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 201) << first->body;
  EXPECT_EQ(first->get_header_value("Access-Control-Allow-Origin"), kShopOrigin);
  EXPECT_EQ(json_string(first->body, "comment"), "Спасибо!");
  auto second = widget_post("/ratings", R"({"kind":"csat","conversation_id":"conv_1","score":1})");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 409) << second->body;
  EXPECT_NE(second->body.find("already-rated"), std::string::npos);
  EXPECT_NE(second->body.find(R"("field":"conversation_id")"), std::string::npos);
  auto page = widget_post("/ratings", R"({"kind":"page","page_url":"https://shop.example/delivery","score":4})");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 201) << page->body;
  auto nps = widget_post("/ratings", R"({"kind":"nps","score":0})");
  ASSERT_TRUE(nps);
  EXPECT_EQ(nps->status, 201) << nps->body;

  struct Case {
    std::string body;
    std::string field;
  };
  for (const Case& c : std::vector<Case>{{R"({"kind":"nps","score":11})", "score"},
                                         {R"({"kind":"csat","conversation_id":"conv_2","score":0})", "score"},
                                         {R"({"kind":"page","score":4.5})", "score"},
                                         {R"({"kind":"csat","score":5})", "conversation_id"},
                                         {R"({"kind":"stars","score":5})", "kind"},
                                         {R"({"kind":"nps","score":5,"comment":7})", "comment"},
                                         {R"({"kind":"nps","score":5,"mood":"good"})", "mood"}}) {
    auto r = widget_post("/ratings", c.body);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 422) << c.body << " -> " << r->body;
    EXPECT_NE(r->body.find(R"("field":")" + c.field + "\""), std::string::npos) << c.body << " -> " << r->body;
  }
  ASSERT_TRUE(wait_until([&] { return delivered("rating.submitted").size() == 3; }, 10s));
  EXPECT_EQ(recorded("rating.submitted"), 3u);
  EXPECT_EQ(delivered("rating.submitted").size(), 3u);
  auto list = api_get("/v1/ratings");
  ASSERT_TRUE(list);
  EXPECT_EQ(list->status, 200);
  std::size_t count = 0;
  for (auto at = list->body.find("\"object\":\"rating\""); at != std::string::npos;
       at = list->body.find("\"object\":\"rating\"", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 3u) << list->body;
}

TEST_F(RatingsTest, ConversationsAreCheckedAgainstTheChatWhenItIsThere) {
  conversation("conv_closed", "closed", "op_closer");
  conversation("conv_open", "open", "");
  start();
  auto open = widget_post("/ratings", R"({"kind":"csat","conversation_id":"conv_open","score":5})");
  ASSERT_TRUE(open);
  EXPECT_EQ(open->status, 422) << open->body;
  EXPECT_NE(open->body.find(R"("field":"conversation_id")"), std::string::npos);
  auto unknown = widget_post("/ratings", R"({"kind":"csat","conversation_id":"conv_other","score":5})");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 422) << unknown->body;
  auto closed = widget_post("/ratings", R"({"kind":"csat","conversation_id":"conv_closed","score":4})");
  ASSERT_TRUE(closed);
  ASSERT_EQ(closed->status, 201) << closed->body;
  EXPECT_EQ(json_string(closed->body, "operator_id"), "op_closer");
  auto report = api_get("/v1/ratings/report?kind=csat");
  ASSERT_TRUE(report);
  EXPECT_NE(report->body.find(R"("operators":[{"operator_id":"op_closer","count":1,"average":4,"csat":100})"),
            std::string::npos)
      << report->body;
}

TEST_F(RatingsTest, ReportAndCsvExport) {
  start();
  for (const char* body : {R"({"kind":"nps","score":10})", R"({"kind":"nps","score":9})", R"({"kind":"nps","score":7})",
                           R"({"kind":"nps","score":3,"comment":"=HYPERLINK(\"http://x\"), \"late\"\nand rude"})"}) {
    auto r = widget_post("/ratings", body);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 201) << r->body;
  }
  auto report = api_get("/v1/ratings/report?kind=nps&bucket=week");
  ASSERT_TRUE(report);
  ASSERT_EQ(report->status, 200) << report->body;
  // Two promoters, one passive, one detractor: NPS (2 - 1) / 4 = 25.
  EXPECT_NE(report->body.find(R"("total":{"count":4,"average":7.25,"nps":25})"), std::string::npos) << report->body;
  EXPECT_NE(report->body.find(R"("distribution":{"0":0,"1":0,"2":0,"3":1,"4":0,"5":0,"6":0,"7":1,"8":0,"9":1,"10":1})"),
            std::string::npos)
      << report->body;
  EXPECT_NE(report->body.find(R"("bucket":"week")"), std::string::npos);
  auto bad = api_get("/v1/ratings/report?bucket=month");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 422);
  EXPECT_NE(bad->body.find(R"("field":"bucket")"), std::string::npos);
  auto reversed = api_get("/v1/ratings/report?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z");
  ASSERT_TRUE(reversed);
  EXPECT_EQ(reversed->status, 422);
  EXPECT_NE(reversed->body.find(R"("field":"from")"), std::string::npos);

  auto too_long = api_get("/v1/ratings/export?kind=nps&from=2020-01-01T00:00:00Z&to=2030-01-01T00:00:00Z");
  ASSERT_TRUE(too_long);
  EXPECT_EQ(too_long->status, 422);
  EXPECT_NE(too_long->body.find(R"("field":"from")"), std::string::npos);
  // The last 30 days, ending now.
  auto csv = api_get("/v1/ratings/export?kind=nps");
  ASSERT_TRUE(csv);
  ASSERT_EQ(csv->status, 200) << csv->body;
  EXPECT_EQ(csv->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_TRUE(
      std::regex_match(csv->get_header_value("Content-Disposition"),
                       std::regex(R"re(attachment; filename="ratings-nps-\d{4}-\d\d-\d\d-\d{4}-\d\d-\d\d\.csv")re")))
      << csv->get_header_value("Content-Disposition");
  EXPECT_EQ(csv->body.substr(0, csv->body.find("\r\n")),
            "id,kind,score,comment,conversation_id,operator_id,page_url,created_at");
  EXPECT_NE(csv->body.find(R"(,nps,3,"'=HYPERLINK(""http://x""), ""late"")"
                           "\n"
                           R"(and rude",,,,)"),
            std::string::npos)
      << csv->body;
  std::size_t lines = 0;
  for (auto at = csv->body.find("\r\n"); at != std::string::npos; at = csv->body.find("\r\n", at + 2)) ++lines;
  EXPECT_EQ(lines, 5u);
  auto anonymous = client().Get("/v1/ratings/export");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
}

TEST_F(RatingsTest, ReportCountsTheSiteTimeZonesDays) {
  // Kathmandu is 5:45 ahead of UTC: its days start at 18:15 UTC.
  settings({"time_zone=Asia/Kathmandu"});
  start();
  auto rated = widget_post("/ratings", R"({"kind":"nps","score":9})");
  ASSERT_TRUE(rated);
  ASSERT_EQ(rated->status, 201) << rated->body;
  auto report = api_get("/v1/ratings/report?kind=nps");
  ASSERT_TRUE(report);
  ASSERT_EQ(report->status, 200) << report->body;
  EXPECT_NE(report->body.find(R"("time_zone":"Asia/Kathmandu")"), std::string::npos) << report->body;
  // The default span runs between local midnights, and so does every bucket.
  EXPECT_TRUE(std::regex_search(
      report->body, std::regex(R"re("from":"\d{4}-\d\d-\d\dT18:15:00\.000Z","to":"\d{4}-\d\d-\d\dT18:15:00\.000Z")re")))
      << report->body;
  std::size_t buckets = 0;
  const std::regex start(R"re("start":"([^"]+)")re");
  for (std::sregex_iterator it(report->body.begin(), report->body.end(), start), end; it != end; ++it, ++buckets) {
    EXPECT_EQ((*it)[1].str().substr(10), "T18:15:00.000Z");
  }
  EXPECT_EQ(buckets, 30u);
  EXPECT_NE(report->body.find(R"("total":{"count":1,"average":9,"nps":100})"), std::string::npos) << report->body;

  // tz for one request.
  auto tokyo = api_get("/v1/ratings/report?kind=nps&from=2026-10-31T15:00:00Z&to=2026-11-02T15:00:00Z&tz=Asia/Tokyo");
  ASSERT_TRUE(tokyo);
  ASSERT_EQ(tokyo->status, 200) << tokyo->body;
  EXPECT_NE(tokyo->body.find(R"("time_zone":"Asia/Tokyo","from":"2026-10-31T15:00:00.000Z")"), std::string::npos)
      << tokyo->body;
  EXPECT_NE(tokyo->body.find(R"("series":[{"start":"2026-10-31T15:00:00.000Z",)"), std::string::npos) << tokyo->body;
  for (const char* bad : {"Mars%2FOlympus", "", "..%2Fetc"}) {
    auto refused = api_get(std::string("/v1/ratings/report?tz=") + bad);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 422) << bad;
    EXPECT_NE(refused->body.find(R"("field":"tz")"), std::string::npos) << refused->body;
  }

  // The export is named by the local days it covers: 2026-11-01 and 2026-11-02 in Kathmandu.
  auto csv = api_get("/v1/ratings/export?kind=nps&from=2026-10-31T18:15:00Z&to=2026-11-02T18:15:00Z");
  ASSERT_TRUE(csv);
  ASSERT_EQ(csv->status, 200) << csv->body;
  EXPECT_EQ(csv->get_header_value("Content-Disposition"),
            R"(attachment; filename="ratings-nps-2026-11-01-2026-11-02.csv")");
}

TEST_F(RatingsTest, PageRatingShowsOnChosenPagesAndAddressesAreLimited) {
  settings({"rating_pages=/delivery*,/", "rating_page_kind=page", "rating_ip_limit=3"});
  start();
  auto shown = widget_get("/ratings/options?page=https%3A%2F%2Fshop.example%2Fdelivery%2Fmoscow%3Fx%3D1");
  ASSERT_TRUE(shown);
  EXPECT_EQ(shown->body, R"({"page":{"kind":"page"}})");
  auto hidden = widget_get("/ratings/options?page=https%3A%2F%2Fshop.example%2Fcart");
  ASSERT_TRUE(hidden);
  EXPECT_EQ(hidden->body, R"({"page":null})");
  for (int i = 0; i < 3; ++i) {
    auto r = widget_post("/ratings", R"({"kind":"page","score":5})");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 201) << r->body;
  }
  auto fourth = widget_post("/ratings", R"({"kind":"page","score":5})");
  ASSERT_TRUE(fourth);
  EXPECT_EQ(fourth->status, 429) << fourth->body;
  EXPECT_FALSE(fourth->get_header_value("Retry-After").empty());
}

}  // namespace
}  // namespace vitrina::testing
