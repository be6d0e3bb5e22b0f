// Cron expressions (SPEC §5): the classic 5-field syntax of Vixie cron, parsed into sets of
// allowed values. Pure: no clock, no time zone (schedule_time.h turns an expression into
// instants).
//
// Syntax, field by field (minute 0-59, hour 0-23, day-of-month 1-31, month 1-12 or JAN-DEC,
// day-of-week 0-7 or SUN-SAT, where 0 and 7 are both Sunday):
//   *        every value          a-b      a range (a <= b; no wrap-around)
//   */n      every n-th value     a-b/n    every n-th value of a range
//   a/n      a-<max>/n (as cronie and most other crons accept)
//   a,b,c    a list of any of the above
// Names are three letters and case-insensitive (`jan`, `Mon`); they may start or end a range
// (`MON-FRI`) but not be a step. Fields are separated by spaces or tabs. The macros @yearly
// (= @annually), @monthly, @weekly, @daily (= @midnight) and @hourly stand for a whole
// expression, case-insensitively; @reboot is refused (a schedule fires on a time, not on a start).
//
// Day matching follows Vixie cron exactly: if the day-of-month or the day-of-week field starts
// with `*` (so also `*/2`), a day must match both fields; if neither does (both restricted), a
// day matches when EITHER matches. `0 0 13 * FRI` runs on every 13th and on every Friday, while
// `0 0 */2 * FRI` runs on odd-numbered days that are Fridays.
//
// Thread-safety: every function here is pure; a CronExpression is an immutable value that may
// be shared between threads.
#pragma once

#include <bitset>
#include <string>
#include <string_view>

#include "base/result.h"

namespace parley::scheduler {

struct CronExpression {
  std::bitset<60> minutes;      // bit m: minute m
  std::bitset<24> hours;        // bit h: hour h
  std::bitset<32> daysOfMonth;  // bits 1-31 (bit 0 unused)
  std::bitset<13> months;       // bits 1-12 (bit 0 unused)
  std::bitset<7> daysOfWeek;    // bit 0 = Sunday ... bit 6 = Saturday (7 is folded into 0)
  bool dayOfMonthStar = false;  // the field started with '*' (Vixie's DOM_STAR)
  bool dayOfWeekStar = false;   // the field started with '*' (Vixie's DOW_STAR)
  // Vixie's "wildcard job": the minute or the hour field started with '*' (so also @hourly).
  // Decides the DST behaviour, see schedule_time.h.
  bool minuteOrHourStar = false;
  std::string source;  // the expression as given, trimmed

  // Whether a calendar day matches: month 1-12, dayOfMonth 1-31, dayOfWeek 0-6 (0 = Sunday).
  bool matchesDay(unsigned month, unsigned dayOfMonth, unsigned dayOfWeek) const;

  // Equality of the sets and flags (not of the source text): `@daily` == `0 0 * * *`.
  bool sameSchedule(const CronExpression& other) const;
};

// Parses an expression. Errors are kInvalidArgument and name the field and the problem:
//   "minute: 61 is out of range 0-59", "day-of-week: unknown name 'FUNDAY'",
//   "expected 5 fields, got 6", "@reboot is not supported: ...".
// Any input is safe (arbitrary bytes, any length); unprintable bytes are escaped in messages.
Result<CronExpression> parseCron(std::string_view text);

}  // namespace parley::scheduler
