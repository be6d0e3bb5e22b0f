#include "runtime/code_shape.h"

#include <cctype>

namespace parley::runtime {

namespace {

bool isIdent(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; }

// Next token-ish position after skipping spaces and tabs.
size_t skipBlanks(std::string_view s, size_t i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return i;
}

bool wordAt(std::string_view s, size_t i, std::string_view w) {
  return s.substr(i, w.size()) == w && (i + w.size() >= s.size() || !isIdent(s[i + w.size()]));
}

}  // namespace

bool looksLikeEsModule(std::string_view code) {
  size_t i = 0;
  bool inBlockComment = false;
  while (i < code.size()) {
    size_t end = code.find('\n', i);
    if (end == std::string_view::npos) end = code.size();
    std::string_view line = code.substr(i, end - i);
    size_t j = skipBlanks(line, 0);
    if (inBlockComment) {
      size_t close = line.find("*/");
      if (close != std::string_view::npos) inBlockComment = false;
    } else if (line.substr(j, 2) == "/*") {
      inBlockComment = line.find("*/", j + 2) == std::string_view::npos;
    } else if (wordAt(line, j, "import")) {
      size_t k = skipBlanks(line, j + 6);
      if (k < line.size() && line[k] != '(' && line[k] != '.') return true;
    } else if (wordAt(line, j, "export")) {
      return true;
    }
    i = end + 1;
  }
  return false;
}

bool declaresLambda(std::string_view code) {
  constexpr std::string_view kName = "lambda";
  for (size_t pos = code.find(kName); pos != std::string_view::npos;
       pos = code.find(kName, pos + 1)) {
    if ((pos > 0 && isIdent(code[pos - 1])) ||
        (pos + kName.size() < code.size() && isIdent(code[pos + kName.size()]))) {
      continue;
    }
    // Walk back over blanks and an optional '*' (generators) to the previous word.
    size_t k = pos;
    while (k > 0 && (code[k - 1] == ' ' || code[k - 1] == '\t' || code[k - 1] == '*')) --k;
    size_t e = k;
    while (k > 0 && isIdent(code[k - 1])) --k;
    std::string_view prev = code.substr(k, e - k);
    if (prev == "function" || prev == "const" || prev == "let" || prev == "var" ||
        prev == "class") {
      return true;
    }
  }
  return false;
}

}  // namespace parley::runtime
