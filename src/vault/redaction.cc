#include "vault/redaction.h"

#include <algorithm>
#include <deque>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "base/strings.h"

namespace parley::vault {
namespace {

size_t codePoints(std::string_view s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<uint8_t>(c) & 0xC0) != 0x80; }));
}

void appendU16Escape(std::string& out, uint32_t unit, bool upper) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += digits[(unit >> shift) & 0xF];
}

// JSON string escaping as JSON.stringify does it (non-ASCII bytes pass through).
std::string jsonEscape(std::string_view s, bool upper = false) {
  std::string out;
  out.reserve(s.size() + 8);
  appendJsonEscaped(out, s, upper);
  return out;
}

// JSON string escaping with every non-ASCII code point as \uXXXX; nullopt if `s` is not UTF-8.
std::optional<std::string> jsonEscapeAscii(std::string_view s, bool upper) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    uint8_t b = static_cast<uint8_t>(s[i]);
    if (b < 0x80) {
      out += jsonEscape(s.substr(i, 1), upper);
      ++i;
      continue;
    }
    size_t len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 0;
    if (len == 0 || b > 0xF4 || i + len > s.size()) return std::nullopt;
    uint32_t cp = b & (0x7F >> len);
    for (size_t k = 1; k < len; ++k) {
      uint8_t cont = static_cast<uint8_t>(s[i + k]);
      if ((cont & 0xC0) != 0x80) return std::nullopt;
      cp = cp << 6 | (cont & 0x3F);
    }
    static constexpr uint32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return std::nullopt;
    }
    if (cp > 0xFFFF) {
      cp -= 0x10000;
      appendU16Escape(out, 0xD800 + (cp >> 10), upper);
      appendU16Escape(out, 0xDC00 + (cp & 0x3FF), upper);
    } else {
      appendU16Escape(out, cp, upper);
    }
    i += len;
  }
  return out;
}

// Every form of one secret (see redaction.h), raw first.
void addForms(const std::string& secret, std::set<std::string>& patterns) {
  patterns.insert(secret);
  std::string escaped = jsonEscape(secret);
  patterns.insert(jsonEscape(escaped));
  patterns.insert(std::move(escaped));
  for (bool upper : {false, true}) {
    if (auto ascii = jsonEscapeAscii(secret, upper)) patterns.insert(std::move(*ascii));
  }
}

}  // namespace

Redactor::Redactor() : states_(1) {}

Redactor::Redactor(const std::vector<std::string>& secrets) : states_(1) {
  std::set<std::string> patterns;
  for (const std::string& s : secrets) {
    if (codePoints(s) >= kMinRedactedLength) addForms(s, patterns);
  }
  patternCount_ = patterns.size();

  // The trie, with per-state edge lists while building.
  std::vector<std::vector<std::pair<uint8_t, int32_t>>> edges(1);
  auto child = [&](int32_t s, uint8_t b) -> int32_t {
    for (const auto& [byte, target] : edges[s]) {
      if (byte == b) return target;
    }
    return -1;
  };
  for (const std::string& p : patterns) {
    int32_t s = 0;
    for (char c : p) {
      int32_t t = child(s, static_cast<uint8_t>(c));
      if (t < 0) {
        t = static_cast<int32_t>(states_.size());
        states_.emplace_back();
        edges.emplace_back();
        edges[s].emplace_back(static_cast<uint8_t>(c), t);
      }
      s = t;
    }
    states_[s].longest = static_cast<uint32_t>(p.size());
  }

  // Failure links breadth first; `longest` inherits along them.
  for (const auto& [byte, target] : edges[0]) root_[byte] = target;
  std::deque<int32_t> queue;
  for (const auto& [byte, target] : edges[0]) queue.push_back(target);
  while (!queue.empty()) {
    int32_t s = queue.front();
    queue.pop_front();
    for (const auto& [byte, target] : edges[s]) {
      int32_t f = states_[s].fail;
      int32_t t = -1;
      while (true) {
        t = f == 0 ? root_[byte] : child(f, byte);
        if (t >= 0 || f == 0) break;
        f = states_[f].fail;
      }
      states_[target].fail = t > 0 ? t : 0;
      states_[target].longest =
          std::max(states_[target].longest, states_[states_[target].fail].longest);
      queue.push_back(target);
    }
  }

  // Flatten the edges, sorted per state for binary search.
  for (size_t s = 0; s < edges.size(); ++s) {
    std::sort(edges[s].begin(), edges[s].end());
    states_[s].edgeBegin = static_cast<uint32_t>(edgeBytes_.size());
    states_[s].edgeCount = static_cast<uint32_t>(edges[s].size());
    for (const auto& [byte, target] : edges[s]) {
      edgeBytes_.push_back(byte);
      edgeTargets_.push_back(target);
    }
  }
}

int32_t Redactor::next(int32_t state, uint8_t byte) const {
  while (state != 0) {
    const State& s = states_[state];
    auto begin = edgeBytes_.begin() + s.edgeBegin;
    auto end = begin + s.edgeCount;
    auto it = std::lower_bound(begin, end, byte);
    if (it != end && *it == byte) return edgeTargets_[it - edgeBytes_.begin()];
    state = s.fail;
  }
  return root_[byte];
}

template <typename F>
void Redactor::scan(std::string_view text, F&& onMatch) const {
  if (patternCount_ == 0) return;
  // Ranges end in increasing order; a new one may swallow earlier ones (it starts before them).
  std::vector<std::pair<size_t, size_t>> ranges;
  int32_t state = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    state = next(state, static_cast<uint8_t>(text[i]));
    uint32_t len = states_[state].longest;
    if (len == 0) continue;
    size_t begin = i + 1 - len;
    size_t end = i + 1;
    while (!ranges.empty() && begin < ranges.back().second) {
      begin = std::min(begin, ranges.back().first);
      ranges.pop_back();
    }
    ranges.emplace_back(begin, end);
  }
  for (const auto& [begin, end] : ranges) onMatch(begin, end);
}

std::string Redactor::redact(std::string_view text) const {
  std::string out;
  size_t copied = 0;
  scan(text, [&](size_t begin, size_t end) {
    if (out.empty()) out.reserve(text.size());
    out.append(text.substr(copied, begin - copied));
    out.append(kRedactionMask);
    copied = end;
  });
  if (copied == 0) return std::string(text);
  out.append(text.substr(copied));
  return out;
}

bool Redactor::matches(std::string_view text) const {
  bool found = false;
  scan(text, [&](size_t, size_t) { found = true; });
  return found;
}

std::string redact(std::string_view text, const std::vector<std::string>& secrets) {
  return Redactor(secrets).redact(text);
}

namespace {

void collectJsonValues(const nlohmann::json& j, std::vector<std::string>& out) {
  if (j.is_string()) {
    out.push_back(j.get<std::string>());
  } else if (j.is_number()) {
    out.push_back(j.dump());
  } else if (j.is_structured()) {
    out.push_back(j.dump());
    for (const auto& item : j) collectJsonValues(item, out);
  }
}

}  // namespace

std::vector<std::string> redactionValues(std::string_view value, bool isJson) {
  std::vector<std::string> out{std::string(value)};
  if (!isJson) return out;
  nlohmann::json j = nlohmann::json::parse(value, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return out;
  collectJsonValues(j, out);
  return out;
}

}  // namespace parley::vault
