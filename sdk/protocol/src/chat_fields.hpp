#pragma once
// Reading the members of one JSON object for the chat codec. The first problem is kept in an
// Error shared by a frame's readers and later reads return nothing, so a frame reader is a flat
// list of reads followed by one check, with no early return after each member.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vitrina/protocol/chat.hpp"
#include "vitrina/protocol/json.hpp"
#include "vitrina/protocol/json_reader.hpp"
#include "vitrina/protocol/result.hpp"

namespace vitrina::protocol::chat::detail {

class Fields {
 public:
  // `prefix` is the path of `object` ("" at the top, "context" inside hello). `strict`: members
  // that were never read are refused by finish().
  Fields(const JsonValue& object, std::string prefix, std::optional<Error>& error, bool strict);

  bool ok() const noexcept { return !error_.has_value(); }
  // Reads the members of `object`, found at `key` of this one, into the same error.
  Fields nested(const JsonValue& object, std::string_view key) const {
    return Fields(object, path(key), error_, strict_);
  }
  // "key" at the top level, "prefix.key" below it.
  std::string path(std::string_view key) const;

  // Each read marks the member as known. Absent and null members give nothing; a required one
  // that is absent, or a member of the wrong type, records an "invalid" error naming it.
  std::optional<std::string> string(std::string_view key, bool required);
  std::optional<std::int64_t> integer(std::string_view key, bool required, std::int64_t min, std::int64_t max);
  std::optional<bool> boolean(std::string_view key, bool required);
  const JsonValue* object(std::string_view key, bool required);
  // An RFC 3339 string (as format_timestamp_ms writes it) as Unix milliseconds.
  std::optional<std::int64_t> timestamp(std::string_view key, bool required);

  // Records `result`'s error unless one is recorded already.
  void rule(Result<void> result);
  void fail(ErrorCode code, std::string_view field, std::string message);

  // Strict readers: refuses the first member no read asked for. Returns ok().
  bool finish();

 private:
  const JsonValue* take(std::string_view key, JsonType type, bool required, std::string_view expected);

  const JsonValue& object_;
  std::string prefix_;
  std::optional<Error>& error_;
  bool strict_;
  std::vector<bool> seen_;
};

// Wire names back to enumerators; the enumerators are 0..count-1 and to_string names them.
template <class E>
std::optional<E> parse_enum(std::string_view text, int count) {
  for (int i = 0; i < count; ++i) {
    if (to_string(static_cast<E>(i)) == text) return static_cast<E>(i);
  }
  return std::nullopt;
}

// Reads an enum member by its wire name; required members must be present.
template <class E>
std::optional<E> read_enum(Fields& f, std::string_view key, int count, bool required) {
  const auto text = f.string(key, required);
  if (!text) return std::nullopt;
  auto value = parse_enum<E>(*text, count);
  if (!value) f.fail(ErrorCode::invalid, f.path(key), "unknown value \"" + *text + "\"");
  return value;
}

// The visitor context members of `f` (a `context` frame, or hello's `context` object).
VisitorContext read_context(Fields& f);
void write_author(JsonWriter& w, const Author& author);
void write_context_members(JsonWriter& w, const VisitorContext& context);

}  // namespace vitrina::protocol::chat::detail
