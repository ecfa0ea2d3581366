#pragma once
// Operator passwords: argon2id through libsodium's crypto_pwhash_str, whose output carries its
// own salt and cost parameters, so hashes made at different costs all verify.

#include <cstddef>
#include <string>
#include <string_view>

#include "vitrina/protocol/result.hpp"

namespace vitrina::auth {

using protocol::Result;

/// Argon2id work factors.
struct PasswordCost {
  unsigned long long opslimit;
  std::size_t memlimit;  // bytes
};

/// libsodium's "interactive" level (2 passes, 64 MiB): the one for real passwords.
extern const PasswordCost kInteractiveCost;
/// The smallest cost libsodium accepts. Only for tests, where thousands of hashes must be fast.
extern const PasswordCost kMinimumCost;

/// Hashes `password` with argon2id. Fails ("internal") only when the memory cannot be had.
Result<std::string> hash_password(std::string_view password, const PasswordCost& cost = kInteractiveCost);

/// True when `password` matches `hash` (a crypto_pwhash_str string). A malformed hash is a
/// mismatch, never an error the caller could mistake for success.
[[nodiscard]] bool verify_password(std::string_view hash, std::string_view password);

/// An argon2id hash (interactive cost) of a random password nobody knows, made once on first
/// use. Sign-in verifies against it when the e-mail is unknown, so that an unknown e-mail and a
/// wrong password take the same time and cannot be told apart.
const std::string& dummy_password_hash();

/// 20 base62 characters (~119 bits), for operators created without a chosen password.
std::string generate_password();

}  // namespace vitrina::auth
