#include "http/uri.h"

#include <gtest/gtest.h>

namespace parley::http {
namespace {

TEST(PercentDecode, DecodesEscapesAndKeepsTheRest) {
  EXPECT_EQ(percentDecode("a%20b%2Fc").value(), "a b/c");
  EXPECT_EQ(percentDecode("%e2%82%AC").value(), "\xe2\x82\xac");
  EXPECT_EQ(percentDecode("a+b").value(), "a+b");
  EXPECT_EQ(percentDecode("a+b", /*plusAsSpace=*/true).value(), "a b");
  EXPECT_EQ(percentDecode("").value(), "");
}

TEST(PercentDecode, RefusesMalformedEscapesAndNul) {
  EXPECT_FALSE(percentDecode("%"));
  EXPECT_FALSE(percentDecode("abc%4"));
  EXPECT_FALSE(percentDecode("%zz"));
  EXPECT_FALSE(percentDecode("%4g"));
  EXPECT_FALSE(percentDecode("a%00b"));
}

TEST(Target, SplitsPathAndQuery) {
  EXPECT_EQ(targetPath("/a/b?x=1"), "/a/b");
  EXPECT_EQ(targetQuery("/a/b?x=1"), "x=1");
  EXPECT_EQ(targetPath("/a"), "/a");
  EXPECT_EQ(targetQuery("/a"), "");
  EXPECT_EQ(targetPath("/a#frag"), "/a");
  EXPECT_EQ(targetQuery("/a?q=1#frag"), "q=1");
  EXPECT_EQ(targetPath("*"), "*");
}

TEST(Target, AbsoluteFormGivesItsPath) {
  EXPECT_EQ(targetPath("http://example.com:8080/a/b?x"), "/a/b");
  EXPECT_EQ(targetPath("HTTPS://example.com"), "/");
  EXPECT_EQ(targetPath("http://example.com?x=1"), "/");
  EXPECT_EQ(targetQuery("http://example.com/p?x=1"), "x=1");
}

TEST(Query, ParsesPairsWithPlusAsSpace) {
  auto q = parseQuery("a=1&b=x+y&flag&&c=%26%3D&a=2").value();
  EXPECT_EQ(q.size(), 5u);
  EXPECT_EQ(q.count("a"), 2u);
  EXPECT_EQ(q.find("b")->second, "x y");
  EXPECT_EQ(q.find("flag")->second, "");
  EXPECT_EQ(q.find("c")->second, "&=");
  EXPECT_TRUE(parseQuery("")->empty());
}

TEST(Query, RefusesBadEscapes) {
  EXPECT_FALSE(parseQuery("a=%zz"));
  EXPECT_FALSE(parseQuery("a%=1"));
  EXPECT_FALSE(parseQuery("a=%00"));
}

}  // namespace
}  // namespace parley::http
