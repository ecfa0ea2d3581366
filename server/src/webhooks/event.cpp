#include "webhooks/event.hpp"

#include <cstdio>
#include <ctime>

#include "auth/keys.hpp"
#include "vitrina/protocol/json.hpp"

namespace vitrina::webhooks {

std::string rfc3339_ms(std::int64_t unix_ms) {
  const std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  ::gmtime_r(&seconds, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(unix_ms % 1000));
  return buf;
}

store::NewWebhookEvent make_event(std::string site_id, std::string type, std::string_view data_json,
                                  std::int64_t now_ms) {
  protocol::JsonWriter w;
  w.reserve(data_json.size() + type.size() + 64);
  w.begin_object().key("type").value(type).key("timestamp").value(rfc3339_ms(now_ms));
  w.key("data").raw(data_json).end_object();
  return {.message_id = auth::generate_id(kMessagePrefix),
          .site_id = std::move(site_id),
          .event_type = std::move(type),
          .payload = std::move(w).str(),
          .created_at = now_ms,
          .only_endpoint_id = {}};
}

}  // namespace vitrina::webhooks
