// Line diffs for the activity stream: a unified diff (as `diff -u` writes it, with 3 lines of
// context) of two texts, from a Myers shortest edit script.
//
// - Equal texts give "". Otherwise "--- <fromLabel>\n+++ <toLabel>\n" then "@@ -l,n +l,n @@"
//   hunks; a last line without a newline is followed by "\ No newline at end of file".
// - Texts whose edit distance exceeds `maxEdits` lines are reported as one hunk that replaces
//   every line (finding the script costs O(maxEdits^2) time and memory).
// Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

namespace parley::control {

std::string unifiedDiff(const std::string& from, const std::string& to,
                        const std::string& fromLabel, const std::string& toLabel,
                        int context = 3, int maxEdits = 2000);

}  // namespace parley::control
