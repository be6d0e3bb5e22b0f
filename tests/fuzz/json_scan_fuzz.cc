// Fuzz target: bytes → scanJson, against the reference of what is JSON as JSON.parse reads it
// (base/test_json_reference.h: nlohmann's parser and where the two differ), as scanJson's unit
// tests: both must say the same, and the top level scanJson describes must be nlohmann's (the
// keys of an object, in order, each with its value's first byte). Inputs the reference cannot
// decide (nlohmann stops at a number too large for a double) are skipped.
//
// Built two ways (tests/fuzz/CMakeLists.txt): with libFuzzer under clang, and as a plain program
// (corpus_driver.cc) that runs the seed corpus in ctest.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "base/json_scan.h"
#include "base/test_json_reference.h"

namespace {

[[noreturn]] void disagree(const char* what, std::string_view input) {
  std::fprintf(stderr, "scanJson and nlohmann disagree (%s) on %zu bytes: %.*s\n", what,
               input.size(), static_cast<int>(std::min<size_t>(input.size(), 300)), input.data());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  parley::JsonTopLevel top;
  const bool scanned = parley::scanJson(input, &top);
  const parley::testing::JsonReference reference = parley::testing::referenceJson(input);
  if (reference.verdict == parley::testing::JsonReference::kUnchecked) return 0;
  const bool valid = reference.verdict == parley::testing::JsonReference::kValid;
  const nlohmann::json& parsed = reference.parsed;
  if (scanned != valid) disagree(scanned ? "scan accepts" : "scan refuses", input);
  if (!valid) return 0;
  if (top.isObject != parsed.is_object()) disagree("is it an object", input);
  if (!top.isObject) return 0;
  // Keys as written (decoded here through nlohmann to compare); nlohmann's object keeps the last
  // of duplicate keys, so value types are compared for keys that appear once.
  std::map<std::string, int> seen;
  std::vector<std::string> keys;
  for (const auto& m : top.members) {
    keys.push_back(nlohmann::json::parse("\"" + std::string(m.key) + "\"").get<std::string>());
    ++seen[keys.back()];
  }
  if (seen.size() != parsed.size()) disagree("the number of keys", input);
  for (size_t i = 0; i < keys.size(); ++i) {
    auto it = parsed.find(keys[i]);
    if (it == parsed.end()) disagree("a key", input);
    if (seen[keys[i]] > 1) continue;
    const char start = top.members[i].valueStart;
    const bool same = it->is_object()  ? start == '{'
                      : it->is_array() ? start == '['
                      : it->is_string() ? start == '"'
                      : it->is_boolean() ? start == (it->get<bool>() ? 't' : 'f')
                      : it->is_null()    ? start == 'n'
                                         : (start == '-' || (start >= '0' && start <= '9'));
    if (!same) disagree("a value's first byte", input);
  }
  return 0;
}
