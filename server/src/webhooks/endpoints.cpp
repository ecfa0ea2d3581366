#include "webhooks/endpoints.hpp"

#include "auth/keys.hpp"
#include "webhooks/target.hpp"

namespace vitrina::webhooks {

namespace {

bool valid_pattern(std::string_view p) {
  if (p.empty() || p.size() > kMaxEventTypeLength) return false;
  for (const char c : p) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '*';
    if (!ok) return false;
  }
  return true;
}

// Characters, not bytes (the text is UTF-8).
std::size_t char_count(std::string_view s) noexcept {
  std::size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

void add_key(std::vector<webhook::SigningKey>& keys, const std::string& text) {
  if (text.empty()) return;
  if (auto key = webhook::signing_key_parse(text)) keys.push_back(std::move(*key));
}

}  // namespace

std::optional<Signing> parse_signing(std::string_view text) {
  if (text == "hmac") return Signing::hmac;
  if (text == "ed25519") return Signing::ed25519;
  if (text == "both") return Signing::both;
  return std::nullopt;
}

std::string_view to_string(Signing signing) {
  switch (signing) {
    case Signing::hmac:
      return "hmac";
    case Signing::ed25519:
      return "ed25519";
    case Signing::both:
      return "both";
  }
  return "hmac";
}

Signing signing_of(const store::WebhookEndpoint& endpoint) {
  if (endpoint.signing_key.empty()) return Signing::hmac;
  return endpoint.secret.empty() ? Signing::ed25519 : Signing::both;
}

protocol::Result<void> validate_event_types(const std::vector<std::string>& patterns, std::string_view field) {
  if (patterns.size() > kMaxEventTypes) {
    return protocol::make_error(protocol::ErrorCode::invalid,
                                "must hold at most " + std::to_string(kMaxEventTypes) + " event types",
                                std::string(field));
  }
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    if (!valid_pattern(patterns[i])) {
      return protocol::make_error(protocol::ErrorCode::invalid,
                                  "must be 1 to " + std::to_string(kMaxEventTypeLength) +
                                      " characters of a-z, 0-9, _, . and * (e.g. payment.*)",
                                  std::string(field) + "[" + std::to_string(i) + "]");
    }
  }
  return {};
}

protocol::Result<void> validate_description(std::string_view description) {
  if (char_count(description) > kMaxDescription) {
    return protocol::make_error(protocol::ErrorCode::invalid,
                                "must be at most " + std::to_string(kMaxDescription) + " characters", "description");
  }
  for (const char c : description) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return protocol::make_error(protocol::ErrorCode::invalid, "must not contain control characters", "description");
    }
  }
  return {};
}

protocol::Result<store::WebhookEndpoint> new_endpoint(const std::string& site_id, EndpointSpec spec, bool allow_private,
                                                      std::int64_t now_ms) {
  if (auto checked = validate_endpoint_url(spec.url, allow_private); !checked) return std::move(checked).error();
  if (auto ok = validate_event_types(spec.event_types, "event_types"); !ok) return std::move(ok).error();
  if (auto ok = validate_description(spec.description); !ok) return std::move(ok).error();
  store::WebhookEndpoint endpoint{.id = auth::generate_id(kEndpointPrefix),
                                  .site_id = site_id,
                                  .url = std::move(spec.url),
                                  .event_types = std::move(spec.event_types),
                                  .created_at = now_ms,
                                  .description = std::move(spec.description),
                                  .updated_at = now_ms};
  if (spec.signing != Signing::ed25519) {
    auto secret = webhook::secret_generate();
    if (!secret) return std::move(secret).error();
    endpoint.secret = std::move(*secret);
  }
  if (spec.signing != Signing::hmac) {
    auto pair = webhook::ed25519_keypair_generate();
    endpoint.signing_key = std::move(pair.secret_key);
    endpoint.public_key = std::move(pair.public_key);
  }
  return endpoint;
}

protocol::Result<store::EndpointKeys> fresh_keys() {
  auto secret = webhook::secret_generate();
  if (!secret) return std::move(secret).error();
  auto pair = webhook::ed25519_keypair_generate();
  return store::EndpointKeys{.secret = std::move(*secret),
                             .signing_key = std::move(pair.secret_key),
                             .public_key = std::move(pair.public_key)};
}

std::vector<webhook::SigningKey> signing_keys(const store::WebhookEndpoint& endpoint, std::int64_t now_ms) {
  std::vector<webhook::SigningKey> keys;
  add_key(keys, endpoint.secret);
  add_key(keys, endpoint.signing_key);
  if (endpoint.previous_secret_expires_at > now_ms) {
    add_key(keys, endpoint.previous_secret);
    add_key(keys, endpoint.previous_signing_key);
  }
  return keys;
}

protocol::Result<store::WebhookEndpoint> create_endpoint(store::Store& store, const std::string& site_id,
                                                         EndpointSpec spec, bool allow_private, std::int64_t now_ms) {
  auto endpoint = new_endpoint(site_id, std::move(spec), allow_private, now_ms);
  if (!endpoint) return std::move(endpoint).error();
  return store::wait_for<store::WebhookEndpoint>([&](store::Done<store::WebhookEndpoint> done) {
    store.insert_webhook_endpoint(std::move(*endpoint), std::move(done));
  });
}

protocol::Result<store::WebhookEndpoint> rotate_endpoint_keys(store::Store& store, const std::string& endpoint_id,
                                                              std::int64_t now_ms) {
  auto keys = fresh_keys();
  if (!keys) return std::move(keys).error();
  return store::wait_for<store::WebhookEndpoint>([&](store::Done<store::WebhookEndpoint> done) {
    store.rotate_webhook_keys(endpoint_id, {}, std::move(*keys), now_ms + kRotationOverlapMs, now_ms, std::move(done));
  });
}

}  // namespace vitrina::webhooks
