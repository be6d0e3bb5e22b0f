#include "vault/redaction.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <thread>

namespace parley::vault {
namespace {

TEST(Redaction, PlainAndRepeated) {
  EXPECT_EQ(redact("token=abc123xyz; again abc123xyz.", {"abc123xyz"}),
            "token=********; again ********.");
  EXPECT_EQ(redact("abc123xyzabc123xyz", {"abc123xyz"}), "****************");  // touching
  EXPECT_EQ(redact("nothing to hide", {"abc123xyz"}), "nothing to hide");
  EXPECT_EQ(redact("", {"abc123xyz"}), "");
  EXPECT_EQ(redact("no secrets at all", {}), "no secrets at all");
  EXPECT_EQ(redact("user=alice pass=hunter2!", {"alice", "hunter2!"}),
            "user=******** pass=********");
}

TEST(Redaction, OverlappingOccurrencesAreAllHidden) {
  // A secret overlapping itself.
  EXPECT_EQ(redact("x-abababab-x", {"ababab"}), "x-********-x");
  // Two secrets overlapping: longest-first replacement would leave "gh1" visible.
  EXPECT_EQ(redact("<abcdefgh1>", {"abcdef", "efgh1"}), "<********>");
  // A secret inside a longer one: one mask, nothing of either left.
  EXPECT_EQ(redact("[password123]", {"word", "password123"}), "[********]");
  EXPECT_EQ(redact("[word]", {"word", "password123"}), "[********]");
  // Order of the list does not matter.
  EXPECT_EQ(redact("<abcdefgh1>", {"efgh1", "abcdef"}), "<********>");
}

TEST(Redaction, JsonEscapedForms) {
  const std::string secret = "p\"a\\ss\nw\x01rd";
  nlohmann::json j = {{"password", secret}};
  std::string logged = j.dump();  // {"password":"p\"a\\ss\nw\u0001rd"}
  ASSERT_EQ(logged.find(secret), std::string::npos);
  EXPECT_EQ(redact(logged, {secret}), "{\"password\":\"********\"}");
  // Escaped twice: a stringified log line, stringified again.
  std::string twice = nlohmann::json(logged).dump();
  EXPECT_EQ(twice.find("********"), std::string::npos);
  EXPECT_EQ(redact(twice, {secret}), "\"{\\\"password\\\":\\\"********\\\"}\"");
  // The raw form still works.
  EXPECT_EQ(redact("raw: " + secret, {secret}), "raw: ********");
}

TEST(Redaction, UnicodeRawAndEscaped) {
  const std::string secret = "clé-🔑-Ümlaut";
  EXPECT_EQ(redact("key " + secret + " end", {secret}), "key ******** end");
  // As an ASCII-only encoder writes it, in lower-case and in upper-case hex.
  std::string ascii = nlohmann::json(secret).dump(-1, ' ', /*ensure_ascii=*/true);
  ASSERT_NE(ascii.find("\\ud83d\\udd11"), std::string::npos) << ascii;  // surrogate pair
  EXPECT_EQ(redact(ascii, {secret}), "\"********\"");
  EXPECT_EQ(redact("cl\\u00E9-\\uD83D\\uDD11-\\u00DCmlaut", {secret}), "********");
  // JSON.stringify keeps non-ASCII as is.
  EXPECT_EQ(redact(nlohmann::json(secret).dump(), {secret}), "\"********\"");
}

TEST(Redaction, ShortValuesAreNotRedacted) {
  // Under 4 characters: redacting "a" or "42" would destroy logs and protect nothing.
  EXPECT_EQ(redact("a cat ate 42 yes", {"a", "42", "yes", ""}), "a cat ate 42 yes");
  // Characters, not bytes: "é€" is 5 bytes but 2 characters.
  EXPECT_EQ(redact("prix: é€", {"é€"}), "prix: é€");
  EXPECT_EQ(redact("pin 1234", {"1234"}), "pin ********");
  EXPECT_EQ(redact("clé€ ok", {"clé€"}), "******** ok");
  EXPECT_EQ(Redactor({"abc", "", "abc"}).patternCount(), 0u);
}

// Reference: the union of all occurrences of all forms, masked per overlapping run, found naively.
std::string naiveRedact(const std::string& text, const std::vector<std::string>& patterns) {
  std::vector<bool> covered(text.size(), false);
  std::vector<size_t> starts;  // ranges as (begin, end) merged only where they overlap
  std::vector<std::pair<size_t, size_t>> ranges;
  for (const auto& p : patterns) {
    for (size_t pos = text.find(p); pos != std::string::npos; pos = text.find(p, pos + 1)) {
      ranges.emplace_back(pos, pos + p.size());
    }
  }
  std::sort(ranges.begin(), ranges.end());
  std::vector<std::pair<size_t, size_t>> merged;
  for (auto r : ranges) {
    if (!merged.empty() && r.first < merged.back().second) {
      merged.back().second = std::max(merged.back().second, r.second);
    } else {
      merged.push_back(r);
    }
  }
  std::string out;
  size_t at = 0;
  for (auto [b, e] : merged) {
    out += text.substr(at, b - at) + std::string(kRedactionMask);
    at = e;
  }
  return out + text.substr(at);
}

TEST(Redaction, MatchesANaiveReferenceOnRandomInputs) {
  std::mt19937 rng(42);
  auto randomString = [&](size_t len) {
    std::string s;
    for (size_t i = 0; i < len; ++i) s += static_cast<char>('a' + rng() % 3);  // many overlaps
    return s;
  };
  for (int round = 0; round < 300; ++round) {
    std::vector<std::string> secrets;
    for (int i = 0, n = 1 + rng() % 6; i < n; ++i) secrets.push_back(randomString(4 + rng() % 5));
    std::string text = randomString(rng() % 200);
    ASSERT_EQ(redact(text, secrets), naiveRedact(text, secrets)) << text;
  }
}

TEST(Redaction, ManySecretsOneAutomatonManyThreads) {
  std::mt19937 rng(7);
  std::vector<std::string> secrets;
  for (int i = 0; i < 2000; ++i)
    secrets.push_back("sk_" + std::to_string(rng()) + "_" + std::to_string(i));
  const Redactor redactor(secrets);
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "line " + std::to_string(i) + " ok\n";
  text += secrets[1234] + " and " + secrets[7] + "\n";
  std::string expected =
      text.substr(0, text.size() - secrets[1234].size() - secrets[7].size() - 6) +
      "******** and ********\n";
  std::vector<std::thread> threads;
  std::atomic<int> good{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      if (redactor.redact(text) == expected && redactor.matches(text) &&
          !redactor.matches("line 1 ok")) {
        ++good;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(good, 4);
}

TEST(Redaction, ValuesOfJsonSecrets) {
  auto values = redactionValues(R"({"user": "svc-bot", "pass": "s3cr3t!", "port": 5432,
                                     "tls": true, "nested": {"token": "tok_ABCDEF"}})",
                                true);
  Redactor redactor(values);
  EXPECT_EQ(redactor.redact("login svc-bot / s3cr3t! on 5432 tls=true"),
            "login ******** / ******** on ******** tls=true");
  EXPECT_EQ(redactor.redact(R"(nested={"token":"tok_ABCDEF"})"), "nested=********");
  EXPECT_EQ(redactor.redact(R"({"token":"tok_ABCDEF"})"), "********");
  // Plain secrets, and JSON that does not parse, are taken as they are.
  EXPECT_EQ(redactionValues("{not json", true), std::vector<std::string>{"{not json"});
  EXPECT_EQ(redactionValues("{\"a\":\"bcdef\"}", false),
            std::vector<std::string>{"{\"a\":\"bcdef\"}"});
}

}  // namespace
}  // namespace parley::vault
