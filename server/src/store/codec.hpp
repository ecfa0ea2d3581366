#pragma once
// Turning Site/Operator values into SQL parameters and rows back into values. Origins are kept
// as a JSON array of strings in one TEXT column: a site has a handful, always read together.

#include <simdjson.h>

#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite.hpp"
#include "store/store.hpp"

namespace vitrina::store {

// Column lists, in the order read_site/read_operator expect.
inline constexpr std::string_view kSiteColumns =
    "id, name, public_key, secret_hash, allowed_origins, settings, created_at, updated_at";
inline constexpr std::string_view kOperatorColumns = "id, site_id, email, name, password_hash, role, created_at";
inline constexpr std::string_view kSessionColumns =
    "token_hash, operator_id, site_id, created_at, expires_at, user_agent";

std::string origins_to_json(const std::vector<std::string>& origins);
/// Fails with "internal" when the stored text is not an array of strings (a corrupted row).
Result<std::vector<std::string>> origins_from_json(simdjson::dom::parser& parser, std::string_view json);

/// Reads the current row of a statement that selected kSiteColumns.
Result<Site> read_site(const sqlite::Statement& row, simdjson::dom::parser& parser);
/// Reads the current row of a statement that selected kOperatorColumns.
Operator read_operator(const sqlite::Statement& row);
/// Reads the current row of a statement that selected kSessionColumns.
Session read_session(const sqlite::Statement& row);

}  // namespace vitrina::store
