#pragma once
// Internal to vitrina::sdk: just enough JSON reading for small API answers without a JSON
// library dependency: one string member picked out (find_string_member) or a whole tree
// (parse_json) for the payment objects. The whole document is still checked against the
// JSON grammar, so a truncated or garbled answer is never mistaken for a good one.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vitrina::sdk::detail {

/// Nesting deeper than this makes the document invalid here (bounds the recursion).
inline constexpr int kMaxJsonDepth = 64;

enum class JsonScan {
  kFound,      // the document is a valid JSON object and `name` is a string member
  kAbsent,     // the document is a valid JSON object without `name`
  kNotString,  // the document is a valid JSON object whose `name` is not a string
  kInvalid,    // not valid JSON, not an object, or nested too deeply
};

/// Looks up the top-level member `name` of the JSON object in `json`. On kFound `*value` holds
/// the decoded string (escapes resolved, \u escapes written as UTF-8). With duplicate names the
/// first one counts.
JsonScan find_string_member(std::string_view json, std::string_view name, std::string* value);

/// One parsed JSON value: a small tree for reading API answers into typed structs.
struct JsonValue {
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  bool boolean = false;
  /// The decoded string (kString) or the number exactly as written (kNumber).
  std::string text;
  std::vector<JsonValue> items;                            // kArray
  std::vector<std::pair<std::string, JsonValue>> members;  // kObject, in document order

  /// The first member called `name` of an object, or null (also for non-objects).
  const JsonValue* find(std::string_view name) const noexcept;
  /// An integer number that fits in int64 (no fraction, no exponent), or nothing.
  std::optional<std::int64_t> as_int64() const noexcept;
};

/// Parses a whole JSON text (surrounding whitespace allowed); nothing when it is not valid JSON
/// or nests deeper than kMaxJsonDepth.
std::optional<JsonValue> parse_json(std::string_view json);

}  // namespace vitrina::sdk::detail
