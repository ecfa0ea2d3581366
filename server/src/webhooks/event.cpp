#include "webhooks/event.hpp"

#include <cstdio>
#include <ctime>

#include "auth/keys.hpp"
#include "vitrina/protocol/json.hpp"
#include "webhooks/target.hpp"

namespace vitrina::webhooks {

namespace {

bool valid_pattern(std::string_view p) {
  if (p.empty() || p.size() > 128) return false;
  for (const char c : p) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '*';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

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

std::vector<webhook::SigningKey> signing_keys(const store::WebhookEndpoint& endpoint, std::int64_t now_ms) {
  std::vector<webhook::SigningKey> keys;
  if (auto key = webhook::signing_key_parse(endpoint.secret)) keys.push_back(std::move(*key));
  if (!endpoint.previous_secret.empty() && endpoint.previous_secret_expires_at > now_ms) {
    if (auto key = webhook::signing_key_parse(endpoint.previous_secret)) keys.push_back(std::move(*key));
  }
  return keys;
}

protocol::Result<NewEndpoint> create_endpoint(store::Store& store, const std::string& site_id, const std::string& url,
                                              std::vector<std::string> event_types, bool allow_private,
                                              std::int64_t now_ms) {
  if (auto checked = validate_endpoint_url(url, allow_private); !checked) return std::move(checked).error();
  if (event_types.size() > 64) return protocol::make_error("invalid", "at most 64 event types", "event");
  for (const auto& p : event_types) {
    if (!valid_pattern(p)) {
      return protocol::make_error("invalid", "event type \"" + p + "\" may hold only a-z, 0-9, _, . and *", "event");
    }
  }
  auto secret = webhook::secret_generate();
  if (!secret) return std::move(secret).error();
  store::WebhookEndpoint endpoint{.id = auth::generate_id(kEndpointPrefix),
                                  .site_id = site_id,
                                  .url = url,
                                  .event_types = std::move(event_types),
                                  .secret = *secret,
                                  .created_at = now_ms};
  auto inserted = store::wait_for<store::WebhookEndpoint>([&](store::Done<store::WebhookEndpoint> done) {
    store.insert_webhook_endpoint(std::move(endpoint), std::move(done));
  });
  if (!inserted) return std::move(inserted).error();
  return NewEndpoint{.endpoint = std::move(*inserted), .secret = std::move(*secret)};
}

protocol::Result<std::string> rotate_endpoint_secret(store::Store& store, const std::string& endpoint_id,
                                                     std::int64_t now_ms) {
  auto secret = webhook::secret_generate();
  if (!secret) return std::move(secret).error();
  auto rotated = store::wait_for<void>([&](store::Done<void> done) {
    store.rotate_webhook_secret(endpoint_id, *secret, now_ms + kRotationOverlapMs, std::move(done));
  });
  if (!rotated) return std::move(rotated).error();
  return std::move(*secret);
}

}  // namespace vitrina::webhooks
