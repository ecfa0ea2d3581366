#include "callbacks/json_input.hpp"

#include <algorithm>

#include "vitrina/protocol/timestamp.hpp"
#include "vitrina/protocol/utf8.hpp"

namespace vitrina::callbacks {

protocol::Result<protocol::JsonValue> parse_object(std::string_view body, std::size_t max_bytes) {
  auto doc = protocol::parse_json(body, {.max_bytes = max_bytes, .max_depth = 4, .max_values = 64});
  if (!doc)
    return protocol::make_error(protocol::ErrorCode::malformed, "the body is not valid JSON: " + doc.error().message,
                                "body");
  if (!doc->is_object()) return invalid("body", "must be a JSON object");
  return std::move(*doc);
}

protocol::Result<void> only_members(const protocol::JsonValue& object, std::initializer_list<std::string_view> known,
                                    std::string_view prefix) {
  for (const auto& m : object.members) {
    if (std::find(known.begin(), known.end(), m.key) == known.end()) {
      return invalid(std::string(prefix) + m.key, "is not a member this request takes");
    }
  }
  return {};
}

protocol::Result<std::optional<std::string>> optional_text(const protocol::JsonValue& object, std::string_view key,
                                                           std::size_t max_chars) {
  const protocol::JsonValue* v = object.find(key);
  if (v == nullptr || v->is_null()) return std::optional<std::string>{};
  if (!v->is_string()) return invalid(std::string(key), "must be a string");
  const auto chars = protocol::utf8_length(v->text);
  if (!chars || *chars > max_chars) {
    return invalid(std::string(key), "must be at most " + std::to_string(max_chars) + " characters");
  }
  return std::optional<std::string>{v->text};
}

protocol::Result<std::optional<std::int64_t>> optional_time(const protocol::JsonValue& object, std::string_view key) {
  const protocol::JsonValue* v = object.find(key);
  if (v == nullptr || v->is_null()) return std::optional<std::int64_t>{};
  auto ms = v->is_string() ? protocol::parse_timestamp_ms(v->text) : std::nullopt;
  if (!ms) return invalid(std::string(key), "must be a time such as \"2026-11-23T07:00:00.000Z\"");
  return std::optional<std::int64_t>{*ms};
}

}  // namespace vitrina::callbacks
