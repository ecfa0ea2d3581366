#include "vitrina/protocol/amount.hpp"

#include <cstddef>
#include <limits>

namespace vitrina::protocol {

namespace {

// value * 10 + digit, or false when that would exceed INT64_MAX.
bool push_digit(std::int64_t& value, int digit) noexcept {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  if (value > (kMax - digit) / 10) return false;
  value = value * 10 + digit;
  return true;
}

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

Error parse_error(const Currency& currency, std::string_view field) {
  std::string message = std::string(field) + " must be a decimal number without sign";
  if (currency.exponent == 0) {
    message += " or fraction for " + std::string(currency.code) + ", like \"500\"";
  } else {
    message += " and with at most " + std::to_string(currency.exponent) + " fractional digits for " +
               std::string(currency.code) + ", like \"" + format_amount(123450, currency) + "\"";
  }
  return make_error(ErrorCode::invalid, std::move(message), std::string(field));
}

}  // namespace

Result<void> validate_amount(std::int64_t value, const Currency& currency, std::string_view field) {
  if (value <= 0) {
    return make_error(ErrorCode::invalid,
                      std::string(field) + " must be a positive number of minor units of " +
                          std::string(currency.code) + (value == 0 ? ", not zero" : ", not negative"),
                      std::string(field));
  }
  if (value > kMaxAmount) {
    return make_error(ErrorCode::invalid,
                      std::string(field) + " must not exceed " + format_amount(kMaxAmount, currency) + " " +
                          std::string(currency.code) + " (" + std::to_string(kMaxAmount) + " minor units)",
                      std::string(field));
  }
  return {};
}

std::string format_amount(std::int64_t value, const Currency& currency) {
  // The magnitude as unsigned, so that INT64_MIN (whose negation overflows int64) formats too.
  const bool negative = value < 0;
  std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + magnitude % 10));
    magnitude /= 10;
  } while (magnitude != 0);
  const std::size_t exponent = currency.exponent;
  // At least one digit before the point: 5 cents is "0.05", not ".05".
  if (digits.size() <= exponent) digits.insert(0, exponent + 1 - digits.size(), '0');
  if (exponent > 0) digits.insert(digits.size() - exponent, 1, '.');
  if (negative) digits.insert(digits.begin(), '-');
  return digits;
}

Result<std::int64_t> parse_amount(std::string_view text, const Currency& currency, std::string_view field) {
  const std::size_t point = text.find('.');
  const std::string_view whole = text.substr(0, point);
  const std::string_view fraction = point == std::string_view::npos ? std::string_view{} : text.substr(point + 1);
  const bool well_formed =
      !whole.empty() && (whole.size() == 1 || whole.front() != '0') &&
      (point == std::string_view::npos || (!fraction.empty() && fraction.size() <= currency.exponent));
  if (!well_formed) return parse_error(currency, field);

  std::int64_t value = 0;
  for (char c : whole) {
    if (!is_digit(c)) return parse_error(currency, field);
    if (!push_digit(value, c - '0')) {
      return make_error(ErrorCode::invalid, std::string(field) + " is too large", std::string(field));
    }
  }
  // Scale by the exponent: the given fractional digits, then zeros for the ones left out.
  for (std::size_t i = 0; i < currency.exponent; ++i) {
    int digit = 0;
    if (i < fraction.size()) {
      if (!is_digit(fraction[i])) return parse_error(currency, field);
      digit = fraction[i] - '0';
    }
    if (!push_digit(value, digit)) {
      return make_error(ErrorCode::invalid, std::string(field) + " is too large", std::string(field));
    }
  }
  return value;
}

}  // namespace vitrina::protocol
