#include "callback_widget.hpp"

#include <vitrina/protocol/chat_rules.hpp>
#include <vitrina/protocol/json.hpp>
#include <vitrina/protocol/json_reader.hpp>
#include <vitrina/protocol/phone.hpp>
#include <vitrina/protocol/pow.hpp>
#include <vitrina/protocol/timestamp.hpp>

namespace vitrina::widget {

namespace {

// Nonces tried per slice of the proof of work, between which the page gets the main thread back.
constexpr std::uint64_t kPowSlice = 4096;

std::string string_of(const protocol::JsonValue& o, std::string_view key) {
  const protocol::JsonValue* v = o.find(key);
  return v && v->is_string() ? v->text : std::string();
}

// "m:ss" for a countdown.
std::string clock(std::int64_t seconds) {
  const std::int64_t s = seconds % 60;
  return std::to_string(seconds / 60) + (s < 10 ? ":0" : ":") + std::to_string(s);
}

}  // namespace

void CallbackWidget::build(NodeHandle box) {
  intro_ = dom_.add(box, "p", "vitrina-intro");
  phone_ = view_.field(box, texts_.phone, "tel", "tel");
  dom_.set_attribute(phone_.input, "inputmode", "tel");
  name_ = view_.field(box, texts_.name, "text", "name");
  slot_ = view_.field(box, texts_.slot, "select", "");
  status_ = dom_.add(box, "p", "vitrina-error");
  dom_.set_attribute(status_, "role", "alert");
  submit_ = dom_.add_text(box, "button", "vitrina-submit", texts_.request_call);
  dom_.set_attribute(submit_, "type", "button");
  dom_.add_event_listener(submit_, "click", kCallbackSubmit);
  done_ = dom_.add(box, "p", "vitrina-done");
  dom_.set_attribute(done_, "role", "status");
  set_state(State::kIdle);
}

void CallbackWidget::set_state(State state) {
  state_ = state;
  const bool form = state == State::kForm || state == State::kSolving || state == State::kSending;
  for (NodeHandle n : {phone_.wrap, name_.wrap, submit_}) dom_.set_hidden(n, !form);
  dom_.set_hidden(slot_.wrap, !form || open_);
  dom_.set_hidden(done_, state != State::kDone);
  dom_.set_hidden(intro_, state == State::kDone);
  if (state == State::kSolving || state == State::kSending) {
    dom_.set_attribute(submit_, "disabled", "");
  } else {
    dom_.remove_attribute(submit_, "disabled");
  }
}

void CallbackWidget::set_status(std::string_view text) { dom_.set_text(status_, text); }

void CallbackWidget::shown() {
  if (state_ == State::kIdle || state_ == State::kUnavailable) load_options();
  if (state_ == State::kForm) dom_.focus(phone_.input);
}

void CallbackWidget::load_options() {
  set_state(State::kLoading);
  dom_.set_text(intro_, texts_.loading);
  host_.http(RequestId::kCallbackOptions, "GET", api_ + "callbacks/options", "");
}

bool CallbackWidget::on_event(CallbackId callback) {
  if (callback != kCallbackSubmit) return false;
  if (state_ == State::kForm) submit();
  return true;
}

void CallbackWidget::submit() {
  view_.set_field_error(phone_, "");
  view_.set_field_error(name_, "");
  set_status("");
  auto phone = protocol::normalize_phone(dom_.value(phone_.input));
  if (!phone) {
    view_.set_field_error(phone_, std::string(texts_.check_field).append(phone.error().message));
    dom_.focus(phone_.input);
    return;
  }
  if (auto ok = protocol::chat::check_line(dom_.value(name_.input), protocol::chat::kMaxNameChars, "name"); !ok) {
    view_.set_field_error(name_, std::string(texts_.check_field).append(ok.error().message));
    return;
  }
  if (!open_ && slots_.empty()) {
    set_status(texts_.unavailable);
    return;
  }
  start_solving();
}

void CallbackWidget::start_solving() {
  set_state(State::kSolving);
  set_status(texts_.checking);
  next_nonce_ = 0;
  solve_slice();
}

void CallbackWidget::solve_slice() {
  if (auto nonce = protocol::pow_solve(challenge_, difficulty_, next_nonce_, kPowSlice)) {
    nonce_ = *nonce;
    send();
    return;
  }
  next_nonce_ += kPowSlice;
  host_.timer_start(TimerId::kPow, 0);
}

void CallbackWidget::send() {
  set_state(State::kSending);
  protocol::JsonWriter w;
  w.begin_object().key("phone").value(dom_.value(phone_.input));
  if (const std::string name = dom_.value(name_.input); !name.empty()) w.key("name").value(name);
  if (!open_) {
    const std::string chosen = dom_.value(slot_.input);
    std::size_t index = 0;
    for (char c : chosen) index = index * 10 + static_cast<std::size_t>(c - '0');
    if (index < slots_.size()) w.key("slot").value(slots_[index].start);
  }
  if (!page_url_.empty()) w.key("page_url").value(page_url_);
  w.key("pow").begin_object().key("challenge").value(challenge_).key("nonce").value(nonce_).end_object();
  w.end_object();
  host_.http(RequestId::kCallbackSend, "POST", api_ + "callbacks", w.str());
}

void CallbackWidget::on_timer(TimerId id) {
  if (id == TimerId::kPow && state_ == State::kSolving) solve_slice();
  if (id == TimerId::kCountdown && state_ == State::kDone) show_countdown();
}

void CallbackWidget::on_http(RequestId id, int status, std::string_view body) {
  auto parsed = protocol::parse_json(body);
  const protocol::JsonValue empty;
  const protocol::JsonValue& json = parsed && parsed->is_object() ? *parsed : empty;
  const protocol::JsonValue* challenge = json.find("challenge");

  if (id == RequestId::kCallbackOptions) {
    if (status != 200 || !challenge || !challenge->is_object()) {
      set_state(State::kUnavailable);
      dom_.set_text(intro_, texts_.unavailable);
      return;
    }
    const protocol::JsonValue* open = json.find("open");
    open_ = !open || !open->is_bool() || open->boolean;
    challenge_ = string_of(*challenge, "challenge");
    const protocol::JsonValue* difficulty = challenge->find("difficulty");
    difficulty_ = difficulty && difficulty->as_int64() ? static_cast<int>(*difficulty->as_int64()) : 0;
    if (difficulty_ < 0 || difficulty_ > protocol::kMaxPowDifficulty) difficulty_ = protocol::kMaxPowDifficulty;
    zone_ = string_of(json, "time_zone");
    slots_.clear();
    if (const protocol::JsonValue* slots = json.find("slots"); slots && slots->is_array()) {
      for (const protocol::JsonValue& s : slots->items) {
        if (!s.is_object()) continue;
        const std::string start = string_of(s, "start");
        if (auto ms = protocol::parse_timestamp_ms(start)) slots_.push_back({start, *ms});
      }
    }
    // Rebuilt each time: the slots move on.
    NodeHandle select = slot_.input;
    dom_.set_text(select, "");
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      const NodeHandle option = dom_.add_text(select, "option", "", host_.format_time(slots_[i].start_ms, zone_));
      dom_.set_attribute(option, "value", std::to_string(i));
    }
    const protocol::JsonValue* window = json.find("window_s");
    const std::int64_t window_s = window && window->as_int64() ? *window->as_int64() : 0;
    if (open_) {
      dom_.set_text(intro_,
                    window_s >= 120
                        ? std::string(texts_.call_within) + std::to_string(window_s / 60) + std::string(texts_.minutes)
                        : std::string(texts_.call_within) + std::to_string(window_s) + std::string(texts_.seconds));
    } else {
      dom_.set_text(intro_, texts_.choose_slot);
    }
    set_state(State::kForm);
    if (retried_) start_solving();
    return;
  }

  if (id != RequestId::kCallbackSend) return;
  if (status == 201) {
    set_status("");
    retried_ = false;
    set_state(State::kDone);
    if (auto by = protocol::parse_timestamp_ms(string_of(json, "call_by"))) {
      call_by_ms_ = *by;
      show_countdown();
    } else if (auto at = protocol::parse_timestamp_ms(string_of(json, "scheduled_for"))) {
      dom_.set_text(done_, std::string(texts_.call_scheduled).append(host_.format_time(*at, zone_)));
    } else {
      dom_.set_text(done_, texts_.calling_now);
    }
    protocol::JsonWriter w;
    w.begin_object().key("id").value(string_of(json, "id")).key("status").value(string_of(json, "status"));
    w.key("phone").value(string_of(json, "phone")).end_object();
    host_.emit("callback", w.str());
    return;
  }
  set_state(State::kForm);
  const std::string field = string_of(json, "field");
  const std::string detail = string_of(json, "detail");
  if ((status == 403 || status == 409) && field.rfind("pow", 0) == 0 && !retried_) {
    // The challenge expired or was used: a fresh one, and the same request again.
    retried_ = true;
    load_options();
    return;
  }
  retried_ = false;
  if (status == 429) {
    set_status(texts_.too_many);
  } else if (status == 422 && field == "phone") {
    view_.set_field_error(phone_, std::string(texts_.check_field).append(detail));
  } else if (status == 422 && field == "name") {
    view_.set_field_error(name_, std::string(texts_.check_field).append(detail));
  } else {
    set_status(detail.empty() ? texts_.unavailable : std::string_view(detail));
  }
}

void CallbackWidget::show_countdown() {
  const std::int64_t left_ms = call_by_ms_ - host_.now_ms();
  if (left_ms <= 0) {
    dom_.set_text(done_, texts_.calling_now);
    return;
  }
  dom_.set_text(done_, std::string(texts_.calling_in) + clock((left_ms + 999) / 1000));
  // The next tick when the shown second changes.
  host_.timer_start(TimerId::kCountdown, left_ms % 1000 ? left_ms % 1000 : 1000);
}

}  // namespace vitrina::widget
