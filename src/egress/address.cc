#include "egress/address.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstdint>
#include <cstring>

namespace parley::egress {

namespace {

bool inV4(uint32_t a, uint32_t net, int bits) {
  uint32_t mask = bits == 0 ? 0 : ~uint32_t{0} << (32 - bits);
  return (a & mask) == (net & mask);
}

constexpr uint32_t v4(int a, int b, int c, int d) {
  return (uint32_t(a) << 24) | (uint32_t(b) << 16) | (uint32_t(c) << 8) | uint32_t(d);
}

// `a` in host byte order.
AddressClass classifyV4(uint32_t a) {
  if (inV4(a, v4(127, 0, 0, 0), 8)) return AddressClass::kLoopback;
  if (inV4(a, v4(0, 0, 0, 0), 8)) return AddressClass::kUnspecified;
  if (inV4(a, v4(10, 0, 0, 0), 8) || inV4(a, v4(172, 16, 0, 0), 12) ||
      inV4(a, v4(192, 168, 0, 0), 16)) {
    return AddressClass::kPrivate;
  }
  if (inV4(a, v4(169, 254, 0, 0), 16)) return AddressClass::kLinkLocal;
  if (inV4(a, v4(100, 64, 0, 0), 10)) return AddressClass::kSharedCgnat;
  if (inV4(a, v4(192, 0, 0, 0), 24) ||    // IETF protocol assignments
      inV4(a, v4(192, 0, 2, 0), 24) ||    // documentation
      inV4(a, v4(198, 18, 0, 0), 15) ||   // benchmarking
      inV4(a, v4(198, 51, 100, 0), 24) ||  // documentation
      inV4(a, v4(203, 0, 113, 0), 24) ||  // documentation
      inV4(a, v4(224, 0, 0, 0), 3)) {     // multicast, reserved, broadcast
    return AddressClass::kReserved;
  }
  return AddressClass::kPublic;
}

AddressClass classifyV6(const uint8_t* b) {
  static const uint8_t zero[16] = {};
  auto prefix = [&](std::initializer_list<uint8_t> p) {
    size_t i = 0;
    for (uint8_t x : p) {
      if (b[i++] != x) return false;
    }
    return true;
  };
  auto embedded = [&](int offset) {
    return classifyV4((uint32_t(b[offset]) << 24) | (uint32_t(b[offset + 1]) << 16) |
                      (uint32_t(b[offset + 2]) << 8) | uint32_t(b[offset + 3]));
  };
  if (std::memcmp(b, zero, 16) == 0) return AddressClass::kUnspecified;
  if (std::memcmp(b, zero, 15) == 0 && b[15] == 1) return AddressClass::kLoopback;
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible, deprecated): the IPv4 address decides.
  if (std::memcmp(b, zero, 10) == 0 && b[10] == 0xff && b[11] == 0xff) return embedded(12);
  if (std::memcmp(b, zero, 12) == 0) return embedded(12);
  // 64:ff9b::/96 (NAT64) and 2002::/16 (6to4) reach an embedded IPv4 address too.
  if (prefix({0x00, 0x64, 0xff, 0x9b}) && std::memcmp(b + 4, zero, 8) == 0) {
    AddressClass c = embedded(12);
    if (c != AddressClass::kPublic) return c;
  }
  if (prefix({0x20, 0x02})) {
    AddressClass c = embedded(2);
    if (c != AddressClass::kPublic) return c;
  }
  if ((b[0] & 0xfe) == 0xfc) return AddressClass::kPrivate;                   // fc00::/7
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return AddressClass::kLinkLocal;  // fe80::/10
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return AddressClass::kPrivate;  // fec0::/10 site-local
  if (b[0] == 0xff) return AddressClass::kReserved;                           // multicast
  if (prefix({0x20, 0x01, 0x0d, 0xb8})) return AddressClass::kReserved;       // documentation
  if (prefix({0x01, 0x00}) && std::memcmp(b + 2, zero, 6) == 0) {
    return AddressClass::kReserved;  // 100::/64 discard
  }
  return AddressClass::kPublic;
}

}  // namespace

AddressClass classifyAddress(const sockaddr* address) {
  if (address == nullptr) return AddressClass::kReserved;
  if (address->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(address);
    return classifyV4(ntohl(in->sin_addr.s_addr));
  }
  if (address->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(address);
    return classifyV6(in6->sin6_addr.s6_addr);
  }
  return AddressClass::kReserved;
}

AddressClass classifyAddress(const std::string& text) {
  in_addr a4{};
  if (inet_pton(AF_INET, text.c_str(), &a4) == 1) return classifyV4(ntohl(a4.s_addr));
  in6_addr a6{};
  if (inet_pton(AF_INET6, text.c_str(), &a6) == 1) return classifyV6(a6.s6_addr);
  return AddressClass::kReserved;
}

const char* addressClassName(AddressClass c) {
  switch (c) {
    case AddressClass::kPublic: return "public";
    case AddressClass::kLoopback: return "loopback";
    case AddressClass::kPrivate: return "private";
    case AddressClass::kLinkLocal: return "link-local";
    case AddressClass::kUnspecified: return "unspecified";
    case AddressClass::kSharedCgnat: return "shared (carrier-grade NAT)";
    case AddressClass::kReserved: return "reserved";
  }
  return "reserved";
}

std::string addressText(const sockaddr* address) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (address->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(address)->sin_addr, buf, sizeof buf);
  } else if (address->sa_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr, buf,
              sizeof buf);
  }
  return buf;
}

}  // namespace parley::egress
