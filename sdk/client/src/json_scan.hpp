#pragma once
// Internal to vitrina::sdk: just enough JSON reading to pick string members out of small API
// answers without a JSON library dependency. The whole document is still checked against the
// JSON grammar, so a truncated or garbled answer is never mistaken for a good one.

#include <optional>
#include <string>
#include <string_view>

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

}  // namespace vitrina::sdk::detail
