#include "runtime/json_text.h"

#include <array>
#include <cstdint>
#include <vector>

namespace parley::runtime {

namespace {

constexpr char kHex[] = "0123456789abcdef";

// For each character below 0x80: 0 if JSON.stringify writes it as itself, else the letter after
// the backslash of its escape ('u' for \u00xx).
constexpr std::array<char, 128> kEscapes = [] {
  std::array<char, 128> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = 'u';
  t['\b'] = 'b';
  t['\f'] = 'f';
  t['\n'] = 'n';
  t['\r'] = 'r';
  t['\t'] = 't';
  t['"'] = '"';
  t['\\'] = '\\';
  return t;
}();

// Scratch space for a call: reused by the thread's calls up to kKeepBytes (results are usually
// small), a buffer of the call's own above that, so that one huge result does not stay allocated.
constexpr size_t kKeepBytes = 64 * 1024;

template <typename T>
class Scratch {
 public:
  T* get(size_t n) {
    if (n * sizeof(T) > kKeepBytes) {
      own_.resize(n);
      return own_.data();
    }
    thread_local std::vector<T> kept(kKeepBytes / sizeof(T));
    return kept.data();
  }

 private:
  std::vector<T> own_;
};

char* putUtf8(char* o, uint32_t cp) {
  if (cp < 0x80) {
    *o++ = static_cast<char>(cp);
  } else if (cp < 0x800) {
    *o++ = static_cast<char>(0xC0 | (cp >> 6));
    *o++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *o++ = static_cast<char>(0xE0 | (cp >> 12));
    *o++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *o++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *o++ = static_cast<char>(0xF0 | (cp >> 18));
    *o++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *o++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *o++ = static_cast<char>(0x80 | (cp & 0x3F));
  }
  return o;
}

char* putUnicodeEscape(char* o, uint32_t unit) {
  *o++ = '\\';
  *o++ = 'u';
  *o++ = kHex[(unit >> 12) & 0xF];
  *o++ = kHex[(unit >> 8) & 0xF];
  *o++ = kHex[(unit >> 4) & 0xF];
  *o++ = kHex[unit & 0xF];
  return o;
}

// A character below 0x80, escaped as JSON.stringify does.
inline char* putAscii(char* o, uint32_t c) {
  char e = kEscapes[c];
  if (e == 0) {
    *o++ = static_cast<char>(c);
  } else if (e == 'u') {
    o = putUnicodeEscape(o, c);
  } else {
    *o++ = '\\';
    *o++ = e;
  }
  return o;
}

const uint8_t* oneByteChars(v8::Isolate* isolate, v8::Local<v8::String> s, size_t n,
                            Scratch<uint8_t>& scratch) {
  uint8_t* chars = scratch.get(n);
  s->WriteOneByte(isolate, chars, 0, static_cast<int>(n), v8::String::NO_NULL_TERMINATION);
  return chars;
}

const uint16_t* twoByteChars(v8::Isolate* isolate, v8::Local<v8::String> s, size_t n,
                             Scratch<uint16_t>& scratch) {
  uint16_t* chars = scratch.get(n);
  s->Write(isolate, chars, 0, static_cast<int>(n), v8::String::NO_NULL_TERMINATION);
  return chars;
}

}  // namespace

std::string utf8Of(v8::Isolate* isolate, v8::Local<v8::String> string) {
  const size_t n = static_cast<size_t>(string->Length());
  if (string->IsOneByte()) {
    Scratch<uint8_t> in;
    const uint8_t* chars = oneByteChars(isolate, string, n, in);
    uint8_t any = 0;
    for (size_t i = 0; i < n; ++i) any |= chars[i];
    if (any < 0x80) return std::string(reinterpret_cast<const char*>(chars), n);
    Scratch<char> out;
    char* const begin = out.get(2 * n);
    char* o = begin;
    for (size_t i = 0; i < n; ++i) o = putUtf8(o, chars[i]);
    return std::string(begin, static_cast<size_t>(o - begin));
  }
  v8::String::Utf8Value utf8(isolate, string);
  return *utf8 ? std::string(*utf8, utf8.length()) : std::string();
}

std::string jsonQuoted(v8::Isolate* isolate, v8::Local<v8::String> string) {
  const size_t n = static_cast<size_t>(string->Length());
  Scratch<char> out;
  char* const begin = out.get(6 * n + 2);  // the worst case: every character as \uXXXX
  char* o = begin;
  *o++ = '"';
  if (string->IsOneByte()) {
    Scratch<uint8_t> in;
    const uint8_t* chars = oneByteChars(isolate, string, n, in);
    for (size_t i = 0; i < n; ++i) {
      uint32_t c = chars[i];
      o = c < 0x80 ? putAscii(o, c) : putUtf8(o, c);
    }
  } else {
    Scratch<uint16_t> in;
    const uint16_t* chars = twoByteChars(isolate, string, n, in);
    for (size_t i = 0; i < n; ++i) {
      uint32_t c = chars[i];
      if (c < 0x80) {
        o = putAscii(o, c);
      } else if (c < 0xD800 || c > 0xDFFF) {
        o = putUtf8(o, c);
      } else if (c <= 0xDBFF && i + 1 < n && chars[i + 1] >= 0xDC00 && chars[i + 1] <= 0xDFFF) {
        o = putUtf8(o, 0x10000 + ((c - 0xD800) << 10) + (chars[i + 1] - 0xDC00));
        ++i;
      } else {
        o = putUnicodeEscape(o, c);  // a lone surrogate
      }
    }
  }
  *o++ = '"';
  return std::string(begin, static_cast<size_t>(o - begin));
}

}  // namespace parley::runtime
