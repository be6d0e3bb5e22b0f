// Two stages, as simdjson validates (Langdale and Lemire, "Parsing gigabytes of JSON per second",
// 2019), without building anything:
//
// 1. Each 64-byte block is classified at once into bit masks (bit i: byte i of the block):
//    quotes, backslashes, whitespace, the six structural characters, control bytes and bytes
//    >= 0x80. From these, with carries from block to block: which characters backslashes escape
//    (and whether each escape is valid), the span of every string (a prefix XOR of the unescaped
//    quotes), control bytes inside strings (refused), UTF-8 (checked where high bytes are), and
//    where each token starts: a structural character, an opening quote, or the first byte of a
//    number or literal, outside strings. String contents are never looked at one by one.
// 2. The grammar runs over those token starts only: a small state machine with the stack of
//    open containers as bits; numbers and literals are checked where they start.
//
// On the comparison's 50 KB transform input (bench/compare), checked on the HTTP thread of every
// request: 37 us (1.2 GB/s) with SSE2; the scanner before, a byte and a branch at a time with
// strings a word at a time, took 59 us. Without SSE2 (not x86-64) blocks are classified a word
// at a time: 79 us, slower than before — a NEON classify() would be the next step there.
#include "base/json_scan.h"

#include <bit>
#include <cstdint>
#include <cstring>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace parley {
namespace {

static_assert(std::endian::native == std::endian::little);

constexpr size_t kBlock = 64;

struct Classes {
  uint64_t quote = 0, backslash = 0, space = 0, op = 0, control = 0, high = 0;
};

#if defined(__SSE2__)
inline uint64_t maskOf(__m128i lanes, int at) {
  return static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(lanes))) << at;
}

Classes classify(const unsigned char* p) {
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'),
                blank = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t'), lf = _mm_set1_epi8('\n'),
                cr = _mm_set1_epi8('\r'), open = _mm_set1_epi8('{'), close = _mm_set1_epi8('}'),
                colon = _mm_set1_epi8(':'), comma = _mm_set1_epi8(',');
  Classes c;
  for (int at = 0; at < 64; at += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + at));
    const __m128i folded = _mm_or_si128(v, blank);  // '[' | 0x20 is '{', ']' | 0x20 is '}'
    c.quote |= maskOf(_mm_cmpeq_epi8(v, quote), at);
    c.backslash |= maskOf(_mm_cmpeq_epi8(v, backslash), at);
    c.space |= maskOf(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, blank), _mm_cmpeq_epi8(v, tab)),
                                   _mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr))),
                      at);
    c.op |= maskOf(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(folded, open),
                                             _mm_cmpeq_epi8(folded, close)),
                                _mm_or_si128(_mm_cmpeq_epi8(v, colon), _mm_cmpeq_epi8(v, comma))),
                   at);
    const uint64_t high = maskOf(v, at);
    c.high |= high;
    c.control |= maskOf(_mm_cmplt_epi8(v, blank), at) & ~high;  // signed: high bytes are < 0x20
  }
  return c;
}
#else
// Eight bytes at a time in a word: a byte's flag is its high bit, gathered into 8 mask bits.
constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kLows = 0x7F7F7F7F7F7F7F7FULL;

inline uint64_t gather(uint64_t flags) {  // the high bit of byte i -> bit i
  return (((flags >> 7) & kOnes) * 0x0102040810204080ULL) >> 56;
}
inline uint64_t equal(uint64_t w, unsigned char c) {  // exact: no carry crosses a byte
  const uint64_t x = w ^ (kOnes * c);
  return ~(((x & kLows) + kLows) | x) & ~kLows;
}

Classes classify(const unsigned char* p) {
  Classes c;
  for (int at = 0; at < 64; at += 8) {
    uint64_t w;
    std::memcpy(&w, p + at, 8);
    const uint64_t folded = w | (kOnes * 0x20);
    const uint64_t high = w & ~kLows;
    const uint64_t below = ~((w & kLows) + kOnes * (0x80 - 0x20)) & ~kLows & ~high;  // < 0x20
    c.quote |= gather(equal(w, '"')) << at;
    c.backslash |= gather(equal(w, '\\')) << at;
    c.space |= gather(equal(w, ' ') | equal(w, '\t') | equal(w, '\n') | equal(w, '\r')) << at;
    c.op |= gather(equal(folded, '{') | equal(folded, '}') | equal(w, ':') | equal(w, ',')) << at;
    c.control |= gather(below) << at;
    c.high |= gather(high) << at;
  }
  return c;
}
#endif

// Bit i of the result: the XOR of bits 0..i of x.
inline uint64_t prefixXor(uint64_t x) {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}

bool isDigit(unsigned char c) { return c >= '0' && c <= '9'; }

int hexValue(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

class Scanner {
 public:
  explicit Scanner(std::string_view text, JsonTopLevel* top)
      : text_(reinterpret_cast<const unsigned char*>(text.data())), n_(text.size()), top_(top) {}

  bool document() {
    size_t at = 0;
    for (; n_ - at >= kBlock; at += kBlock) {
      if (!block(at, text_ + at)) return false;
    }
    if (at < n_) {  // the tail, padded with spaces
      unsigned char padded[kBlock];
      std::memset(padded, ' ', kBlock);
      std::memcpy(padded, text_ + at, n_ - at);
      if (!block(at, padded)) return false;
    }
    return state_ == State::kAfterValue && depth_ == 0 && inString_ == 0 && !escapeNext_;
  }

 private:
  enum class State { kValue, kValueOrClose, kKey, kKeyOrClose, kColon, kAfterValue };

  // Stage 1 for the block at `at` (its bytes at `p`), then stage 2 over its token starts.
  bool block(size_t at, const unsigned char* p) {
    const Classes c = classify(p);
    uint64_t escaped = 0;
    if ((c.backslash | escapeNext_) != 0 && !escapes(at, c.backslash, &escaped)) return false;
    const uint64_t quotes = c.quote & ~escaped;
    // From each opening quote up to (not including) its closing one.
    const uint64_t inString = prefixXor(quotes) ^ inString_;
    inString_ = static_cast<uint64_t>(static_cast<int64_t>(inString) >> 63);
    if ((c.control & inString) != 0) return false;  // raw control bytes in a string
    if (c.high != 0 && !utf8(at, c.high)) return false;
    // Tokens start at structural characters and at the first byte of a run of other non-space
    // bytes (numbers, literals, anything invalid), but not inside a string or at its closing
    // quote. A quote right after such a run starts no token: the run's check then fails.
    const uint64_t tail = inString ^ quotes;
    const uint64_t scalar = ~(c.op | c.space);
    const uint64_t plain = scalar & ~quotes;
    const uint64_t follows = (plain << 1) | scalarCarry_;
    scalarCarry_ = plain >> 63;
    uint64_t starts = (c.op | (scalar & ~follows)) & ~tail;
    return grammar(at, starts);
  }

  // Which bytes of the block the backslashes escape, into *escaped; each escape checked.
  bool escapes(size_t base, uint64_t backslashes, uint64_t* escaped) {
    if (escapeNext_) {  // the previous block ended with an escaping backslash
      *escaped |= 1;
      backslashes &= ~uint64_t{1};
      escapeNext_ = false;
    }
    while (backslashes != 0) {
      const int i = std::countr_zero(backslashes);
      if (!escape(base + static_cast<size_t>(i))) return false;
      if (i == 63) {
        escapeNext_ = true;
        break;
      }
      *escaped |= uint64_t{2} << i;
      backslashes &= ~(uint64_t{3} << i);  // the backslash and what it escapes
    }
    return true;
  }

  // The escape whose backslash is at `at`: \" \\ \/ \b \f \n \r \t or \uXXXX, a high surrogate
  // only with a low one escaped right after it, a low one only after a high one. (A backslash
  // outside a string fails here or as a token.)
  bool escape(size_t at) {
    if (at == pairedLow_) return true;  // checked with its high surrogate
    if (at + 1 >= n_) return false;
    const unsigned char e = text_[at + 1];
    if (e != 'u') {
      return e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' ||
             e == 't';
    }
    uint32_t unit;
    if (!hex4(at + 2, &unit)) return false;
    if (unit >= 0xDC00 && unit <= 0xDFFF) return false;  // a low surrogate alone
    if (unit < 0xD800 || unit > 0xDBFF) return true;
    if (at + 8 > n_ || text_[at + 6] != '\\' || text_[at + 7] != 'u') return false;
    if (!hex4(at + 8, &unit) || unit < 0xDC00 || unit > 0xDFFF) return false;
    pairedLow_ = at + 6;
    return true;
  }

  bool hex4(size_t at, uint32_t* unit) const {
    if (at + 4 > n_) return false;
    uint32_t v = 0;
    for (size_t i = at; i < at + 4; ++i) {
      const int h = hexValue(text_[i]);
      if (h < 0) return false;
      v = (v << 4) | static_cast<uint32_t>(h);
    }
    *unit = v;
    return true;
  }

  // The UTF-8 sequences that start at the block's high bytes: shortest form, no surrogates,
  // <= U+10FFFF. Continuation bytes of a sequence already checked are skipped.
  bool utf8(size_t base, uint64_t high) {
    while (high != 0) {
      const size_t at = base + static_cast<size_t>(std::countr_zero(high));
      high &= high - 1;
      if (at < utf8Done_) continue;
      const unsigned char c = text_[at];
      size_t extra;
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
      if (n_ - at <= extra) return false;
      for (size_t i = 1; i <= extra; ++i) {
        const unsigned char next = text_[at + i];
        if ((next & 0xC0) != 0x80) return false;
        cp = (cp << 6) | (next & 0x3F);
      }
      if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
      utf8Done_ = at + 1 + extra;
    }
    return true;
  }

  // Stage 2 over the token starts of the block at `base` (bit i: base + i). Its state lives in
  // locals here and in members between blocks (through members on every token, it took 45 %
  // longer).
  bool grammar(size_t base, uint64_t starts) {
    State state = state_;
    size_t depth = depth_;
    bool inObject = depth > 0 && isObjectAt(depth - 1);
    bool memberValue = memberValue_;
    for (; starts != 0; starts &= starts - 1) {
      const size_t at = base + static_cast<size_t>(std::countr_zero(starts));
      const unsigned char c = text_[at];
      switch (state) {
        case State::kValueOrClose:
          if (c == ']') goto close;
          [[fallthrough]];
        case State::kValue:
          if (top_ != nullptr) {
            if (memberValue) top_->members.back().valueStart = static_cast<char>(c);
            memberValue = false;
            if (depth == 0) top_->isObject = c == '{';  // the document's value
          }
          if (c == '"') {
            state = State::kAfterValue;
          } else if (c == '{' || c == '[') {
            inObject = c == '{';
            push(depth++, inObject);
            state = inObject ? State::kKeyOrClose : State::kValueOrClose;
          } else if (c == 't' ? literal(at, "true")
                     : c == 'f' ? literal(at, "false")
                     : c == 'n' ? literal(at, "null")
                                : number(at)) {
            state = State::kAfterValue;
          } else {
            return false;
          }
          break;
        case State::kKeyOrClose:
          if (c == '}') goto close;
          [[fallthrough]];
        case State::kKey:
          if (c != '"') return false;
          if (top_ != nullptr && depth == 1 && !key(at)) return false;
          state = State::kColon;
          break;
        case State::kColon:
          if (c != ':') return false;
          memberValue = top_ != nullptr && depth == 1;
          state = State::kValue;
          break;
        case State::kAfterValue:
          if (c == ',' && depth > 0) {
            state = inObject ? State::kKey : State::kValue;
            break;
          }
          if (depth == 0 || c != (inObject ? '}' : ']')) return false;
        close:
          --depth;
          inObject = depth > 0 && isObjectAt(depth - 1);
          state = State::kAfterValue;
          break;
      }
    }
    state_ = state;
    depth_ = depth;
    memberValue_ = memberValue;
    return true;
  }

  // A top-level member's key: the string at `at`, up to its closing quote.
  bool key(size_t at) {
    size_t end = at + 1;
    while (end < n_ && text_[end] != '"') end += text_[end] == '\\' ? 2 : 1;
    if (end >= n_) return false;
    if (top_->members.empty()) top_->members.reserve(4);  // {headers, payload, timestamp}
    top_->members.push_back({std::string_view(reinterpret_cast<const char*>(text_ + at + 1),
                                              end - at - 1),
                             0});
    return true;
  }

  // A number or literal must end where a space, a structural character or the text does.
  bool ends(size_t at) const {
    if (at == n_) return true;
    const unsigned char c = text_[at];
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ':' || c == ']' ||
           c == '}' || c == '[' || c == '{';
  }

  bool literal(size_t at, std::string_view word) const {
    return n_ - at >= word.size() && std::memcmp(text_ + at, word.data(), word.size()) == 0 &&
           ends(at + word.size());
  }

  bool number(size_t at) const {
    size_t i = at;
    if (text_[i] == '-') ++i;
    if (i == n_ || !isDigit(text_[i])) return false;
    if (text_[i] == '0') {
      ++i;
    } else {
      while (i < n_ && isDigit(text_[i])) ++i;
    }
    if (i < n_ && text_[i] == '.') {
      if (++i == n_ || !isDigit(text_[i])) return false;
      while (i < n_ && isDigit(text_[i])) ++i;
    }
    if (i < n_ && (text_[i] == 'e' || text_[i] == 'E')) {
      ++i;
      if (i < n_ && (text_[i] == '+' || text_[i] == '-')) ++i;
      if (i == n_ || !isDigit(text_[i])) return false;
      while (i < n_ && isDigit(text_[i])) ++i;
    }
    return ends(i);
  }

  // The stack of open containers, one bit per level (1: an object): a word inline, more on the
  // heap only past 64 levels.
  uint64_t& word(size_t level) {
    if (level < 64) return shallow_;
    const size_t k = level / 64 - 1;
    if (k >= deep_.size()) deep_.resize(k + 1);
    return deep_[k];
  }
  void push(size_t level, bool object) {
    const uint64_t bit = uint64_t{1} << (level % 64);
    uint64_t& w = word(level);
    w = object ? (w | bit) : (w & ~bit);
  }
  bool isObjectAt(size_t level) { return (word(level) >> (level % 64)) & 1; }

  const unsigned char* text_;
  size_t n_;
  JsonTopLevel* top_;
  // Stage 1's carries from one block to the next.
  uint64_t inString_ = 0;     // all ones when the block before ended inside a string
  uint64_t scalarCarry_ = 0;  // 1 when it ended with a byte of a number or literal
  bool escapeNext_ = false;   // it ended with a backslash that escapes this block's first byte
  size_t utf8Done_ = 0;       // bytes before this belong to UTF-8 sequences already checked
  size_t pairedLow_ = SIZE_MAX;  // the backslash of a low surrogate checked with its high one
  // Stage 2's, from one block to the next.
  State state_ = State::kValue;
  size_t depth_ = 0;
  uint64_t shallow_ = 0;
  std::vector<uint64_t> deep_;
  bool memberValue_ = false;  // the next token is a top-level member's value
};

}  // namespace

bool scanJson(std::string_view text, JsonTopLevel* top) {
  if (top) *top = JsonTopLevel{};
  bool ok = Scanner(text, top).document();
  if (!ok && top) *top = JsonTopLevel{};
  return ok;
}

}  // namespace parley
