#include "egress/allowlist.h"

#include <gtest/gtest.h>

namespace parley::egress {
namespace {

std::string rule(const std::string& entry) {
  auto r = canonicalRule(entry);
  return r.ok() ? *r : "ERROR: " + r.error().message();
}

TEST(AllowlistRules, CanonicalForms) {
  EXPECT_EQ(rule("API.Example.COM"), "api.example.com");
  EXPECT_EQ(rule("example.com."), "example.com");
  EXPECT_EQ(rule("*.Example.com"), "*.example.com");
  EXPECT_EQ(rule("localhost"), "localhost");
  EXPECT_EQ(rule("xn--r8jz45g.jp"), "xn--r8jz45g.jp");
  EXPECT_EQ(rule("203.0.113.7"), "203.0.113.7");
  EXPECT_EQ(rule("[2001:DB8:0:0::1]"), "2001:db8::1");
  EXPECT_EQ(rule("2001:db8::1"), "2001:db8::1");
}

TEST(AllowlistRules, RefusedEntriesSayWhy) {
  EXPECT_NE(rule("*.*.example.com").find("wildcard out of place"), std::string::npos);
  EXPECT_NE(rule("a*.example.com").find("wildcard out of place"), std::string::npos);
  EXPECT_NE(rule("example.*").find("wildcard out of place"), std::string::npos);
  EXPECT_NE(rule("*.com").find("too broad"), std::string::npos);
  EXPECT_NE(rule("https://example.com").find("without scheme"), std::string::npos);
  EXPECT_NE(rule("example.com/path").find("without scheme"), std::string::npos);
  EXPECT_NE(rule("example.com:8080").find("without a port"), std::string::npos);
  EXPECT_NE(rule("exa mple.com").find("character ' '"), std::string::npos);
  EXPECT_NE(rule("-bad.example.com").find("starts or ends with '-'"), std::string::npos);
  EXPECT_NE(rule("a..b.com").find("empty label"), std::string::npos);
  EXPECT_NE(rule(std::string(64, 'a') + ".com").find("63"), std::string::npos);
  EXPECT_NE(rule("").find("empty"), std::string::npos);
  EXPECT_NE(rule("0177.0.0.1").find("four decimal numbers"), std::string::npos);
  EXPECT_NE(rule("2130706433").find("four decimal numbers"), std::string::npos);
  EXPECT_NE(rule("0x7f.1").find("all-numeric"), std::string::npos);
  EXPECT_NE(rule("例え.jp").find("xn--"), std::string::npos);
}

TEST(AllowlistMatch, ExactAndWildcardButNotTheApex) {
  Allowlist list({"api.example.com", "*.example.org", "127.0.0.1", "2001:db8::1"});
  EXPECT_TRUE(list.allows("api.example.com"));
  EXPECT_FALSE(list.allows("www.example.com"));
  EXPECT_FALSE(list.allows("example.com"));
  EXPECT_TRUE(list.allows("a.example.org"));
  EXPECT_TRUE(list.allows("a.b.example.org"));
  EXPECT_FALSE(list.allows("example.org"));       // the apex is not covered by *.example.org
  EXPECT_FALSE(list.allows("badexample.org"));    // suffix on a label boundary only
  EXPECT_FALSE(list.allows("example.org.evil.com"));
  EXPECT_TRUE(list.allows("127.0.0.1"));
  EXPECT_TRUE(list.allows("2001:db8::1"));
  EXPECT_FALSE(Allowlist().allows("api.example.com"));
}

TEST(AllowlistMatch, UrlHostsAreCanonicalised) {
  EXPECT_EQ(canonicalHost("API.Example.com.").value(), "api.example.com");
  EXPECT_EQ(canonicalHost("[::1]").value(), "::1");
  EXPECT_EQ(canonicalHost("[0:0:0:0:0:0:0:1]").value(), "::1");
  EXPECT_EQ(canonicalHost("[::FFFF:7F00:1]").value(), "::ffff:127.0.0.1");
  EXPECT_FALSE(canonicalHost("[fe80::1%eth0]").ok());
  EXPECT_FALSE(canonicalHost("例え.jp").ok());
  EXPECT_FALSE(canonicalHost("").ok());
}

}  // namespace
}  // namespace parley::egress
