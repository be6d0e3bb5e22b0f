// Redaction: hides secret values in text (function logs) before it is stored or shown.
//
// Every occurrence of each secret value is replaced by "********", in these forms:
// - the raw value (UTF-8 bytes as given);
// - as it appears inside a JSON string written by JSON.stringify / nlohmann::json::dump:
//   `"` → `\"`, `\` → `\\`, control characters as \n, \t, … or \u00XX; non-ASCII kept as is;
// - the same with non-ASCII escaped as \uXXXX (UTF-16, surrogate pairs above U+FFFF), in
//   lower-case and in upper-case hex, as ASCII-only encoders (Python's json, ensure_ascii) write;
// - escaped twice (a JSON string inside a JSON string, e.g. a stringified log line stringified
//   again).
//
// Overlaps: all occurrences of all forms are found, and the union of the byte ranges they cover is
// masked, one mask per maximal overlapping run. This is stronger than "longest first": with
// secrets "abcdef" and "efgh1" in "abcdefgh1", replacing the longest first would leave "gh1"
// showing; masking the union hides both. A value contained in a longer one is covered by the
// longer one's mask. Touching but not overlapping occurrences get a mask each.
//
// Values shorter than 4 characters (Unicode code points) are ignored: masking every "a", "42" or
// "yes" in a log would destroy the log while protecting nothing worth protecting (a value that
// short can be guessed anyway). Duplicates and empty values are ignored too.
//
// Complexity: the Redactor builds one Aho–Corasick automaton over all forms of all secrets,
// O(P log 256) time and O(P) memory for P total bytes of patterns; redact() is then one pass,
// O(n) amortised for n bytes of text however many secrets there are (each state keeps the length
// of the longest pattern ending there, so matches cost nothing extra), plus O(n) to build the
// output.
//
// Thread-safety: a Redactor is immutable after construction; redact() may be called from any
// number of threads at once. Copying shares nothing mutable.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace parley::vault {

inline constexpr std::string_view kRedactionMask = "********";
inline constexpr size_t kMinRedactedLength = 4;  // code points

class Redactor {
 public:
  Redactor();  // redacts nothing
  explicit Redactor(const std::vector<std::string>& secrets);

  std::string redact(std::string_view text) const;
  // Whether redact() would change `text`.
  bool matches(std::string_view text) const;
  // Distinct byte patterns in the automaton (forms of the secrets), for diagnostics.
  size_t patternCount() const { return patternCount_; }

 private:
  struct State {
    int32_t fail = 0;
    uint32_t edgeBegin = 0;
    uint32_t edgeCount = 0;
    uint32_t longest = 0;  // longest pattern that ends here, following failure links; 0 if none
  };
  int32_t next(int32_t state, uint8_t byte) const;
  // Calls onMatch(begin, end) for the merged ranges to mask, in order.
  template <typename F>
  void scan(std::string_view text, F&& onMatch) const;

  std::vector<State> states_;       // states_[0] is the root
  std::vector<uint8_t> edgeBytes_;  // per state, sorted by byte
  std::vector<int32_t> edgeTargets_;
  std::array<int32_t, 256> root_{};  // the root's transitions, complete (0 = stay at the root)
  size_t patternCount_ = 0;
};

// One-shot: builds a Redactor for `secrets` and applies it. Build a Redactor once instead when the
// same secrets redact many texts.
std::string redact(std::string_view text, const std::vector<std::string>& secrets);

// The values to redact for one stored secret: the value itself, and for a JSON-typed secret also
// what a function can log after parsing it — every string and number leaf, and the compact
// serialisation (JSON.stringify's form) of the whole value and of each object or array in it.
// Booleans and null are not secrets on their own. Text that does not parse is treated as plain.
std::vector<std::string> redactionValues(std::string_view value, bool isJson);

}  // namespace parley::vault
