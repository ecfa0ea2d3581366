#include "vitrina/protocol/keys.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>

namespace vitrina::protocol {
namespace {

// Yields 0, 1, 2, … 255, 0, 1, … : every byte value equally often.
struct CountingBytes {
  unsigned next = 0;
  unsigned char operator()() { return static_cast<unsigned char>(next++ & 0xFF); }
};

TEST(MakeKey, HasPrefixAndExactBodyLengthOfBase62) {
  CountingBytes random;
  const std::string key = make_key(kPublicKeyPrefix, kPublicBodyLength, random);
  ASSERT_EQ(key.size(), kPublicKeyPrefix.size() + kPublicBodyLength);
  EXPECT_TRUE(key.starts_with(kPublicKeyPrefix));
  EXPECT_TRUE(is_public_key(key));
  const std::string secret = make_key(kSecretKeyPrefix, kSecretBodyLength, random);
  EXPECT_TRUE(is_secret_key(secret));
  EXPECT_FALSE(is_public_key(secret));
}

TEST(MakeKey, DrawsEveryAlphabetCharacterEquallyOftenFromUniformBytes) {
  // 16 full passes over the 248 accepted byte values: each of the 62 characters must appear
  // exactly 4 * 16 times. A plain `b % 62` would favour '0'…'7' (bytes 248…255 wrap onto them).
  CountingBytes random;
  const std::size_t body = 248 * 16;
  const std::string key = make_key("", body, random);
  ASSERT_EQ(key.size(), body);
  std::map<char, int> counts;
  for (char c : key) ++counts[c];
  ASSERT_EQ(counts.size(), kBase62.size());
  for (char c : kBase62) EXPECT_EQ(counts[c], 64) << "character " << c;
}

TEST(MakeKey, RejectsBytesThatWouldBiasTheModulo) {
  const std::array<unsigned char, 9> bytes = {248, 249, 250, 251, 252, 253, 254, 255, 61};
  std::size_t i = 0;
  const std::string key = make_key("x_", 1, [&] { return bytes[i++]; });
  EXPECT_EQ(key, "x_z");
  EXPECT_EQ(i, bytes.size());
}

TEST(IsKeyOf, AcceptsOnlyPrefixPlusExactLengthBase62) {
  const std::string body(kPublicBodyLength, 'a');
  EXPECT_TRUE(is_public_key("pk_" + body));
  EXPECT_FALSE(is_public_key("sk_" + body));
  EXPECT_FALSE(is_public_key("pk" + body + "a"));
  EXPECT_FALSE(is_public_key("pk_" + body.substr(1)));
  EXPECT_FALSE(is_public_key("pk_" + body + "a"));
  EXPECT_FALSE(is_public_key("pk_" + body.substr(1) + "-"));
  EXPECT_FALSE(is_public_key("pk_" + body.substr(1) + "_"));
  EXPECT_FALSE(is_public_key("pk_" + body.substr(1) + "\xC3"));
  EXPECT_FALSE(is_public_key(""));
  EXPECT_FALSE(is_public_key("pk_"));
  EXPECT_TRUE(is_key_of("site_" + body, kSiteIdPrefix, kPublicBodyLength));
  EXPECT_TRUE(is_secret_key("sk_" + std::string(kSecretBodyLength, 'Z')));
  EXPECT_FALSE(is_secret_key("sk_" + std::string(kSecretBodyLength - 1, 'Z')));
}

TEST(IsValidOrigin, AcceptsSchemeHostAndOptionalPort) {
  for (std::string_view origin : {
           "https://shop.example",
           "http://localhost",
           "http://localhost:3000",
           "https://a.b-c.example:443",
           "https://xn--80ak6aa92e.example",
           "http://127.0.0.1:8080",
           "http://[::1]",
           "http://[::1]:8080",
           "https://[2001:db8::1]",
           "https://[::ffff:192.0.2.1]:65535",
           "https://a",
       }) {
    EXPECT_TRUE(is_valid_origin(origin)) << origin;
  }
  EXPECT_TRUE(is_valid_origin("https://" + std::string(63, 'a') + ".example"));
}

TEST(IsValidOrigin, RejectsAnythingButAnOrigin) {
  for (std::string_view origin : {
           "",
           "shop.example",
           "ftp://shop.example",
           "HTTPS://shop.example",
           "https://",
           "https:///",
           "https://shop.example/",
           "https://shop.example/path",
           "https://shop.example?x=1",
           "https://shop.example#top",
           "https://user@shop.example",
           "https://user:pw@shop.example",
           "https://sh op.example",
           "https://shop_example.com",
           "https://shop..example",
           "https://.shop.example",
           "https://shop.example.",
           "https://-shop.example",
           "https://shop-.example",
           "https://shop.-x.example",
           "https://shop.example:",
           "https://shop.example:0",
           "https://shop.example:080",
           "https://shop.example:+80",
           "https://shop.example:65536",
           "https://shop.example:99999999999",
           "https://shop.example:80:80",
           "https://[]",
           "https://[::1",
           "https://[::1]x",
           "https://[::1]:",
           "https://[zz::1]",
           "https://[127.0.0.1]",
           "https://[::1]/",
       }) {
    EXPECT_FALSE(is_valid_origin(origin)) << origin;
  }
  EXPECT_FALSE(is_valid_origin("https://" + std::string(64, 'a') + ".example"));
  std::string long_host;
  for (int i = 0; i < 126; ++i) long_host += "a.";
  EXPECT_TRUE(is_valid_origin("https://" + long_host + "b"));    // 253 characters
  EXPECT_FALSE(is_valid_origin("https://" + long_host + "bb"));  // 254 characters
}

}  // namespace
}  // namespace vitrina::protocol
