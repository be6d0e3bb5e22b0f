// Backoff with full jitter and the command-array rules of automatic-message results.
#include "control/delivery_rules.h"

#include <gtest/gtest.h>

#include <climits>

#include <algorithm>

namespace parley::control {
namespace {

TEST(Backoff, CeilingDoublesFromTheBaseUpToTheCap) {
  RetryPolicy p{10, 100, 1000};
  EXPECT_EQ(backoffCeilingMs(p, 1), 100);
  EXPECT_EQ(backoffCeilingMs(p, 2), 200);
  EXPECT_EQ(backoffCeilingMs(p, 3), 400);
  EXPECT_EQ(backoffCeilingMs(p, 4), 800);
  EXPECT_EQ(backoffCeilingMs(p, 5), 1000);
  EXPECT_EQ(backoffCeilingMs(p, 60), 1000);  // no overflow
}

TEST(Backoff, FullJitterSpansZeroToTheCeiling) {
  RetryPolicy p{10, 100, 1000};
  EXPECT_EQ(backoffDelayMs(p, 3, 0), 0);
  EXPECT_EQ(backoffDelayMs(p, 3, ~uint64_t{0}), 400);
  EXPECT_EQ(backoffDelayMs(p, 3, uint64_t{1} << 63), 200);
  EXPECT_EQ(backoffDelayMs(p, 7, ~uint64_t{0}), 1000);  // capped
  int64_t lo = 1000, hi = 0;
  for (uint64_t r = 0; r < 5000; ++r) {
    int64_t d = backoffDelayMs(p, 4, r * 0x9E3779B97F4A7C15ull);
    EXPECT_GE(d, 0);
    EXPECT_LE(d, 800);
    lo = std::min(lo, d);
    hi = std::max(hi, d);
  }
  EXPECT_LT(lo, 10);  // the draws cover the range
  EXPECT_GT(hi, 790);
  EXPECT_EQ(backoffDelayMs(RetryPolicy{3, 0, 0}, 2, 99), 0);
}

// Until the store's next due time or the other wake-up, whichever comes first, within
// [1 ms, the longest sleep]; a failed store read is looked at again 100 ms later.
TEST(Backoff, SleepBeforeNextDueTime) {
  using Next = Result<std::optional<int64_t>>;
  EXPECT_EQ(sleepBeforeNextMs(Next(std::optional<int64_t>(1300)), 1000, 5000, 60'000), 300);
  EXPECT_EQ(sleepBeforeNextMs(Next(std::optional<int64_t>(9000)), 1000, 5000, 60'000), 4000);
  EXPECT_EQ(sleepBeforeNextMs(Next(std::optional<int64_t>()), 1000, 5000, 60'000), 4000);
  EXPECT_EQ(sleepBeforeNextMs(Next(std::optional<int64_t>()), 1000, INT64_MAX, 2000), 2000);
  EXPECT_EQ(sleepBeforeNextMs(Next(std::optional<int64_t>(900)), 1000, 5000, 60'000), 1);
  EXPECT_EQ(sleepBeforeNextMs(Next(Error::internal("disk")), 1000, 5000, 60'000), 100);
}

TEST(Commands, ValidResults) {
  for (const char* ok : {"", "null", "[]", R"({"type":"closeConversation"})",
                         R"([{"type":"systemMessage","text":"hi"},{"type":"transfer","skillId":"12"},)"
                         R"({"type":"transfer","agentId":5},{"type":"closeConversation"}])"}) {
    EXPECT_TRUE(validateCommands(ok).ok()) << ok;
  }
}

TEST(Commands, InvalidResultsSayWhichElementAndWhy) {
  struct Case {
    const char* json;
    const char* mentions;
  };
  for (const Case& c : std::vector<Case>{
           {R"("hello")", "command"},
           {"42", "command"},
           {R"([{"type":"systemMessage"}])", "result[0].text"},
           {R"([{"type":"closeConversation"},{"type":"transfer"}])", "result[1]"},
           {R"([{"type":"dance"}])", "'dance'"},
           {R"([{"text":"x"}])", "result[0].type"},
           {R"([1])", "result[0] must be an object"},
       }) {
    Status s = validateCommands(c.json);
    ASSERT_FALSE(s.ok()) << c.json;
    EXPECT_EQ(s.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(s.error().message().find(c.mentions), std::string::npos)
        << c.json << " -> " << s.error().message();
  }
}

TEST(Commands, AutomaticMessagesCategory) {
  EXPECT_TRUE(isAutomaticMessageCategory("Automatic Messages"));
  EXPECT_FALSE(isAutomaticMessageCategory("Third-Party Bots"));
}

}  // namespace
}  // namespace parley::control
