#pragma once
// What the store keeps about acquirer callbacks: the events already applied, for dedupe.

#include <cstdint>
#include <string>

namespace vitrina::store {

/// An acquirer's event, recorded once it has been applied (or found to change nothing).
struct AcquirerEventRecord {
  std::string acquirer;  // "sandbox", …
  std::string event_id;  // the acquirer's own key for the event
  std::string site_id;
  std::string payment_id;
  std::int64_t received_at = 0;  // unix milliseconds
};

}  // namespace vitrina::store
