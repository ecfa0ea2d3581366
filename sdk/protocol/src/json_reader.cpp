#include "vitrina/protocol/json_reader.hpp"

#include <charconv>
#include <utility>

#include "vitrina/protocol/form.hpp"
#include "vitrina/protocol/utf8.hpp"

namespace vitrina::protocol {

namespace {

class Parser {
 public:
  Parser(std::string_view text, const JsonReadLimits& limits) : text_(text), limits_(limits) {}

  Result<JsonValue> run() {
    JsonValue root;
    skip_whitespace();
    if (!value(root, 0)) return std::move(*error_);
    skip_whitespace();
    if (pos_ != text_.size()) return fail("unexpected text after the JSON value");
    return root;
  }

 private:
  // Records the first error at the current position and path; the caller unwinds with false.
  Error fail(std::string_view what) {
    if (!error_)
      error_ = make_error(ErrorCode::malformed, std::string(what) + " at byte " + std::to_string(pos_), path_);
    return *error_;
  }
  bool failed(std::string_view what) {
    fail(what);
    return false;
  }

  void skip_whitespace() noexcept {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return failed("invalid literal");
    pos_ += word.size();
    return true;
  }

  bool value(JsonValue& out, std::size_t depth) {
    if (++values_ > limits_.max_values) return failed("too many values");
    if (pos_ >= text_.size()) return failed("unexpected end of input");
    switch (text_[pos_]) {
      case '{':
        return object(out, depth + 1);
      case '[':
        return array(out, depth + 1);
      case '"':
        out.type = JsonType::string;
        return string(out.text);
      case 't':
        out.type = JsonType::boolean;
        out.boolean = true;
        return literal("true");
      case 'f':
        out.type = JsonType::boolean;
        return literal("false");
      case 'n':
        out.type = JsonType::null;
        return literal("null");
      default:
        return number(out);
    }
  }

  bool object(JsonValue& out, std::size_t depth) {
    if (depth > limits_.max_depth) return failed("nesting too deep");
    out.type = JsonType::object;
    ++pos_;  // '{'
    skip_whitespace();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      return true;
    }
    const std::size_t path_length = path_.size();
    while (true) {
      skip_whitespace();
      if (pos_ >= text_.size() || text_[pos_] != '"') return failed("expected a member name");
      std::string key;
      if (!string(key)) return false;
      if (!path_.empty()) path_ += '.';
      path_ += key;
      for (const JsonMember& m : out.members) {
        if (m.key == key) return failed("duplicate member name");
      }
      skip_whitespace();
      if (pos_ >= text_.size() || text_[pos_] != ':') return failed("expected ':'");
      ++pos_;
      skip_whitespace();
      JsonMember& member = out.members.emplace_back();
      member.key = std::move(key);
      if (!value(member.value, depth)) return false;
      path_.resize(path_length);
      skip_whitespace();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == '}') {
        ++pos_;
        return true;
      }
      return failed("expected ',' or '}'");
    }
  }

  bool array(JsonValue& out, std::size_t depth) {
    if (depth > limits_.max_depth) return failed("nesting too deep");
    out.type = JsonType::array;
    ++pos_;  // '['
    skip_whitespace();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      return true;
    }
    const std::size_t path_length = path_.size();
    while (true) {
      skip_whitespace();
      path_ += '[';
      path_ += std::to_string(out.items.size());
      path_ += ']';
      if (!value(out.items.emplace_back(), depth)) return false;
      path_.resize(path_length);
      skip_whitespace();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == ']') {
        ++pos_;
        return true;
      }
      return failed("expected ',' or ']'");
    }
  }

  // Four hex digits after "\u".
  bool hex4(unsigned& out) {
    if (text_.size() - pos_ < 4) return failed("truncated \\u escape");
    out = 0;
    for (int i = 0; i < 4; ++i) {
      const int v = hex_digit_value(text_[pos_++]);
      if (v < 0) return failed("invalid \\u escape");
      out = out * 16 + static_cast<unsigned>(v);
    }
    return true;
  }

  bool escape(std::string& out) {
    if (pos_ >= text_.size()) return failed("unterminated string");
    const char c = text_[pos_++];
    switch (c) {
      case '"':
      case '\\':
      case '/':
        out.push_back(c);
        return true;
      case 'b':
        out.push_back('\b');
        return true;
      case 'f':
        out.push_back('\f');
        return true;
      case 'n':
        out.push_back('\n');
        return true;
      case 'r':
        out.push_back('\r');
        return true;
      case 't':
        out.push_back('\t');
        return true;
      case 'u':
        break;
      default:
        return failed("invalid escape");
    }
    unsigned unit = 0;
    if (!hex4(unit)) return false;
    char32_t cp = unit;
    if (unit >= 0xDC00 && unit <= 0xDFFF) return failed("lone low surrogate in \\u escape");
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      unsigned low = 0;
      if (text_.substr(pos_, 2) != "\\u") return failed("lone high surrogate in \\u escape");
      pos_ += 2;
      if (!hex4(low)) return false;
      if (low < 0xDC00 || low > 0xDFFF) return failed("lone high surrogate in \\u escape");
      cp = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
    }
    utf8_append(out, cp);
    return true;
  }

  bool string(std::string& out) {
    ++pos_;  // '"'
    while (true) {
      // Copy the run of ordinary ASCII in one go.
      std::size_t run = pos_;
      while (run < text_.size()) {
        const auto c = static_cast<unsigned char>(text_[run]);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
        ++run;
      }
      out.append(text_.data() + pos_, run - pos_);
      pos_ = run;
      if (pos_ >= text_.size()) return failed("unterminated string");
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c == '\\') {
        ++pos_;
        if (!escape(out)) return false;
        continue;
      }
      if (c < 0x20) return failed("control character in string");
      const std::size_t n = utf8_sequence_length(text_, pos_);
      if (n == 0) return failed("invalid UTF-8");
      out.append(text_.data() + pos_, n);
      pos_ += n;
    }
  }

  bool number(JsonValue& out) {
    const std::size_t start = pos_;
    const auto digit = [&] { return pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9'; };
    if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
    if (!digit()) return failed(start == pos_ ? "unexpected character" : "invalid number");
    if (text_[pos_] == '0') {
      ++pos_;
      if (digit()) return failed("invalid number (leading zero)");
    } else {
      while (digit()) ++pos_;
    }
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (!digit()) return failed("invalid number");
      while (digit()) ++pos_;
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (!digit()) return failed("invalid number");
      while (digit()) ++pos_;
    }
    out.type = JsonType::number;
    out.text.assign(text_.substr(start, pos_ - start));
    return true;
  }

  std::string_view text_;
  const JsonReadLimits& limits_;
  std::size_t pos_ = 0;
  std::size_t values_ = 0;
  std::string path_;
  std::optional<Error> error_;
};

}  // namespace

std::string_view to_string(JsonType type) noexcept {
  switch (type) {
    case JsonType::null:
      return "null";
    case JsonType::boolean:
      return "boolean";
    case JsonType::number:
      return "number";
    case JsonType::string:
      return "string";
    case JsonType::array:
      return "array";
    case JsonType::object:
      return "object";
  }
  return "null";
}

std::optional<std::int64_t> JsonValue::as_int64() const noexcept {
  if (type != JsonType::number || text.find_first_of(".eE") != std::string::npos) return std::nullopt;
  std::int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

const JsonValue* JsonValue::find(std::string_view key) const noexcept {
  for (const JsonMember& m : members) {
    if (m.key == key) return &m.value;
  }
  return nullptr;
}

Result<JsonValue> parse_json(std::string_view text, const JsonReadLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return make_error(ErrorCode::too_large, "JSON text of " + std::to_string(text.size()) +
                                                " bytes exceeds the limit of " + std::to_string(limits.max_bytes));
  }
  return Parser(text, limits).run();
}

}  // namespace vitrina::protocol
