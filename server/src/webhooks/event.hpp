#pragma once
// Building outbox messages: ids and bodies.

#include <cstdint>
#include <string>
#include <string_view>

#include "store/store.hpp"

namespace vitrina::webhooks {

inline constexpr std::string_view kMessagePrefix = "msg_";

/// "2024-05-01T12:00:00.123Z" for unix milliseconds.
std::string rfc3339_ms(std::int64_t unix_ms);

/// A new message for the outbox: a fresh msg_… id and the body
/// {"type":…,"timestamp":…,"data":<data_json>} fixed now. `data_json` must be a JSON value
/// (the store refuses the write otherwise).
store::NewWebhookEvent make_event(std::string site_id, std::string type, std::string_view data_json,
                                  std::int64_t now_ms);

}  // namespace vitrina::webhooks
