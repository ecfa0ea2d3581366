#include "vitrina/protocol/phone.hpp"

#include <gtest/gtest.h>

namespace vitrina::protocol {
namespace {

std::string e164(std::string_view input) {
  auto r = normalize_phone(input);
  return r ? r->e164 : "error: " + r.error().message;
}

std::string refusal(std::string_view input) {
  auto r = normalize_phone(input);
  EXPECT_FALSE(r) << input << " was accepted as " << (r ? r->e164 : "");
  if (r) return {};
  EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::invalid);
  EXPECT_EQ(r.error().field, "phone");
  return r.error().message;
}

TEST(NormalizePhone, RussianNationalForms) {
  EXPECT_EQ(e164("8 (912) 345-67-89"), "+79123456789");
  EXPECT_EQ(e164("+7 912 345 67 89"), "+79123456789");
  EXPECT_EQ(e164("89123456789"), "+79123456789");
  EXPECT_EQ(e164("79123456789"), "+79123456789");
  EXPECT_EQ(e164("9123456789"), "+79123456789");
  EXPECT_EQ(e164("+7(495)123-45-67"), "+74951234567");
  EXPECT_EQ(e164("  8.912.345.67.89 "), "+79123456789");
  EXPECT_EQ(e164("+7 727 123 45 67"), "+77271234567");  // Almaty, the +7 zone's other country
}

TEST(NormalizePhone, InternationalNumbersByCountry) {
  EXPECT_EQ(e164("+49 30 1234567"), "+49301234567");
  EXPECT_EQ(e164("0049 30 1234567"), "+49301234567");
  EXPECT_EQ(e164("8 10 49 30 1234567"), "+49301234567");
  EXPECT_EQ(e164("+1 (212) 555-0123"), "+12125550123");
  EXPECT_EQ(e164("+44 20 7946 0958"), "+442079460958");
  EXPECT_EQ(e164("+375 29 123 45 67"), "+375291234567");
  EXPECT_EQ(e164("+380 44 123 4567"), "+380441234567");
  EXPECT_EQ(e164("+39 06 1234 5678"), "+390612345678");  // Italy keeps the leading 0
  EXPECT_EQ(e164("+86 138 0013 8000"), "+8613800138000");
  auto r = normalize_phone("+998 90 123 45 67");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->country_code, "998");
}

TEST(NormalizePhone, RefusesWrongLengthForTheCountry) {
  EXPECT_EQ(refusal("+7 912 345 67 8"), "is too short for a number in +7");
  EXPECT_EQ(refusal("+7 912 345 67 890"), "is too long for a number in +7");
  EXPECT_EQ(refusal("+375 29 123 45 6"), "is too short for a number in +375");
  EXPECT_EQ(refusal("+1 212 555 012"), "is too short for a number in +1");
  EXPECT_EQ(refusal("+49 1234567890123456"), "is too long: a phone number has at most 15 digits");
  EXPECT_EQ(refusal("912 345 67"), "is too short: give the full number with its area code");
}

TEST(NormalizePhone, RefusesUnassignedAndUncallableCodes) {
  EXPECT_EQ(refusal("+999 1234 5678"), "does not start with a country code in use");
  EXPECT_EQ(refusal("+800 1234 5678"), "does not start with a country code in use");  // freephone
  EXPECT_EQ(refusal("+882 1234 5678"), "does not start with a country code in use");  // satellite
  EXPECT_EQ(refusal("+0 1234 5678"), "does not start with a country code in use");
}

TEST(NormalizePhone, RefusesNumbersNotInUseInTheZone) {
  EXPECT_NE(refusal("+7 012 345 67 89").find("cannot start with 0"), std::string::npos);
  EXPECT_NE(refusal("8 (212) 345-67-89").find("cannot start with 2"), std::string::npos);
  EXPECT_NE(refusal("+1 112 555 0123").find("2 to 9"), std::string::npos);
  EXPECT_NE(refusal("+49 030 1234567").find("national 0"), std::string::npos);
}

TEST(NormalizePhone, RefusesStrayCharacters) {
  EXPECT_EQ(refusal(""), "must contain a phone number");
  EXPECT_EQ(refusal("   "), "must contain a phone number");
  EXPECT_EQ(refusal("+"), "must contain a phone number");
  EXPECT_EQ(refusal("8912345678a"), "may contain only digits, spaces, dashes, dots, brackets and a leading +");
  EXPECT_EQ(refusal("+7 912 +345 67 89"), "may have a + only at the start");
  EXPECT_EQ(refusal("8 (912 345-67-89"), "has a bracket that is not closed");
  EXPECT_FALSE(normalize_phone("8 (912) (345) 67 89"));
  EXPECT_FALSE(normalize_phone("8 )912( 345 67 89"));
  EXPECT_EQ(refusal("123456789012"), "has no country code: start an international number with +");
  EXPECT_FALSE(normalize_phone(std::string(65, '1')));
  EXPECT_FALSE(
      normalize_phone("+7\xD0\x9F"
                      "9123456789"));
}

TEST(NormalizePhone, NamesTheFieldItIsGiven) {
  auto r = normalize_phone("x", "contact.phone");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "contact.phone");
}

TEST(FormatPhone, GroupsByZone) {
  EXPECT_EQ(format_phone("+79123456789"), "+7 912 345-67-89");
  EXPECT_EQ(format_phone("+12125550123"), "+1 212 555 0123");
  EXPECT_EQ(format_phone("+49301234567"), "+49 301 234 567");
  EXPECT_EQ(format_phone("+375291234567"), "+375 291 234 567");
  EXPECT_EQ(format_phone("not a number"), "not a number");
}

TEST(PhonePrefix, MatchesRefusedRanges) {
  const std::vector<std::string> refused{"+7800", "+7900555"};
  EXPECT_TRUE(phone_has_prefix("+78001234567", refused));
  EXPECT_TRUE(phone_has_prefix("+79005551234", refused));
  EXPECT_FALSE(phone_has_prefix("+79005561234", refused));
  EXPECT_FALSE(phone_has_prefix("+79123456789", {}));
  EXPECT_TRUE(is_phone_prefix("+7800"));
  EXPECT_FALSE(is_phone_prefix("7800"));
  EXPECT_FALSE(is_phone_prefix("+"));
  EXPECT_FALSE(is_phone_prefix("+78a0"));
  EXPECT_FALSE(is_phone_prefix("+12345678901234567"));
}

}  // namespace
}  // namespace vitrina::protocol
