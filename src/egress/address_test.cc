#include "egress/address.h"

#include <gtest/gtest.h>

namespace parley::egress {
namespace {

TEST(Address, ClassifiesTheRefusedRanges) {
  EXPECT_EQ(classifyAddress("127.0.0.1"), AddressClass::kLoopback);
  EXPECT_EQ(classifyAddress("127.255.1.2"), AddressClass::kLoopback);
  EXPECT_EQ(classifyAddress("::1"), AddressClass::kLoopback);
  EXPECT_EQ(classifyAddress("10.1.2.3"), AddressClass::kPrivate);
  EXPECT_EQ(classifyAddress("172.16.0.1"), AddressClass::kPrivate);
  EXPECT_EQ(classifyAddress("172.31.255.255"), AddressClass::kPrivate);
  EXPECT_EQ(classifyAddress("192.168.1.1"), AddressClass::kPrivate);
  EXPECT_EQ(classifyAddress("fc00::1"), AddressClass::kPrivate);
  EXPECT_EQ(classifyAddress("fd12:3456::1"), AddressClass::kPrivate);
  EXPECT_EQ(classifyAddress("169.254.169.254"), AddressClass::kLinkLocal);
  EXPECT_EQ(classifyAddress("fe80::1"), AddressClass::kLinkLocal);
  EXPECT_EQ(classifyAddress("febf::1"), AddressClass::kLinkLocal);
  EXPECT_EQ(classifyAddress("0.0.0.0"), AddressClass::kUnspecified);
  EXPECT_EQ(classifyAddress("::"), AddressClass::kUnspecified);
  EXPECT_EQ(classifyAddress("100.64.0.1"), AddressClass::kSharedCgnat);
  EXPECT_EQ(classifyAddress("100.127.255.254"), AddressClass::kSharedCgnat);
  EXPECT_EQ(classifyAddress("224.0.0.1"), AddressClass::kReserved);
  EXPECT_EQ(classifyAddress("255.255.255.255"), AddressClass::kReserved);
  EXPECT_EQ(classifyAddress("ff02::1"), AddressClass::kReserved);
}

TEST(Address, IPv6FormsEmbeddingIPv4AreJudgedByTheIPv4Address) {
  EXPECT_EQ(classifyAddress("::ffff:127.0.0.1"), AddressClass::kLoopback);
  EXPECT_EQ(classifyAddress("::ffff:7f00:1"), AddressClass::kLoopback);
  EXPECT_EQ(classifyAddress("::ffff:169.254.169.254"), AddressClass::kLinkLocal);
  EXPECT_EQ(classifyAddress("::ffff:10.0.0.1"), AddressClass::kPrivate);
  EXPECT_EQ(classifyAddress("::127.0.0.1"), AddressClass::kLoopback);
  EXPECT_EQ(classifyAddress("64:ff9b::127.0.0.1"), AddressClass::kLoopback);
  EXPECT_EQ(classifyAddress("2002:7f00:1::"), AddressClass::kLoopback);
  EXPECT_EQ(classifyAddress("::ffff:8.8.8.8"), AddressClass::kPublic);
}

TEST(Address, PublicAddressesPass) {
  EXPECT_EQ(classifyAddress("8.8.8.8"), AddressClass::kPublic);
  EXPECT_EQ(classifyAddress("172.32.0.1"), AddressClass::kPublic);
  EXPECT_EQ(classifyAddress("100.128.0.1"), AddressClass::kPublic);
  EXPECT_EQ(classifyAddress("169.255.0.1"), AddressClass::kPublic);
  EXPECT_EQ(classifyAddress("2606:4700::1111"), AddressClass::kPublic);
  EXPECT_EQ(classifyAddress("not an address"), AddressClass::kReserved);
}

}  // namespace
}  // namespace parley::egress
