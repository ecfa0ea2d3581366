#include "callbacks/callback.hpp"

#include <algorithm>
#include <utility>

#include "auth/keys.hpp"
#include "callbacks/json_input.hpp"
#include "vitrina/protocol/json.hpp"
#include "vitrina/protocol/phone.hpp"
#include "vitrina/protocol/timestamp.hpp"
#include "webhooks/event.hpp"

namespace vitrina::callbacks {

namespace {

using protocol::make_error;
using protocol::Result;

constexpr std::int64_t kSlotHorizonMs = 7LL * 24 * 3600 * 1000;

void time_or_null(protocol::JsonWriter& w, std::string_view key, std::int64_t ms) {
  w.key(key);
  if (ms > 0) {
    w.value(protocol::format_timestamp_ms(ms));
  } else {
    w.null();
  }
}

void write_callback(protocol::JsonWriter& w, const store::Callback& c) {
  w.begin_object();
  w.key("id").value(c.id);
  w.key("object").value("callback");
  w.key("status").value(c.status);
  w.key("phone").value(c.phone);
  w.key("name").value(c.name);
  w.key("page_url").value(c.page_url);
  time_or_null(w, "call_by", c.call_by);
  time_or_null(w, "scheduled_for", c.scheduled_for);
  w.key("operator_id").value(c.operator_id);
  w.key("note").value(c.note);
  w.key("created_at").value(protocol::format_timestamp_ms(c.created_at));
  w.key("updated_at").value(protocol::format_timestamp_ms(c.updated_at));
  w.end_object();
}

void write_challenge(protocol::JsonWriter& w, const IssuedChallenge& c) {
  w.begin_object();
  w.key("challenge").value(c.token);
  w.key("difficulty").value(c.difficulty);
  w.key("expires_at").value(protocol::format_timestamp_ms(c.expires_at_s * 1000));
  w.end_object();
}

}  // namespace

Result<VisitorRequest> parse_visitor_request(std::string_view body) {
  auto doc = parse_object(body, kMaxVisitorBody);
  if (!doc) return std::move(doc).error();
  if (auto r = only_members(*doc, {"phone", "name", "page_url", "slot", "pow"}); !r) return std::move(r).error();
  VisitorRequest out;
  const protocol::JsonValue* phone = doc->find("phone");
  if (phone == nullptr || phone->is_null()) return invalid("phone", "is required");
  if (!phone->is_string()) return invalid("phone", "must be a string");
  auto number = protocol::normalize_phone(phone->text, "phone");
  if (!number) return std::move(number).error();
  out.phone = std::move(number->e164);
  auto name = optional_text(*doc, "name", kMaxNameChars);
  if (!name) return std::move(name).error();
  out.name = name->value_or("");
  auto page = optional_text(*doc, "page_url", kMaxPageUrlChars);
  if (!page) return std::move(page).error();
  out.page_url = page->value_or("");
  auto slot = optional_time(*doc, "slot");
  if (!slot) return std::move(slot).error();
  out.slot_ms = *slot;
  const protocol::JsonValue* pow = doc->find("pow");
  if (pow == nullptr || pow->is_null()) return invalid("pow", "is required: fetch a challenge and solve it");
  if (!pow->is_object()) return invalid("pow", "must be an object with challenge and nonce");
  if (auto r = only_members(*pow, {"challenge", "nonce"}, "pow."); !r) return std::move(r).error();
  const protocol::JsonValue* challenge = pow->find("challenge");
  if (challenge == nullptr || !challenge->is_string()) return invalid("pow.challenge", "must be a string");
  const protocol::JsonValue* nonce = pow->find("nonce");
  if (nonce == nullptr || !nonce->is_string()) return invalid("pow.nonce", "must be a string of decimal digits");
  out.challenge = challenge->text;
  out.nonce = nonce->text;
  return out;
}

bool is_open(const SiteSettings& settings, std::int64_t now_ms) {
  return !settings.hours || settings.hours->is_open(now_ms);
}

std::vector<Slot> offered_slots(const SiteSettings& settings, std::int64_t now_ms) {
  std::vector<Slot> out;
  if (is_open(settings, now_ms)) return out;
  const std::int64_t length = settings.slot_minutes * 60 * 1000;
  const std::int64_t horizon = now_ms + kSlotHorizonMs;
  auto start = settings.hours->next_open(now_ms);
  // Slots follow each other from each opening, so they line up with the opening times.
  while (start && *start < horizon && out.size() < kMaxSlots) {
    std::int64_t t = *start;
    const std::int64_t closes = settings.hours->closes_at(t).value_or(t + length);
    for (; t < closes && out.size() < kMaxSlots; t += length) {
      if (t > now_ms) out.push_back(Slot{t, std::min(t + length, closes)});
    }
    start = settings.hours->next_open(closes);
  }
  return out;
}

Result<store::NewCallback> plan_callback(const store::Site& site, const SiteSettings& settings, VisitorRequest request,
                                         const CheckedChallenge& challenge, std::string ip, std::int64_t now_ms) {
  if (protocol::phone_has_prefix(request.phone, settings.refused_prefixes)) {
    return make_error(protocol::ErrorCode::phone_refused, "this number cannot be called back; please use another",
                      "phone");
  }
  store::NewCallback out;
  store::Callback& c = out.callback;
  c.id = auth::generate_id(kCallbackPrefix);
  c.site_id = site.id;
  c.phone = std::move(request.phone);
  c.name = std::move(request.name);
  c.page_url = std::move(request.page_url);
  c.ip = std::move(ip);
  c.created_at = now_ms;
  c.updated_at = now_ms;
  if (is_open(settings, now_ms)) {
    c.status = "new";
    c.call_by = now_ms + settings.window_s * 1000;
  } else {
    const auto slots = offered_slots(settings, now_ms);
    if (!request.slot_ms) return invalid("slot", "is required outside business hours: choose one of the offered times");
    const bool offered =
        std::any_of(slots.begin(), slots.end(), [&](const Slot& s) { return s.start_ms == *request.slot_ms; });
    if (!offered) return invalid("slot", "is not one of the offered times");
    c.status = "scheduled";
    c.scheduled_for = *request.slot_ms;
  }
  out.challenge_id = challenge.id;
  out.challenge_expires_at = challenge.expires_at_s * 1000;
  const std::int64_t window = settings.limit_window_s * 1000;
  out.limits.push_back({"phone", c.phone, settings.phone_limit, now_ms - window, window});
  if (!c.ip.empty()) out.limits.push_back({"ip", c.ip, settings.ip_limit, now_ms - window, window});
  out.event = webhooks::make_event(site.id, std::string(kEventRequested), callback_json(c), now_ms);
  return out;
}

Result<StatusChange> parse_status_change(std::string_view body) {
  auto doc = parse_object(body, kMaxVisitorBody);
  if (!doc) return std::move(doc).error();
  if (auto r = only_members(*doc, {"status", "scheduled_for", "note"}); !r) return std::move(r).error();
  StatusChange out;
  const protocol::JsonValue* status = doc->find("status");
  if (status == nullptr || !status->is_string())
    return invalid("status", "is required: calling, done, missed or scheduled");
  out.status = status->text;
  if (out.status != "calling" && out.status != "done" && out.status != "missed" && out.status != "scheduled") {
    return invalid("status", "must be calling, done, missed or scheduled");
  }
  auto when = optional_time(*doc, "scheduled_for");
  if (!when) return std::move(when).error();
  out.scheduled_for_ms = *when;
  if (out.status == "scheduled" && !out.scheduled_for_ms) return invalid("scheduled_for", "is required with scheduled");
  if (out.status != "scheduled" && out.scheduled_for_ms) return invalid("scheduled_for", "goes only with scheduled");
  auto note = optional_text(*doc, "note", kMaxNoteChars);
  if (!note) return std::move(note).error();
  out.note = note->value_or("");
  return out;
}

bool transition_allowed(std::string_view from, std::string_view to) noexcept {
  if (from == "new") return to == "calling" || to == "scheduled" || to == "missed";
  if (from == "calling") return to == "done" || to == "missed" || to == "scheduled";
  if (from == "missed" || from == "scheduled") return to == "calling" || to == "scheduled" || to == "missed";
  return false;
}

Result<std::optional<store::CallbackUpdate>> change_status(const store::Callback& current, const StatusChange& change,
                                                           std::string_view operator_id, std::int64_t now_ms) {
  const std::int64_t scheduled_for = change.scheduled_for_ms.value_or(0);
  if (change.status == current.status && (change.status != "scheduled" || scheduled_for == current.scheduled_for)) {
    return std::optional<store::CallbackUpdate>{};
  }
  if (!transition_allowed(current.status, change.status)) {
    return make_error(protocol::ErrorCode::conflict,
                      "a callback request that is " + current.status + " cannot become " + change.status, "status");
  }
  if (change.status == "scheduled" && scheduled_for <= now_ms) return invalid("scheduled_for", "must be in the future");
  store::CallbackUpdate up;
  up.callback = current;
  up.expected_version = current.version;
  store::Callback& c = up.callback;
  c.status = change.status;
  if (change.status == "scheduled") c.scheduled_for = scheduled_for;
  c.operator_id = std::string(operator_id);
  c.note = change.note;
  c.updated_at = now_ms;
  c.version = current.version + 1;
  protocol::JsonWriter data;
  data.begin_object();
  data.key("previous_status").value(current.status);
  data.key("callback");
  write_callback(data, c);
  data.end_object();
  up.event = webhooks::make_event(c.site_id, std::string(kEventStatusChanged), data.str(), now_ms);
  return std::optional<store::CallbackUpdate>{std::move(up)};
}

std::string callback_json(const store::Callback& callback) {
  protocol::JsonWriter w;
  write_callback(w, callback);
  return std::move(w).str();
}

std::string callback_frame(const store::Callback& callback, std::string_view previous_status) {
  protocol::JsonWriter w;
  w.begin_object().key("type").value("callback");
  if (previous_status.empty()) {
    w.key("event").value("requested");
  } else {
    w.key("event").value("status_changed").key("previous_status").value(previous_status);
  }
  w.key("callback");
  write_callback(w, callback);
  w.end_object();
  return std::move(w).str();
}

std::string callback_list_json(const std::vector<store::Callback>& callbacks, bool has_more) {
  protocol::JsonWriter w;
  w.begin_object().key("object").value("list").key("data").begin_array();
  for (const auto& c : callbacks) write_callback(w, c);
  w.end_array().key("has_more").value(has_more).end_object();
  return std::move(w).str();
}

std::string visitor_answer_json(const store::Callback& c, const SiteSettings& settings) {
  protocol::JsonWriter w;
  w.begin_object();
  w.key("id").value(c.id);
  w.key("status").value(c.status);
  w.key("phone").value(c.phone);
  w.key("created_at").value(protocol::format_timestamp_ms(c.created_at));
  if (c.status == "scheduled") {
    w.key("scheduled_for").value(protocol::format_timestamp_ms(c.scheduled_for));
  } else {
    w.key("call_within_s").value(settings.window_s);
    w.key("call_by").value(protocol::format_timestamp_ms(c.call_by));
  }
  w.end_object();
  return std::move(w).str();
}

std::string options_json(const SiteSettings& settings, const IssuedChallenge& challenge, std::int64_t now_ms) {
  protocol::JsonWriter w;
  w.begin_object();
  w.key("open").value(is_open(settings, now_ms));
  w.key("window_s").value(settings.window_s);
  w.key("time_zone").value(settings.hours ? std::string_view(settings.hours->hours().time_zone) : "UTC");
  w.key("slots").begin_array();
  for (const auto& s : offered_slots(settings, now_ms)) {
    w.begin_object();
    w.key("start").value(protocol::format_timestamp_ms(s.start_ms));
    w.key("end").value(protocol::format_timestamp_ms(s.end_ms));
    w.end_object();
  }
  w.end_array();
  w.key("challenge");
  write_challenge(w, challenge);
  w.end_object();
  return std::move(w).str();
}

std::string challenge_json(const IssuedChallenge& challenge) {
  protocol::JsonWriter w;
  write_challenge(w, challenge);
  return std::move(w).str();
}

}  // namespace vitrina::callbacks
