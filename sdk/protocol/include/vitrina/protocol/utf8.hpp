#pragma once
/// \file
/// UTF-8 checks shared by the JSON reader and the chat field rules. Valid means RFC 3629: no
/// overlong forms, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace vitrina::protocol {

/// Length in bytes of the valid UTF-8 sequence that starts at `s[i]`, or 0 if none does.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) noexcept;

/// True when all of `s` is valid UTF-8.
bool is_valid_utf8(std::string_view s) noexcept;

/// The number of code points ("characters") in `s`, or nothing when `s` is not valid UTF-8.
std::optional<std::size_t> utf8_length(std::string_view s) noexcept;

/// Appends the UTF-8 form of `code_point`, which must be at most U+10FFFF and not a surrogate.
void utf8_append(std::string& out, char32_t code_point);

}  // namespace vitrina::protocol
