#include "callbacks/challenge.hpp"

#include <sodium.h>

#include <array>

#include "auth/keys.hpp"

namespace vitrina::callbacks {

namespace {

protocol::Error refuse(std::string message, std::string field = "pow.challenge") {
  return protocol::make_error(protocol::ErrorCode::pow_invalid, std::move(message), std::move(field));
}

}  // namespace

std::string Challenges::mac(const chat::TokenKey& key, std::string_view signed_part) const {
  std::array<unsigned char, crypto_generichash_BYTES> digest{};
  crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(signed_part.data()),
                     signed_part.size(), key.data(), chat::kTokenKeyBytes);
  std::string text(sodium_base64_ENCODED_LEN(digest.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(text.data(), text.size(), digest.data(), digest.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  text.resize(protocol::kPowMacLength);
  return text;
}

IssuedChallenge Challenges::issue(std::string_view site_id, int difficulty, std::int64_t now_s) const {
  IssuedChallenge out;
  out.difficulty = difficulty;
  out.expires_at_s = now_s + kChallengeTtlS;
  std::string signed_part(protocol::kPowPrefix);
  signed_part.append(site_id).append(".").append(auth::random_base62(protocol::kPowIdLength)).append(".");
  signed_part.append(std::to_string(out.expires_at_s)).append(".").append(std::to_string(difficulty));
  out.token = signed_part + "." + mac(keys_.current, signed_part);
  return out;
}

protocol::Result<CheckedChallenge> Challenges::verify(std::string_view token, std::string_view nonce,
                                                      std::string_view site_id, std::int64_t now_s) const {
  auto parsed = protocol::parse_pow_challenge(token);
  if (!parsed) return refuse("is not a challenge issued by this server");
  const auto& c = *parsed;
  bool signed_by_us = auth::constant_time_equal(mac(keys_.current, c.signed_part), c.mac);
  if (!signed_by_us && keys_.previous)
    signed_by_us = auth::constant_time_equal(mac(*keys_.previous, c.signed_part), c.mac);
  if (!signed_by_us) return refuse("is not a challenge issued by this server");
  if (c.site_id != site_id) return refuse("was issued for another site");
  if (c.expires_at_s <= now_s) return refuse("has expired; fetch a new one");
  if (!protocol::is_pow_nonce(nonce)) return refuse("must be 1 to 20 decimal digits", "pow.nonce");
  if (!protocol::pow_satisfied(token, nonce, c.difficulty)) {
    return refuse("does not solve the challenge", "pow.nonce");
  }
  return CheckedChallenge{std::string(c.id), c.expires_at_s};
}

}  // namespace vitrina::callbacks
