#include "base/json_scan.h"

#include <bit>
#include <cstdint>
#include <cstring>

namespace parley {
namespace {

bool isSpace(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool isDigit(unsigned char c) { return c >= '0' && c <= '9'; }

int hexValue(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Strings are most of a large document's bytes, and most of a string's bytes need no attention:
// plainPrefix finds the first byte among 8 that does — '"', '\\', a control byte (< 0x20) or a
// byte >= 0x80 — with word arithmetic instead of one comparison per byte. The usual zero-byte
// test (x - 0x01..) & ~x & 0x80.. can flag a byte above a true hit (a borrow), never one below
// it, so the lowest flag is exact; so is (x - 0x20..), whose borrows also start only at a byte
// below 0x20. Little-endian: the lowest flag is the first byte in memory.
static_assert(std::endian::native == std::endian::little);

size_t plainPrefix(const unsigned char* p) {  // 0..8, for 8 readable bytes at p
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighs = 0x8080808080808080ULL;
  uint64_t v;
  std::memcpy(&v, p, 8);
  const uint64_t quote = v ^ (kOnes * '"');
  const uint64_t backslash = v ^ (kOnes * '\\');
  const uint64_t flags = (((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash) |
                          (v - kOnes * 0x20) | v) & kHighs;
  return flags == 0 ? 8 : static_cast<size_t>(std::countr_zero(flags)) / 8;
}

class Scanner {
 public:
  explicit Scanner(std::string_view text)
      : p_(reinterpret_cast<const unsigned char*>(text.data())), end_(p_ + text.size()) {}

  bool document(JsonTopLevel* top) {
    skipSpace();
    if (p_ == end_) return false;
    if (top) top->isObject = *p_ == '{';
    // Containers open: '{' or '['. Iterative, so depth is bounded by memory, not the stack.
    std::vector<char> open;
    for (;;) {
      skipSpace();
      if (p_ == end_) return false;
      unsigned char c = *p_;
      if (c == '{' || c == '[') {
        ++p_;
        skipSpace();
        if (p_ == end_) return false;
        if (*p_ == (c == '{' ? '}' : ']')) {
          ++p_;  // empty container: a complete value
        } else {
          open.push_back(static_cast<char>(c));
          if (c == '{' && !member(top, open.size() == 1)) return false;
          continue;
        }
      } else if (!scalar()) {
        return false;
      }
      // A value is complete: close containers or move on to the next element.
      for (;;) {
        if (open.empty()) {
          skipSpace();
          return p_ == end_;
        }
        skipSpace();
        if (p_ == end_) return false;
        char kind = open.back();
        if (*p_ == ',') {
          ++p_;
          if (kind == '{' && !member(top, open.size() == 1)) return false;
          break;  // the next value
        }
        if (*p_ != (kind == '{' ? '}' : ']')) return false;
        ++p_;
        open.pop_back();
      }
    }
  }

 private:
  // A member's key and colon; leaves p_ at its value (whose first byte is recorded).
  bool member(JsonTopLevel* top, bool topLevel) {
    skipSpace();
    if (p_ == end_ || *p_ != '"') return false;
    const unsigned char* keyStart = p_ + 1;
    if (!string()) return false;
    const unsigned char* keyEnd = p_ - 1;
    skipSpace();
    if (p_ == end_ || *p_ != ':') return false;
    ++p_;
    skipSpace();
    if (p_ == end_) return false;
    if (top && topLevel) {
      if (top->members.empty()) top->members.reserve(4);  // {headers, payload, timestamp}: one allocation
      top->members.push_back({std::string_view(reinterpret_cast<const char*>(keyStart),
                                               static_cast<size_t>(keyEnd - keyStart)),
                              static_cast<char>(*p_)});
    }
    return true;
  }

  bool scalar() {
    switch (*p_) {
      case '"': return string();
      case 't': return literal("true");
      case 'f': return literal("false");
      case 'n': return literal("null");
      default: return number();
    }
  }

  bool literal(std::string_view word) {
    if (static_cast<size_t>(end_ - p_) < word.size()) return false;
    for (char ch : word) {
      if (*p_++ != static_cast<unsigned char>(ch)) return false;
    }
    return true;
  }

  bool digits() {
    if (p_ == end_ || !isDigit(*p_)) return false;
    while (p_ != end_ && isDigit(*p_)) ++p_;
    return true;
  }

  bool number() {
    if (*p_ == '-') ++p_;
    if (p_ == end_) return false;
    if (*p_ == '0') {
      ++p_;
    } else if (!digits()) {
      return false;
    }
    if (p_ != end_ && *p_ == '.') {
      ++p_;
      if (!digits()) return false;
    }
    if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (!digits()) return false;
    }
    return true;
  }

  // \uXXXX at p_ (after the backslash and 'u'); the code unit in *unit.
  bool hex4(uint32_t* unit) {
    if (end_ - p_ < 4) return false;
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      int h = hexValue(*p_++);
      if (h < 0) return false;
      v = (v << 4) | static_cast<uint32_t>(h);
    }
    *unit = v;
    return true;
  }

  // One UTF-8 sequence starting with a byte >= 0x80: shortest form, no surrogates, <= U+10FFFF.
  bool utf8() {
    unsigned char c = *p_;
    int extra;
    uint32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF) {
      extra = 1, cp = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2, cp = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3, cp = c & 0x07, min = 0x10000;
    } else {
      return false;
    }
    if (end_ - p_ <= extra) return false;
    for (int i = 1; i <= extra; ++i) {
      unsigned char n = p_[i];
      if ((n & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (n & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    p_ += extra + 1;
    return true;
  }

  // A string at p_ (the opening quote); leaves p_ after the closing one.
  bool string() {
    ++p_;
    for (;;) {
      while (end_ - p_ >= 8) {  // plain bytes a word at a time, up to the next one to look at
        const size_t plain = plainPrefix(p_);
        p_ += plain;
        if (plain < 8) break;
      }
      if (p_ == end_) return false;
      unsigned char c = *p_;
      if (c == '"') {
        ++p_;
        return true;
      }
      if (c < 0x20) return false;
      if (c == '\\') {
        if (++p_ == end_) return false;
        unsigned char e = *p_++;
        if (e == 'u') {
          uint32_t unit;
          if (!hex4(&unit)) return false;
          if (unit >= 0xDC00 && unit <= 0xDFFF) return false;  // a low surrogate alone
          if (unit >= 0xD800 && unit <= 0xDBFF) {               // must pair with a low one
            if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return false;
            p_ += 2;
            if (!hex4(&unit) || unit < 0xDC00 || unit > 0xDFFF) return false;
          }
        } else if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' &&
                   e != 'r' && e != 't') {
          return false;
        }
      } else if (c >= 0x80) {
        if (!utf8()) return false;
      } else {
        ++p_;
      }
    }
  }

  void skipSpace() {
    while (p_ != end_ && isSpace(*p_)) ++p_;
  }

  const unsigned char* p_;
  const unsigned char* end_;
};

}  // namespace

bool scanJson(std::string_view text, JsonTopLevel* top) {
  if (top) *top = JsonTopLevel{};
  bool ok = Scanner(text).document(top);
  if (!ok && top) *top = JsonTopLevel{};
  return ok;
}

}  // namespace parley
