#include "chat/visitor_token.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include "auth/keys.hpp"
#include "vitrina/protocol/chat_rules.hpp"
#include "vitrina/protocol/keys.hpp"

namespace vitrina::chat {

namespace {

namespace pc = protocol::chat;

constexpr std::size_t kMacChars = 43;  // 32 bytes of unpadded base64

protocol::Error refuse(protocol::ErrorCode code, std::string message) {
  return protocol::make_error(code, std::move(message), "token");
}

// Splits `text` at dots into exactly `out.size()` parts; false for any other count.
bool split(std::string_view text, std::array<std::string_view, 6>& out) {
  std::size_t part = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '.') {
      if (part == out.size()) return false;
      out[part++] = text.substr(start, i - start);
      start = i + 1;
    }
  }
  return part == out.size();
}

// Decimal seconds as the server writes them: digits only, no sign, no leading zero.
std::optional<std::int64_t> parse_seconds(std::string_view text) {
  if (text.empty() || text.size() > 15 || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  std::int64_t value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || ptr != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

}  // namespace

TokenKey::~TokenKey() { sodium_memzero(bytes_.data(), bytes_.size()); }

TokenKey generate_token_key() {
  (void)auth::initialize();
  std::array<unsigned char, kTokenKeyBytes> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  TokenKey key(bytes);
  sodium_memzero(bytes.data(), bytes.size());
  return key;
}

Result<TokenKeys> load_or_create_token_keys(const std::string& path) {
  const auto fail = [&path](std::string_view what) {
    return protocol::make_error(
        protocol::ErrorCode::unavailable,
        "cannot " + std::string(what) + " visitor token key " + path + ": " + std::strerror(errno));
  };
  (void)auth::initialize();
  std::array<unsigned char, 2 * kTokenKeyBytes> buffer{};
  // O_EXCL: two processes starting at once never overwrite each other's key.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    randombytes_buf(buffer.data(), kTokenKeyBytes);
    const bool written =
        ::write(fd, buffer.data(), kTokenKeyBytes) == static_cast<ssize_t>(kTokenKeyBytes) && ::fsync(fd) == 0;
    ::close(fd);
    if (!written) {
      sodium_memzero(buffer.data(), buffer.size());
      return fail("write");
    }
    std::array<unsigned char, kTokenKeyBytes> current{};
    std::memcpy(current.data(), buffer.data(), kTokenKeyBytes);
    sodium_memzero(buffer.data(), buffer.size());
    TokenKeys keys{TokenKey(current), std::nullopt};
    sodium_memzero(current.data(), current.size());
    return keys;
  }
  if (errno != EEXIST) return fail("create");
  fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail("open");
  // Read one byte more than the largest valid file, to tell "64 bytes" from "longer".
  std::array<unsigned char, 2 * kTokenKeyBytes + 1> raw{};
  std::size_t n = 0;
  while (n < raw.size()) {
    const ssize_t got = ::read(fd, raw.data() + n, raw.size() - n);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    n += static_cast<std::size_t>(got);
  }
  ::close(fd);
  if (n != kTokenKeyBytes && n != 2 * kTokenKeyBytes) {
    sodium_memzero(raw.data(), raw.size());
    return protocol::make_error(protocol::ErrorCode::unavailable,
                                "visitor token key " + path + " must hold 32 or 64 bytes");
  }
  std::array<unsigned char, kTokenKeyBytes> part{};
  std::memcpy(part.data(), raw.data(), kTokenKeyBytes);
  TokenKeys keys{TokenKey(part), std::nullopt};
  if (n == 2 * kTokenKeyBytes) {
    std::memcpy(part.data(), raw.data() + kTokenKeyBytes, kTokenKeyBytes);
    keys.previous = TokenKey(part);
  }
  sodium_memzero(part.data(), part.size());
  sodium_memzero(raw.data(), raw.size());
  return keys;
}

VisitorTokens::VisitorTokens(TokenKeys keys, TokenOptions options) : keys_(std::move(keys)), options_(options) {
  (void)auth::initialize();
}

std::string VisitorTokens::mac(const TokenKey& key, std::string_view signed_part) const {
  std::array<unsigned char, crypto_generichash_BYTES> digest{};
  crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(signed_part.data()),
                     signed_part.size(), key.data(), kTokenKeyBytes);
  std::array<char, kMacChars + 1> text{};
  sodium_bin2base64(text.data(), text.size(), digest.data(), digest.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return std::string(text.data(), kMacChars);
}

IssuedToken VisitorTokens::issue(std::string_view visitor_id, std::string_view site_id, std::int64_t now_s) const {
  IssuedToken out;
  out.claims = TokenClaims{std::string(visitor_id), std::string(site_id), now_s, now_s + options_.ttl_s};
  std::string signed_part = std::string(kVisitorTokenPrefix) + out.claims.visitor_id + "." + out.claims.site_id + "." +
                            std::to_string(now_s) + "." + std::to_string(out.claims.expires_at_s);
  out.token = signed_part + "." + mac(keys_.current, signed_part);
  return out;
}

Result<VerifiedToken> VisitorTokens::verify(std::string_view token, std::string_view site_id,
                                            std::int64_t now_s) const {
  std::array<std::string_view, 6> parts;
  if (token.size() > pc::kMaxTokenLength || !token.starts_with(kVisitorTokenPrefix) || !split(token, parts) ||
      parts[5].size() != kMacChars) {
    return refuse(protocol::ErrorCode::token_invalid, "not a visitor token");
  }
  const std::string_view signed_part = token.substr(0, token.size() - kMacChars - 1);
  bool rotate = false;
  if (!auth::constant_time_equal(parts[5], mac(keys_.current, signed_part))) {
    if (!keys_.previous || !auth::constant_time_equal(parts[5], mac(*keys_.previous, signed_part))) {
      return refuse(protocol::ErrorCode::token_invalid, "the token's signature does not match");
    }
    rotate = true;
  }
  // Signed by us, so the parts are as issue() wrote them; still check, in case of a key reuse.
  const auto issued = parse_seconds(parts[3]);
  const auto expires = parse_seconds(parts[4]);
  if (!pc::check_visitor_id(parts[1]) || !protocol::is_key_of(parts[2], protocol::kSiteIdPrefix, pc::kIdBodyLength) ||
      !issued || !expires) {
    return refuse(protocol::ErrorCode::token_invalid, "not a visitor token");
  }
  if (parts[2] != site_id) return refuse(protocol::ErrorCode::token_wrong_site, "the token belongs to another site");
  if (*issued > now_s + options_.max_clock_skew_s)
    return refuse(protocol::ErrorCode::token_invalid, "the token is from the future");
  if (now_s >= *expires) return refuse(protocol::ErrorCode::token_expired, "the token has expired");
  VerifiedToken out;
  out.claims = TokenClaims{std::string(parts[1]), std::string(parts[2]), *issued, *expires};
  out.rotate = rotate || now_s - *issued >= options_.rotate_after_s;
  return out;
}

WelcomeToken VisitorTokens::for_hello(std::string_view presented, std::string_view site_id, std::int64_t now_s,
                                      const std::function<std::string()>& new_visitor_id) const {
  using pc::TokenStatus;
  if (!presented.empty()) {
    if (auto verified = verify(presented, site_id, now_s)) {
      if (!verified->rotate) {
        return WelcomeToken{verified->claims.visitor_id, std::string(presented), verified->claims.expires_at_s,
                            TokenStatus::valid};
      }
      IssuedToken fresh = issue(verified->claims.visitor_id, site_id, now_s);
      return WelcomeToken{fresh.claims.visitor_id, std::move(fresh.token), fresh.claims.expires_at_s,
                          TokenStatus::rotated};
    }
  }
  IssuedToken fresh = issue(new_visitor_id(), site_id, now_s);
  return WelcomeToken{fresh.claims.visitor_id, std::move(fresh.token), fresh.claims.expires_at_s,
                      presented.empty() ? TokenStatus::issued : TokenStatus::replaced};
}

}  // namespace vitrina::chat
