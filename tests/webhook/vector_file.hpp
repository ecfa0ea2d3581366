#pragma once
// Reads tests/vectors/standard-webhooks.json for the tests. The SDK
// has no JSON library, and the file is small and trusted, so a minimal extractor does: find an
// object by key, then a string or integer member inside it.

#include <cstdint>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

namespace vitrina::webhook::test {

inline std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The position just past the closing quote of the JSON string starting at `pos` (a '"').
inline std::size_t skip_string(std::string_view json, std::size_t pos) {
  for (++pos; pos < json.size(); ++pos) {
    if (json[pos] == '\\') {
      ++pos;
    } else if (json[pos] == '"') {
      return pos + 1;
    }
  }
  return std::string_view::npos;
}

// The value text right after `"key":` at the top level of `object` (which includes its braces).
inline std::optional<std::string_view> member(std::string_view object, std::string_view key) {
  int depth = 0;
  for (std::size_t i = 0; i < object.size();) {
    const char c = object[i];
    if (c == '"') {
      const std::size_t end = skip_string(object, i);
      if (end == std::string_view::npos) return std::nullopt;
      const std::string_view name = object.substr(i + 1, end - i - 2);
      std::size_t j = end;
      while (j < object.size() && (object[j] == ' ' || object[j] == '\n' || object[j] == '\r' || object[j] == '\t'))
        ++j;
      if (depth == 1 && name == key && j < object.size() && object[j] == ':') {
        ++j;
        while (j < object.size() && (object[j] == ' ' || object[j] == '\n' || object[j] == '\t')) ++j;
        return object.substr(j);
      }
      i = end;
      continue;
    }
    if (c == '{' || c == '[') ++depth;
    if (c == '}' || c == ']') --depth;
    ++i;
  }
  return std::nullopt;
}

// The object value of `key` in `object`, braces included.
inline std::optional<std::string_view> object_member(std::string_view object, std::string_view key) {
  const auto v = member(object, key);
  if (!v || v->empty() || v->front() != '{') return std::nullopt;
  int depth = 0;
  for (std::size_t i = 0; i < v->size();) {
    const char c = (*v)[i];
    if (c == '"') {
      i = skip_string(*v, i);
      if (i == std::string_view::npos) return std::nullopt;
      continue;
    }
    if (c == '{') ++depth;
    if (c == '}' && --depth == 0) return v->substr(0, i + 1);
    ++i;
  }
  return std::nullopt;
}

// The string value of `key` in `object`, with the escapes this file uses (\" \\ \/ \n \t) undone.
inline std::optional<std::string> string_member(std::string_view object, std::string_view key) {
  const auto v = member(object, key);
  if (!v || v->empty() || v->front() != '"') return std::nullopt;
  std::string out;
  for (std::size_t i = 1; i < v->size(); ++i) {
    char c = (*v)[i];
    if (c == '"') return out;
    if (c == '\\') {
      if (++i == v->size()) return std::nullopt;
      switch ((*v)[i]) {
        case 'n':
          c = '\n';
          break;
        case 't':
          c = '\t';
          break;
        case '"':
        case '\\':
        case '/':
          c = (*v)[i];
          break;
        default:
          return std::nullopt;  // \u and the rest: not used by the vectors
      }
    }
    out.push_back(c);
  }
  return std::nullopt;
}

inline std::optional<std::int64_t> int_member(std::string_view object, std::string_view key) {
  const auto v = member(object, key);
  if (!v) return std::nullopt;
  std::size_t n = 0;
  while (n < v->size() && (*v)[n] >= '0' && (*v)[n] <= '9') ++n;
  if (n == 0 || n > 18) return std::nullopt;
  return std::stoll(std::string(v->substr(0, n)));
}

}  // namespace vitrina::webhook::test
