// scanJson against nlohmann's parser (the project's reference for what is JSON) on hand-picked
// cases and on many random mutations of valid documents, and its description of the top level.
#include "base/json_scan.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <string>

namespace parley {
namespace {

// nlohmann's parser, with the two places where JSON.parse (which the runtime uses) differs and
// scanJson follows JSON.parse: a leading byte order mark is refused, a number too large for a
// double (1e400) is accepted (it becomes Infinity).
bool reference(const std::string& s) {
  if (s.rfind("\xef\xbb\xbf", 0) == 0) return false;
  try {
    nlohmann::json parsed = nlohmann::json::parse(s);
    (void)parsed;
    return true;
  } catch (const nlohmann::json::out_of_range&) {
    return true;
  } catch (const nlohmann::json::parse_error&) {
    return false;
  }
}

TEST(JsonScan, AgreesWithTheReferenceParserOnEdgeCases) {
  const std::vector<std::string> cases = {
      "{}", "[]", "0", "-0", "1.5e-3", "1E+9", "\"\"", "true", "false", "null", " {\"a\" : [ 1 , 2 ] } ",
      "01", "1.", ".5", "-", "1e", "+1", "0x1", "NaN", "Infinity", "1e400", "123456789012345678901234567890",
      "{\"a\":1,}", "[1,]", "[,1]", "{,}", "{\"a\"}", "{\"a\":}", "{1:2}", "{\"a\":1 \"b\":2}", "[1 2]",
      "\"\\u0041\\n\\t\\/\\\\\\\"\"", "\"\\x41\"", "\"\\u12\"", "\"\\uD83D\\uDE00\"", "\"\\uD83D\"",
      "\"\\uDE00\"", "\"\\uD83D\\u0041\"", "\"a\x01\"", "\"\t\"", "\"\xc3\xa9\"", "\"\xe2\x82\xac\"",
      "\"\xf0\x9f\x98\x80\"", "\"\xff\"", "\"\xc0\xaf\"", "\"\xe0\x80\xaf\"", "\"\xed\xa0\x80\"",
      "\"\xf4\x90\x80\x80\"", "\"\xc3\"", "\"abc", "[[[[[]]]]]", "[[[[[]]]]", "{\"a\":{\"b\":{}}}}",
      "tru", "nul", "falsey", "null null", "", " ", "\xef\xbb\xbf{}", "{}\n", "{}x", "[1,[2,[3]]]",
      std::string(5000, '[') + std::string(5000, ']'), std::string(5000, '[') + std::string(4999, ']'),
  };
  for (const std::string& c : cases) {
    EXPECT_EQ(scanJson(c), reference(c)) << "'" << c.substr(0, 60) << "'";
  }
}

TEST(JsonScan, AgreesWithTheReferenceParserOnRandomMutations) {
  const std::vector<std::string> seeds = {
      R"({"headers":[{"key":"k","value":"v"}],"payload":{"n":-1.25e3,"s":"é\u00e9\n","a":[true,false,null,{}]}})",
      R"([1,{"x":[2,"\ud83d\ude00"]},"\\",0.5])",
      R"({"orders":[{"id":"o-1","qty":3,"price":12.5,"tags":["a","b"]}],"ok":true})",
      // Long strings: runs of plain bytes with escapes and UTF-8 among them.
      R"(["abcdefghijklmnopqrstuvwxyz0123456789","0123456\"89abcdef","01234567\u00e9abcdefgh",)"
      "\"0123456789abc\xc3\xa9" "defghijklmnop\",\"x\\\\yyyyyyyyyyyyyyyyyyyy\"]",
  };
  const std::string alphabet = "{}[],:\"\\ 0123456789.-+eEtrufalsn\xc3\xa9\xff\x01u";
  std::mt19937 rng(8);
  int disagreements = 0, valid = 0, total = 0;
  for (int i = 0; i < 60000; ++i) {
    std::string s = seeds[i % seeds.size()];
    int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits && !s.empty(); ++e) {
      size_t at = rng() % s.size();
      switch (rng() % 3) {
        case 0: s.erase(at, 1); break;
        case 1: s.insert(at, 1, alphabet[rng() % alphabet.size()]); break;
        default: s[at] = alphabet[rng() % alphabet.size()]; break;
      }
    }
    bool want = reference(s);
    bool got = scanJson(s);
    if (got != want && ++disagreements <= 5) ADD_FAILURE() << "disagree on '" << s << "': scan " << got;
    valid += want;
    ++total;
  }
  EXPECT_EQ(disagreements, 0);
  EXPECT_GT(valid, total / 20);  // the mutations do produce valid documents too
}

// Every kind of byte that ends or interrupts a string, at every offset of runs of plain bytes of
// lengths around multiples of 16 (where a vectorised scan would step).
TEST(JsonScan, SpecialBytesAtEveryOffsetOfAPlainRun) {
  const std::vector<std::string> specials = {
      "\"",
      "\\n",
      "\\u00e9",
      "\\q",
      "\\",
      std::string(1, '\x01'),
      "\x7f",
      "\xc3\xa9",
      "\xe2\x82\xac",
      "\xf0\x9f\x98\x80",
      "\xff",
      "\xc3",
      "\x80",
      "\x1f",
      " ",
      "\\uD83D",
  };
  int checked = 0, valid = 0;
  for (size_t length : {15u, 16u, 17u, 31u, 32u, 33u, 47u, 70u}) {
    for (const std::string& special : specials) {
      for (size_t at = 0; at <= length; ++at) {
        std::string run(length, 'a');
        for (size_t i = 0; i < length; ++i) run[i] = static_cast<char>('a' + i % 26);
        std::string doc = "[\"" + run.substr(0, at) + special + run.substr(at) + "\"]";
        bool want = reference(doc);
        EXPECT_EQ(scanJson(doc), want) << "'" << doc << "'";
        valid += want;
        ++checked;
      }
    }
  }
  EXPECT_GT(valid, checked / 4);
  EXPECT_LT(valid, checked - checked / 4);
}

TEST(JsonScan, DescribesTheTopLevelObject) {
  JsonTopLevel top;
  ASSERT_TRUE(scanJson(R"( {"headers" : null, "payload":{"headers":[1]}, "n":-1, "s":"x", "a":[]} )", &top));
  EXPECT_TRUE(top.isObject);
  ASSERT_EQ(top.members.size(), 5u);  // nested keys are not members
  EXPECT_EQ(top.members[0].key, "headers");
  EXPECT_EQ(top.members[0].valueStart, 'n');
  EXPECT_EQ(top.members[1].key, "payload");
  EXPECT_EQ(top.members[1].valueStart, '{');
  EXPECT_EQ(top.members[2].valueStart, '-');
  EXPECT_EQ(top.members[3].valueStart, '"');
  EXPECT_EQ(top.members[4].valueStart, '[');
  ASSERT_TRUE(scanJson("[{\"a\":1}]", &top));
  EXPECT_FALSE(top.isObject);
  EXPECT_TRUE(top.members.empty());
  EXPECT_FALSE(scanJson("{\"a\":1,}", &top));
  EXPECT_TRUE(top.members.empty());  // nothing half-described after a refusal
}

}  // namespace
}  // namespace parley
