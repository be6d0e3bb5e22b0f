#include "scheduler/firing.h"

#include <date/date.h>
#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "base/clock.h"
#include "scheduler/schedule_time.h"

namespace parley::scheduler {
namespace {

constexpr int64_t kMinute = 60'000;
constexpr int64_t kHour = 60 * kMinute;

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

ScheduleState state(std::string_view text, std::optional<int64_t> last, std::optional<int64_t> next,
                    std::string tz = "UTC") {
  auto parsed = parseCron(text);
  EXPECT_TRUE(parsed.ok()) << text;
  ScheduleState s;
  if (parsed.ok()) s.cron = parsed.value();
  s.timeZone = std::move(tz);
  s.lastFireMs = last;
  s.nextFireMs = next;
  return s;
}

FiringDecision decide(const ScheduleState& s, int64_t now, int64_t grace = 15 * kMinute) {
  auto d = decideFiring(s, now, grace);
  EXPECT_TRUE(d.ok()) << (d.ok() ? "" : d.error().message());
  return d.ok() ? d.value() : FiringDecision{};
}

// What the caller persists (firing.h's contract).
void apply(ScheduleState& s, const FiringDecision& d) {
  if (d.action == FiringAction::kFire) s.lastFireMs = d.dueMs;
  s.nextFireMs = d.nextFireMs;
}

const int64_t kNoon = utc(2024, 6, 1, 12);

TEST(Firing, DueNowFires) {
  auto s = state("0 * * * *", kNoon - kHour, kNoon);
  for (int64_t now : {kNoon, kNoon + 50, kNoon + 30'000}) {
    FiringDecision d = decide(s, now);
    EXPECT_EQ(d.action, FiringAction::kFire);
    EXPECT_EQ(iso(d.dueMs), "2024-06-01T12:00:00Z");
    EXPECT_FALSE(d.skippedEarlier);
    ASSERT_TRUE(d.nextFireMs);
    EXPECT_EQ(iso(*d.nextFireMs), "2024-06-01T13:00:00Z");
  }
}

TEST(Firing, NotYetDue) {
  auto s = state("0 * * * *", kNoon - kHour, kNoon);
  FiringDecision d = decide(s, kNoon - 1);
  EXPECT_EQ(d.action, FiringAction::kNothing);
  EXPECT_EQ(d.nextFireMs, kNoon);
}

TEST(Firing, OnceThenNothingForTheSameDueTime) {
  auto s = state("0 * * * *", kNoon - kHour, kNoon);
  FiringDecision first = decide(s, kNoon + 10);
  ASSERT_EQ(first.action, FiringAction::kFire);
  apply(s, first);
  for (int64_t now : {kNoon + 10, kNoon + 20, kNoon + 59 * kMinute}) {
    EXPECT_EQ(decide(s, now).action, FiringAction::kNothing);
  }
}

TEST(Firing, MissedWithinGraceFiresOnce) {
  auto s = state("0 * * * *", kNoon - kHour, kNoon);
  FiringDecision d = decide(s, kNoon + 10 * kMinute, 15 * kMinute);
  EXPECT_EQ(d.action, FiringAction::kFire);
  EXPECT_EQ(d.dueMs, kNoon);
  EXPECT_EQ(d.nextFireMs, kNoon + kHour);
  apply(s, d);
  EXPECT_EQ(decide(s, kNoon + 11 * kMinute).action, FiringAction::kNothing);
}

TEST(Firing, MissedBeyondGraceSkips) {
  auto s = state("0 * * * *", kNoon - kHour, kNoon);
  FiringDecision d = decide(s, kNoon + 20 * kMinute, 15 * kMinute);
  EXPECT_EQ(d.action, FiringAction::kSkipMissed);
  EXPECT_EQ(d.nextFireMs, kNoon + kHour);
  apply(s, d);
  EXPECT_EQ(s.lastFireMs, kNoon - kHour);
  EXPECT_EQ(decide(s, kNoon + 21 * kMinute).action, FiringAction::kNothing);
  // The next one fires normally.
  EXPECT_EQ(decide(s, kNoon + kHour).action, FiringAction::kFire);
}

TEST(Firing, ManyMissedRunsFireAtMostOnce) {
  // Every 5 minutes, down from 08:02 to 12:07: 49 due times passed; only 12:05 fires.
  auto s = state("*/5 * * * *", utc(2024, 6, 1, 8), utc(2024, 6, 1, 8, 5));
  const int64_t now = utc(2024, 6, 1, 12, 7);
  FiringDecision d = decide(s, now, 10 * kMinute);
  EXPECT_EQ(d.action, FiringAction::kFire);
  EXPECT_EQ(iso(d.dueMs), "2024-06-01T12:05:00Z");
  EXPECT_TRUE(d.skippedEarlier);
  EXPECT_EQ(iso(*d.nextFireMs), "2024-06-01T12:10:00Z");
  apply(s, d);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(decide(s, now + i).action, FiringAction::kNothing);
}

TEST(Firing, ManyDueTimesInsideALongGrace) {
  // Every minute, down for two years, grace clamped to a year: one run, for the latest minute.
  const int64_t now = utc(2026, 6, 1, 12, 30, 30) + 500;
  for (int64_t grace : {30 * kMinute, 24 * kHour, INT64_MAX}) {
    auto s = state("* * * * *", utc(2024, 6, 1), utc(2024, 6, 1, 0, 1));
    FiringDecision d = decide(s, now, grace);
    EXPECT_EQ(d.action, FiringAction::kFire);
    EXPECT_EQ(iso(d.dueMs), "2026-06-01T12:30:00Z");
    EXPECT_TRUE(d.skippedEarlier);
    EXPECT_EQ(iso(*d.nextFireMs), "2026-06-01T12:31:00Z");
  }
  // The same across a DST change, with a wildcard job in New York: 01:30 EST, not 01:30 EDT.
  auto s = state("30 * * * *", utc(2024, 11, 1), utc(2024, 11, 1, 0, 30), "America/New_York");
  FiringDecision d = decide(s, utc(2024, 11, 3, 6, 45), 7 * 24 * kHour);
  EXPECT_EQ(iso(d.dueMs), "2024-11-03T06:30:00Z");
  EXPECT_EQ(iso(*d.nextFireMs), "2024-11-03T07:30:00Z");
}

TEST(Firing, DailyJobAfterDowntime) {
  // Down from 1 May to 1 June 09:30; 09:00 is within the hour of grace: one run, for that day.
  auto s = state("0 9 * * *", utc(2024, 5, 1, 9), utc(2024, 5, 2, 9));
  FiringDecision d = decide(s, utc(2024, 6, 1, 9, 30), kHour);
  EXPECT_EQ(d.action, FiringAction::kFire);
  EXPECT_EQ(iso(d.dueMs), "2024-06-01T09:00:00Z");
  EXPECT_TRUE(d.skippedEarlier);
  // Back at noon instead: out of grace, nothing runs until tomorrow.
  d = decide(s, kNoon, kHour);
  EXPECT_EQ(d.action, FiringAction::kSkipMissed);
  EXPECT_EQ(iso(*d.nextFireMs), "2024-06-02T09:00:00Z");
}

TEST(Firing, InactiveDoesNothing) {
  auto s = state("* * * * *", kNoon - kHour, kNoon - 30 * kMinute);
  s.isActive = false;
  FiringDecision d = decide(s, kNoon);
  EXPECT_EQ(d.action, FiringAction::kNothing);
  EXPECT_FALSE(d.nextFireMs);
}

TEST(Firing, NewScheduleStartsAfterNow) {
  auto s = state("0 * * * *", std::nullopt, std::nullopt);
  FiringDecision d = decide(s, kNoon);  // exactly on a due time: that one is not run
  EXPECT_EQ(d.action, FiringAction::kNothing);
  EXPECT_EQ(d.nextFireMs, kNoon + kHour);
}

TEST(Firing, StaleNextFireIsNotTrusted) {
  // nextFire at or before lastFire (written half-way): recomputed from lastFire, no second run.
  auto s = state("0 * * * *", kNoon, kNoon);
  FiringDecision d = decide(s, kNoon + 30'000);
  EXPECT_EQ(d.action, FiringAction::kNothing);
  EXPECT_EQ(d.nextFireMs, kNoon + kHour);
  // No nextFire stored but a lastFire: the next due time after it is due.
  s = state("0 * * * *", kNoon - kHour, std::nullopt);
  d = decide(s, kNoon + 30'000);
  EXPECT_EQ(d.action, FiringAction::kFire);
  EXPECT_EQ(d.dueMs, kNoon);
}

TEST(Firing, ClockGoingBackwardsNeverRefires) {
  auto s = state("0 * * * *", kNoon, kNoon + kHour);
  EXPECT_EQ(decide(s, kNoon - 5 * kMinute).action, FiringAction::kNothing);
  EXPECT_EQ(decide(s, kNoon).action, FiringAction::kNothing);
}

TEST(Firing, GraceBelowAMinuteIsAMinute) {
  auto s = state("0 * * * *", kNoon - kHour, kNoon);
  EXPECT_EQ(decide(s, kNoon + 500, 0).action, FiringAction::kFire);
  EXPECT_EQ(decide(s, kNoon + kMinute, 0).action, FiringAction::kFire);
  EXPECT_EQ(decide(s, kNoon + kMinute + 1, 0).action, FiringAction::kSkipMissed);
}

TEST(Firing, Errors) {
  auto s = state("0 * * * *", std::nullopt, std::nullopt, "Mars/Base");
  auto d = decideFiring(s, kNoon, kMinute);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code(), ErrorCode::kInvalidArgument);
  s = state("0 0 30 2 *", std::nullopt, std::nullopt);
  d = decideFiring(s, kNoon, kMinute);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().message().find("never fires"), std::string::npos);
}

// A scheduler loop driven by a fake clock: irregular ticks, one long outage. Every due time
// fires at most once, late by at most the grace; every due time while the loop runs fires.
TEST(Firing, LoopWithFakeClock) {
  const int64_t grace = 2 * kMinute;
  FakeClock clock(utc(2024, 3, 9));
  auto s = state("*/10 * * * *", std::nullopt, std::nullopt, "America/New_York");
  std::mt19937 rng(7);
  std::vector<int64_t> fired;
  const int64_t outageStart = utc(2024, 3, 10, 5);
  const int64_t outageEnd = utc(2024, 3, 10, 9, 1);
  while (clock.nowMs() < utc(2024, 3, 11)) {
    FiringDecision d = decide(s, clock.nowMs(), grace);
    if (d.action == FiringAction::kFire) {
      EXPECT_TRUE(fired.empty() || d.dueMs > fired.back());
      EXPECT_LE(clock.nowMs() - d.dueMs, grace);
      fired.push_back(d.dueMs);
    }
    apply(s, d);
    clock.advanceMs(1'000 + static_cast<int64_t>(rng() % 50'000));
    if (clock.nowMs() >= outageStart && clock.nowMs() < outageEnd) clock.setNowMs(outageEnd);
  }
  std::set<int64_t> unique(fired.begin(), fired.end());
  EXPECT_EQ(unique.size(), fired.size());
  // Outside the outage every 10-minute mark fired; of the outage only 09:00Z, within grace.
  std::vector<int64_t> expected;
  for (int64_t t = utc(2024, 3, 9, 0, 10); t < utc(2024, 3, 11); t += 10 * kMinute) {
    if (t < outageStart || t == utc(2024, 3, 10, 9) || t > outageEnd) expected.push_back(t);
  }
  EXPECT_EQ(fired, expected);
}

// A daily 02:30 job in Berlin, ticked every 20 s through both DST changes: one run a day.
TEST(Firing, DailyJobAcrossDstTicks) {
  for (auto [from, expected] : std::vector<std::pair<int64_t, std::vector<std::string>>>{
           {utc(2024, 3, 29, 12),
            {"2024-03-30T01:30:00Z", "2024-03-31T01:00:00Z", "2024-04-01T00:30:00Z"}},
           {utc(2024, 10, 25, 12),
            {"2024-10-26T00:30:00Z", "2024-10-27T00:30:00Z", "2024-10-28T01:30:00Z"}},
       }) {
    auto s = state("30 2 * * *", std::nullopt, std::nullopt, "Europe/Berlin");
    std::vector<std::string> fired;
    for (int64_t now = from; now < from + 3 * 24 * kHour; now += 20'000) {
      FiringDecision d = decide(s, now, kMinute);
      if (d.action == FiringAction::kFire) fired.push_back(iso(d.dueMs));
      EXPECT_NE(d.action, FiringAction::kSkipMissed) << iso(now);
      apply(s, d);
    }
    EXPECT_EQ(fired, expected);
  }
}

TEST(ValidateSchedule, ChecksCronZoneAndThatItFires) {
  EXPECT_TRUE(validateSchedule("0 9 * * MON-FRI", "Europe/Berlin").ok());
  EXPECT_TRUE(validateSchedule("@hourly", "").ok());
  EXPECT_TRUE(validateSchedule("0 0 29 2 *", "UTC").ok());
  auto bad = validateSchedule("61 * * * *", "UTC");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(), "minute: 61 is out of range 0-59");
  bad = validateSchedule("0 9 * * *", "Europe/Atlantis");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(),
            "unknown time zone 'Europe/Atlantis' (expected an IANA name such as "
            "'Europe/Berlin' or 'UTC')");
  bad = validateSchedule("0 0 30 2 *", "UTC");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(),
            "cron expression '0 0 30 2 *' never fires (no matching time in 400 years)");
  EXPECT_EQ(validateSchedule("@reboot", "UTC").error().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace parley::scheduler
