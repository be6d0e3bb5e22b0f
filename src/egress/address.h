// Which resolved addresses outbound requests may connect to. Pure functions, no I/O.
//
// Refused unless the operator allows private addresses (--egress-allow-private): loopback
// (127.0.0.0/8, ::1), private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16,
// which holds the cloud metadata address 169.254.169.254, and fe80::/10), unspecified (0.0.0.0/8,
// ::), carrier-grade NAT (100.64/10), multicast and reserved ranges (224/3, ff00::/8), and the
// IPv6 forms that embed an IPv4 address (::ffff:a.b.c.d mapped, ::a.b.c.d compatible, 64:ff9b::/96
// NAT64, 2002::/16 6to4) whenever the embedded address is itself refused.
#pragma once

#include <sys/socket.h>

#include <string>

namespace parley::egress {

enum class AddressClass {
  kPublic,
  kLoopback,
  kPrivate,
  kLinkLocal,  // includes 169.254.169.254 (cloud metadata)
  kUnspecified,
  kSharedCgnat,
  kReserved,  // multicast, broadcast, documentation and other special-purpose ranges
};

// The class of an IPv4 or IPv6 socket address (other families: kReserved).
AddressClass classifyAddress(const sockaddr* address);
// The class of a textual IPv4 or IPv6 address; kReserved when it is not one.
AddressClass classifyAddress(const std::string& text);
// "loopback", "private", "link-local", ... for messages.
const char* addressClassName(AddressClass c);
// The numeric text of a socket address ("127.0.0.1", "::1").
std::string addressText(const sockaddr* address);

}  // namespace parley::egress
