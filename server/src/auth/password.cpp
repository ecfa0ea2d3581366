#include "auth/password.hpp"

#include <sodium.h>

#include <array>
#include <utility>

#include "auth/keys.hpp"

namespace vitrina::auth {

namespace {
constexpr std::size_t kGeneratedPasswordLength = 20;
}  // namespace

const PasswordCost kInteractiveCost{crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
const PasswordCost kMinimumCost{crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};

Result<std::string> hash_password(std::string_view password, const PasswordCost& cost) {
  if (auto r = initialize(); !r) return std::move(r).error();
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), cost.opslimit, cost.memlimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return protocol::make_error(protocol::ErrorCode::internal, "password hashing ran out of memory");
  }
  return std::string(out.data());
}

bool verify_password(std::string_view hash, std::string_view password) {
  if (!initialize()) return false;
  // crypto_pwhash_str_verify reads a NUL-terminated string of at most STRBYTES.
  std::array<char, crypto_pwhash_STRBYTES> stored{};
  if (hash.empty() || hash.size() >= stored.size()) return false;
  hash.copy(stored.data(), hash.size());
  return crypto_pwhash_str_verify(stored.data(), password.data(), password.size()) == 0;
}

const std::string& dummy_password_hash() {
  // A function-local static: hashed once, thread-safely, by whichever sign-in needs it first.
  static const std::string hash = [] {
    auto made = hash_password(generate_password(), kInteractiveCost);
    return made ? std::move(*made) : std::string();
  }();
  return hash;
}

std::string generate_password() { return random_base62(kGeneratedPasswordLength); }

}  // namespace vitrina::auth
