// When a cron expression is due: the next due instant after a given one, evaluated in an IANA
// time zone with the operating system's tz database (/usr/share/zoneinfo, read by
// howard-hinnant date built with USE_OS_TZDB, as Debian ships it).
//
// The set of due instants of an expression in a zone is fixed (it does not depend on when one
// asks), and nextFireMs returns its first element strictly after `afterMs`. Every due instant is
// a whole minute.
//
// Daylight saving time (the rule of Vixie/ISC cron, cron(8) "special considerations"), which
// depends on the kind of job:
// - A fixed-time job (neither the minute nor the hour field starts with '*', e.g. `30 2 * * *`,
//   `@daily`) runs once per matching local wall-clock time:
//   * a time that does not exist (skipped by a spring-forward) runs at the first valid instant
//     after the gap, i.e. at the transition: 02:30 on Europe/Berlin's spring-forward day runs
//     at 03:00 CEST (01:00Z); several skipped times run once together there;
//   * a time that occurs twice (repeated by a fall-back) runs at its first occurrence only:
//     02:30 on Berlin's fall-back day runs at 02:30 CEST (00:30Z), not again at 02:30 CET.
// - A wildcard job (the minute or the hour field starts with '*', e.g. `30 * * * *`,
//   `*/15 * * * *`, `@hourly`) follows the real clock: a skipped local time never happens, so it
//   does not run, and a repeated local time runs at both of its instants. `30 * * * *` in
//   America/New_York thus runs at 01:30 EST and 03:30 EDT on the spring-forward day, and at
//   01:30 EDT and 01:30 EST on the fall-back day: once every real hour, as a user expects of an
//   hourly job.
//
// Limits: the system's tz files list transitions up to 2037; after the last listed transition
// the library keeps the last offset (so no DST after 2037 until the tz files say otherwise).
// Times are accepted between years 1900 and 9999.
//
// Thread-safety: all functions are pure and thread-safe (the tz database is loaded once, lazily,
// under the library's own synchronisation).
#pragma once

#include <cstdint>
#include <string>

#include "base/result.h"
#include "scheduler/cron.h"

namespace parley::scheduler {

// The time zone used when a schedule names none.
inline constexpr const char* kDefaultTimeZone = "UTC";

// How far nextFireMs looks before concluding that an expression never fires: a full 400-year
// Gregorian cycle, after which the calendar repeats, so the answer is exact (`0 0 29 2 *` can be
// 8 years apart, a Sunday Feb 29 up to 40).
inline constexpr int kSearchHorizonYears = 400;

// OK if `timeZone` is "" (= UTC) or an IANA name the tz database knows ("UTC", "Etc/UTC",
// "Europe/Berlin"; names are case-sensitive). Else kInvalidArgument naming the zone.
Status validateTimeZone(const std::string& timeZone);

// The first due instant (epoch milliseconds, UTC) strictly after `afterMs`.
// Errors (kInvalidArgument): unknown time zone ("unknown time zone 'Mars/Base'"); afterMs
// outside the years 1900-9999; an expression that never fires ("... never fires ...", e.g.
// `0 0 30 2 *`), found after at most kSearchHorizonYears of calendar days.
// Cost: O(days until the next matching day); on the few days near a DST transition, up to one
// tz lookup per matching minute of the day.
Result<int64_t> nextFireMs(const CronExpression& cron, const std::string& timeZone,
                           int64_t afterMs);

}  // namespace parley::scheduler
