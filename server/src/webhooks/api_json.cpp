#include "webhooks/api_json.hpp"

#include "vitrina/protocol/json.hpp"
#include "webhooks/endpoints.hpp"
#include "webhooks/event.hpp"

namespace vitrina::webhooks {

namespace {

using protocol::JsonWriter;

JsonWriter& time_or_null(JsonWriter& w, std::int64_t unix_ms) {
  return unix_ms > 0 ? w.value(rfc3339_ms(unix_ms)) : w.null();
}

JsonWriter& text_or_null(JsonWriter& w, const std::string& text) { return text.empty() ? w.null() : w.value(text); }

void write_endpoint(JsonWriter& w, const store::WebhookEndpoint& e, std::int64_t now_ms, bool show_secret) {
  w.begin_object().key("id").value(e.id).key("url").value(e.url).key("description").value(e.description);
  w.key("event_types").begin_array();
  for (const auto& t : e.event_types) w.value(t);
  w.end_array();
  w.key("signing").value(to_string(signing_of(e)));
  w.key("public_key");
  text_or_null(w, e.public_key);
  if (show_secret && !e.secret.empty()) w.key("secret").value(e.secret);
  w.key("enabled").value(!e.disabled).key("disabled_reason");
  text_or_null(w, e.disabled ? e.disabled_reason : std::string());
  // While the keys from before the last rotation still sign, the shop can tell until when.
  const bool overlapping =
      e.previous_secret_expires_at > now_ms && (!e.previous_secret.empty() || !e.previous_signing_key.empty());
  w.key("previous_keys_expire_at");
  time_or_null(w, overlapping ? e.previous_secret_expires_at : 0);
  w.key("created_at").value(rfc3339_ms(e.created_at)).key("updated_at");
  time_or_null(w, e.updated_at > 0 ? e.updated_at : e.created_at);
  w.end_object();
}

void write_delivery(JsonWriter& w, const store::WebhookDelivery& d) {
  w.begin_object().key("endpoint_id").value(d.endpoint_id).key("status").value(d.status);
  w.key("attempts").value(d.attempts).key("next_attempt_at");
  time_or_null(w, d.status == store::delivery_status::kPending ? d.next_attempt_at : 0);
  w.key("last_status_code");
  if (d.last_status_code > 0) {
    w.value(d.last_status_code);
  } else {
    w.null();
  }
  w.key("last_error");
  text_or_null(w, d.last_error);
  w.key("updated_at").value(rfc3339_ms(d.updated_at)).end_object();
}

void write_attempt(JsonWriter& w, const store::WebhookAttempt& a) {
  w.begin_object().key("id").value(a.id).key("endpoint_id").value(a.endpoint_id);
  w.key("attempted_at").value(rfc3339_ms(a.attempted_at)).key("status_code");
  if (a.status_code > 0) {
    w.value(a.status_code);
  } else {
    w.null();
  }
  w.key("error");
  text_or_null(w, a.error);
  w.key("duration_ms").value(a.duration_ms).key("response").value(a.response_snippet);
  w.key("next_attempt_at");
  time_or_null(w, a.next_attempt_at);
  w.end_object();
}

void write_message(JsonWriter& w, const store::WebhookMessage& m, const std::vector<store::WebhookDelivery>& deliveries,
                   const std::vector<store::WebhookAttempt>* attempts) {
  w.begin_object().key("id").value(m.id).key("type").value(m.event_type);
  w.key("created_at").value(rfc3339_ms(m.created_at));
  // The store checked the body is JSON when it was written, and it never changes.
  if (attempts != nullptr) w.key("payload").raw(m.payload);
  w.key("deliveries").begin_array();
  for (const auto& d : deliveries) write_delivery(w, d);
  w.end_array();
  if (attempts != nullptr) {
    w.key("attempts").begin_array();
    for (const auto& a : *attempts) write_attempt(w, a);
    w.end_array();
  }
  w.end_object();
}

}  // namespace

std::string endpoint_json(const store::WebhookEndpoint& endpoint, std::int64_t now_ms, bool show_secret) {
  JsonWriter w;
  write_endpoint(w, endpoint, now_ms, show_secret);
  return std::move(w).str();
}

std::string endpoint_list_json(const std::vector<store::WebhookEndpoint>& endpoints, std::int64_t now_ms) {
  JsonWriter w;
  w.begin_object().key("items").begin_array();
  for (const auto& e : endpoints) write_endpoint(w, e, now_ms, false);
  w.end_array().end_object();
  return std::move(w).str();
}

std::string message_json(const store::WebhookMessage& message, const std::vector<store::WebhookDelivery>& deliveries,
                         const std::vector<store::WebhookAttempt>* attempts) {
  JsonWriter w;
  w.reserve(attempts != nullptr ? message.payload.size() + 512 : 256);
  write_message(w, message, deliveries, attempts);
  return std::move(w).str();
}

std::string message_list_json(
    const std::vector<std::pair<store::WebhookMessage, std::vector<store::WebhookDelivery>>>& messages) {
  JsonWriter w;
  w.begin_object().key("items").begin_array();
  for (const auto& [m, deliveries] : messages) write_message(w, m, deliveries, nullptr);
  w.end_array().end_object();
  return std::move(w).str();
}

}  // namespace vitrina::webhooks
