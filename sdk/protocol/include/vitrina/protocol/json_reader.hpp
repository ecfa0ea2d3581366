#pragma once
/// \file
/// A small, strict JSON reader for untrusted input that must be read the same way natively and
/// in the WASM widget (where simdjson is not available): RFC 8259 only, no extensions.
///
/// - The input must be valid UTF-8, strings included; `\u` escapes must form valid code points
///   (a lone surrogate is refused).
/// - An object with the same member name twice is refused: two readers could otherwise disagree
///   on which one counts.
/// - Size, nesting depth and the number of values are bounded by JsonReadLimits, and the
///   recursion never goes deeper than `max_depth`.
/// - Numbers are kept as written; as_int64() gives the exact value of an integer literal.
///
/// Errors are values with code "malformed" (or "too_large" for input over max_bytes), a message
/// with the byte offset, and `field` naming where it happened, in the style of the HTTP API:
/// `context.attributes.cart`, `items[2]`; empty at the top level.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vitrina/protocol/result.hpp"

namespace vitrina::protocol {

enum class JsonType : std::uint8_t { null, boolean, number, string, array, object };

/// "null", "boolean", "number", "string", "array", "object".
std::string_view to_string(JsonType type) noexcept;

struct JsonMember;

/// One parsed value. Owns its children; cheap to move.
struct JsonValue {
  JsonType type = JsonType::null;
  bool boolean = false;
  std::string text;                 ///< string: the decoded content; number: the literal as written
  std::vector<JsonValue> items;     ///< array elements, in order
  std::vector<JsonMember> members;  ///< object members, in document order, names unique

  bool is_null() const noexcept { return type == JsonType::null; }
  bool is_bool() const noexcept { return type == JsonType::boolean; }
  bool is_number() const noexcept { return type == JsonType::number; }
  bool is_string() const noexcept { return type == JsonType::string; }
  bool is_array() const noexcept { return type == JsonType::array; }
  bool is_object() const noexcept { return type == JsonType::object; }

  /// The value of an integer literal (no fraction, no exponent) that fits in int64; otherwise
  /// nothing. `1.0` and `1e3` are not integers here.
  std::optional<std::int64_t> as_int64() const noexcept;

  /// The member named `key` of an object, or nullptr (also for non-objects).
  const JsonValue* find(std::string_view key) const noexcept;
};

struct JsonMember {
  std::string key;
  JsonValue value;
};

struct JsonReadLimits {
  std::size_t max_bytes = 64 * 1024;  ///< the whole input
  std::size_t max_depth = 16;         ///< nested arrays and objects; the top-level container is 1
  std::size_t max_values = 4096;      ///< every value counted, containers included
};

/// Parses one JSON value (any type at the top level), with optional whitespace around it.
Result<JsonValue> parse_json(std::string_view text, const JsonReadLimits& limits = {});

}  // namespace vitrina::protocol
