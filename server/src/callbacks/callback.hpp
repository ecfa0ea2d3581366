#pragma once
// Callback requests: reading a visitor's request, deciding what is promised (a call within N
// seconds during business hours, a chosen slot outside them), the statuses operators and the
// API move a request through, and the JSON of a request.
//
//   new ──> calling ──> done
//    │        │  ╰────> missed ──> calling | scheduled
//    │        ╰───────> scheduled ──> calling | missed
//    ╰──> scheduled | missed
//
// done is final. A request made outside business hours starts scheduled.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callbacks/challenge.hpp"
#include "callbacks/settings.hpp"
#include "store/store.hpp"

namespace vitrina::callbacks {

inline constexpr std::string_view kCallbackPrefix = "cb_";
inline constexpr std::size_t kMaxVisitorBody = 8 * 1024;
inline constexpr std::size_t kMaxNameChars = 100;
inline constexpr std::size_t kMaxPageUrlChars = 2048;
inline constexpr std::size_t kMaxNoteChars = 1000;
inline constexpr std::size_t kMaxSlots = 24;
inline constexpr std::string_view kEventRequested = "callback.requested";
inline constexpr std::string_view kEventStatusChanged = "callback.status_changed";

struct VisitorRequest {
  std::string phone;  // E.164
  std::string name;
  std::string page_url;
  std::optional<std::int64_t> slot_ms;
  std::string challenge;
  std::string nonce;
};

/// Parses and checks a visitor's body. Errors: "malformed" (field "body"), "invalid" naming the
/// member (`phone`, `pow.nonce`…), with the phone rules' own messages.
protocol::Result<VisitorRequest> parse_visitor_request(std::string_view body);

struct Slot {
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
};

/// True when the site takes calls at `now_ms` (always, without business hours).
bool is_open(const SiteSettings& settings, std::int64_t now_ms);

/// Outside business hours, the next kMaxSlots slots (slot_minutes long, aligned to the slot
/// length in the site's local time) that start while the site is open, within 7 days; empty
/// during business hours.
std::vector<Slot> offered_slots(const SiteSettings& settings, std::int64_t now_ms);

/// The request to store: refused numbers ("phone_refused", field "phone") and, outside hours,
/// a missing or unoffered slot ("invalid", field "slot") are refused here; the limits and the
/// challenge's redemption go with it to the store.
protocol::Result<store::NewCallback> plan_callback(const store::Site& site, const SiteSettings& settings,
                                                   VisitorRequest request, const CheckedChallenge& challenge,
                                                   std::string ip, std::int64_t now_ms);

/// The status change an operator or the API asks for.
struct StatusChange {
  std::string status;
  std::optional<std::int64_t> scheduled_for_ms;  // required for "scheduled"
  std::string note;
};

/// Parses `{"status":"calling","scheduled_for":"…","note":"…"}`.
protocol::Result<StatusChange> parse_status_change(std::string_view body);

/// True when a request in `from` may move to `to`.
bool transition_allowed(std::string_view from, std::string_view to) noexcept;

/// The update to store, with its event; "conflict" (field "status") for a move the machine
/// refuses, nothing (no update) when the status and schedule are already as asked.
protocol::Result<std::optional<store::CallbackUpdate>> change_status(const store::Callback& current,
                                                                     const StatusChange& change,
                                                                     std::string_view operator_id, std::int64_t now_ms);

/// A request as the API, the console and the webhook show it.
std::string callback_json(const store::Callback& callback);
/// The operators' live frame about a request (docs/protocol.md, `callback`): `event`
/// "requested" when `previous_status` is empty, "status_changed" with it otherwise.
std::string callback_frame(const store::Callback& callback, std::string_view previous_status);
/// `{"data":[…],"has_more":…}`.
std::string callback_list_json(const std::vector<store::Callback>& callbacks, bool has_more);
/// What the widget is told after storing: the promise it shows.
std::string visitor_answer_json(const store::Callback& callback, const SiteSettings& settings);
/// GET …/callbacks/options.
std::string options_json(const SiteSettings& settings, const IssuedChallenge& challenge, std::int64_t now_ms);
std::string challenge_json(const IssuedChallenge& challenge);

}  // namespace vitrina::callbacks
