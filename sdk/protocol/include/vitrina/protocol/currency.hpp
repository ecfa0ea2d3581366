#pragma once
/// \file
/// ISO 4217 currencies and their minor units. Amounts travel as integers of the currency's minor
/// unit (kopecks, cents, yen, fils), so every part of Vitrina must agree on how many decimal places
/// a currency has; this table is that agreement.

#include <cstdint>
#include <span>
#include <string_view>

#include "vitrina/protocol/result.hpp"

namespace vitrina::protocol {

/// One currency of ISO 4217 List One.
struct Currency {
  std::string_view code;  ///< alphabetic code, three upper-case letters: "RUB"
  std::uint16_t numeric;  ///< numeric code: 643 for RUB (some acquirers, T-Bank among them, want it)
  std::uint8_t exponent;  ///< decimal places of the minor unit: 2 for RUB, 0 for JPY, 3 for KWD
};

/// Every currency that payments accept, sorted by code: the active codes of ISO 4217 List One
/// that have a minor unit (169 of them). Kept current up to ZWG (2024) and XCG (2025); where a
/// currency is being replaced (ANG by XCG, SLL by SLE, ZWL by ZWG) the outgoing
/// code stays while List One still carries it, so stored payments keep resolving. HRK left the
/// list when Croatia adopted the euro in 2023 and is not here.
///
/// Codes whose minor unit is "N.A." in ISO 4217 (gold XAU, silver XAG, SDR XDR, the bond-market
/// units, XTS, XXX…) are not here: they name no money a shop can charge.
///
/// The view refers to static storage and stays valid for the whole program.
std::span<const Currency> currencies() noexcept;

/// Looks up a currency by its alphabetic code, case-sensitively ("rub" is refused, since the wire
/// format is upper case and accepting both would let two spellings of one payment disagree).
/// Errors have code "invalid" and field "currency"; the message names the code when it is short
/// and printable (and never echoes anything else from untrusted input).
Result<Currency> find_currency(std::string_view code);

}  // namespace vitrina::protocol
