// The SSRF guard's address classes and endpoint URL checks.

#include <gtest/gtest.h>

#include "webhooks/target.hpp"

namespace vitrina::webhooks {
namespace {

AddressKind kind(const char* ip) {
  auto k = classify_address(ip);
  EXPECT_TRUE(k.has_value()) << ip;
  return k.value_or(AddressKind::public_address);
}

TEST(AddressClass, Ipv4) {
  EXPECT_EQ(kind("8.8.8.8"), AddressKind::public_address);
  EXPECT_EQ(kind("127.0.0.1"), AddressKind::loopback);
  EXPECT_EQ(kind("127.255.0.9"), AddressKind::loopback);
  EXPECT_EQ(kind("10.1.2.3"), AddressKind::private_address);
  EXPECT_EQ(kind("172.16.0.1"), AddressKind::private_address);
  EXPECT_EQ(kind("172.31.255.255"), AddressKind::private_address);
  EXPECT_EQ(kind("172.32.0.1"), AddressKind::public_address);
  EXPECT_EQ(kind("192.168.1.1"), AddressKind::private_address);
  EXPECT_EQ(kind("100.64.0.1"), AddressKind::private_address);
  EXPECT_EQ(kind("169.254.169.254"), AddressKind::link_local);
  EXPECT_EQ(kind("224.0.0.1"), AddressKind::multicast);
  EXPECT_EQ(kind("0.0.0.0"), AddressKind::unspecified);
  EXPECT_EQ(kind("255.255.255.255"), AddressKind::reserved);
}

TEST(AddressClass, Ipv6) {
  EXPECT_EQ(kind("2606:4700::1111"), AddressKind::public_address);
  EXPECT_EQ(kind("::1"), AddressKind::loopback);
  EXPECT_EQ(kind("::"), AddressKind::unspecified);
  EXPECT_EQ(kind("fe80::1"), AddressKind::link_local);
  EXPECT_EQ(kind("fd00::1"), AddressKind::private_address);
  EXPECT_EQ(kind("ff02::1"), AddressKind::multicast);
}

TEST(AddressClass, Ipv4MappedAndNat64FollowTheEmbeddedAddress) {
  EXPECT_EQ(kind("::ffff:127.0.0.1"), AddressKind::loopback);
  EXPECT_EQ(kind("::ffff:10.0.0.1"), AddressKind::private_address);
  EXPECT_EQ(kind("::ffff:8.8.8.8"), AddressKind::public_address);
  EXPECT_EQ(kind("64:ff9b::a9fe:a9fe"), AddressKind::link_local);
}

TEST(AddressClass, NotAnAddress) {
  EXPECT_FALSE(classify_address("example.com"));
  EXPECT_FALSE(classify_address("127.1"));
}

TEST(TargetUrl, Parses) {
  auto u = parse_target_url("https://Hooks.Shop.example:8443/wh?x=1#frag");
  ASSERT_TRUE(u) << u.error().message;
  EXPECT_EQ(u->scheme, "https");
  EXPECT_EQ(u->host, "hooks.shop.example");
  EXPECT_EQ(u->port, 8443);
  EXPECT_EQ(u->target, "/wh?x=1");
  auto v6 = parse_target_url("http://[::1]:9000");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->target, "/");
}

TEST(TargetUrl, Refuses) {
  for (const char* bad :
       {"ftp://x.example/", "https://user:pw@x.example/", "https://", "https://x.example:0/",
        "https://x.example:99999/", "https://x.example/a b", "javascript:alert(1)", "https://x.example:/"}) {
    EXPECT_FALSE(parse_target_url(bad)) << bad;
  }
  EXPECT_FALSE(parse_target_url("https://x.example/" + std::string(2100, 'a')));
}

TEST(EndpointUrl, HttpsAndPublicUnlessAllowed) {
  EXPECT_TRUE(validate_endpoint_url("https://hooks.example/wh", false));
  EXPECT_FALSE(validate_endpoint_url("http://hooks.example/wh", false));
  EXPECT_FALSE(validate_endpoint_url("https://127.0.0.1/wh", false));
  EXPECT_FALSE(validate_endpoint_url("https://[::ffff:10.0.0.1]/wh", false));
  EXPECT_FALSE(validate_endpoint_url("https://localhost/wh", false));
  EXPECT_TRUE(validate_endpoint_url("http://127.0.0.1:8080/wh", true));
}

TEST(ResolveChecked, RefusesLoopbackUnlessAllowed) {
  auto refused = resolve_checked("127.0.0.1", false);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, vitrina::protocol::ErrorCode::not_allowed);
  EXPECT_NE(refused.error().message.find("loopback"), std::string::npos);
  auto allowed = resolve_checked("127.0.0.1", true);
  ASSERT_TRUE(allowed);
  EXPECT_EQ(*allowed, "127.0.0.1");
  EXPECT_FALSE(resolve_checked("localhost", false));
}

}  // namespace
}  // namespace vitrina::webhooks
