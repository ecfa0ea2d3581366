#pragma once
// Reads tests/vectors/standard-webhooks.json for the tests, with the project's one JSON reader
// (protocol::parse_json), like every other JSON the SDK side reads.

#include <cstdint>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "vitrina/protocol/json_reader.hpp"

namespace vitrina::webhook::test {

inline std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The string member `key` of `object`, or nothing when it is absent or not a string.
inline std::optional<std::string> string_member(const protocol::JsonValue& object, std::string_view key) {
  const protocol::JsonValue* v = object.find(key);
  if (!v || !v->is_string()) return std::nullopt;
  return v->text;
}

// The integer member `key` of `object`, or nothing when it is absent or not an integer.
inline std::optional<std::int64_t> int_member(const protocol::JsonValue& object, std::string_view key) {
  const protocol::JsonValue* v = object.find(key);
  return v ? v->as_int64() : std::nullopt;
}

}  // namespace vitrina::webhook::test
