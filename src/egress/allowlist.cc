#include "egress/allowlist.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

namespace parley::egress {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The shortest text of an IPv6 address, or "" when `s` is not one.
std::string canonicalV6(const std::string& s) {
  in6_addr a{};
  if (inet_pton(AF_INET6, s.c_str(), &a) != 1) return "";
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(AF_INET6, &a, buf, sizeof buf);
  return buf;
}

bool isDottedQuad(const std::string& s) {
  in_addr a{};
  if (inet_pton(AF_INET, s.c_str(), &a) != 1) return false;  // strict a.b.c.d, no octal/hex
  char buf[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &a, buf, sizeof buf);
  return s == buf;  // no leading zeros
}

// Empty when `name` is a valid host name; otherwise what is wrong with it.
std::string hostNameProblem(const std::string& name) {
  if (name.empty()) return "is empty";
  if (name.size() > 253) return "is longer than 253 characters";
  size_t start = 0;
  std::string last;
  while (start <= name.size()) {
    size_t dot = name.find('.', start);
    std::string label = name.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (label.empty()) return "has an empty label (two dots in a row, or a leading dot)";
    if (label.size() > 63) return "has a label longer than 63 characters";
    for (char c : label) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-')) {
        return std::string("has the character '") + c +
               "' (host names are letters, digits, '-' and dots; write international names "
               "in their xn-- form)";
      }
    }
    if (label.front() == '-' || label.back() == '-') {
      return "has a label that starts or ends with '-'";
    }
    last = label;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (std::all_of(last.begin(), last.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    return "ends in an all-numeric label (write IPv4 addresses as four decimal numbers, "
           "a.b.c.d)";
  }
  return "";
}

Error invalid(std::string_view entry, const std::string& problem) {
  return Error::invalidArgument("domain '" + std::string(entry) + "' " + problem);
}

}  // namespace

Result<std::string> canonicalRule(std::string_view entry) {
  if (entry.find("://") != std::string_view::npos || entry.find('/') != std::string_view::npos) {
    return invalid(entry, "is not a host name: give the host only, without scheme or path");
  }
  std::string s = lower(entry);
  if (s.size() > 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
  if (s.find(':') != std::string::npos) {
    std::string v6 = canonicalV6(s);
    if (v6.empty()) {
      return invalid(entry, "is not a host name or address (give the host only, without a port)");
    }
    return v6;
  }
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s.empty()) return invalid(entry, "is empty");
  bool wildcard = s.starts_with("*.");
  std::string name = wildcard ? s.substr(2) : s;
  if (name.find('*') != std::string::npos) {
    return invalid(entry,
                   "has a wildcard out of place: only one, as the whole first label "
                   "('*.example.com')");
  }
  if (!wildcard && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) || c == '.';
      })) {
    if (isDottedQuad(name)) return name;
    return invalid(entry, "is not a valid IPv4 address (write it as four decimal numbers, a.b.c.d)");
  }
  if (std::string problem = hostNameProblem(name); !problem.empty()) return invalid(entry, problem);
  if (wildcard && name.find('.') == std::string::npos) {
    return invalid(entry, "is too broad: a wildcard needs at least two labels after it "
                          "('*.example.com')");
  }
  return wildcard ? "*." + name : name;
}

Result<std::string> canonicalHost(std::string_view host) {
  std::string s = lower(host);
  if (s.size() > 2 && s.front() == '[' && s.back() == ']') {
    std::string inner = s.substr(1, s.size() - 2);
    if (inner.find('%') != std::string::npos) {
      return Error::invalidArgument("IPv6 zone ids are not allowed in outbound URLs");
    }
    std::string v6 = canonicalV6(inner);
    if (v6.empty()) return Error::invalidArgument("'" + std::string(host) + "' is not an IPv6 address");
    return v6;
  }
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s.empty()) return Error::invalidArgument("the URL has no host");
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_')) {
      return Error::invalidArgument("the host '" + std::string(host) +
                                    "' is not an ASCII host name (use the xn-- form of "
                                    "international names)");
    }
  }
  return s;
}

Allowlist::Allowlist(const std::vector<std::string>& rules) {
  for (const std::string& r : rules) {
    if (r.starts_with("*.")) {
      suffixes_.push_back(r.substr(1));
    } else {
      exact_.insert(r);
    }
  }
}

bool Allowlist::allows(const std::string& host) const {
  if (exact_.count(host)) return true;
  for (const std::string& suffix : suffixes_) {
    if (host.size() > suffix.size() && host.ends_with(suffix)) return true;
  }
  return false;
}

}  // namespace parley::egress
