#include "runtime/json_text.h"

#include <array>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
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

// How many of the characters from `p` on JSON writes unchanged, as plain ASCII ([0x20, 0x80) but
// '"' and '\\'), counted 16 (one-byte) or 8 (two-byte) at a time while at least that many remain
// before `end`. The caller then handles the character there one by one. Each block is also
// copied to `o`, whole: `o` must have room for a block past the plain prefix (jsonQuoted's
// buffer, sized for six bytes per character, has).
#if defined(__SSE2__)
size_t copyPlain(const uint8_t* p, const uint8_t* end, char* o) {
  const __m128i space = _mm_set1_epi8(0x20), quote = _mm_set1_epi8('"'),
                backslash = _mm_set1_epi8('\\');
  size_t done = 0;
  while (end - p >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(o + done), v);
    // Signed: bytes from 0x80 up are negative, so below 0x20 too.
    const __m128i special = _mm_or_si128(
        _mm_cmplt_epi8(v, space), _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(special));
    if (mask != 0) return done + static_cast<size_t>(__builtin_ctz(mask));
    done += 16;
    p += 16;
  }
  return done;
}

size_t copyPlain(const uint16_t* p, const uint16_t* end, char* o) {
  const __m128i space = _mm_set1_epi16(0x20), span = _mm_set1_epi16(0x5F),
                quote = _mm_set1_epi16('"'), backslash = _mm_set1_epi16('\\');
  size_t done = 0;
  while (end - p >= 8) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    _mm_storel_epi64(reinterpret_cast<__m128i*>(o + done), _mm_packus_epi16(v, v));
    // Outside [0x20, 0x80): v - 0x20, unsigned and wrapping, is above 0x5F.
    const __m128i outside = _mm_subs_epu16(_mm_sub_epi16(v, space), span);
    const __m128i special = _mm_or_si128(
        _mm_xor_si128(_mm_cmpeq_epi16(outside, _mm_setzero_si128()), _mm_set1_epi16(-1)),
        _mm_or_si128(_mm_cmpeq_epi16(v, quote), _mm_cmpeq_epi16(v, backslash)));
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(special));
    if (mask != 0) return done + static_cast<size_t>(__builtin_ctz(mask)) / 2;
    done += 8;
    p += 8;
  }
  return done;
}
#else
template <typename Char>
size_t copyPlain(const Char*, const Char*, char*) {
  return 0;
}
#endif

// How many of the two-byte characters from `p` on are ASCII, counted 8 at a time while at least
// 8 remain; each block is also written to `o` as bytes, whole (room for 8 past the prefix).
#if defined(__SSE2__)
size_t copyAscii(const uint16_t* p, const uint16_t* end, char* o) {
  const __m128i top = _mm_set1_epi16(0x7F);
  size_t done = 0;
  while (end - p >= 8) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    _mm_storel_epi64(reinterpret_cast<__m128i*>(o + done), _mm_packus_epi16(v, v));
    // Above 0x7F, unsigned: a non-zero saturated difference.
    const __m128i ascii = _mm_cmpeq_epi16(_mm_subs_epu16(v, top), _mm_setzero_si128());
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(ascii)) ^ 0xFFFFu;
    if (mask != 0) return done + static_cast<size_t>(__builtin_ctz(mask)) / 2;
    done += 8;
    p += 8;
  }
  return done;
}
#else
size_t copyAscii(const uint16_t*, const uint16_t*, char*) { return 0; }
#endif

// The code point of the surrogate pair starting at chars[i] (of n), or 0 when chars[i] is a
// surrogate that starts none (a lone one).
inline uint32_t pairAt(const uint16_t* chars, size_t i, size_t n) {
  const uint32_t c = chars[i];
  if (c < 0xD800 || c > 0xDBFF || i + 1 >= n || chars[i + 1] < 0xDC00 || chars[i + 1] > 0xDFFF) {
    return 0;
  }
  return 0x10000 + ((c - 0xD800) << 10) + (chars[i + 1] - 0xDC00);
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
  // Two-byte: often all ASCII but for a few characters (or all of it: V8 builds two-byte strings
  // out of one-byte parts too), so ASCII runs go 8 at a time. Lone surrogates become U+FFFD.
  Scratch<uint16_t> in;
  const uint16_t* chars = twoByteChars(isolate, string, n, in);
  Scratch<char> out;
  char* const begin = out.get(3 * n + 8);  // 3 bytes per unit at most (a pair: 4 for 2)
  char* o = begin;
  for (size_t i = 0; i < n; ++i) {
    const size_t ascii = copyAscii(chars + i, chars + n, o);
    o += ascii;
    i += ascii;
    if (i == n) break;
    const uint32_t c = chars[i];
    if (c < 0xD800 || c > 0xDFFF) {
      o = putUtf8(o, c);
    } else if (const uint32_t cp = pairAt(chars, i, n)) {
      o = putUtf8(o, cp);
      ++i;
    } else {
      o = putUtf8(o, 0xFFFD);
    }
  }
  return std::string(begin, static_cast<size_t>(o - begin));
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
      const size_t plain = copyPlain(chars + i, chars + n, o);
      o += plain;
      i += plain;
      if (i == n) break;
      uint32_t c = chars[i];
      o = c < 0x80 ? putAscii(o, c) : putUtf8(o, c);
    }
  } else {
    Scratch<uint16_t> in;
    const uint16_t* chars = twoByteChars(isolate, string, n, in);
    for (size_t i = 0; i < n; ++i) {
      const size_t plain = copyPlain(chars + i, chars + n, o);
      o += plain;
      i += plain;
      if (i == n) break;
      uint32_t c = chars[i];
      if (c < 0x80) {
        o = putAscii(o, c);
      } else if (c < 0xD800 || c > 0xDFFF) {
        o = putUtf8(o, c);
      } else if (const uint32_t cp = pairAt(chars, i, n)) {
        o = putUtf8(o, cp);
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
