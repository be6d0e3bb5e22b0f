#include "scheduler/cron.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>

namespace parley::scheduler {
namespace {

std::string errorOf(std::string_view text) {
  auto parsed = parseCron(text);
  return parsed.ok() ? "OK" : parsed.error().message();
}

template <size_t N>
std::bitset<N> bitsOf(std::initializer_list<int> values) {
  std::bitset<N> bits;
  for (int v : values) bits.set(static_cast<size_t>(v));
  return bits;
}

CronExpression mustParse(std::string_view text) {
  auto parsed = parseCron(text);
  EXPECT_TRUE(parsed.ok()) << text << ": " << (parsed.ok() ? "" : parsed.error().message());
  return parsed.ok() ? parsed.value() : CronExpression{};
}

TEST(CronParse, AcceptsTheClassicSyntax) {
  for (const char* text : {
           "* * * * *",
           "0 0 1 1 *",
           "59 23 31 12 6",
           "00 05 01 01 *",
           "*/15 * * * *",
           "10-20/5 * * * *",
           "50/5 * * * *",
           "1,2,3 * * * *",
           "0-4,*/20,59 * * * *",
           "0 0 * JAN-MAR,dec *",
           "0 0 * * mon-FRI",
           "0 0 * * 0-7",
           "0 0 * * 7",
           "0 0 1-31 * *",
           "*/100 * * * *",
           "0 9-17/2 * * 1-5",
           "0 0 13 * FRI",
           "0 0 30 2 *",  // valid syntax; that it never fires is schedule_time's business
           "@yearly",
           "@annually",
           "@monthly",
           "@weekly",
           "@daily",
           "@midnight",
           "@hourly",
           "@HOURLY",
           "  \t0  0\t* * *  ",
       }) {
    EXPECT_EQ(errorOf(text), "OK") << text;
  }
}

TEST(CronParse, RejectsWithTheFieldAndTheProblem) {
  struct Case {
    std::string text;
    std::string error;
  };
  const Case cases[] = {
      {"61 * * * *", "minute: 61 is out of range 0-59"},
      {"* 24 * * *", "hour: 24 is out of range 0-23"},
      {"* * 0 * *", "day-of-month: 0 is out of range 1-31"},
      {"* * 32 * *", "day-of-month: 32 is out of range 1-31"},
      {"* * * 0 *", "month: 0 is out of range 1-12"},
      {"* * * 13 *", "month: 13 is out of range 1-12"},
      {"* * * * 8", "day-of-week: 8 is out of range 0-7"},
      {"1-60 * * * *", "minute: 60 is out of range 0-59"},
      {"99999999999 * * * *", "minute: 99999999999 is out of range 0-59"},
      {"* * * * FUNDAY", "day-of-week: unknown name 'FUNDAY'"},
      {"* * * * MONDAY", "day-of-week: unknown name 'MONDAY'"},
      {"* * * FOO *", "month: unknown name 'FOO'"},
      {"* * * * JAN", "day-of-week: unknown name 'JAN'"},
      {"MON * * * *",
       "minute: unexpected name 'MON' (names are allowed in month and day-of-week only)"},
      {"* * * * * *", "expected 5 fields, got 6"},
      {"* * * *", "expected 5 fields, got 4"},
      {"", "expected 5 fields, got 0"},
      {" \t ", "expected 5 fields, got 0"},
      {"*/0 * * * *", "minute: step must be at least 1 in '*/0'"},
      {"*/ * * * *", "minute: missing step after '/' in '*/'"},
      {"*/x * * * *", "minute: step 'x' is not a number"},
      {"*/5/2 * * * *", "minute: step '5/2' is not a number"},
      {"* * * * */MON", "day-of-week: step 'MON' is not a number"},
      {"/5 * * * *", "minute: missing value before '/' in '/5'"},
      {"5- * * * *", "minute: missing value in '5-'"},
      {"-5 * * * *", "minute: missing value in '-5'"},
      {"1,,2 * * * *", "minute: empty list element in '1,,2'"},
      {"1, * * * *", "minute: empty list element in '1,'"},
      {"30-10 * * * *",
       "minute: range '30-10' goes backwards (the first value must not be greater than the "
       "last)"},
      {"* * * * SAT-SUN",
       "day-of-week: range 'SAT-SUN' goes backwards (the first value must not be greater than "
       "the last)"},
      {"5? * * * *", "minute: unexpected character '?' in '5?'"},
      {"? * * * *", "minute: unexpected character '?' in '?'"},
      {"*-5 * * * *", "minute: unexpected character '*' in '*-5'"},
      {"1-2-3 * * * *", "minute: unexpected character '-' in '1-2-3'"},
      {"5a * * * *", "minute: mixed letters and digits in '5a'"},
      {"* * * * \x01", "day-of-week: unexpected character '\\x01' in '\\x01'"},
      {"@reboot",
       "@reboot is not supported: a schedule fires at times of day, not when the server starts"},
      {"@REBOOT",
       "@reboot is not supported: a schedule fires at times of day, not when the server starts"},
      {"@daily 5", "@daily stands alone: unexpected '5' after it"},
      {"@often",
       "unknown macro '@often' (expected @yearly, @annually, @monthly, @weekly, @daily, "
       "@midnight or @hourly)"},
  };
  for (const Case& c : cases) EXPECT_EQ(errorOf(c.text), c.error) << "input: " << c.text;
}

TEST(CronParse, LongGarbageIsCutInMessages) {
  std::string text = "* * * * " + std::string(100, '%');
  std::string error = errorOf(text);
  EXPECT_LT(error.size(), 140u) << error;
  EXPECT_NE(error.find("..."), std::string::npos) << error;
}

TEST(CronParse, Sets) {
  auto c = mustParse("*/15 * * * *");
  EXPECT_EQ(c.minutes, bitsOf<60>({0, 15, 30, 45}));
  EXPECT_EQ(c.hours.count(), 24u);
  EXPECT_EQ(c.daysOfMonth, std::bitset<32>(0xfffffffe));
  EXPECT_EQ(c.months, std::bitset<13>(0x1ffe));
  EXPECT_EQ(c.daysOfWeek.count(), 7u);

  EXPECT_EQ(mustParse("10-20/5 * * * *").minutes, bitsOf<60>({10, 15, 20}));
  EXPECT_EQ(mustParse("50/5 * * * *").minutes, bitsOf<60>({50, 55}));
  EXPECT_EQ(mustParse("0-4,*/20,59 * * * *").minutes, bitsOf<60>({0, 1, 2, 3, 4, 20, 40, 59}));
  EXPECT_EQ(mustParse("*/100 * * * *").minutes, bitsOf<60>({0}));
  EXPECT_EQ(mustParse("0 9-17/2 * * *").hours, bitsOf<24>({9, 11, 13, 15, 17}));
  EXPECT_EQ(mustParse("00 05 01 01 *").hours, bitsOf<24>({5}));
}

TEST(CronParse, MonthAndWeekdayNames) {
  EXPECT_EQ(mustParse("0 0 * JAN-MAR,dec *").months, bitsOf<13>({1, 2, 3, 12}));
  EXPECT_EQ(mustParse("0 0 * jUn *").months, bitsOf<13>({6}));
  EXPECT_EQ(mustParse("0 0 * JAN-DEC/3 *").months, bitsOf<13>({1, 4, 7, 10}));
  EXPECT_EQ(mustParse("0 0 * * mon-FRI").daysOfWeek, bitsOf<7>({1, 2, 3, 4, 5}));
  EXPECT_EQ(mustParse("0 0 * * SUN,sat").daysOfWeek, bitsOf<7>({0, 6}));
  EXPECT_EQ(mustParse("0 0 * * 1-5").daysOfWeek, mustParse("0 0 * * MON-FRI").daysOfWeek);
}

TEST(CronParse, SevenIsSunday) {
  EXPECT_EQ(mustParse("0 0 * * 7").daysOfWeek, bitsOf<7>({0}));
  EXPECT_EQ(mustParse("0 0 * * 5-7").daysOfWeek, bitsOf<7>({0, 5, 6}));
  EXPECT_EQ(mustParse("0 0 * * 0-7").daysOfWeek.count(), 7u);
  EXPECT_EQ(mustParse("0 0 * * */2").daysOfWeek, bitsOf<7>({0, 2, 4, 6}));
}

TEST(CronParse, MacrosAreTheirExpansions) {
  EXPECT_TRUE(mustParse("@yearly").sameSchedule(mustParse("0 0 1 1 *")));
  EXPECT_TRUE(mustParse("@annually").sameSchedule(mustParse("0 0 1 1 *")));
  EXPECT_TRUE(mustParse("@monthly").sameSchedule(mustParse("0 0 1 * *")));
  EXPECT_TRUE(mustParse("@weekly").sameSchedule(mustParse("0 0 * * 0")));
  EXPECT_TRUE(mustParse("@daily").sameSchedule(mustParse("0 0 * * *")));
  EXPECT_TRUE(mustParse("@midnight").sameSchedule(mustParse("0 0 * * *")));
  EXPECT_TRUE(mustParse("@hourly").sameSchedule(mustParse("0 * * * *")));
  EXPECT_FALSE(mustParse("@hourly").sameSchedule(mustParse("@daily")));
  EXPECT_EQ(mustParse(" @Daily ").source, "@Daily");
  EXPECT_EQ(mustParse("  0\t0 * *   * ").source, "0 0 * * *");
}

TEST(CronParse, StarFlagsFollowVixie) {
  auto both = mustParse("0 0 13 * FRI");
  EXPECT_FALSE(both.dayOfMonthStar);
  EXPECT_FALSE(both.dayOfWeekStar);
  EXPECT_FALSE(both.minuteOrHourStar);
  // A field starting with '*' counts as unrestricted for the OR rule, also with a step.
  EXPECT_TRUE(mustParse("0 0 */2 * FRI").dayOfMonthStar);
  EXPECT_TRUE(mustParse("0 0 13 * */2").dayOfWeekStar);
  // ... and a full range written out does not.
  EXPECT_FALSE(mustParse("0 0 1-31 * FRI").dayOfMonthStar);
  EXPECT_TRUE(mustParse("@hourly").minuteOrHourStar);
  EXPECT_TRUE(mustParse("*/5 3 * * *").minuteOrHourStar);
  EXPECT_TRUE(mustParse("30 * * * *").minuteOrHourStar);
  EXPECT_FALSE(mustParse("30 2 * * *").minuteOrHourStar);
  EXPECT_FALSE(mustParse("@daily").minuteOrHourStar);
}

TEST(CronParse, MatchesDayUsesTheOrRuleOnlyWhenBothAreRestricted) {
  auto either = mustParse("0 0 13 * FRI");
  EXPECT_TRUE(either.matchesDay(9, 13, 5));   // Friday the 13th
  EXPECT_TRUE(either.matchesDay(10, 13, 0));  // Sunday the 13th
  EXPECT_TRUE(either.matchesDay(10, 4, 5));   // Friday the 4th
  EXPECT_FALSE(either.matchesDay(10, 5, 6));  // Saturday the 5th

  auto both = mustParse("0 0 */2 * FRI");  // odd days that are Fridays
  EXPECT_TRUE(both.matchesDay(9, 13, 5));
  EXPECT_FALSE(both.matchesDay(9, 6, 5));   // even Friday
  EXPECT_FALSE(both.matchesDay(9, 15, 0));  // odd Sunday

  auto month = mustParse("0 0 * FEB *");
  EXPECT_TRUE(month.matchesDay(2, 29, 4));
  EXPECT_FALSE(month.matchesDay(3, 1, 5));
}

}  // namespace
}  // namespace parley::scheduler
