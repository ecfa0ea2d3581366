#pragma once
// Operator administration: the people who answer chats for a site.

#include <cstdint>
#include <string>
#include <string_view>

#include "auth/password.hpp"
#include "store/store.hpp"

namespace vitrina::admin {

using protocol::Result;

inline constexpr std::size_t kMinPasswordLength = 10;
// Long enough for any passphrase; bounded so nobody feeds argon2 a megabyte.
inline constexpr std::size_t kMaxPasswordLength = 1024;

struct OperatorOptions {
  std::string role = "operator";                     // "operator" | "owner" ("admin" is the same)
  auth::PasswordCost cost = auth::kInteractiveCost;  // tests may pass kMinimumCost
};

/// The role as the console, the protocol and the CLI name it: the store keeps an owner as
/// "admin", its original name, so "admin" reads "owner"; anything else is answered as is.
std::string_view role_name(std::string_view stored_role) noexcept;

/// Trims and lower-cases `email` and checks it looks like local@domain.tld (a sanity check,
/// not RFC 5322). "invalid" with field "email".
Result<std::string> normalize_email(std::string_view email);

/// Adds an operator to the site named by id or public key, storing an argon2id hash of
/// `password` (at least 10 characters). An empty `name` becomes the email's local part.
/// Errors: "invalid" (field "email", "name", "password" or "role"), "not_found" (field "site"),
/// "conflict" (field "email": that site already has an operator with this email).
Result<store::Operator> add_operator(store::Store& store, std::string_view site, std::string_view email,
                                     std::string_view name, std::string_view password, std::int64_t now_ms,
                                     const OperatorOptions& options = {});

}  // namespace vitrina::admin
