// scanJson against nlohmann's parser (the project's reference for what is JSON) on hand-picked
// cases and on many random mutations of valid documents, and its description of the top level.
#include "base/json_scan.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "base/test_json_reference.h"

namespace parley {
namespace {

// The reference (base/test_json_reference.h): whether the text is JSON as JSON.parse reads it;
// `unchecked` is set where nlohmann stopped early (mutation tests skip those cases).
bool reference(const std::string& s, bool* unchecked = nullptr) {
  const testing::JsonReference r = testing::referenceJson(s);
  if (unchecked) *unchecked = r.verdict == testing::JsonReference::kUnchecked;
  return r.verdict != testing::JsonReference::kInvalid;
}

// Up to `edits` random one-byte edits (erase, insert, replace) with bytes of JSON and not.
void mutate(std::string& s, std::mt19937& rng, int edits) {
  static const std::string alphabet = "{}[],:\"\\ 0123456789.-+eEtrufalsn\xc3\xa9\xff\x01u";
  for (int e = 0; e < edits && !s.empty(); ++e) {
    size_t at = rng() % s.size();
    switch (rng() % 3) {
      case 0: s.erase(at, 1); break;
      case 1: s.insert(at, 1, alphabet[rng() % alphabet.size()]); break;
      default: s[at] = alphabet[rng() % alphabet.size()]; break;
    }
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
  std::mt19937 rng(8);
  int disagreements = 0, valid = 0, total = 0;
  for (int i = 0; i < 60000; ++i) {
    std::string s = seeds[i % seeds.size()];
    mutate(s, rng, 1 + static_cast<int>(rng() % 3));
    bool unchecked;
    bool want = reference(s, &unchecked);
    if (unchecked) continue;
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

// The scan classifies 64 bytes at a time and carries state from block to block (inside a string
// or not, an escaping backslash, a number or a UTF-8 sequence going on, a surrogate pair): every
// kind of token across every offset of a block boundary, and mutations of documents of several
// blocks.
TEST(JsonScan, AgreesWithTheReferenceParserAcrossBlockBoundaries) {
  const std::vector<std::string> pieces = {
      R"("plain")", R"("\\")", R"("\\\\\"")", R"("a\"b\\\"c")", R"("\ud83d\ude00")",
      "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"", "-12.5e+3", "0", "true", "false", "null",
      R"({"k":[1,{"x":"y"}]})", "[[],{}]", R"("\u00e9\n\t\/")"};
  int checked = 0;
  for (const std::string& piece : pieces) {
    for (size_t pad = 40; pad <= 70; ++pad) {
      // The piece starts `pad` bytes in: its bytes fall on both sides of the first boundary.
      const std::string doc = "[\"" + std::string(pad - 2, 'p') + "\"," + piece + "," + piece + "]";
      EXPECT_TRUE(scanJson(doc)) << doc;
      for (size_t cut = 0; cut < piece.size(); ++cut) {  // and broken at each of its bytes
        std::string broken = doc;
        broken.erase(pad + 1 + cut, 1);
        EXPECT_EQ(scanJson(broken), reference(broken)) << broken;
        ++checked;
      }
    }
  }
  // Runs of backslashes ending on either side of a boundary, then a quote or a letter.
  for (size_t run = 1; run <= 7; ++run) {
    for (size_t at = 55; at <= 66; ++at) {
      for (const char* after : {"\"", "a", "\"]", "n\"]"}) {
        const std::string doc = "[\"" + std::string(at - 2, 'a') + std::string(run, '\\') + after;
        for (const std::string& d : {doc, doc + "\"]", doc + "\",1]"}) {
          EXPECT_EQ(scanJson(d), reference(d)) << d;
          ++checked;
        }
      }
    }
  }
  // Mutations of a document of a few hundred bytes.
  std::string big = "{\"headers\":[],\"payload\":[";
  for (const std::string& piece : pieces) big += piece + ",";
  for (const std::string& piece : pieces) big += "{\"" + std::to_string(big.size()) + "\":" + piece + "},";
  big += "null]}";
  ASSERT_TRUE(scanJson(big));
  std::mt19937 rng(64);
  int valid = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string s = big;
    mutate(s, rng, 1 + static_cast<int>(rng() % 2));
    bool unchecked;
    const bool want = reference(s, &unchecked);
    if (unchecked) continue;
    ASSERT_EQ(scanJson(s), want) << s;
    valid += want;
  }
  EXPECT_GT(valid, 1000);
  EXPECT_GT(checked, 1000);
}

// The stack of open containers: objects and arrays mixed, past the first 64 levels (a word) and
// the next ones, closed in the right and the wrong order.
TEST(JsonScan, DeepMixedNesting) {
  for (size_t depth : {63u, 64u, 65u, 127u, 128u, 129u, 300u}) {
    std::string open, close;
    for (size_t i = 0; i < depth; ++i) {
      const bool object = (i * 7) % 3 == 0;
      open += object ? "{\"k\":" : "[";
      close.insert(0, object ? "}" : "]");
    }
    const std::string doc = open + "1" + close;
    EXPECT_TRUE(scanJson(doc)) << depth;
    std::string swapped = doc;
    const size_t last = swapped.size() - 1;  // the outermost closer, made the other kind
    swapped[last] = swapped[last] == '}' ? ']' : '}';
    EXPECT_FALSE(scanJson(swapped)) << depth;
    std::string inner = doc;
    const size_t first = open.size() + 1;  // the innermost closer
    inner[first] = inner[first] == '}' ? ']' : '}';
    EXPECT_FALSE(scanJson(inner)) << depth;
    EXPECT_FALSE(scanJson(open + "1" + close.substr(1))) << depth;
  }
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
  // Keys anywhere across a block boundary, after a long value, with escapes in them.
  for (size_t pad = 40; pad <= 70; ++pad) {
    const std::string doc = "{\"payload\":{\"s\":\"" + std::string(pad, 'x') +
                            "\"},\"time\\\"stamp\":17,\"headers\":[]}";
    ASSERT_TRUE(scanJson(doc, &top)) << doc;
    ASSERT_EQ(top.members.size(), 3u);
    EXPECT_EQ(top.members[0].key, "payload");
    EXPECT_EQ(top.members[0].valueStart, '{');
    EXPECT_EQ(top.members[1].key, "time\\\"stamp");  // as written
    EXPECT_EQ(top.members[1].valueStart, '1');
    EXPECT_EQ(top.members[2].key, "headers");
    EXPECT_EQ(top.members[2].valueStart, '[');
  }
}

}  // namespace
}  // namespace parley
