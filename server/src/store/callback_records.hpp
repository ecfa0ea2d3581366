#pragma once
// What the store keeps about callback requests and ratings. Plain records: the rules (phone
// numbers, statuses, limits, scores) live in sdk/protocol and server/callbacks.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/webhook_records.hpp"

namespace vitrina::store {

struct Callback {
  std::string id;  // cb_…
  std::string site_id;
  std::string phone;  // E.164
  std::string name;
  std::string status = "new";  // new | calling | done | missed | scheduled
  std::string page_url;
  std::string ip;                  // the visitor's address, for the per-address limit
  std::int64_t call_by = 0;        // unix ms; the promised deadline, 0 when scheduled
  std::int64_t scheduled_for = 0;  // unix ms; 0 unless a time was chosen
  std::string operator_id;         // who last changed the status; empty for the API
  std::string note;                // the operator's note with the last change
  std::int64_t created_at = 0;     // unix ms
  std::int64_t updated_at = 0;
  std::int64_t version = 1;
};

/// One way a request may be refused for coming too often: at most `max` requests whose
/// `column` ("phone" or "ip") equals `value` since `since` (unix ms).
struct CallbackLimit {
  std::string column;
  std::string value;
  std::int64_t max = 0;
  std::int64_t since = 0;
  std::int64_t window_ms = 0;
};

/// A visitor's request with what must hold for it to be stored: the proof-of-work challenge it
/// redeems (single use) and the limits, checked in the same transaction as the insert so
/// concurrent requests cannot both squeeze under a limit.
struct NewCallback {
  Callback callback;
  std::string challenge_id;
  std::int64_t challenge_expires_at = 0;  // unix ms; the redemption is kept until then
  std::vector<CallbackLimit> limits;
  NewWebhookEvent event;
};

/// Stored, or refused by a limit (nothing written then).
struct CallbackCreated {
  std::optional<Callback> callback;
  std::string limited_by;     // the limit's column when refused
  std::int64_t retry_at = 0;  // unix ms when the oldest counted request leaves the window
};

/// A status change: `callback` (new state, version + 1) replaces the row if its version is
/// still `expected_version` ("stale" otherwise), with the event in the same write.
struct CallbackUpdate {
  Callback callback;
  std::int64_t expected_version = 0;
  std::optional<NewWebhookEvent> event;
};

struct CallbackQuery {
  std::string site_id;
  std::string status;       // empty: any
  std::int64_t before = 0;  // created_at < before (unix ms); 0: no bound
  std::size_t limit = 50;
};

struct Rating {
  std::string id;  // rt_…
  std::string site_id;
  std::string kind;  // csat | page | nps
  int score = 0;
  std::string comment;
  std::string conversation_id;  // csat only
  std::string operator_id;      // csat, when the chat knows who closed the conversation
  std::string page_url;
  std::string ip;
  std::int64_t created_at = 0;
};

/// A rating with the address limit it must respect, and its event.
struct NewRating {
  Rating rating;
  CallbackLimit limit;  // column "ip"
  NewWebhookEvent event;
};

struct RatingCreated {
  std::optional<Rating> rating;
  std::int64_t retry_at = 0;  // when refused by the limit
};

struct RatingQuery {
  std::string site_id;
  std::string kind;         // empty: any
  std::int64_t from = 0;    // created_at >= from (unix ms)
  std::int64_t to = 0;      // created_at < to; 0: no bound
  std::size_t limit = 100;  // newest first
};

}  // namespace vitrina::store

namespace vitrina::store {

/// What the live chat knows about a conversation being rated.
struct RatedConversation {
  bool found = false;
  bool closed = false;
  std::string operator_id;  // who closed it, or else who it was assigned to
};

}  // namespace vitrina::store
