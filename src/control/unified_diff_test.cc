// The unified diff of the activity stream, compared with what `diff -u` writes.
#include "control/unified_diff.h"

#include <gtest/gtest.h>

namespace parley::control {
namespace {

TEST(UnifiedDiff, EqualTextsGiveNothing) {
  EXPECT_EQ(unifiedDiff("a\nb\n", "a\nb\n", "x", "y"), "");
}

TEST(UnifiedDiff, OneChangedLineWithContext) {
  std::string from = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
  std::string to = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
  EXPECT_EQ(unifiedDiff(from, to, "a/index.js", "b/index.js"),
            "--- a/index.js\n+++ b/index.js\n"
            "@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
}

TEST(UnifiedDiff, DistantChangesMakeTwoHunksAndCloseOnesOne) {
  std::string from, to;
  for (int i = 1; i <= 20; ++i) {
    from += std::to_string(i) + "\n";
    to += (i == 2 || i == 18 ? "x" : std::to_string(i)) + "\n";
  }
  EXPECT_EQ(unifiedDiff(from, to, "a", "b"),
            "--- a\n+++ b\n"
            "@@ -1,5 +1,5 @@\n 1\n-2\n+x\n 3\n 4\n 5\n"
            "@@ -15,6 +15,6 @@\n 15\n 16\n 17\n-18\n+x\n 19\n 20\n");
  std::string close = from;
  close.replace(close.find("5\n"), 2, "y\n");  // line 5: within 6 lines of line 2
  EXPECT_EQ(unifiedDiff(from, close.replace(close.find("2\n"), 2, "x\n"), "a", "b"),
            "--- a\n+++ b\n"
            "@@ -1,8 +1,8 @@\n 1\n-2\n+x\n 3\n 4\n-5\n+y\n 6\n 7\n 8\n");
}

TEST(UnifiedDiff, FromEmptyAndMissingFinalNewline) {
  EXPECT_EQ(unifiedDiff("", "a\nb", "/dev/null", "b"),
            "--- /dev/null\n+++ b\n@@ -0,0 +1,2 @@\n+a\n+b\n\\ No newline at end of file\n");
  EXPECT_EQ(unifiedDiff("a\n", "a", "x", "y"),
            "--- x\n+++ y\n@@ -1 +1 @@\n-a\n+a\n\\ No newline at end of file\n");
}

TEST(UnifiedDiff, InsertionsAndDeletionsAreMinimal) {
  EXPECT_EQ(unifiedDiff("a\nb\nc\n", "a\nc\nd\n", "x", "y"),
            "--- x\n+++ y\n@@ -1,3 +1,3 @@\n a\n-b\n c\n+d\n");
}

TEST(UnifiedDiff, TooManyEditsReplaceEverything) {
  std::string from, to;
  for (int i = 0; i < 50; ++i) {
    from += "a" + std::to_string(i) + "\n";
    to += "b" + std::to_string(i) + "\n";
  }
  std::string d = unifiedDiff(from, to, "x", "y", 3, 10);
  EXPECT_EQ(d.rfind("--- x\n+++ y\n@@ -1,50 +1,50 @@\n", 0), 0u);
  EXPECT_NE(d.find("-a49\n"), std::string::npos);
  EXPECT_NE(d.find("+b49\n"), std::string::npos);
}

}  // namespace
}  // namespace parley::control
