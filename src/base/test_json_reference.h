// Test helper: what is JSON as JSON.parse (which the runtime uses) reads it, by nlohmann's parser,
// the project's reference, with the places where the two differ: a leading byte order mark is
// refused; so is a NUL byte anywhere (nlohmann ends its input there; JSON allows none: raw
// control bytes are not allowed in strings, and NUL is no whitespace); a number too large for a
// double (1e400) is accepted (it becomes Infinity), but nlohmann stops at it, so what follows is
// not checked: such texts are kUnchecked. For scanJson's tests and fuzz target.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace parley::testing {

struct JsonReference {
  enum Verdict { kValid, kInvalid, kUnchecked };
  Verdict verdict = kInvalid;
  nlohmann::json parsed;  // when kValid
};

inline JsonReference referenceJson(std::string_view text) {
  JsonReference r;
  try {
    r.parsed = nlohmann::json::parse(text);
  } catch (const nlohmann::json::out_of_range&) {
    r.verdict = JsonReference::kUnchecked;
    return r;
  } catch (const nlohmann::json::parse_error&) {
    return r;
  }
  if (!text.starts_with("\xef\xbb\xbf") && text.find('\0') == std::string_view::npos) {
    r.verdict = JsonReference::kValid;
  }
  return r;
}

}  // namespace parley::testing
