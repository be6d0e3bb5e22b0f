#include "base/strings.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>

namespace parley {
namespace {

TEST(Strings, SplitKeepsEmptyFields) {
  EXPECT_EQ(split("a,,b", ','), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(split("", ','), (std::vector<std::string>{""}));
}

TEST(Strings, JoinIsInverseOfSplit) { EXPECT_EQ(join(split("x/y/z", '/'), "/"), "x/y/z"); }

TEST(Strings, TrimAndAffixes) {
  EXPECT_EQ(trim("  a b \n"), "a b");
  EXPECT_EQ(trim("   "), "");
  EXPECT_TRUE(startsWith("node:crypto", "node:"));
  EXPECT_FALSE(startsWith("no", "node:"));
  EXPECT_TRUE(endsWith("index.js", ".js"));
}

TEST(Strings, RandomUuidIsVersion4AndUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string u = randomUuid();
    ASSERT_EQ(u.size(), 36u);
    EXPECT_EQ(u[14], '4');
    EXPECT_TRUE(u[19] == '8' || u[19] == '9' || u[19] == 'a' || u[19] == 'b');
    seen.insert(u);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(Strings, TimeOrderedUuidIsVersion7SortsByTimeAndIsUnique) {
  // 2026-11-24T00:00:00Z = 1795478400000 ms = 0x01a2 0ada 2c00 (the first 12 hex digits).
  std::string u = timeOrderedUuid(1795478400000);
  ASSERT_EQ(u.size(), 36u);
  EXPECT_EQ(u.substr(0, 13), "01a20ada-2c00");
  EXPECT_EQ(u[14], '7');
  EXPECT_TRUE(u[19] == '8' || u[19] == '9' || u[19] == 'a' || u[19] == 'b') << u;
  std::set<std::string> seen;
  std::string previous;
  for (int64_t ms = 1795478400000; ms < 1795478400000 + 100; ++ms) {
    std::string id = timeOrderedUuid(ms);
    EXPECT_LT(previous, id);  // a later millisecond sorts after, whatever the random bits
    previous = id;
    seen.insert(id);
    seen.insert(timeOrderedUuid(ms));  // the same millisecond twice: still distinct
  }
  EXPECT_EQ(seen.size(), 200u);
}

// Ids come from a per-thread pool of random bytes: a forked child must not hand out the bytes
// its parent hands out next (the same ids in two processes).
TEST(Strings, AForkedChildDoesNotRepeatItsParentsIds) {
  (void)randomUuid();  // the pool is filled before the fork
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::string ids;
    for (int i = 0; i < 3; ++i) ids += randomUuid();
    ssize_t written = write(fds[1], ids.data(), ids.size());
    _exit(written == static_cast<ssize_t>(ids.size()) ? 0 : 1);
  }
  close(fds[1]);
  std::string fromChild(3 * 36, '\0');
  size_t got = 0;
  while (got < fromChild.size()) {
    ssize_t n = read(fds[0], fromChild.data() + got, fromChild.size() - got);
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  close(fds[0]);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  ASSERT_EQ(got, fromChild.size());
  std::string fromParent;
  for (int i = 0; i < 3; ++i) fromParent += randomUuid();
  EXPECT_NE(fromChild, fromParent);
  for (int i = 0; i < 3; ++i) {
    EXPECT_NE(fromChild.substr(36 * i, 36), fromParent.substr(36 * i, 36)) << i;
  }
}

TEST(Strings, AppendJsonEscapedWritesWhatJsonStringifyWrites) {
  std::string out = "x";
  appendJsonEscaped(out, std::string("a\"b\\c\b\f\n\r\t\x01\x1f\xc3\xa9", 14));
  EXPECT_EQ(out, "xa\\\"b\\\\c\\b\\f\\n\\r\\t\\u0001\\u001f\xc3\xa9");
  std::string upper;
  appendJsonEscaped(upper, "\x1f", true);
  EXPECT_EQ(upper, "\\u001F");
}

}  // namespace
}  // namespace parley
