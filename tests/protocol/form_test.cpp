#include "vitrina/protocol/form.hpp"

#include <gtest/gtest.h>

namespace vitrina::protocol {
namespace {

TEST(FormDecode, DecodesPlusAndEscapes) {
  EXPECT_EQ(form_decode("a+b%20c%2Fd"), "a b c/d");
  EXPECT_EQ(form_decode("%D0%9F"), "\xD0\x9F");
  EXPECT_EQ(form_decode(""), "");
}

TEST(FormDecode, RefusesTruncatedOrNonHexEscapes) {
  EXPECT_FALSE(form_decode("%"));
  EXPECT_FALSE(form_decode("a%4"));
  EXPECT_FALSE(form_decode("%zz"));
}

TEST(HexDigitValue, BothCasesAndOthers) {
  EXPECT_EQ(hex_digit_value('0'), 0);
  EXPECT_EQ(hex_digit_value('f'), 15);
  EXPECT_EQ(hex_digit_value('F'), 15);
  EXPECT_EQ(hex_digit_value('g'), -1);
  EXPECT_EQ(hex_digit_value('%'), -1);
}

}  // namespace
}  // namespace vitrina::protocol
