// Parsing and generating Standard Webhooks keys: whsec_ (HMAC), whsk_ / whpk_ (Ed25519).

#include <array>
#include <cstdlib>

#include <sodium.h>

#include "codec.hpp"
#include "vitrina/webhook/webhook.hpp"

namespace vitrina::webhook {

namespace {

using protocol::Error;
using protocol::make_error;

// Secrets come from configuration, not from the network, but a bound keeps a pasted file
// from becoming a key: 1 KiB is far above any sane HMAC key.
constexpr std::size_t kMaxSecretBytes = 1024;

Error key_error(std::string message) {
  return make_error(protocol::ErrorCode::invalid_key, std::move(message), "secret");
}

bool strip_prefix(std::string_view& text, std::string_view prefix) {
  if (!text.starts_with(prefix)) return false;
  text.remove_prefix(prefix.size());
  return true;
}

protocol::Result<detail::SecretBytes> parse_hmac_secret(std::string_view text) {
  strip_prefix(text, kSecretPrefix);
  auto bin = detail::base64_decode(text, kMaxSecretBytes);
  if (!bin) return key_error("the whsec_ secret is not base64 (or longer than 1024 bytes)");
  if (bin->empty()) return key_error("the whsec_ secret is empty");
  return detail::SecretBytes(std::move(*bin));
}

}  // namespace

namespace detail {

SecretBytes::~SecretBytes() {
  if (!bytes_.empty()) sodium_memzero(bytes_.data(), bytes_.size());
}

}  // namespace detail

protocol::Result<SigningKey> signing_key_parse(std::string_view text) {
  if (text.starts_with(kPublicKeyPrefix)) return key_error("a whpk_ public key cannot sign; use its whsk_ key");
  if (strip_prefix(text, kSigningKeyPrefix)) {
    if (!detail::sodium_ready()) return make_error(protocol::ErrorCode::internal, "libsodium could not be initialised");
    std::array<unsigned char, crypto_sign_SEEDBYTES> seed{};
    if (!detail::base64_decode_exact(text, seed)) {
      sodium_memzero(seed.data(), seed.size());
      return key_error("a whsk_ key must be the base64 of a 32-byte Ed25519 seed");
    }
    std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> pk{};
    std::vector<unsigned char> sk(crypto_sign_SECRETKEYBYTES);
    crypto_sign_seed_keypair(pk.data(), sk.data(), seed.data());
    sodium_memzero(seed.data(), seed.size());
    return SigningKey(Scheme::ed25519, detail::SecretBytes(std::move(sk)));
  }
  auto secret = parse_hmac_secret(text);
  if (!secret) return std::move(secret).error();
  return SigningKey(Scheme::hmac_sha256, std::move(*secret));
}

protocol::Result<VerifyKey> verify_key_parse(std::string_view text) {
  if (text.starts_with(kSigningKeyPrefix)) {
    return key_error("a whsk_ key is the signer's private key; verify with its whpk_ public key");
  }
  if (strip_prefix(text, kPublicKeyPrefix)) {
    std::vector<unsigned char> pk(crypto_sign_PUBLICKEYBYTES);
    if (!detail::base64_decode_exact(text, pk)) {
      return key_error("a whpk_ key must be the base64 of a 32-byte Ed25519 public key");
    }
    return VerifyKey(Scheme::ed25519, detail::SecretBytes(std::move(pk)));
  }
  auto secret = parse_hmac_secret(text);
  if (!secret) return std::move(secret).error();
  return VerifyKey(Scheme::hmac_sha256, std::move(*secret));
}

VerifyKey SigningKey::verify_key() const {
  if (scheme_ == Scheme::hmac_sha256) return VerifyKey(scheme_, bytes_);
  // libsodium's Ed25519 secret key is seed ‖ public key.
  const auto pk = bytes().subspan(crypto_sign_SEEDBYTES, crypto_sign_PUBLICKEYBYTES);
  return VerifyKey(scheme_, detail::SecretBytes(std::vector<unsigned char>(pk.begin(), pk.end())));
}

protocol::Result<std::string> secret_generate(std::size_t key_bytes) {
  if (key_bytes < kSecretBytesMin || key_bytes > kSecretBytesMax) {
    return make_error(protocol::ErrorCode::invalid, "a new secret has 24 to 32 bytes", "key_bytes");
  }
  // Without a working CSPRNG no key may be made; this cannot happen on a supported system.
  if (!detail::sodium_ready()) std::abort();
  std::array<unsigned char, kSecretBytesMax> key{};
  randombytes_buf(key.data(), key_bytes);
  std::string out(kSecretPrefix);
  detail::base64_append(out, std::span<const unsigned char>(key.data(), key_bytes));
  sodium_memzero(key.data(), key.size());
  return out;
}

Ed25519Keypair ed25519_keypair_generate() {
  if (!detail::sodium_ready()) std::abort();  // as in secret_generate
  std::array<unsigned char, crypto_sign_SEEDBYTES> seed{};
  std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> pk{};
  std::array<unsigned char, crypto_sign_SECRETKEYBYTES> sk{};
  randombytes_buf(seed.data(), seed.size());
  crypto_sign_seed_keypair(pk.data(), sk.data(), seed.data());
  Ed25519Keypair pair{std::string(kSigningKeyPrefix), std::string(kPublicKeyPrefix)};
  detail::base64_append(pair.secret_key, seed);
  detail::base64_append(pair.public_key, pk);
  sodium_memzero(seed.data(), seed.size());
  sodium_memzero(sk.data(), sk.size());
  return pair;
}

}  // namespace vitrina::webhook
