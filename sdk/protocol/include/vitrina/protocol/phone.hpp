#pragma once
/// \file
/// Phone numbers as a visitor types them, turned into E.164 (`+79123456789`). The same rules run
/// in the callback widget (to refuse a bad number before it is sent) and on the server (which
/// never trusts the widget's check).
///
/// Accepted input:
/// - international: `+` then the country code and the number, or the `00` / Russian `8 10`
///   international prefixes instead of `+` (`0049 30 1234567`, `8 10 49 30 1234567`);
/// - Russian national forms, when there is no international prefix: `8 (912) 345-67-89`,
///   `7 912 345 67 89`, `912 345 67 89` all mean `+79123456789`.
/// Digits may be grouped with spaces, dashes, dots and one pair of brackets; nothing else.
///
/// The number is checked against its country code: the code must be one the ITU has assigned
/// to a country or territory (international freephone and satellite codes are refused: nobody
/// can be called back on them), and the national number's length must be one that country
/// uses where we know it (4 to 15 − code length digits otherwise). In the +7 zone (Russia and
/// Kazakhstan) and the +1 zone (NANP) the first digits are checked as well.

#include <string>
#include <string_view>
#include <vector>

#include "vitrina/protocol/result.hpp"

namespace vitrina::protocol {

/// At most this many characters of input are looked at; longer input is refused as too long.
inline constexpr std::size_t kMaxPhoneInput = 64;

struct PhoneNumber {
  std::string e164;          ///< `+` and 8 to 15 digits: `+79123456789`
  std::string country_code;  ///< digits only: `7`
};

/// Normalises `input` to E.164. Errors are "invalid" with `field` set to `field` and a message
/// a visitor can act on ("is too short for a number in +7", "has no country code").
Result<PhoneNumber> normalize_phone(std::string_view input, std::string_view field = "phone");

/// A grouped form for people: `+7 912 345-67-89` in the +7 zone, `+1 212 555 0123` in NANP,
/// otherwise the code and the national number in groups of three or four. `e164` must be a
/// normalised number; anything else is returned unchanged.
std::string format_phone(std::string_view e164);

/// True when `e164` starts with one of `prefixes` (each `+` and 1 to 15 digits, as kept in a
/// site's refused ranges: `+7800`, `+7900555`).
bool phone_has_prefix(std::string_view e164, const std::vector<std::string>& prefixes) noexcept;

/// True for `+` followed by 1 to 15 digits, the form of a refused-range prefix.
bool is_phone_prefix(std::string_view text) noexcept;

}  // namespace vitrina::protocol
