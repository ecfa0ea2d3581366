#include "vitrina/protocol/chat_rules.hpp"

#include <string>

#include "vitrina/protocol/keys.hpp"
#include "vitrina/protocol/utf8.hpp"

namespace vitrina::protocol::chat {

namespace {

Error invalid(std::string_view field, std::string message) {
  return make_error(ErrorCode::invalid, std::move(message), std::string(field));
}

bool is_alnum(char c) noexcept { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

bool is_printable_ascii(char c) noexcept { return c > 0x20 && c < 0x7F; }

template <class Pred>
bool all_of(std::string_view s, Pred pred) {
  for (char c : s) {
    if (!pred(c)) return false;
  }
  return true;
}

// A C0 control, DEL or a C1 control (U+0080..U+009F, encoded C2 80..C2 9F).
bool has_control(std::string_view s, bool allow_line_breaks) noexcept {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7F) {
      if (allow_line_breaks && (c == '\n' || c == '\r' || c == '\t')) continue;
      return true;
    }
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) <= 0x9F) return true;
  }
  return false;
}

Result<void> check_prefixed_id(std::string_view id, std::string_view prefix, std::string_view field) {
  if (!is_key_of(id, prefix, kIdBodyLength)) {
    return invalid(field, "must be " + std::string(prefix) + " followed by " + std::to_string(kIdBodyLength) +
                              " letters and digits");
  }
  return {};
}

}  // namespace

Result<void> check_client_id(std::string_view id, std::string_view field) {
  if (id.size() < kMinClientIdLength || id.size() > kMaxClientIdLength ||
      !all_of(id, [](char c) { return is_alnum(c) || c == '_' || c == '-'; })) {
    return invalid(field, "must be 8 to 64 characters of letters, digits, '_' and '-'");
  }
  return {};
}

Result<void> check_ref(std::string_view ref, std::string_view field) {
  if (ref.empty() || ref.size() > kMaxRefLength ||
      !all_of(ref, [](char c) { return is_alnum(c) || c == '_' || c == '-' || c == '.' || c == ':'; })) {
    return invalid(field, "must be 1 to 64 characters of letters, digits, '_', '-', '.' and ':'");
  }
  return {};
}

Result<void> check_conversation_id(std::string_view id, std::string_view field) {
  return check_prefixed_id(id, kConversationIdPrefix, field);
}

Result<void> check_operator_id(std::string_view id, std::string_view field) {
  return check_prefixed_id(id, kOperatorIdPrefix, field);
}

Result<void> check_visitor_id(std::string_view id, std::string_view field) {
  return check_prefixed_id(id, kVisitorIdPrefix, field);
}

Result<void> check_message_text(std::string_view text, const Limits& limits, std::string_view field) {
  if (text.size() > static_cast<std::size_t>(limits.message_bytes)) {
    return invalid(field, "must be at most " + std::to_string(limits.message_bytes) + " bytes of UTF-8");
  }
  const auto chars = utf8_length(text);
  if (!chars) return invalid(field, "must be valid UTF-8");
  if (*chars > static_cast<std::size_t>(limits.message_chars)) {
    return invalid(field, "must be at most " + std::to_string(limits.message_chars) + " characters");
  }
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return invalid(field, "must not be blank");
  if (has_control(text, true)) return invalid(field, "must not contain control characters");
  return {};
}

Result<void> check_seq(std::int64_t seq, std::string_view field) {
  if (seq < 0 || seq > kMaxSeq) return invalid(field, "must be between 0 and 2^53-1");
  return {};
}

Result<void> check_url(std::string_view url, std::string_view field) {
  if (url.size() > kMaxUrlBytes) return invalid(field, "must be at most 2048 bytes");
  std::string_view rest;
  if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else {
    return invalid(field, "must be an absolute http:// or https:// URL");
  }
  if (rest.empty() || rest.front() == '/' || !all_of(url, is_printable_ascii)) {
    return invalid(field, "must be an absolute URL of printable ASCII with a host");
  }
  return {};
}

Result<void> check_line(std::string_view text, std::size_t max_chars, std::string_view field) {
  const auto chars = utf8_length(text);
  if (!chars) return invalid(field, "must be valid UTF-8");
  if (*chars > max_chars) return invalid(field, "must be at most " + std::to_string(max_chars) + " characters");
  if (has_control(text, false)) return invalid(field, "must not contain control characters");
  return {};
}

Result<void> check_language(std::string_view tag, std::string_view field) {
  const bool letter_first = !tag.empty() && ((tag[0] >= 'A' && tag[0] <= 'Z') || (tag[0] >= 'a' && tag[0] <= 'z'));
  if (!letter_first || tag.size() > kMaxLanguageLength || tag.back() == '-' ||
      !all_of(tag, [](char c) { return is_alnum(c) || c == '-'; })) {
    return invalid(field, "must be a language tag such as \"ru\" or \"en-US\"");
  }
  return {};
}

Result<void> check_email(std::string_view email, std::string_view field) {
  const auto at = email.find('@');
  const bool shaped = at != std::string_view::npos && at > 0 && email.find('@', at + 1) == std::string_view::npos;
  const std::string_view domain = shaped ? email.substr(at + 1) : std::string_view{};
  const auto dot = domain.find('.');
  if (email.size() > kMaxEmailBytes || !shaped || dot == std::string_view::npos || dot == 0 || domain.back() == '.' ||
      !is_valid_utf8(email) || has_control(email, false) || email.find(' ') != std::string_view::npos) {
    return invalid(field, "must be an e-mail address (name@example.com), at most 254 bytes");
  }
  return {};
}

Result<void> check_phone(std::string_view phone, std::string_view field) {
  std::size_t digits = 0;
  bool shaped = phone.size() <= kMaxPhoneLength;
  for (std::size_t i = 0; shaped && i < phone.size(); ++i) {
    const char c = phone[i];
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (c == '+') {
      shaped = i == 0;
    } else {
      shaped = c == ' ' || c == '-' || c == '(' || c == ')' || c == '.';
    }
  }
  if (!shaped || digits < 7 || digits > 15) {
    return invalid(field, "must be a phone number of 7 to 15 digits, e.g. +7 999 123-45-67");
  }
  return {};
}

Result<void> check_attributes(const std::vector<Attribute>& attributes, std::string_view field) {
  if (attributes.size() > kMaxAttributes) {
    return invalid(field, "must have at most " + std::to_string(kMaxAttributes) + " members");
  }
  for (std::size_t i = 0; i < attributes.size(); ++i) {
    const Attribute& a = attributes[i];
    const std::string name = std::string(field) + "." + a.key;
    if (a.key.empty() || a.key.size() > kMaxAttributeKeyLength ||
        !all_of(a.key, [](char c) { return is_alnum(c) || c == '_' || c == '-' || c == '.'; })) {
      return invalid(is_valid_utf8(a.key) ? std::string_view(name) : field,
                     "attribute names must be 1 to 40 characters of letters, digits, '_', '-' and '.'");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (attributes[j].key == a.key) return invalid(name, "attribute names must be unique");
    }
    if (const auto* text = std::get_if<std::string>(&a.value)) {
      if (auto ok = check_line(*text, kMaxAttributeValueChars, name); !ok) return ok;
    } else if (const auto* number = std::get_if<std::int64_t>(&a.value)) {
      if (*number < -kMaxSeq || *number > kMaxSeq) return invalid(name, "must be an integer within ±(2^53-1)");
    }
  }
  return {};
}

Result<void> check_context(const VisitorContext& c, std::string_view prefix) {
  const auto name = [&](std::string_view member) { return std::string(prefix) + std::string(member); };
  if (c.url) {
    if (auto ok = check_url(*c.url, name("url")); !ok) return ok;
  }
  if (c.title) {
    if (auto ok = check_line(*c.title, kMaxTitleChars, name("title")); !ok) return ok;
  }
  // document.referrer is "" when there is none.
  if (c.referrer && !c.referrer->empty()) {
    if (auto ok = check_url(*c.referrer, name("referrer")); !ok) return ok;
  }
  if (c.language) {
    if (auto ok = check_language(*c.language, name("language")); !ok) return ok;
  }
  if (c.attributes) {
    if (auto ok = check_attributes(*c.attributes, name("attributes")); !ok) return ok;
  }
  if (c.name) {
    if (auto ok = check_line(*c.name, kMaxNameChars, name("name")); !ok) return ok;
  }
  if (c.email && !c.email->empty()) {
    if (auto ok = check_email(*c.email, name("email")); !ok) return ok;
  }
  if (c.phone && !c.phone->empty()) {
    if (auto ok = check_phone(*c.phone, name("phone")); !ok) return ok;
  }
  return {};
}

Result<void> check_user_id(std::string_view user_id, std::string_view field) {
  if (user_id.empty() || user_id.size() > kMaxUserIdLength || !all_of(user_id, is_printable_ascii)) {
    return invalid(field, "must be 1 to 128 printable ASCII characters without spaces");
  }
  return {};
}

Result<void> check_identity_hash(std::string_view hash, std::string_view field) {
  const auto hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); };
  if (hash.size() != kIdentityHashLength || !all_of(hash, hex)) {
    return invalid(field, "must be 64 hexadecimal digits (HMAC-SHA256)");
  }
  return {};
}

Result<void> check_token(std::string_view token, std::string_view field) {
  if (token.empty() || token.size() > kMaxTokenLength || !all_of(token, is_printable_ascii)) {
    return invalid(field, "must be the token from an earlier welcome");
  }
  return {};
}

}  // namespace vitrina::protocol::chat
