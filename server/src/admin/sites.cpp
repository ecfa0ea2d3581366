#include "admin/sites.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

#include "auth/keys.hpp"
#include "vitrina/protocol/keys.hpp"

namespace vitrina::admin {

namespace {

// Fresh random keys collide only if the generator is broken, but a retry is cheap and turns
// that impossibility into a non-event rather than an error for the operator.
constexpr int kKeyAttempts = 3;

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<std::string> validate_name(std::string_view name, std::string_view field) {
  name = trim(name);
  if (name.empty()) {
    return protocol::make_error(protocol::ErrorCode::invalid, "must not be empty", std::string(field));
  }
  if (name.size() > kMaxNameLength) {
    return protocol::make_error(protocol::ErrorCode::invalid, "must be at most 200 characters", std::string(field));
  }
  for (char c : name) {
    if (std::iscntrl(static_cast<unsigned char>(c))) {
      return protocol::make_error(protocol::ErrorCode::invalid, "must not contain control characters",
                                  std::string(field));
    }
  }
  return std::string(name);
}

Result<std::string> normalize_origin(std::string_view origin) {
  std::string lowered(trim(origin));
  std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (!protocol::is_valid_origin(lowered)) {
    return protocol::make_error(
        protocol::ErrorCode::invalid,
        "\"" + std::string(origin) + "\" is not an origin: use scheme://host[:port], http or https, no path", "origin");
  }
  return lowered;
}

Result<CreatedSite> create_site(store::Store& store, std::string_view name, const std::vector<std::string>& origins,
                                std::int64_t now_ms) {
  auto valid_name = validate_name(name);
  if (!valid_name) return std::move(valid_name).error();
  if (origins.empty()) {
    return protocol::make_error(protocol::ErrorCode::invalid, "at least one allowed origin is required", "origin");
  }
  std::vector<std::string> normalized;
  for (const auto& origin : origins) {
    auto o = normalize_origin(origin);
    if (!o) return std::move(o).error();
    if (std::find(normalized.begin(), normalized.end(), *o) == normalized.end()) {
      normalized.push_back(std::move(*o));
    }
  }

  for (int attempt = 1;; ++attempt) {
    CreatedSite created;
    created.secret_key = auth::generate_secret_key();
    store::Site& site = created.site;
    site.id = auth::generate_id(protocol::kSiteIdPrefix);
    site.name = *valid_name;
    site.public_key = auth::generate_public_key();
    site.secret_hash = auth::hash_secret_key(created.secret_key);
    site.allowed_origins = normalized;
    site.created_at = now_ms;
    site.updated_at = now_ms;
    auto inserted =
        store::wait_for<store::Site>([&](store::Done<store::Site> done) { store.insert_site(site, std::move(done)); });
    if (inserted) return created;
    if (inserted.error().code != protocol::ErrorCode::conflict || attempt == kKeyAttempts) {
      return std::move(inserted).error();
    }
  }
}

Result<store::Site> find_site(store::Store& store, std::string_view site_id_or_public_key) {
  const std::string_view ref = trim(site_id_or_public_key);
  auto found =
      ref.starts_with(protocol::kPublicKeyPrefix) ? store.find_site_by_public_key(ref) : store.find_site_by_id(ref);
  if (!found) return std::move(found).error();
  if (!found->has_value()) {
    return protocol::make_error(protocol::ErrorCode::not_found,
                                "no site with id or public key \"" + std::string(ref) + "\"", "site");
  }
  return std::move(**found);
}

Result<std::string> rotate_secret(store::Store& store, std::string_view site_id_or_public_key, std::int64_t now_ms) {
  auto site = find_site(store, site_id_or_public_key);
  if (!site) return std::move(site).error();
  for (int attempt = 1;; ++attempt) {
    std::string secret_key = auth::generate_secret_key();
    auto updated = store::wait_for<void>([&](store::Done<void> done) {
      store.update_site_secret(site->id, auth::hash_secret_key(secret_key), now_ms, std::move(done));
    });
    if (updated) return secret_key;
    if (updated.error().code != protocol::ErrorCode::conflict || attempt == kKeyAttempts) {
      return std::move(updated).error();
    }
  }
}

}  // namespace vitrina::admin
