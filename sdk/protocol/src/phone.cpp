#include "vitrina/protocol/phone.hpp"

#include <algorithm>
#include <array>

namespace vitrina::protocol {

namespace {

// A country calling code and the lengths of its national significant numbers. `min_len` 0
// means "assigned, lengths not listed here": 4 to 15 − code length digits.
struct CountryCode {
  std::string_view code;
  unsigned char min_len;
  unsigned char max_len;
};

// Every code the ITU has assigned to a country or territory (E.164 annex, 2024), with the
// lengths of the countries a shop is most likely to be called from.
constexpr std::array kCountryCodes = {
    CountryCode{"1", 10, 10},  CountryCode{"7", 10, 10},   CountryCode{"20", 9, 10}, CountryCode{"27", 9, 9},
    CountryCode{"30", 10, 10}, CountryCode{"31", 9, 9},    CountryCode{"32", 8, 9},  CountryCode{"33", 9, 9},
    CountryCode{"34", 9, 9},   CountryCode{"36", 8, 9},    CountryCode{"39", 6, 11}, CountryCode{"40", 9, 9},
    CountryCode{"41", 9, 9},   CountryCode{"43", 4, 13},   CountryCode{"44", 9, 10}, CountryCode{"45", 8, 8},
    CountryCode{"46", 7, 13},  CountryCode{"47", 8, 8},    CountryCode{"48", 9, 9},  CountryCode{"49", 6, 13},
    CountryCode{"51", 8, 9},   CountryCode{"52", 10, 10},  CountryCode{"53", 6, 8},  CountryCode{"54", 10, 11},
    CountryCode{"55", 10, 11}, CountryCode{"56", 9, 9},    CountryCode{"57", 8, 10}, CountryCode{"58", 10, 10},
    CountryCode{"60", 7, 10},  CountryCode{"61", 9, 9},    CountryCode{"62", 7, 12}, CountryCode{"63", 8, 10},
    CountryCode{"64", 8, 10},  CountryCode{"65", 8, 8},    CountryCode{"66", 8, 9},  CountryCode{"81", 9, 10},
    CountryCode{"82", 8, 10},  CountryCode{"84", 9, 10},   CountryCode{"86", 8, 12}, CountryCode{"90", 10, 10},
    CountryCode{"91", 10, 10}, CountryCode{"92", 9, 10},   CountryCode{"93", 9, 9},  CountryCode{"94", 9, 9},
    CountryCode{"95", 7, 10},  CountryCode{"98", 10, 10},  CountryCode{"211", 0, 0}, CountryCode{"212", 9, 9},
    CountryCode{"213", 8, 9},  CountryCode{"216", 8, 8},   CountryCode{"218", 0, 0}, CountryCode{"220", 0, 0},
    CountryCode{"221", 0, 0},  CountryCode{"222", 0, 0},   CountryCode{"223", 0, 0}, CountryCode{"224", 0, 0},
    CountryCode{"225", 0, 0},  CountryCode{"226", 0, 0},   CountryCode{"227", 0, 0}, CountryCode{"228", 0, 0},
    CountryCode{"229", 0, 0},  CountryCode{"230", 0, 0},   CountryCode{"231", 0, 0}, CountryCode{"232", 0, 0},
    CountryCode{"233", 0, 0},  CountryCode{"234", 0, 0},   CountryCode{"235", 0, 0}, CountryCode{"236", 0, 0},
    CountryCode{"237", 0, 0},  CountryCode{"238", 0, 0},   CountryCode{"239", 0, 0}, CountryCode{"240", 0, 0},
    CountryCode{"241", 0, 0},  CountryCode{"242", 0, 0},   CountryCode{"243", 0, 0}, CountryCode{"244", 0, 0},
    CountryCode{"245", 0, 0},  CountryCode{"246", 0, 0},   CountryCode{"247", 0, 0}, CountryCode{"248", 0, 0},
    CountryCode{"249", 0, 0},  CountryCode{"250", 0, 0},   CountryCode{"251", 0, 0}, CountryCode{"252", 0, 0},
    CountryCode{"253", 0, 0},  CountryCode{"254", 9, 9},   CountryCode{"255", 0, 0}, CountryCode{"256", 0, 0},
    CountryCode{"257", 0, 0},  CountryCode{"258", 0, 0},   CountryCode{"260", 0, 0}, CountryCode{"261", 0, 0},
    CountryCode{"262", 0, 0},  CountryCode{"263", 0, 0},   CountryCode{"264", 0, 0}, CountryCode{"265", 0, 0},
    CountryCode{"266", 0, 0},  CountryCode{"267", 0, 0},   CountryCode{"268", 0, 0}, CountryCode{"269", 0, 0},
    CountryCode{"290", 0, 0},  CountryCode{"291", 0, 0},   CountryCode{"297", 0, 0}, CountryCode{"298", 0, 0},
    CountryCode{"299", 0, 0},  CountryCode{"350", 8, 8},   CountryCode{"351", 9, 9}, CountryCode{"352", 0, 0},
    CountryCode{"353", 7, 9},  CountryCode{"354", 7, 9},   CountryCode{"355", 0, 0}, CountryCode{"356", 8, 8},
    CountryCode{"357", 8, 8},  CountryCode{"358", 5, 12},  CountryCode{"359", 0, 0}, CountryCode{"370", 8, 8},
    CountryCode{"371", 8, 8},  CountryCode{"372", 7, 8},   CountryCode{"373", 8, 8}, CountryCode{"374", 8, 8},
    CountryCode{"375", 9, 9},  CountryCode{"376", 0, 0},   CountryCode{"377", 0, 0}, CountryCode{"378", 0, 0},
    CountryCode{"380", 9, 9},  CountryCode{"381", 0, 0},   CountryCode{"382", 0, 0}, CountryCode{"383", 0, 0},
    CountryCode{"385", 0, 0},  CountryCode{"386", 8, 8},   CountryCode{"387", 0, 0}, CountryCode{"389", 8, 8},
    CountryCode{"420", 9, 9},  CountryCode{"421", 9, 9},   CountryCode{"423", 0, 0}, CountryCode{"500", 0, 0},
    CountryCode{"501", 0, 0},  CountryCode{"502", 8, 8},   CountryCode{"503", 8, 8}, CountryCode{"504", 8, 8},
    CountryCode{"505", 8, 8},  CountryCode{"506", 8, 8},   CountryCode{"507", 7, 8}, CountryCode{"508", 0, 0},
    CountryCode{"509", 8, 8},  CountryCode{"590", 9, 9},   CountryCode{"591", 8, 8}, CountryCode{"592", 0, 0},
    CountryCode{"593", 8, 9},  CountryCode{"594", 9, 9},   CountryCode{"595", 0, 0}, CountryCode{"596", 9, 9},
    CountryCode{"597", 0, 0},  CountryCode{"598", 0, 0},   CountryCode{"599", 0, 0}, CountryCode{"670", 0, 0},
    CountryCode{"672", 0, 0},  CountryCode{"673", 0, 0},   CountryCode{"674", 0, 0}, CountryCode{"675", 0, 0},
    CountryCode{"676", 0, 0},  CountryCode{"677", 0, 0},   CountryCode{"678", 0, 0}, CountryCode{"679", 0, 0},
    CountryCode{"680", 0, 0},  CountryCode{"681", 0, 0},   CountryCode{"682", 0, 0}, CountryCode{"683", 0, 0},
    CountryCode{"685", 0, 0},  CountryCode{"686", 0, 0},   CountryCode{"687", 0, 0}, CountryCode{"688", 0, 0},
    CountryCode{"689", 0, 0},  CountryCode{"690", 0, 0},   CountryCode{"691", 0, 0}, CountryCode{"692", 0, 0},
    CountryCode{"850", 0, 0},  CountryCode{"852", 8, 8},   CountryCode{"853", 8, 8}, CountryCode{"855", 8, 9},
    CountryCode{"856", 0, 0},  CountryCode{"880", 10, 10}, CountryCode{"886", 8, 9}, CountryCode{"960", 7, 7},
    CountryCode{"961", 7, 8},  CountryCode{"962", 8, 9},   CountryCode{"963", 0, 0}, CountryCode{"964", 0, 0},
    CountryCode{"965", 8, 8},  CountryCode{"966", 9, 9},   CountryCode{"967", 0, 0}, CountryCode{"968", 8, 8},
    CountryCode{"970", 0, 0},  CountryCode{"971", 8, 9},   CountryCode{"972", 8, 9}, CountryCode{"973", 8, 8},
    CountryCode{"974", 8, 8},  CountryCode{"975", 0, 0},   CountryCode{"976", 8, 8}, CountryCode{"977", 0, 0},
    CountryCode{"992", 9, 9},  CountryCode{"993", 8, 8},   CountryCode{"994", 9, 9}, CountryCode{"995", 9, 9},
    CountryCode{"996", 9, 9},  CountryCode{"998", 9, 9},
};

constexpr std::size_t kMaxE164Digits = 15;

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

const CountryCode* find_country(std::string_view digits) noexcept {
  // Country codes are a prefix code: no assigned code is a prefix of another, so the first
  // match by length is the only one.
  for (std::size_t len = 1; len <= 3 && len <= digits.size(); ++len) {
    const auto prefix = digits.substr(0, len);
    for (const auto& c : kCountryCodes) {
      if (c.code == prefix) return &c;
    }
  }
  return nullptr;
}

Error invalid(std::string_view field, std::string message) {
  return make_error(ErrorCode::invalid, std::move(message), std::string(field));
}

// What the visitor typed, as digits, with whether it carried an international prefix.
struct Digits {
  std::string digits;
  bool plus = false;
};

Result<Digits> extract_digits(std::string_view input, std::string_view field) {
  Digits out;
  bool open_bracket = false;
  bool had_brackets = false;
  std::size_t i = 0;
  while (i < input.size() && input[i] == ' ') ++i;
  if (i < input.size() && input[i] == '+') {
    out.plus = true;
    ++i;
  }
  for (; i < input.size(); ++i) {
    const char c = input[i];
    if (is_digit(c)) {
      out.digits.push_back(c);
    } else if (c == ' ' || c == '-' || c == '.' || c == '\t') {
      continue;
    } else if (c == '(' && !open_bracket && !had_brackets) {
      open_bracket = true;
    } else if (c == ')' && open_bracket) {
      open_bracket = false;
      had_brackets = true;
    } else if (c == '+') {
      return invalid(field, "may have a + only at the start");
    } else {
      return invalid(field, "may contain only digits, spaces, dashes, dots, brackets and a leading +");
    }
  }
  if (open_bracket) return invalid(field, "has a bracket that is not closed");
  if (out.digits.empty()) return invalid(field, "must contain a phone number");
  return out;
}

Result<PhoneNumber> check_international(std::string_view digits, std::string_view field) {
  if (digits.empty()) return invalid(field, "must have a number after the country code");
  if (digits.size() > kMaxE164Digits) return invalid(field, "is too long: a phone number has at most 15 digits");
  const CountryCode* country = find_country(digits);
  if (country == nullptr) return invalid(field, "does not start with a country code in use");
  const std::string_view national = digits.substr(country->code.size());
  const std::string zone = "+" + std::string(country->code);
  std::size_t min_len = country->min_len;
  std::size_t max_len = country->max_len;
  if (min_len == 0) {
    min_len = 4;
    max_len = kMaxE164Digits - country->code.size();
  }
  if (national.size() < min_len) return invalid(field, "is too short for a number in " + zone);
  if (national.size() > max_len) return invalid(field, "is too long for a number in " + zone);
  if (country->code == "7" && (national[0] == '0' || national[0] == '1' || national[0] == '2')) {
    return invalid(field, "is not a number in use in " + zone + ": the code after +7 cannot start with " +
                              std::string(1, national[0]));
  }
  if (country->code == "1" && (national[0] < '2' || national[3] < '2')) {
    return invalid(field, "is not a number in use in +1: the area code and exchange start with 2 to 9");
  }
  if (national[0] == '0' && country->code != "39") {
    // A trunk 0 belongs to dialling inside the country, never after the country code (Italy's
    // fixed lines keep theirs).
    return invalid(field, "must not have the national 0 after the country code " + zone);
  }
  return PhoneNumber{"+" + std::string(digits), std::string(country->code)};
}

}  // namespace

Result<PhoneNumber> normalize_phone(std::string_view input, std::string_view field) {
  if (input.size() > kMaxPhoneInput) return invalid(field, "is too long: a phone number has at most 15 digits");
  auto parsed = extract_digits(input, field);
  if (!parsed) return std::move(parsed).error();
  const std::string& d = parsed->digits;
  if (parsed->plus) return check_international(d, field);
  if (d.starts_with("00")) return check_international(std::string_view(d).substr(2), field);
  if (d.starts_with("810") && d.size() > 11) return check_international(std::string_view(d).substr(3), field);
  // Russian national forms: 8 or 7 and ten digits, or the ten digits alone.
  if (d.size() == 11 && (d[0] == '8' || d[0] == '7')) return check_international("7" + d.substr(1), field);
  if (d.size() == 10) return check_international("7" + d, field);
  if (d.size() < 10) return invalid(field, "is too short: give the full number with its area code");
  return invalid(field, "has no country code: start an international number with +");
}

std::string format_phone(std::string_view e164) {
  if (e164.size() < 2 || e164[0] != '+') return std::string(e164);
  const std::string_view digits = e164.substr(1);
  if (!std::all_of(digits.begin(), digits.end(), is_digit)) return std::string(e164);
  const CountryCode* country = find_country(digits);
  if (country == nullptr) return std::string(e164);
  const std::string_view n = digits.substr(country->code.size());
  std::string out = "+" + std::string(country->code) + " ";
  if (country->code == "7" && n.size() == 10) {
    out.append(n.substr(0, 3)).append(" ").append(n.substr(3, 3)).append("-");
    out.append(n.substr(6, 2)).append("-").append(n.substr(8, 2));
    return out;
  }
  if (country->code == "1" && n.size() == 10) {
    out.append(n.substr(0, 3)).append(" ").append(n.substr(3, 3)).append(" ").append(n.substr(6));
    return out;
  }
  // Groups of three, the last one of four when that avoids a lone digit.
  std::size_t i = 0;
  while (n.size() - i > 4) {
    out.append(n.substr(i, 3)).push_back(' ');
    i += 3;
  }
  out.append(n.substr(i));
  return out;
}

bool is_phone_prefix(std::string_view text) noexcept {
  if (text.size() < 2 || text.size() > kMaxE164Digits + 1 || text[0] != '+') return false;
  return std::all_of(text.begin() + 1, text.end(), is_digit);
}

bool phone_has_prefix(std::string_view e164, const std::vector<std::string>& prefixes) noexcept {
  return std::any_of(prefixes.begin(), prefixes.end(),
                     [&](const std::string& p) { return !p.empty() && e164.starts_with(p); });
}

}  // namespace vitrina::protocol
