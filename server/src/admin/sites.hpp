#pragma once
// Site administration as plain functions over a Store, so the CLI (and later an HTTP admin API)
// are thin wrappers and the rules are unit-tested without either.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.hpp"

namespace vitrina::admin {

using protocol::Error;
using protocol::Result;

inline constexpr std::size_t kMaxNameLength = 200;

struct CreatedSite {
  store::Site site;
  std::string secret_key;  // sk_…: exists only here; the store keeps its hash
};

/// Creates a site with fresh keys. `name` must be 1..200 characters without control characters;
/// there must be at least one origin and each must pass protocol::is_valid_origin. Origins are
/// lower-cased (browsers send them so) and de-duplicated. Errors: "invalid" with field "name"
/// or "origin", or the store's error.
Result<CreatedSite> create_site(store::Store& store, std::string_view name, const std::vector<std::string>& origins,
                                std::int64_t now_ms);

/// Finds a site by its id (site_…) or public key (pk_…). "not_found" with field "site".
Result<store::Site> find_site(store::Store& store, std::string_view site_id_or_public_key);

/// Replaces a site's secret key and returns the new one; the old key stops working at once.
Result<std::string> rotate_secret(store::Store& store, std::string_view site_id_or_public_key, std::int64_t now_ms);

/// Checks a site name; exposed for reuse by other validators.
Result<std::string> validate_name(std::string_view name, std::string_view field = "name");

/// Lower-cases and checks one origin.
Result<std::string> normalize_origin(std::string_view origin);

}  // namespace vitrina::admin
