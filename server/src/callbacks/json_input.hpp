#pragma once
// Reading the widgets' small JSON bodies with the protocol library's strict reader: errors as
// the API reports them ("malformed" naming `body`, "invalid" naming the member).

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "vitrina/protocol/json_reader.hpp"
#include "vitrina/protocol/result.hpp"

namespace vitrina::callbacks {

inline protocol::Error invalid(std::string field, std::string message) {
  return protocol::make_error(protocol::ErrorCode::invalid, std::move(message), std::move(field));
}

/// The body as a JSON object of at most `max_bytes`.
protocol::Result<protocol::JsonValue> parse_object(std::string_view body, std::size_t max_bytes);

/// "invalid" naming the first member (prefixed: `pow.x`) that is not in `known`.
protocol::Result<void> only_members(const protocol::JsonValue& object, std::initializer_list<std::string_view> known,
                                    std::string_view prefix = {});

/// A string member of at most `max_chars` characters; nothing when absent or null.
protocol::Result<std::optional<std::string>> optional_text(const protocol::JsonValue& object, std::string_view key,
                                                           std::size_t max_chars);

/// An RFC 3339 time member as unix ms; nothing when absent or null.
protocol::Result<std::optional<std::int64_t>> optional_time(const protocol::JsonValue& object, std::string_view key);

}  // namespace vitrina::callbacks
