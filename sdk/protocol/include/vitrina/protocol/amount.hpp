#pragma once
/// \file
/// Money amounts. An amount is a signed 64-bit count of the currency's minor units (123450 RUB
/// minor units = 1234.50 RUB); there is no floating point anywhere in money arithmetic. Decimal
/// strings exist only at the edges, for people and for acquirers that speak them.

#include <cstdint>
#include <string>
#include <string_view>

#include "vitrina/protocol/currency.hpp"
#include "vitrina/protocol/result.hpp"

namespace vitrina::protocol {

/// The largest amount of one payment, capture or refund, in minor units: 10^15 (10 trillion
/// roubles, dollars or euros; 10^15 yen). Far above any shop's order, and far enough below
/// INT64_MAX (about 9.2 * 10^18) that sums of several thousand valid amounts (captured, refunded,
/// refunds in flight) cannot overflow.
inline constexpr std::int64_t kMaxAmount = 1'000'000'000'000'000;

/// Checks an amount the API or an acquirer gave us: refuses zero, negatives and anything above
/// kMaxAmount with code "invalid" and the given `field` ("amount", "items[2].amount"…). The
/// currency only shapes the message ("amount must not exceed 10000000000000.00 RUB").
Result<void> validate_amount(std::int64_t value, const Currency& currency, std::string_view field = "amount");

/// Formats minor units as a plain decimal string with exactly the currency's exponent of
/// fractional digits and '.' as separator: 123450 RUB -> "1234.50", 500 JPY -> "500",
/// 1 KWD -> "0.001", -5 USD -> "-0.05". No grouping, no symbol: this is for acquirers and logs,
/// not for typesetting. Defined for every int64 value, INT64_MIN included.
std::string format_amount(std::int64_t value, const Currency& currency);

/// Parses a decimal string back into minor units, strictly: ASCII digits, no sign, no leading
/// zeros ("0.50" is fine, "00.50" is not), at most the currency's exponent of fractional digits
/// after a '.' ("1234.5" and "1234.50" are both 123450 for RUB; "1234.505" is refused, as is any
/// '.' for JPY), no exponent, no spaces, no grouping, no empty parts ("1." and ".5" are refused).
/// Values beyond INT64_MAX minor units are refused rather than wrapped. Zero parses (it is a
/// well-formed number); call validate_amount for the business rules. Errors have code "invalid"
/// and the given `field`.
Result<std::int64_t> parse_amount(std::string_view text, const Currency& currency, std::string_view field = "amount");

}  // namespace vitrina::protocol
