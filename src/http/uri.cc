#include "http/uri.h"

namespace parley::http {
namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool startsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

// Length of the path-and-query part: everything before a fragment.
std::string_view withoutFragment(std::string_view target) {
  return target.substr(0, target.find('#'));
}

}  // namespace

std::optional<std::string> percentDecode(std::string_view in, bool plusAsSpace) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return std::nullopt;  // needs two more characters
      int hi = hexValue(in[i + 1]);
      int lo = hexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      char decoded = static_cast<char>(hi * 16 + lo);
      if (decoded == '\0') return std::nullopt;
      out.push_back(decoded);
      i += 2;
    } else if (c == '+' && plusAsSpace) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string_view targetPath(std::string_view target) {
  target = withoutFragment(target);
  if (target == "*") return target;
  // Absolute form (RFC 9112 §3.2.2): a server must accept it; the authority is ignored in favour
  // of the Host header, as proxies are not a use case here.
  if (startsWithNoCase(target, "http://") || startsWithNoCase(target, "https://")) {
    size_t authority = target.find("//") + 2;
    size_t pathStart = target.find_first_of("/?", authority);
    if (pathStart == std::string_view::npos || target[pathStart] == '?') return "/";
    target = target.substr(pathStart);
  }
  return target.substr(0, target.find('?'));
}

std::string_view targetQuery(std::string_view target) {
  target = withoutFragment(target);
  size_t q = target.find('?');
  if (q == std::string_view::npos) return {};
  return target.substr(q + 1);
}

std::optional<std::multimap<std::string, std::string>> parseQuery(std::string_view query) {
  std::multimap<std::string, std::string> out;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view piece = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (piece.empty()) continue;
    size_t eq = piece.find('=');
    auto name = percentDecode(piece.substr(0, eq), /*plusAsSpace=*/true);
    auto value = percentDecode(
        eq == std::string_view::npos ? std::string_view{} : piece.substr(eq + 1), true);
    if (!name || !value) return std::nullopt;
    out.emplace(std::move(*name), std::move(*value));
  }
  return out;
}

}  // namespace parley::http
