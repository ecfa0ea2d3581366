// Callback request rules without a server: reading the visitor's body, the promise during
// business hours, slots outside them, refused ranges and the status machine.

#include "callbacks/callback.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include "vitrina/protocol/timestamp.hpp"

namespace vitrina::callbacks {
namespace {

// Monday 2026-11-23 10:00 UTC.
const std::int64_t kMonday10 = protocol::parse_timestamp_ms("2026-11-23T10:00:00Z").value();

SiteSettings with_hours(const std::string& json) {
  SiteSettings s;
  auto schedule = chat::parse_business_hours(json);
  EXPECT_TRUE(schedule) << schedule.error().message;
  if (schedule) s.hours = std::move(*schedule);
  return s;
}

const char* kWeekdays =
    R"({"time_zone":"Europe/Moscow","weekly":{"mon":["09:00-18:00"],"tue":["09:00-18:00"],"wed":["09:00-18:00"],)"
    R"("thu":["09:00-18:00"],"fri":["09:00-18:00"]}})";

VisitorRequest request(std::optional<std::int64_t> slot = std::nullopt) {
  VisitorRequest r;
  r.phone = "+79123456789";
  r.slot_ms = slot;
  return r;
}

TEST(VisitorRequest, ReadsAndNormalises) {
  auto r = parse_visitor_request(
      R"({"phone":"8 (912) 345-67-89","name":"Anna","slot":"2026-11-23T07:00:00Z","pow":{"challenge":"c","nonce":"1"}})");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->phone, "+79123456789");
  EXPECT_EQ(r->name, "Anna");
  EXPECT_EQ(r->slot_ms, protocol::parse_timestamp_ms("2026-11-23T07:00:00Z"));
  EXPECT_EQ(r->challenge, "c");
  EXPECT_EQ(r->nonce, "1");
}

TEST(VisitorRequest, NamesTheFieldAtFault) {
  const std::string pow = R"("pow":{"challenge":"c","nonce":"1"})";
  for (auto [body, field] : std::vector<std::pair<std::string, std::string>>{
           {"[]", "body"},
           {"{" + pow + "}", "phone"},
           {R"({"phone":"+7 912",)" + pow + "}", "phone"},
           {R"({"phone":"89123456789","name":false,)" + pow + "}", "name"},
           {R"({"phone":"89123456789","pow":{"challenge":"c","nonce":"1","x":1}})", "pow.x"},
           {R"({"phone":"89123456789","pow":{"nonce":"1"}})", "pow.challenge"},
           {R"({"phone":"89123456789","pow":[]})", "pow"},
       }) {
    auto r = parse_visitor_request(body);
    ASSERT_FALSE(r) << body;
    EXPECT_EQ(r.error().field, field) << body;
  }
  auto broken = parse_visitor_request("{");
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().code, vitrina::protocol::ErrorCode::malformed);
}

TEST(Slots, NoneDuringHoursAndAlignedToOpeningsOutsideThem) {
  const auto s = with_hours(kWeekdays);
  // 10:00 UTC is 13:00 in Moscow: open.
  EXPECT_TRUE(is_open(s, kMonday10));
  EXPECT_TRUE(offered_slots(s, kMonday10).empty());
  // 16:00 UTC is 19:00 in Moscow: closed until Tuesday 09:00 MSK = 06:00 UTC.
  const std::int64_t evening = kMonday10 + 6 * 3600 * 1000;
  const auto slots = offered_slots(s, evening);
  ASSERT_EQ(slots.size(), kMaxSlots);
  EXPECT_EQ(protocol::format_timestamp_ms(slots[0].start_ms), "2026-11-24T06:00:00.000Z");
  EXPECT_EQ(slots[1].start_ms - slots[0].start_ms, 30 * 60 * 1000);
  // Eighteen half-hour slots fill Tuesday 09:00-18:00; the rest start on Wednesday.
  EXPECT_EQ(protocol::format_timestamp_ms(slots[17].end_ms), "2026-11-24T15:00:00.000Z");
  EXPECT_EQ(protocol::format_timestamp_ms(slots[18].start_ms), "2026-11-25T06:00:00.000Z");
  EXPECT_TRUE(offered_slots(SiteSettings{}, evening).empty()) << "no business hours: always open";
}

TEST(PlanCallback, PromisesWithinTheWindowDuringHours) {
  auto s = with_hours(kWeekdays);
  s.window_s = 45;
  store::Site site{.id = "site_A"};
  auto plan = plan_callback(site, s, request(), {"id1", 1900000000}, "203.0.113.5", kMonday10);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(plan->callback.status, "new");
  EXPECT_EQ(plan->callback.call_by, kMonday10 + 45000);
  EXPECT_EQ(plan->challenge_expires_at, 1900000000LL * 1000);
  ASSERT_EQ(plan->limits.size(), 2u);
  EXPECT_EQ(plan->limits[0].column, "phone");
  EXPECT_EQ(plan->limits[1].value, "203.0.113.5");
  EXPECT_EQ(plan->event.event_type, kEventRequested);
  EXPECT_NE(plan->event.payload.find(R"("status":"new")"), std::string::npos);
}

TEST(PlanCallback, OutsideHoursNeedsAnOfferedSlotAndRefusedRangesAreRefused) {
  auto s = with_hours(kWeekdays);
  store::Site site{.id = "site_A"};
  const std::int64_t evening = kMonday10 + 6 * 3600 * 1000;
  const auto slots = offered_slots(s, evening);
  auto missing = plan_callback(site, s, request(), {"id1", 0}, "", evening);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().field, "slot");
  auto odd = plan_callback(site, s, request(slots[0].start_ms + 1), {"id1", 0}, "", evening);
  ASSERT_FALSE(odd);
  EXPECT_EQ(odd.error().field, "slot");
  auto chosen = plan_callback(site, s, request(slots[3].start_ms), {"id1", 0}, "", evening);
  ASSERT_TRUE(chosen);
  EXPECT_EQ(chosen->callback.status, "scheduled");
  EXPECT_EQ(chosen->callback.scheduled_for, slots[3].start_ms);
  EXPECT_EQ(chosen->limits.size(), 1u) << "no address, no address limit";
  s.refused_prefixes = {"+7912"};
  auto refused = plan_callback(site, s, request(slots[3].start_ms), {"id1", 0}, "", evening);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, vitrina::protocol::ErrorCode::phone_refused);
}

TEST(CallbackStatus, FollowsTheMachine) {
  EXPECT_TRUE(transition_allowed("new", "calling"));
  EXPECT_TRUE(transition_allowed("calling", "done"));
  EXPECT_TRUE(transition_allowed("calling", "missed"));
  EXPECT_TRUE(transition_allowed("calling", "scheduled"));
  EXPECT_TRUE(transition_allowed("missed", "calling"));
  EXPECT_TRUE(transition_allowed("scheduled", "calling"));
  EXPECT_FALSE(transition_allowed("new", "done"));
  EXPECT_FALSE(transition_allowed("done", "calling"));
  EXPECT_FALSE(transition_allowed("done", "missed"));
  EXPECT_FALSE(transition_allowed("calling", "new"));
}

TEST(CallbackStatus, ChangeCarriesTheEventAndRepeatsChangeNothing) {
  store::Callback c{.id = "cb_1", .site_id = "site_A", .phone = "+79123456789", .status = "new", .version = 3};
  auto change = parse_status_change(R"({"status":"calling","note":"dialling"})");
  ASSERT_TRUE(change);
  auto up = change_status(c, *change, "op_1", kMonday10);
  ASSERT_TRUE(up && *up);
  EXPECT_EQ((*up)->expected_version, 3);
  EXPECT_EQ((*up)->callback.version, 4);
  EXPECT_EQ((*up)->callback.operator_id, "op_1");
  ASSERT_TRUE((*up)->event);
  EXPECT_EQ((*up)->event->event_type, kEventStatusChanged);
  EXPECT_NE((*up)->event->payload.find(R"("previous_status":"new")"), std::string::npos);
  c.status = "calling";
  auto same = change_status(c, *change, "op_1", kMonday10);
  ASSERT_TRUE(same);
  EXPECT_FALSE(*same);
  c.status = "done";
  auto refused = change_status(c, *change, "op_1", kMonday10);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, vitrina::protocol::ErrorCode::conflict);
  auto past = parse_status_change(R"({"status":"scheduled","scheduled_for":"2020-01-01T00:00:00Z"})");
  ASSERT_TRUE(past);
  c.status = "calling";
  auto in_past = change_status(c, *past, "", kMonday10);
  ASSERT_FALSE(in_past);
  EXPECT_EQ(in_past.error().field, "scheduled_for");
  EXPECT_FALSE(parse_status_change(R"({"status":"new"})"));
  EXPECT_FALSE(parse_status_change(R"({"status":"done","scheduled_for":"2030-01-01T00:00:00Z"})"));
}

TEST(CallbackFrame, NamesTheEventAndCarriesTheApiObject) {
  store::Callback c{.id = "cb_1", .site_id = "site_A", .phone = "+79123456789", .name = "Anna", .status = "new"};
  c.created_at = c.updated_at = kMonday10;
  c.call_by = kMonday10 + 30000;
  EXPECT_EQ(callback_frame(c, ""), R"({"type":"callback","event":"requested","callback":)" + callback_json(c) + "}");
  c.status = "calling";
  EXPECT_EQ(
      callback_frame(c, "new"),
      R"({"type":"callback","event":"status_changed","previous_status":"new","callback":)" + callback_json(c) + "}");
}

}  // namespace
}  // namespace vitrina::callbacks
