#include "scheduler/schedule_time.h"

#include <date/date.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace parley::scheduler {
namespace {

// Epoch ms of a UTC wall-clock time.
int64_t utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0) {
  date::sys_days day = date::year{y} / date::month{mo} / date::day{d};
  return (static_cast<int64_t>(day.time_since_epoch().count()) * 86'400 + h * 3'600 + mi * 60 + s) *
         1000;
}

std::string iso(int64_t ms) {
  date::sys_seconds t{std::chrono::seconds{ms / 1000}};
  return date::format("%FT%TZ", t) +
         (ms % 1000 != 0 ? " +" + std::to_string(ms % 1000) + "ms" : "");
}

CronExpression cron(std::string_view text) {
  auto parsed = parseCron(text);
  EXPECT_TRUE(parsed.ok()) << text;
  return parsed.ok() ? parsed.value() : CronExpression{};
}

std::string next(std::string_view text, const std::string& tz, int64_t afterMs) {
  auto r = nextFireMs(cron(text), tz, afterMs);
  return r.ok() ? iso(*r) : "error: " + r.error().message();
}

// The first n due instants after afterMs, chained.
std::vector<std::string> fires(std::string_view text, const std::string& tz, int64_t afterMs,
                               int n) {
  std::vector<std::string> out;
  CronExpression c = cron(text);
  for (int i = 0; i < n; ++i) {
    auto r = nextFireMs(c, tz, afterMs);
    if (!r.ok()) {
      out.push_back("error: " + r.error().message());
      break;
    }
    EXPECT_GT(*r, afterMs);
    out.push_back(iso(*r));
    afterMs = *r;
  }
  return out;
}

using Strings = std::vector<std::string>;

TEST(NextFire, UtcTable) {
  struct Case {
    const char* cron;
    int64_t after;
    const char* expected;
  };
  const Case cases[] = {
      {"* * * * *", utc(2024, 1, 1), "2024-01-01T00:01:00Z"},
      {"* * * * *", utc(2024, 1, 1) - 1, "2024-01-01T00:00:00Z"},
      {"* * * * *", utc(2024, 1, 1) + 1, "2024-01-01T00:01:00Z"},
      {"* * * * *", utc(2024, 12, 31, 23, 59, 30), "2025-01-01T00:00:00Z"},
      {"0 0 * * *", utc(2024, 1, 1), "2024-01-02T00:00:00Z"},
      {"*/15 * * * *", utc(2024, 1, 1, 0, 7), "2024-01-01T00:15:00Z"},
      {"*/15 * * * *", utc(2024, 1, 1, 23, 50), "2024-01-02T00:00:00Z"},
      {"5-10/5 4 * * *", utc(2024, 1, 1, 4, 5), "2024-01-01T04:10:00Z"},
      {"0 9 * * MON-FRI", utc(2024, 1, 6, 12), "2024-01-08T09:00:00Z"},  // Sat → Mon
      {"0 9 * * 1-5", utc(2024, 1, 5, 8), "2024-01-05T09:00:00Z"},
      {"0 0 1 JAN *", utc(2024, 1, 1), "2025-01-01T00:00:00Z"},
      {"0 0 1 * *", utc(2024, 1, 31, 12), "2024-02-01T00:00:00Z"},
      {"0 0 31 * *", utc(2024, 4, 1), "2024-05-31T00:00:00Z"},  // April has no 31st
      {"30 12 * feb,Aug *", utc(2024, 3, 1), "2024-08-01T12:30:00Z"},
      {"0 0 * * 7", utc(2024, 1, 1), "2024-01-07T00:00:00Z"},  // Sunday
      {"0 0 * * 0", utc(2024, 1, 1), "2024-01-07T00:00:00Z"},
      {"@yearly", utc(2024, 6, 1), "2025-01-01T00:00:00Z"},
      {"@annually", utc(2024, 6, 1), "2025-01-01T00:00:00Z"},
      {"@monthly", utc(2024, 6, 15), "2024-07-01T00:00:00Z"},
      {"@weekly", utc(2024, 6, 15), "2024-06-16T00:00:00Z"},  // next Sunday
      {"@daily", utc(2024, 6, 15, 0, 0, 1), "2024-06-16T00:00:00Z"},
      {"@midnight", utc(2024, 6, 15), "2024-06-16T00:00:00Z"},
      {"@hourly", utc(2024, 6, 15, 10, 59, 59), "2024-06-15T11:00:00Z"},
      {"59 23 31 12 *", utc(2024, 1, 1), "2024-12-31T23:59:00Z"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(next(c.cron, "UTC", c.after), c.expected) << c.cron << " after " << iso(c.after);
  }
}

TEST(NextFire, StrictlyAfterAndWholeMinutes) {
  const int64_t due = utc(2024, 5, 5, 10, 30);
  EXPECT_EQ(next("30 10 * * *", "UTC", due - 1), iso(due));
  EXPECT_EQ(next("30 10 * * *", "UTC", due), "2024-05-06T10:30:00Z");
  EXPECT_EQ(next("30 10 * * *", "UTC", due + 999), "2024-05-06T10:30:00Z");
  auto r = nextFireMs(cron("*/7 * * * *"), "UTC", utc(2024, 5, 5) + 12'345);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r % 60'000, 0);
}

TEST(NextFire, TimeZoneNames) {
  const int64_t t = utc(2024, 1, 1);
  EXPECT_EQ(next("0 9 * * *", "", t), "2024-01-01T09:00:00Z");
  EXPECT_EQ(next("0 9 * * *", "UTC", t), "2024-01-01T09:00:00Z");
  EXPECT_EQ(next("0 9 * * *", "Etc/UTC", t), "2024-01-01T09:00:00Z");
  EXPECT_EQ(next("0 9 * * *", "Asia/Kolkata", t), "2024-01-01T03:30:00Z");  // +05:30
  EXPECT_EQ(next("0 9 * * *", "Europe/Berlin", t), "2024-01-01T08:00:00Z");
  EXPECT_EQ(next("0 9 * * *", "America/New_York", t), "2024-01-01T14:00:00Z");
  EXPECT_EQ(next("0 9 * * *", "Mars/Base", t),
            "error: unknown time zone 'Mars/Base' (expected an IANA name such as "
            "'Europe/Berlin' or 'UTC')");
  EXPECT_EQ(next("0 9 * * *", "utc", t).substr(0, 31), "error: unknown time zone 'utc' ");
  EXPECT_EQ(next("0 9 * * *", "localtime", t), "error: unknown time zone 'localtime'");
  EXPECT_TRUE(validateTimeZone("America/New_York").ok());
  EXPECT_TRUE(validateTimeZone("").ok());
  EXPECT_FALSE(validateTimeZone("../etc/passwd").ok());
  EXPECT_EQ(validateTimeZone("Nowhere").error().code(), ErrorCode::kInvalidArgument);
}

TEST(NextFire, DayOfMonthOrDayOfWeek) {
  // Vixie: both restricted, so every Friday AND every 13th (2024-09-13 is a Friday).
  EXPECT_EQ(fires("0 0 13 * FRI", "UTC", utc(2024, 9, 1), 8),
            (Strings{"2024-09-06T00:00:00Z", "2024-09-13T00:00:00Z", "2024-09-20T00:00:00Z",
                     "2024-09-27T00:00:00Z", "2024-10-04T00:00:00Z", "2024-10-11T00:00:00Z",
                     "2024-10-13T00:00:00Z", "2024-10-18T00:00:00Z"}));
  // Day-of-month starts with '*': both must match (odd days that are Fridays).
  EXPECT_EQ(fires("0 0 */2 * FRI", "UTC", utc(2024, 9, 1), 3),
            (Strings{"2024-09-13T00:00:00Z", "2024-09-27T00:00:00Z", "2024-10-11T00:00:00Z"}));
  // Only the day-of-week restricted: Mondays.
  EXPECT_EQ(fires("0 0 * * MON", "UTC", utc(2024, 9, 1), 2),
            (Strings{"2024-09-02T00:00:00Z", "2024-09-09T00:00:00Z"}));
}

TEST(NextFire, LeapDay) {
  EXPECT_EQ(fires("0 0 29 2 *", "UTC", utc(2023, 1, 1), 3),
            (Strings{"2024-02-29T00:00:00Z", "2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z"}));
  EXPECT_EQ(next("0 0 29 2 *", "UTC", utc(2024, 3, 1)), "2028-02-29T00:00:00Z");
  // 2100 is not a leap year: eight years between two runs.
  EXPECT_EQ(next("0 0 29 2 *", "UTC", utc(2096, 3, 1)), "2104-02-29T00:00:00Z");
  // A Feb 29 that is a Sunday (day-of-week starts with '*', so AND): 2088, then 2128.
  EXPECT_EQ(next("0 0 29 2 */7", "UTC", utc(2089, 1, 1)), "2128-02-29T00:00:00Z");
}

TEST(NextFire, ImpossibleExpressionsNeverFire) {
  for (const char* text : {"0 0 30 2 *", "0 0 31 4 *", "0 0 31 2,4,6,9,11 *", "0 0 30,31 FEB *"}) {
    auto r = nextFireMs(cron(text), "Europe/Berlin", utc(2024, 1, 1));
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().message(), std::string("cron expression '") + text +
                                       "' never fires (no matching time in 400 years)");
  }
  // With the OR rule, Feb 30 OR Mondays does fire.
  EXPECT_EQ(next("0 0 30 2 MON", "UTC", utc(2024, 1, 1)), "2024-02-05T00:00:00Z");
}

TEST(NextFire, TimeOutOfRange) {
  EXPECT_FALSE(nextFireMs(cron("* * * * *"), "UTC", utc(1899, 12, 31)).ok());
  EXPECT_FALSE(nextFireMs(cron("* * * * *"), "UTC", INT64_MAX).ok());
  EXPECT_FALSE(nextFireMs(cron("* * * * *"), "UTC", INT64_MIN).ok());
  EXPECT_EQ(next("* * * * *", "UTC", utc(1900, 1, 1)), "1900-01-01T00:01:00Z");
}

// ---- Daylight saving time ----
// Europe/Berlin 2024: CET→CEST on 31 March at 01:00Z (02:00→03:00 local), back on 27 October at
// 01:00Z (03:00→02:00). America/New_York 2024: EST→EDT on 10 March at 07:00Z (02:00→03:00),
// back on 3 November at 06:00Z (02:00→01:00).

TEST(NextFireDst, DailyAtTwoThirtyOnSpringForwardDayRunsOnceAtThreeOClock) {
  EXPECT_EQ(fires("30 2 * * *", "Europe/Berlin", utc(2024, 3, 29, 12), 3),
            (Strings{"2024-03-30T01:30:00Z",     // 02:30 CET
                     "2024-03-31T01:00:00Z",     // 02:30 does not exist: 03:00 CEST
                     "2024-04-01T00:30:00Z"}));  // 02:30 CEST
  EXPECT_EQ(fires("30 2 * * *", "America/New_York", utc(2024, 3, 9), 3),
            (Strings{"2024-03-09T07:30:00Z",     // 02:30 EST
                     "2024-03-10T07:00:00Z",     // 03:00 EDT
                     "2024-03-11T06:30:00Z"}));  // 02:30 EDT
  // Several skipped times of one day run once, together, at the end of the gap.
  EXPECT_EQ(fires("0,30 2 * * *", "America/New_York", utc(2024, 3, 10), 3),
            (Strings{"2024-03-10T07:00:00Z", "2024-03-11T06:00:00Z", "2024-03-11T06:30:00Z"}));
  // The end of the gap is itself a due time: still one run.
  EXPECT_EQ(fires("0,30 2,3 * * *", "America/New_York", utc(2024, 3, 10), 2),
            (Strings{"2024-03-10T07:00:00Z", "2024-03-10T07:30:00Z"}));
}

TEST(NextFireDst, DailyAtARepeatedTimeRunsOnceAtTheFirstOccurrence) {
  EXPECT_EQ(fires("30 2 * * *", "Europe/Berlin", utc(2024, 10, 25, 12), 3),
            (Strings{"2024-10-26T00:30:00Z",     // 02:30 CEST
                     "2024-10-27T00:30:00Z",     // 02:30 CEST, first of two
                     "2024-10-28T01:30:00Z"}));  // 02:30 CET
  // Asked between the two occurrences, the second is not due.
  EXPECT_EQ(next("30 2 * * *", "Europe/Berlin", utc(2024, 10, 27, 0, 30)), "2024-10-28T01:30:00Z");
  // In New York, 02:30 is not repeated (01:00-02:00 is): 02:30 EST once.
  EXPECT_EQ(fires("30 2 * * *", "America/New_York", utc(2024, 11, 2), 3),
            (Strings{"2024-11-02T06:30:00Z", "2024-11-03T07:30:00Z", "2024-11-04T07:30:00Z"}));
  EXPECT_EQ(fires("30 1 * * *", "America/New_York", utc(2024, 11, 2), 3),
            (Strings{"2024-11-02T05:30:00Z",     // 01:30 EDT
                     "2024-11-03T05:30:00Z",     // 01:30 EDT, first of two
                     "2024-11-04T06:30:00Z"}));  // 01:30 EST
  EXPECT_EQ(next("30 1 * * *", "America/New_York", utc(2024, 11, 3, 5, 30)),
            "2024-11-04T06:30:00Z");
}

TEST(NextFireDst, HourlyRunsEveryRealHourAcrossSpringForward) {
  EXPECT_EQ(fires("30 * * * *", "Europe/Berlin", utc(2024, 3, 30, 22), 5),
            (Strings{"2024-03-30T22:30:00Z", "2024-03-30T23:30:00Z",
                     "2024-03-31T00:30:00Z",  // 01:30 CET
                     "2024-03-31T01:30:00Z",  // 03:30 CEST (02:30 never happened)
                     "2024-03-31T02:30:00Z"}));
  EXPECT_EQ(fires("30 * * * *", "America/New_York", utc(2024, 3, 10, 4), 5),
            (Strings{"2024-03-10T04:30:00Z", "2024-03-10T05:30:00Z",
                     "2024-03-10T06:30:00Z",  // 01:30 EST
                     "2024-03-10T07:30:00Z",  // 03:30 EDT
                     "2024-03-10T08:30:00Z"}));
  EXPECT_EQ(fires("@hourly", "America/New_York", utc(2024, 3, 10, 5, 30), 3),
            (Strings{"2024-03-10T06:00:00Z", "2024-03-10T07:00:00Z", "2024-03-10T08:00:00Z"}));
}

TEST(NextFireDst, HourlyRunsAtBothOccurrencesOfARepeatedHour) {
  EXPECT_EQ(fires("30 * * * *", "Europe/Berlin", utc(2024, 10, 26, 22), 5),
            (Strings{"2024-10-26T22:30:00Z", "2024-10-26T23:30:00Z",
                     "2024-10-27T00:30:00Z",  // 02:30 CEST
                     "2024-10-27T01:30:00Z",  // 02:30 CET
                     "2024-10-27T02:30:00Z"}));
  EXPECT_EQ(fires("30 * * * *", "America/New_York", utc(2024, 11, 3, 3), 5),
            (Strings{"2024-11-03T03:30:00Z", "2024-11-03T04:30:00Z",
                     "2024-11-03T05:30:00Z",  // 01:30 EDT
                     "2024-11-03T06:30:00Z",  // 01:30 EST
                     "2024-11-03T07:30:00Z"}));
  // Asked between the two occurrences, the second is next.
  EXPECT_EQ(next("30 * * * *", "America/New_York", utc(2024, 11, 3, 5, 30)),
            "2024-11-03T06:30:00Z");
  // A wildcard minute with a fixed hour follows the real clock too.
  EXPECT_EQ(fires("*/30 1 * * *", "America/New_York", utc(2024, 11, 3), 5),
            (Strings{"2024-11-03T05:00:00Z", "2024-11-03T05:30:00Z", "2024-11-03T06:00:00Z",
                     "2024-11-03T06:30:00Z", "2024-11-04T06:00:00Z"}));
}

TEST(NextFireDst, MidnightSkippedBySpringForward) {
  // America/Santiago springs forward at midnight: 2024-09-08 00:00 -04 becomes 01:00 -03.
  EXPECT_EQ(fires("@daily", "America/Santiago", utc(2024, 9, 7), 3),
            (Strings{"2024-09-07T04:00:00Z", "2024-09-08T04:00:00Z", "2024-09-09T03:00:00Z"}));
}

TEST(NextFireDst, AYearOfHourlyAndDailyRunsInNewYork) {
  // Every real hour, all year, DST or not.
  CronExpression hourly = cron("30 * * * *");
  int64_t t = utc(2024, 1, 1);
  for (int i = 0; i < 366 * 24; ++i) {
    auto n = nextFireMs(hourly, "America/New_York", t);
    ASSERT_TRUE(n.ok());
    if (i > 0) {
      ASSERT_EQ(*n - t, 3'600'000) << "after " << iso(t);
    }
    t = *n;
  }
  // One run per local day, 366 in the leap year.
  CronExpression daily = cron("30 2 * * *");
  t = utc(2024, 1, 1, 5);  // 00:00 EST
  int runs = 0;
  while (true) {
    auto n = nextFireMs(daily, "America/New_York", t);
    ASSERT_TRUE(n.ok());
    if (*n >= utc(2025, 1, 1, 5)) break;
    if (runs > 0) {
      ASSERT_GT(*n - t, 22 * 3'600'000) << iso(*n);
    }
    ++runs;
    t = *n;
  }
  EXPECT_EQ(runs, 366);
}

// Random strings from a fixed seed: the parser never crashes, and whatever parses has a next due
// time strictly after the input, or never fires.
TEST(CronFuzz, RandomStrings) {
  std::mt19937_64 rng(20240229);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  const std::string alphabet = "0123456789*/-,@ \tJANFEBMONSUNfriDECxyz?#";
  const std::vector<std::string> zones = {"UTC", "Europe/Berlin", "America/New_York",
                                          "Australia/Lord_Howe", "Asia/Kathmandu"};
  const std::vector<std::string> names = {"JAN", "dec", "MON", "sun", "FRI", "Sat", "FEB", "X"};
  // Mostly valid values for field f (minute, hour, day-of-month, month, day-of-week), some not.
  const int lo[] = {0, 0, 1, 1, 0};
  const int hi[] = {59, 23, 31, 12, 7};
  auto number = [&](size_t f) {
    if (pick(30) == 0) return std::to_string(pick(100));
    return std::to_string(lo[f] + static_cast<int>(pick(static_cast<size_t>(hi[f] - lo[f] + 1))));
  };
  auto name = [&](size_t f) {
    if (pick(20) == 0) return names[pick(names.size())];
    return f == 3 ? names[pick(2)] : names[2 + pick(4)];
  };
  auto element = [&](size_t f) {
    bool named = (f == 3 || f == 4) && pick(2) == 0;
    auto value = [&] { return named ? name(f) : number(f); };
    switch (pick(6)) {
      case 0:
        return std::string("*");
      case 1:
        return "*/" + std::to_string(pick(30));
      case 2:
      case 3:
        return value();
      case 4: {
        std::string a = value(), b = value();
        return pick(2) == 0 && !named ? (std::stoi(a) <= std::stoi(b) ? a + "-" + b : b + "-" + a)
                                      : a + "-" + b;
      }
      default:
        return value() + "-" + value() + "/" + std::to_string(1 + pick(10));
    }
  };
  int parsed = 0;
  int fired = 0;
  for (int i = 0; i < 10'000; ++i) {
    std::string text;
    if (i % 2 == 0) {  // raw characters, now and then any byte
      size_t len = pick(24);
      for (size_t k = 0; k < len; ++k) {
        text += pick(20) == 0 ? static_cast<char>(pick(256)) : alphabet[pick(alphabet.size())];
      }
    } else {  // cron-shaped: mostly 5 fields of list elements
      size_t fields = pick(10) == 0 ? 4 + 2 * pick(2) : 5;
      for (size_t f = 0; f < fields; ++f) {
        if (f > 0) text += ' ';
        size_t elements = 1 + pick(3);
        for (size_t e = 0; e < elements; ++e) text += (e > 0 ? "," : "") + element(f % 5);
      }
    }
    auto c = parseCron(text);
    if (!c.ok()) {
      EXPECT_FALSE(c.error().message().empty());
      continue;
    }
    ++parsed;
    const int64_t after = utc(2000, 1, 1) + static_cast<int64_t>(pick(50ull * 365 * 86'400)) * 1000;
    const std::string& zone = zones[pick(zones.size())];
    auto n = nextFireMs(*c, zone, after);
    if (n.ok()) {
      ++fired;
      EXPECT_GT(*n, after) << text << " in " << zone;
      EXPECT_EQ(*n % 60'000, 0) << text;
      // Consistency: asking again just before the answer gives the answer.
      auto again = nextFireMs(*c, zone, *n - 1);
      ASSERT_TRUE(again.ok());
      EXPECT_EQ(*again, *n) << text << " in " << zone;
    } else {
      EXPECT_NE(n.error().message().find("never fires"), std::string::npos)
          << text << ": " << n.error().message();
    }
  }
  std::printf("parsed %d fired %d\n", parsed, fired);
  EXPECT_GT(parsed, 500);
  EXPECT_GT(fired, 500);
}

}  // namespace
}  // namespace parley::scheduler
