// Callback requests with the real server: the widget's endpoints (origin check, proof of work,
// phone rules, refused ranges, limits, business hours and slots), the staff API and the
// console changing statuses, and the signed webhooks they emit, each exactly once.

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>

#include "widget_api.hpp"

namespace vitrina::testing {
namespace {

std::string request_body(const std::string& phone, const std::string& pow, const std::string& extra = {}) {
  return R"({"phone":")" + phone + R"(","name":"Anna","page_url":"https://shop.example/cart","pow":)" + pow + extra +
         "}";
}

// Every day open `hours` ("HH:MM-HH:MM"), in UTC.
std::string weekly(const std::string& hours) {
  std::string days;
  for (const char* d : {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}) {
    if (!days.empty()) days += ",";
    days += std::string("\"") + d + "\":[\"" + hours + "\"]";
  }
  return R"({"time_zone":"UTC","weekly":{)" + days + "}}";
}

// An hour-long interval that starts three hours from now (UTC), so the site is closed now.
std::string closed_now() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  const int open = (utc.tm_hour + 3) % 24;
  char text[16];
  std::snprintf(text, sizeof text, "%02d:00-%02d:00", open, open + 1);
  return weekly(text);
}

using CallbacksTest = WidgetApiTest;

TEST_F(CallbacksTest, RequestDuringHoursIsStoredPromisedAndSignedOnce) {
  business_hours(weekly("00:00-24:00"));
  settings({"callback_window_s=30"});
  start();
  auto options = widget_get("/callbacks/options");
  ASSERT_TRUE(options);
  EXPECT_EQ(options->status, 200) << options->body;
  EXPECT_EQ(options->get_header_value("Access-Control-Allow-Origin"), kShopOrigin);
  EXPECT_NE(options->body.find(R"("open":true,"window_s":30,"time_zone":"UTC","slots":[])"), std::string::npos)
      << options->body;

  auto made = widget_post("/callbacks", request_body("8 (912) 345-67-89", solved_pow()));
  ASSERT_TRUE(made);
  ASSERT_EQ(made->status, 201) << made->body;
  EXPECT_EQ(made->get_header_value("Access-Control-Allow-Origin"), kShopOrigin);
  EXPECT_EQ(json_string(made->body, "status"), "new");
  EXPECT_EQ(json_string(made->body, "phone"), "+79123456789");
  EXPECT_NE(made->body.find(R"("call_within_s":30)"), std::string::npos) << made->body;
  const auto created = protocol::parse_timestamp_ms(json_string(made->body, "created_at"));
  const auto call_by = protocol::parse_timestamp_ms(json_string(made->body, "call_by"));
  ASSERT_TRUE(created && call_by);
  EXPECT_EQ(*call_by - *created, 30000);
  const std::string id = json_string(made->body, "id");

  ASSERT_TRUE(wait_until([&] { return delivered("callback.requested").size() == 1; }, 10s));
  const auto hook = delivered("callback.requested").front();
  EXPECT_NE(hook.find(R"("id":")" + id + "\""), std::string::npos) << hook;
  EXPECT_NE(hook.find(R"("phone":"+79123456789")"), std::string::npos) << hook;

  auto got = api_get("/v1/callback_requests/" + id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->status, 200) << got->body;
  EXPECT_EQ(json_string(got->body, "name"), "Anna");
  EXPECT_EQ(json_string(got->body, "page_url"), "https://shop.example/cart");
  auto list = api_get("/v1/callback_requests?status=new");
  ASSERT_TRUE(list);
  EXPECT_NE(list->body.find(id), std::string::npos) << list->body;

  // The API moves it on; each change is one signed event, a repeat changes nothing.
  auto calling = api_post("/v1/callback_requests/" + id + "/status", R"({"status":"calling"})");
  ASSERT_TRUE(calling);
  EXPECT_EQ(calling->status, 200) << calling->body;
  auto again = api_post("/v1/callback_requests/" + id + "/status", R"({"status":"calling"})");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
  auto done = api_post("/v1/callback_requests/" + id + "/status", R"({"status":"done","note":"sold a sofa"})");
  ASSERT_TRUE(done);
  EXPECT_EQ(json_string(done->body, "status"), "done");
  auto reopened = api_post("/v1/callback_requests/" + id + "/status", R"({"status":"calling"})");
  ASSERT_TRUE(reopened);
  EXPECT_EQ(reopened->status, 409) << reopened->body;
  EXPECT_NE(reopened->body.find(R"("field":"status")"), std::string::npos);
  ASSERT_TRUE(wait_until([&] { return delivered("callback.status_changed").size() == 2; }, 10s));
  EXPECT_EQ(recorded("callback.status_changed"), 2u);
  EXPECT_EQ(delivered("callback.status_changed").size(), 2u);
  EXPECT_EQ(delivered("callback.requested").size(), 1u);
  EXPECT_EQ(server_->output().find("+79123456789"), std::string::npos) << "phone numbers are not logged";
}

TEST_F(CallbacksTest, ProofOfWorkIsRequiredValidAndSingleUse) {
  start();
  const std::string pow = solved_pow();
  auto first = widget_post("/callbacks", request_body("+7 912 345 67 89", pow));
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 201) << first->body;
  auto replayed = widget_post("/callbacks", request_body("+7 912 345 67 80", pow));
  ASSERT_TRUE(replayed);
  EXPECT_EQ(replayed->status, 409) << replayed->body;
  EXPECT_NE(replayed->body.find("pow-replayed"), std::string::npos);
  EXPECT_NE(replayed->body.find(R"("field":"pow.challenge")"), std::string::npos);

  // A wrong nonce, a forged MAC, no proof at all.
  const std::string challenge = capture(pow, R"re("challenge":"([^"]+)")re");
  const std::string fresh = solved_pow();
  const std::string fresh_challenge = capture(fresh, R"re("challenge":"([^"]+)")re");
  std::string wrong_nonce;
  for (int n = 0;; ++n) {
    if (!protocol::pow_satisfied(fresh_challenge, std::to_string(n), 8)) {
      wrong_nonce = std::to_string(n);
      break;
    }
  }
  auto bad_nonce = widget_post("/callbacks", request_body("+79123456781", R"({"challenge":")" + fresh_challenge +
                                                                              R"(","nonce":")" + wrong_nonce + "\"}"));
  ASSERT_TRUE(bad_nonce);
  EXPECT_EQ(bad_nonce->status, 403) << bad_nonce->body;
  EXPECT_NE(bad_nonce->body.find(R"("field":"pow.nonce")"), std::string::npos) << bad_nonce->body;

  std::string forged = fresh_challenge;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  auto nonce = protocol::pow_solve(forged, 8, 0, 1 << 20);
  ASSERT_TRUE(nonce);
  auto bad_mac = widget_post(
      "/callbacks", request_body("+79123456782", R"({"challenge":")" + forged + R"(","nonce":")" + *nonce + "\"}"));
  ASSERT_TRUE(bad_mac);
  EXPECT_EQ(bad_mac->status, 403) << bad_mac->body;
  EXPECT_NE(bad_mac->body.find(R"("field":"pow.challenge")"), std::string::npos);

  auto none = widget_post("/callbacks", R"({"phone":"+79123456783"})");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 422) << none->body;
  EXPECT_NE(none->body.find(R"("field":"pow")"), std::string::npos);

  // The refused attempts did not burn the fresh challenge.
  auto later = widget_post("/callbacks", request_body("+79123456784", fresh));
  ASSERT_TRUE(later);
  EXPECT_EQ(later->status, 201) << later->body;
  EXPECT_NE(challenge, fresh_challenge);
  auto list = api_get("/v1/callback_requests");
  ASSERT_TRUE(list);
  EXPECT_NE(list->body.find("+79123456789"), std::string::npos);
  EXPECT_NE(list->body.find("+79123456784"), std::string::npos);
  EXPECT_EQ(list->body.find("+79123456780"), std::string::npos);
  EXPECT_EQ(list->body.find("+79123456781"), std::string::npos);
}

TEST_F(CallbacksTest, TheEleventhRequestIsRefusedPerNumberAndPerAddress) {
  start();
  for (int i = 0; i < 10; ++i) {
    auto r = widget_post("/callbacks", request_body("+79123456789", solved_pow()));
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 201) << i << ": " << r->body;
  }
  auto eleventh = widget_post("/callbacks", request_body("+79123456789", solved_pow()));
  ASSERT_TRUE(eleventh);
  EXPECT_EQ(eleventh->status, 429) << eleventh->body;
  EXPECT_NE(eleventh->body.find(R"("field":"phone")"), std::string::npos) << eleventh->body;
  const std::string retry_after = eleventh->get_header_value("Retry-After");
  ASSERT_FALSE(retry_after.empty());
  const int retry = std::stoi(retry_after);
  EXPECT_GT(retry, 3500);
  EXPECT_LE(retry, 3600);
  // The same address with another number meets the per-address limit, also at ten.
  auto other = widget_post("/callbacks", request_body("+79123456780", solved_pow()));
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 429) << other->body;
  EXPECT_NE(other->body.find(R"("field":"ip")"), std::string::npos) << other->body;
  auto list = api_get("/v1/callback_requests?limit=200");
  ASSERT_TRUE(list);
  std::size_t count = 0;
  for (auto at = list->body.find("\"object\":\"callback\""); at != std::string::npos;
       at = list->body.find("\"object\":\"callback\"", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 10u);
  ASSERT_TRUE(wait_until([&] { return delivered("callback.requested").size() == 10; }, 10s));
  EXPECT_EQ(recorded("callback.requested"), 10u);
  EXPECT_EQ(delivered("callback.requested").size(), 10u);
}

TEST_F(CallbacksTest, RefusedRangesAndBadInputStoreNothing) {
  settings({"refused_phone_prefixes=+7800,+7900555"});
  start();
  const std::string pow = solved_pow();
  auto refused = widget_post("/callbacks", request_body("8 800 555 35 35", pow));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 422) << refused->body;
  EXPECT_NE(refused->body.find("phone-refused"), std::string::npos);
  EXPECT_NE(refused->body.find(R"("field":"phone")"), std::string::npos);
  EXPECT_EQ(refused->get_header_value("Content-Type"), "application/problem+json");

  struct Case {
    std::string body;
    std::string field;
  };
  for (const Case& c : std::vector<Case>{
           {request_body("8 (912) 345-67", pow), "phone"},
           {request_body("+999 123 456 789", pow), "phone"},
           {request_body("call me", pow), "phone"},
           {R"({"phone":89123456789,"pow":)" + pow + "}", "phone"},
           {request_body("89123456789", pow, R"(,"colour":"red")"), "colour"},
           {request_body("89123456789", pow, R"(,"slot":"tomorrow")"), "slot"},
           {R"({"phone":"89123456789","name":")" + std::string(101, 'a') + R"(","pow":)" + pow + "}", "name"},
           {R"({"phone":"89123456789","pow":{"challenge":"x"}})", "pow.nonce"},
       }) {
    auto r = widget_post("/callbacks", c.body);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 422) << c.body << " -> " << r->body;
    EXPECT_NE(r->body.find(R"("field":")" + c.field + "\""), std::string::npos) << c.body << " -> " << r->body;
  }
  auto broken = widget_post("/callbacks", R"({"phone":)");
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->status, 400) << broken->body;
  EXPECT_NE(broken->body.find(R"("field":"body")"), std::string::npos);
  auto form = client().Post("/v1/widget/" + pk_ + "/callbacks", httplib::Headers{{"Origin", kShopOrigin}},
                            "phone=89123456789", "application/x-www-form-urlencoded");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 415);

  auto list = api_get("/v1/callback_requests");
  ASSERT_TRUE(list);
  EXPECT_NE(list->body.find(R"("data":[])"), std::string::npos) << list->body;
  // The challenge survived every refusal and still buys one request.
  auto good = widget_post("/callbacks", request_body("8 (912) 345-67-89", pow));
  ASSERT_TRUE(good);
  EXPECT_EQ(good->status, 201) << good->body;
}

TEST_F(CallbacksTest, OnlyTheSitesOriginsMayCall) {
  start();
  // A same-origin read (browsers send no Origin on it) is answered, without CORS headers.
  auto same_origin_read = widget_get("/challenge", "");
  ASSERT_TRUE(same_origin_read);
  EXPECT_EQ(same_origin_read->status, 200) << same_origin_read->body;
  EXPECT_EQ(same_origin_read->get_header_value("Access-Control-Allow-Origin"), "");
  // A change always names an allowed origin.
  auto none = client().Post("/v1/widget/" + pk_ + "/callbacks", request_body("89123456789", "{}"), "application/json");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 403);
  EXPECT_NE(none->body.find(R"("field":"Origin")"), std::string::npos);
  auto foreign = widget_post("/callbacks", request_body("89123456789", "{}"), "https://evil.example");
  ASSERT_TRUE(foreign);
  EXPECT_EQ(foreign->status, 403);
  EXPECT_EQ(foreign->get_header_value("Access-Control-Allow-Origin"), "");
  auto unknown = client().Get("/v1/widget/pk_000000000000000000000000/challenge", {{"Origin", kShopOrigin}});
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);

  auto preflight =
      client().Options("/v1/widget/" + pk_ + "/callbacks", {{"Origin", kShopOrigin},
                                                            {"Access-Control-Request-Method", "POST"},
                                                            {"Access-Control-Request-Headers", "content-type"}});
  ASSERT_TRUE(preflight);
  EXPECT_EQ(preflight->status, 204);
  EXPECT_EQ(preflight->get_header_value("Access-Control-Allow-Origin"), kShopOrigin);
  EXPECT_EQ(preflight->get_header_value("Access-Control-Allow-Headers"), "Content-Type");
  auto foreign_preflight = client().Options("/v1/widget/" + pk_ + "/callbacks", {{"Origin", "https://evil.example"}});
  ASSERT_TRUE(foreign_preflight);
  EXPECT_EQ(foreign_preflight->status, 403);
}

TEST_F(CallbacksTest, OutsideHoursTheVisitorChoosesAnOfferedSlot) {
  business_hours(closed_now());
  settings({"callback_slot_minutes=20"});
  start();
  auto options = widget_get("/callbacks/options");
  ASSERT_TRUE(options);
  EXPECT_NE(options->body.find(R"("open":false)"), std::string::npos) << options->body;
  const std::string slot = capture(options->body, R"re("slots":\[\{"start":"([^"]+)","end":"[^"]+")re");
  const std::string second = capture(options->body, R"re("slots":\[\{[^}]*\},\{"start":"([^"]+)")re");
  ASSERT_FALSE(slot.empty()) << options->body;
  const auto first_ms = protocol::parse_timestamp_ms(slot);
  const auto second_ms = protocol::parse_timestamp_ms(second);
  ASSERT_TRUE(first_ms && second_ms);
  EXPECT_EQ(*second_ms - *first_ms, 20 * 60 * 1000);
  EXPECT_EQ(slot.substr(14), "00:00.000Z") << "slots start at the opening hour";

  auto no_slot = widget_post("/callbacks", request_body("89123456789", solved_pow()));
  ASSERT_TRUE(no_slot);
  EXPECT_EQ(no_slot->status, 422) << no_slot->body;
  EXPECT_NE(no_slot->body.find(R"("field":"slot")"), std::string::npos);
  auto odd_slot =
      widget_post("/callbacks", request_body("89123456789", solved_pow(), R"(,"slot":"2020-01-01T00:00:00Z")"));
  ASSERT_TRUE(odd_slot);
  EXPECT_EQ(odd_slot->status, 422) << odd_slot->body;
  auto made = widget_post("/callbacks", request_body("89123456789", solved_pow(), R"(,"slot":")" + slot + "\""));
  ASSERT_TRUE(made);
  ASSERT_EQ(made->status, 201) << made->body;
  EXPECT_EQ(json_string(made->body, "status"), "scheduled");
  EXPECT_EQ(json_string(made->body, "scheduled_for"), slot);
  EXPECT_EQ(made->body.find("call_by"), std::string::npos);
}

TEST_F(CallbacksTest, OperatorsChangeStatusFromTheConsoleOnly) {
  auto op = run_server_with_input({"--data", data_.str(), "operator", "add", "--site", site_id_, "--email",
                                   "op@shop.example", "--name", "Olga", "--password-stdin"},
                                  "correct horse battery\n");
  ASSERT_EQ(op.exit_code, 0) << op.output;
  start();
  auto made = widget_post("/callbacks", request_body("89123456789", solved_pow()));
  ASSERT_TRUE(made && made->status == 201);
  const std::string id = json_string(made->body, "id");
  auto login = client().Post("/v1/console/login", R"({"email":"op@shop.example","password":"correct horse battery"})",
                             "application/json");
  ASSERT_TRUE(login && login->status == 200) << (login ? login->body : "");
  const std::string operator_id = json_string(login->body, "id");
  const std::string cookie =
      login->get_header_value("Set-Cookie").substr(0, login->get_header_value("Set-Cookie").find(';'));
  const std::string host = "127.0.0.1:" + std::to_string(port_);

  auto listed = client().Get("/v1/callback_requests", {{"Cookie", cookie}});
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->status, 200);
  EXPECT_NE(listed->body.find(id), std::string::npos);
  auto cross =
      client().Post("/v1/callback_requests/" + id + "/status", {{"Cookie", cookie}, {"Origin", "https://evil.example"}},
                    R"({"status":"calling"})", "application/json");
  ASSERT_TRUE(cross);
  EXPECT_EQ(cross->status, 403) << cross->body;
  auto calling =
      client().Post("/v1/callback_requests/" + id + "/status", {{"Cookie", cookie}, {"Origin", "http://" + host}},
                    R"({"status":"calling"})", "application/json");
  ASSERT_TRUE(calling);
  EXPECT_EQ(calling->status, 200) << calling->body;
  EXPECT_EQ(json_string(calling->body, "operator_id"), operator_id);
  auto scheduled = client().Post("/v1/callback_requests/" + id + "/status", {{"Cookie", cookie}},
                                 R"({"status":"scheduled"})", "application/json");
  ASSERT_TRUE(scheduled);
  EXPECT_EQ(scheduled->status, 422) << scheduled->body;
  EXPECT_NE(scheduled->body.find(R"("field":"scheduled_for")"), std::string::npos);
  auto anonymous = client().Get("/v1/callback_requests");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  auto unknown = api_get("/v1/callback_requests/cb_nothere");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
}

}  // namespace
}  // namespace vitrina::testing
