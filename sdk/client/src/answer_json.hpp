#pragma once
// Internal to vitrina::sdk: how the client reads the server's JSON answers. It uses the one
// reader the project has, protocol::parse_json, which the widget and the protocol frames use
// too: it refuses a document with a duplicate member name, so no two readers here can disagree
// about which of two values counts.

#include <cstddef>
#include <limits>
#include <string_view>

#include "vitrina/protocol/json_reader.hpp"
#include "vitrina/protocol/result.hpp"

namespace vitrina::sdk::detail {

/// Nesting deeper than this (the top-level container counts as 1, so 64 levels below it) makes
/// an answer invalid; it bounds the reader's recursion. The API's answers nest a handful of levels.
inline constexpr std::size_t kMaxJsonDepth = 65;

/// The size of an answer is already bounded by ClientOptions::max_response_bytes while it is
/// received, and every value takes at least one byte, so only the depth needs its own bound.
inline constexpr protocol::JsonReadLimits kAnswerLimits{.max_bytes = std::numeric_limits<std::size_t>::max(),
                                                        .max_depth = kMaxJsonDepth,
                                                        .max_values = std::numeric_limits<std::size_t>::max()};

/// Parses one answer with kAnswerLimits. An error has code `invalid_response`, the reader's
/// reason in its message and the reader's `field` (where in the document it went wrong).
protocol::Result<protocol::JsonValue> parse_answer(std::string_view json);

}  // namespace vitrina::sdk::detail
