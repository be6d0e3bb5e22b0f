#include "control/unified_diff.h"

#include <algorithm>

namespace parley::control {
namespace {

struct Line {
  std::string text;
  bool newline = true;  // ends with '\n'
  bool operator==(const Line& o) const { return text == o.text && newline == o.newline; }
};

std::vector<Line> splitLines(const std::string& s) {
  std::vector<Line> lines;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t end = s.find('\n', pos);
    if (end == std::string::npos) {
      lines.push_back({s.substr(pos), false});
      break;
    }
    lines.push_back({s.substr(pos, end - pos), true});
    pos = end + 1;
  }
  return lines;
}

enum class Op { kEqual, kDelete, kInsert };

// Myers' O(ND) greedy algorithm with the V array kept per step for the backtrack. Returns the
// edit script from a to b, or false when it needs more than maxEdits steps.
bool editScript(const std::vector<Line>& a, const std::vector<Line>& b, int maxEdits,
                std::vector<Op>& script) {
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  const int max = std::min(n + m, maxEdits);
  const int offset = max + 2;
  std::vector<int> v(2 * max + 5, 0);
  std::vector<std::vector<int>> trace;
  int found = -1;
  for (int d = 0; d <= max && found < 0; ++d) {
    // V as it is before step d, only the diagonals step d reads (-d-1 .. d+1).
    trace.emplace_back(v.begin() + offset - d - 1, v.begin() + offset + d + 2);
    for (int k = -d; k <= d; k += 2) {
      int x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]))
                  ? v[offset + k + 1]
                  : v[offset + k - 1] + 1;
      int y = x - k;
      while (x < n && y < m && a[x] == b[y]) {
        ++x;
        ++y;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) return false;
  // Backtrack from (n, m) through the saved V arrays.
  int x = n;
  int y = m;
  std::vector<Op> reversed;
  for (int d = found; d > 0; --d) {
    const std::vector<int>& pv = trace[d];  // V before step d, diagonal k at pv[k + d + 1]
    auto at = [&](int k) { return pv[k + d + 1]; };
    int k = x - y;
    int prevK = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1;
    int prevX = at(prevK);
    int prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      reversed.push_back(Op::kEqual);
      --x;
      --y;
    }
    reversed.push_back(x == prevX ? Op::kInsert : Op::kDelete);
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    reversed.push_back(Op::kEqual);
    --x;
    --y;
  }
  script.assign(reversed.rbegin(), reversed.rend());
  return true;
}

void appendLine(std::string& out, char mark, const Line& line) {
  out += mark;
  out += line.text;
  out += '\n';
  if (!line.newline) out += "\\ No newline at end of file\n";
}

std::string range(int start, int count) {
  // diff -u: "l,n", with "l" alone for one line and "l-1,0" for none.
  if (count == 0) return std::to_string(start - 1 < 0 ? 0 : start - 1) + ",0";
  if (count == 1) return std::to_string(start);
  return std::to_string(start) + "," + std::to_string(count);
}

}  // namespace

std::string unifiedDiff(const std::string& from, const std::string& to,
                        const std::string& fromLabel, const std::string& toLabel, int context,
                        int maxEdits) {
  if (from == to) return "";
  std::vector<Line> a = splitLines(from);
  std::vector<Line> b = splitLines(to);
  std::vector<Op> script;
  if (!editScript(a, b, maxEdits, script)) {
    script.assign(a.size(), Op::kDelete);
    script.insert(script.end(), b.size(), Op::kInsert);
  }

  // Positions in a and b before each script entry.
  const int total = static_cast<int>(script.size());
  std::vector<int> ai(total + 1), bi(total + 1);
  for (int i = 0; i < total; ++i) {
    ai[i + 1] = ai[i] + (script[i] != Op::kInsert ? 1 : 0);
    bi[i + 1] = bi[i] + (script[i] != Op::kDelete ? 1 : 0);
  }

  std::string out = "--- " + fromLabel + "\n+++ " + toLabel + "\n";
  int i = 0;
  while (i < total) {
    if (script[i] == Op::kEqual) {
      ++i;
      continue;
    }
    // A hunk: from `context` lines before this change to `context` lines after the last change
    // that is at most 2*context equal lines away from the next one.
    int start = std::max(0, i - context);
    int end = i;
    for (;;) {
      while (end < total && script[end] != Op::kEqual) ++end;
      int run = end;
      while (run < total && script[run] == Op::kEqual) ++run;
      if (run < total && run - end <= 2 * context) {
        end = run;
        continue;
      }
      end = std::min(total, end + context);
      break;
    }
    out += "@@ -" + range(ai[start] + 1, ai[end] - ai[start]) + " +" +
           range(bi[start] + 1, bi[end] - bi[start]) + " @@\n";
    for (int j = start; j < end; ++j) {
      switch (script[j]) {
        case Op::kEqual: appendLine(out, ' ', a[ai[j]]); break;
        case Op::kDelete: appendLine(out, '-', a[ai[j]]); break;
        case Op::kInsert: appendLine(out, '+', b[bi[j]]); break;
      }
    }
    i = end;
  }
  return out;
}

}  // namespace parley::control
