#pragma once
/// \file
/// Percent-decoding for URL paths, query strings and application/x-www-form-urlencoded bodies.

#include <optional>
#include <string>
#include <string_view>

namespace vitrina::protocol {

/// The value of a hexadecimal digit (either case), or -1 for any other character.
int hex_digit_value(char c) noexcept;

/// Decodes one application/x-www-form-urlencoded value: `+` is a space, `%XY` a byte. Returns
/// nothing for a truncated or non-hex escape.
std::optional<std::string> form_decode(std::string_view text);

}  // namespace vitrina::protocol
