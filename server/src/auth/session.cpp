#include "auth/session.hpp"

#include <algorithm>

#include "auth/keys.hpp"
#include "vitrina/protocol/keys.hpp"

namespace vitrina::auth {

std::string generate_session_token() {
  return std::string(kSessionTokenPrefix) + random_base62(kSessionTokenBodyLength);
}

bool is_session_token(std::string_view token) noexcept {
  return protocol::is_key_of(token, kSessionTokenPrefix, kSessionTokenBodyLength);
}

std::string hash_session_token(std::string_view token) { return hash_secret_key(token); }

std::string csrf_token(std::string_view session_token) {
  std::string input = "vitrina-csrf.v1.";
  input += session_token;
  return hash_secret_key(input);
}

std::string truncate_user_agent(std::string_view user_agent) {
  std::size_t end = std::min(user_agent.size(), kMaxUserAgentLength);
  // Back off over continuation bytes (10xxxxxx) so the cut falls between characters.
  if (end < user_agent.size()) {
    while (end > 0 && (static_cast<unsigned char>(user_agent[end]) & 0xC0) == 0x80) --end;
  }
  std::string out(user_agent.substr(0, end));
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) c = ' ';
  }
  return out;
}

}  // namespace vitrina::auth
