// The account allowlist of outbound hosts: validating entries, canonical host names, matching.
// Pure functions and a value type, no I/O.
//
// An entry is an exact host or one leading wildcard label:
//   - "api.example.com": that host only (also an IPv4 address "203.0.113.7" or an IPv6 address
//     "2001:db8::1" / "[2001:db8::1]", written canonically);
//   - "*.example.com": any host below example.com at any depth (a.example.com, a.b.example.com),
//     never example.com itself. The wildcard needs at least two labels after it ("*.com" is
//     refused) and appears once, as the whole first label ("*.*.example.com", "a*.example.com"
//     are refused: LivePerson's rule).
// Names are RFC 1035/1123 host names: labels of letters, digits and '-', 1–63 characters, not
// starting or ending with '-', at most 253 characters in all, the last label not all digits;
// compared in lower case, a trailing dot ignored. Internationalised names are given in their
// ASCII (xn--) form.
//
// Hosts of URLs are compared in the same canonical form (canonicalHost): curl has already turned
// numeric IPv4 forms (2130706433, 0177.0.0.1, 0x7f.1) into dotted decimal, so an entry can never
// be matched by a different spelling of an address.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace parley::egress {

// The canonical form of an allowlist entry, or kInvalidArgument saying what is wrong with it.
Result<std::string> canonicalRule(std::string_view entry);

// The canonical form of a URL host as curl's URL parser returns it (IPv6 in brackets allowed):
// lower case, no trailing dot, IPv6 without brackets in its shortest form. kInvalidArgument for
// hosts that are not plain ASCII host names or addresses (IPv6 zone ids, '%', non-ASCII).
Result<std::string> canonicalHost(std::string_view host);

class Allowlist {
 public:
  Allowlist() = default;
  // `rules` in canonical form (as canonicalRule returns them).
  explicit Allowlist(const std::vector<std::string>& rules);
  // `host` in canonical form.
  bool allows(const std::string& host) const;
  bool empty() const { return exact_.empty() && suffixes_.empty(); }

 private:
  std::set<std::string> exact_;
  std::vector<std::string> suffixes_;  // ".example.com" for "*.example.com"
};

}  // namespace parley::egress
