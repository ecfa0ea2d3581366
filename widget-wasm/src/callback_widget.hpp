#pragma once
// The callback widget: a phone number (normalised to E.164 here, with the same rules the server
// applies), a name, and during business hours a promise to call within N seconds with a live
// countdown, outside them a choice of time slots in the site's time zone. Each request carries a
// small proof of work (vitrina/protocol/pow.hpp) instead of a CAPTCHA. Endpoints: docs/api.md,
// "Widget endpoints".

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "chat_view.hpp"
#include "dom.hpp"
#include "host.hpp"
#include "texts.hpp"

namespace vitrina::widget {

class CallbackWidget {
 public:
  enum class State : std::uint8_t { kIdle, kLoading, kForm, kSolving, kSending, kDone, kUnavailable };

  CallbackWidget(Dom& dom, Host& host, ChatView& view, const Texts& texts, std::string api_url, std::string page_url)
      : dom_(dom), host_(host), view_(view), texts_(texts), api_(std::move(api_url)), page_url_(std::move(page_url)) {}

  // Builds the form in `box` (the panel's callback container).
  void build(NodeHandle box);
  // The form is shown: fetches what to offer (hours or slots, and a challenge) unless it has.
  void shown();
  bool on_event(CallbackId callback);
  void on_http(RequestId id, int status, std::string_view body);
  void on_timer(TimerId id);

  State state() const noexcept { return state_; }
  const Field& phone() const noexcept { return phone_; }
  const Field& name() const noexcept { return name_; }

 private:
  struct Slot {
    std::string start;  // as the server wrote it, sent back unchanged
    std::int64_t start_ms = 0;
  };

  void load_options();
  void submit();
  void start_solving();
  void solve_slice();
  void send();
  void show_countdown();
  void set_status(std::string_view text);
  void set_state(State state);

  Dom& dom_;
  Host& host_;
  ChatView& view_;
  const Texts& texts_;
  std::string api_;
  std::string page_url_;
  State state_ = State::kIdle;
  NodeHandle intro_ = kNoNode, status_ = kNoNode, submit_ = kNoNode, done_ = kNoNode;
  Field phone_, name_, slot_;
  bool open_ = true;
  std::vector<Slot> slots_;
  std::string zone_;  // the site's time zone, for showing times
  std::string challenge_;
  int difficulty_ = 0;
  std::uint64_t next_nonce_ = 0;
  std::string nonce_;
  bool retried_ = false;  // a refused challenge is replaced once per request
  std::int64_t call_by_ms_ = 0;
};

}  // namespace vitrina::widget
