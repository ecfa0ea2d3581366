#include "vitrina/protocol/pow.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include "vitrina/protocol/keys.hpp"

namespace vitrina::protocol {

namespace {

bool is_base62(std::string_view s) noexcept {
  return std::all_of(s.begin(), s.end(), [](char c) { return kBase62.find(c) != std::string_view::npos; });
}

bool is_base64url(std::string_view s) noexcept {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

template <class T>
bool parse_decimal(std::string_view s, T& out) noexcept {
  if (s.empty() || s.size() > 12 || (s.size() > 1 && s[0] == '0')) return false;
  if (!std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

Result<PowChallenge> parse_pow_challenge(std::string_view token, std::string_view field) {
  const auto refuse = [&] {
    return make_error(ErrorCode::invalid, "is not a challenge issued by this server", std::string(field));
  };
  if (token.size() > kMaxPowChallengeLength || !token.starts_with(kPowPrefix)) return refuse();
  std::array<std::string_view, 5> parts;
  std::string_view rest = token.substr(kPowPrefix.size());
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto dot = rest.find('.');
    if (i + 1 < parts.size()) {
      if (dot == std::string_view::npos) return refuse();
      parts[i] = rest.substr(0, dot);
      rest = rest.substr(dot + 1);
    } else {
      if (dot != std::string_view::npos) return refuse();
      parts[i] = rest;
    }
  }
  PowChallenge c;
  c.site_id = parts[0];
  c.id = parts[1];
  c.mac = parts[4];
  if (!c.site_id.starts_with(kSiteIdPrefix) || !is_base62(c.site_id.substr(kSiteIdPrefix.size())) ||
      c.site_id.size() == kSiteIdPrefix.size()) {
    return refuse();
  }
  if (c.id.size() != kPowIdLength || !is_base62(c.id)) return refuse();
  if (!parse_decimal(parts[2], c.expires_at_s)) return refuse();
  if (!parse_decimal(parts[3], c.difficulty) || c.difficulty > kMaxPowDifficulty) return refuse();
  if (c.mac.size() != kPowMacLength || !is_base64url(c.mac)) return refuse();
  c.signed_part = token.substr(0, token.size() - c.mac.size() - 1);
  return c;
}

int leading_zero_bits(const Sha256Digest& digest) noexcept {
  int bits = 0;
  for (auto byte : digest) {
    if (byte == 0) {
      bits += 8;
      continue;
    }
    for (int mask = 0x80; (byte & mask) == 0; mask >>= 1) ++bits;
    break;
  }
  return bits;
}

bool is_pow_nonce(std::string_view nonce) noexcept {
  return !nonce.empty() && nonce.size() <= kMaxPowNonceLength &&
         std::all_of(nonce.begin(), nonce.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool pow_satisfied(std::string_view challenge, std::string_view nonce, int difficulty) noexcept {
  if (!is_pow_nonce(nonce)) return false;
  Sha256 h;
  h.update(challenge).update(".").update(nonce);
  return leading_zero_bits(h.finish()) >= difficulty;
}

std::optional<std::string> pow_solve(std::string_view challenge, int difficulty, std::uint64_t first,
                                     std::uint64_t tries) {
  // The challenge and the dot are hashed once; each try copies that state and adds the nonce.
  Sha256 prefix;
  prefix.update(challenge).update(".");
  std::array<char, 24> buf;
  for (std::uint64_t i = 0; i < tries; ++i) {
    const std::uint64_t n = first + i;
    auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), n);
    const std::string_view nonce(buf.data(), static_cast<std::size_t>(end - buf.data()));
    Sha256 h = prefix;
    if (leading_zero_bits(h.update(nonce).finish()) >= difficulty) return std::string(nonce);
  }
  return std::nullopt;
}

}  // namespace vitrina::protocol
