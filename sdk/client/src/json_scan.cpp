#include "json_scan.hpp"

#include <charconv>
#include <cstdint>
#include <system_error>
#include <utility>

namespace vitrina::sdk::detail {

namespace {

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// A recursive-descent reader over one JSON text. Every method returns false on a grammar error
// and then leaves pos_ wherever it stopped; callers give up on the first false.
class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}

  bool at_end() const noexcept { return pos_ == s_.size(); }
  char peek() const noexcept { return pos_ < s_.size() ? s_[pos_] : '\0'; }

  void skip_ws() noexcept {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool eat(char c) noexcept {
    if (peek() != c || at_end()) return false;
    ++pos_;
    return true;
  }

  // Reads a string literal; decodes it into *out unless out is null.
  bool string(std::string* out) {
    if (!eat('"')) return false;
    while (pos_ < s_.size()) {
      const auto c = static_cast<unsigned char>(s_[pos_++]);
      if (c == '"') return true;
      if (c < 0x20) return false;  // raw control characters are not allowed in JSON strings
      if (c != '\\') {
        if (out) out->push_back(static_cast<char>(c));
        continue;
      }
      if (pos_ >= s_.size()) return false;
      const char e = s_[pos_++];
      char simple = 0;
      switch (e) {
        case '"':
          simple = '"';
          break;
        case '\\':
          simple = '\\';
          break;
        case '/':
          simple = '/';
          break;
        case 'b':
          simple = '\b';
          break;
        case 'f':
          simple = '\f';
          break;
        case 'n':
          simple = '\n';
          break;
        case 'r':
          simple = '\r';
          break;
        case 't':
          simple = '\t';
          break;
        case 'u': {
          std::uint32_t cp = 0;
          if (!hex4(&cp)) return false;
          if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // a lone low surrogate
          if (cp >= 0xD800 && cp <= 0xDBFF) {              // must pair with a low surrogate
            std::uint32_t low = 0;
            if (!eat('\\') || !eat('u') || !hex4(&low) || low < 0xDC00 || low > 0xDFFF) {
              return false;
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          if (out) append_utf8(*out, cp);
          continue;
        }
        default:
          return false;
      }
      if (out) out->push_back(simple);
    }
    return false;  // unterminated
  }

  bool value(int depth) {
    if (depth > kMaxJsonDepth) return false;
    switch (peek()) {
      case '"':
        return string(nullptr);
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      default:
        return number();
    }
  }

  bool object(int depth) {
    if (!eat('{')) return false;
    skip_ws();
    if (eat('}')) return true;
    while (true) {
      skip_ws();
      if (!string(nullptr)) return false;
      skip_ws();
      if (!eat(':')) return false;
      skip_ws();
      if (!value(depth + 1)) return false;
      skip_ws();
      if (eat('}')) return true;
      if (!eat(',')) return false;
    }
  }

  // Like value(), but also builds the tree into *out.
  bool build(int depth, JsonValue* out) {
    if (depth > kMaxJsonDepth) return false;
    switch (peek()) {
      case '"':
        out->kind = JsonValue::Kind::kString;
        return string(&out->text);
      case '{':
        out->kind = JsonValue::Kind::kObject;
        return build_object(depth, out);
      case '[':
        out->kind = JsonValue::Kind::kArray;
        return build_array(depth, out);
      case 't':
        out->kind = JsonValue::Kind::kBool;
        out->boolean = true;
        return literal("true");
      case 'f':
        out->kind = JsonValue::Kind::kBool;
        return literal("false");
      case 'n':
        out->kind = JsonValue::Kind::kNull;
        return literal("null");
      default: {
        const auto start = pos_;
        if (!number()) return false;
        out->kind = JsonValue::Kind::kNumber;
        out->text = std::string(s_.substr(start, pos_ - start));
        return true;
      }
    }
  }

 private:
  bool build_object(int depth, JsonValue* out) {
    if (!eat('{')) return false;
    skip_ws();
    if (eat('}')) return true;
    while (true) {
      skip_ws();
      std::string key;
      if (!string(&key)) return false;
      skip_ws();
      if (!eat(':')) return false;
      skip_ws();
      out->members.emplace_back(std::move(key), JsonValue{});
      if (!build(depth + 1, &out->members.back().second)) return false;
      skip_ws();
      if (eat('}')) return true;
      if (!eat(',')) return false;
    }
  }

  bool build_array(int depth, JsonValue* out) {
    if (!eat('[')) return false;
    skip_ws();
    if (eat(']')) return true;
    while (true) {
      skip_ws();
      out->items.emplace_back();
      if (!build(depth + 1, &out->items.back())) return false;
      skip_ws();
      if (eat(']')) return true;
      if (!eat(',')) return false;
    }
  }

  bool array(int depth) {
    if (!eat('[')) return false;
    skip_ws();
    if (eat(']')) return true;
    while (true) {
      skip_ws();
      if (!value(depth + 1)) return false;
      skip_ws();
      if (eat(']')) return true;
      if (!eat(',')) return false;
    }
  }

  bool literal(std::string_view word) noexcept {
    if (s_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  bool digits() noexcept {
    const auto start = pos_;
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
    return pos_ > start;
  }

  bool number() noexcept {
    eat('-');
    if (!eat('0') && !digits()) return false;
    if (eat('.') && !digits()) return false;
    if (eat('e') || eat('E')) {
      if (!eat('+')) eat('-');
      if (!digits()) return false;
    }
    return true;
  }

  bool hex4(std::uint32_t* cp) noexcept {
    if (s_.size() - pos_ < 4) return false;
    for (int i = 0; i < 4; ++i) {
      const char h = s_[pos_++];
      std::uint32_t d = 0;
      if (h >= '0' && h <= '9') {
        d = static_cast<std::uint32_t>(h - '0');
      } else if (h >= 'a' && h <= 'f') {
        d = static_cast<std::uint32_t>(h - 'a' + 10);
      } else if (h >= 'A' && h <= 'F') {
        d = static_cast<std::uint32_t>(h - 'A' + 10);
      } else {
        return false;
      }
      *cp = (*cp << 4) | d;
    }
    return true;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

}  // namespace

JsonScan find_string_member(std::string_view json, std::string_view name, std::string* value) {
  Reader r(json);
  r.skip_ws();
  if (!r.eat('{')) return JsonScan::kInvalid;
  JsonScan result = JsonScan::kAbsent;
  r.skip_ws();
  if (!r.eat('}')) {
    while (true) {
      r.skip_ws();
      std::string key;
      if (!r.string(&key)) return JsonScan::kInvalid;
      r.skip_ws();
      if (!r.eat(':')) return JsonScan::kInvalid;
      r.skip_ws();
      if (result == JsonScan::kAbsent && key == name) {
        if (r.peek() == '"') {
          std::string decoded;
          if (!r.string(&decoded)) return JsonScan::kInvalid;
          if (value) *value = std::move(decoded);
          result = JsonScan::kFound;
        } else {
          if (!r.value(1)) return JsonScan::kInvalid;
          result = JsonScan::kNotString;
        }
      } else if (!r.value(1)) {
        return JsonScan::kInvalid;
      }
      r.skip_ws();
      if (r.eat('}')) break;
      if (!r.eat(',')) return JsonScan::kInvalid;
    }
  }
  r.skip_ws();
  return r.at_end() ? result : JsonScan::kInvalid;
}

const JsonValue* JsonValue::find(std::string_view name) const noexcept {
  if (kind != Kind::kObject) return nullptr;
  for (const auto& [key, value] : members) {
    if (key == name) return &value;
  }
  return nullptr;
}

std::optional<std::int64_t> JsonValue::as_int64() const noexcept {
  if (kind != Kind::kNumber) return std::nullopt;
  std::int64_t n = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, n);
  // "1.0" and "1e3" stop early: the API sends amounts as plain integers only.
  if (ec != std::errc{} || ptr != end) return std::nullopt;
  return n;
}

std::optional<JsonValue> parse_json(std::string_view json) {
  Reader r(json);
  JsonValue root;
  r.skip_ws();
  if (!r.build(0, &root)) return std::nullopt;
  r.skip_ws();
  if (!r.at_end()) return std::nullopt;
  return root;
}

}  // namespace vitrina::sdk::detail
