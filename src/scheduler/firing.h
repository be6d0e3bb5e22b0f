// Whether a schedule fires now: the pure decision, with the time passed in (no clock, no
// threads, no sleeping), so that a scheduler loop, a restart and several nodes all apply the
// same rule and tests can drive it with explicit instants.
//
// The rule (SPEC §5: once per due time, never twice; a run missed while down fires once if
// within the grace period):
// - A due time T fires only if T > lastFireMs (so never twice) and nowMs - T <= grace.
// - When several due times have passed unfired (downtime, a paused loop), only the most recent
//   one can fire, and only once: the earlier ones are skipped, never run as a burst.
// - If the most recent passed due time is older than the grace period, nothing fires; the
//   schedule just moves on to its next due time.
//
// The caller's contract (what makes "never twice" hold across crashes and nodes):
// 1. Read the state, call decideFiring.
// 2. On kFire: persist lastFireMs = decision.dueMs and nextFireMs = decision.nextFireMs in one
//    transaction, conditionally on the stored lastFireMs still being the value read (compare and
//    set: of several nodes, one wins), and only then invoke the function, for due time dueMs.
//    A crash between the commit and the invocation loses that one run; it is never repeated.
// 3. On kSkipMissed or kNothing with a changed nextFireMs: persist nextFireMs (lastFireMs stays).
// 4. When a schedule is created, activated, resumed (redeploy) or its cron or time zone change,
//    set nextFireMs = nextFireMs(cron, tz, now): runs due while it was paused do not fire.
//
// Thread-safety: pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "scheduler/cron.h"

namespace parley::scheduler {

// A grace period below this is treated as this: a loop that wakes a few milliseconds (or a
// slow commit) after a due time is late, not down, and must still fire.
inline constexpr int64_t kMinGraceMs = 60'000;

struct ScheduleState {
  CronExpression cron;
  std::string timeZone;  // IANA name; "" = UTC
  bool isActive = true;
  std::optional<int64_t> lastFireMs;  // the due time of the last run started, if any
  std::optional<int64_t> nextFireMs;  // the stored next due time, if computed
};

enum class FiringAction {
  kNothing,     // not due (or inactive); persist nextFireMs if it differs from the stored one
  kFire,        // run once for dueMs (see the contract above)
  kSkipMissed,  // due times passed beyond the grace period: none runs; persist nextFireMs
};

struct FiringDecision {
  FiringAction action = FiringAction::kNothing;
  int64_t dueMs = 0;                  // kFire: the due time this run is for
  bool skippedEarlier = false;        // kFire: older unfired due times were skipped
  std::optional<int64_t> nextFireMs;  // the next due time after now; nullopt when inactive
};

// The decision at nowMs. Inactive: kNothing with nextFireMs nullopt. A stored nextFireMs at or
// before lastFireMs (a state written half-way by an older version) is recomputed, never trusted.
// With neither lastFireMs nor nextFireMs (new schedule), nothing earlier than nowMs fires.
// Errors: those of nextFireMs (unknown zone, never fires).
// Cost: a few nextFireMs calls; at most about 60 however many due times the window holds.
Result<FiringDecision> decideFiring(const ScheduleState& state, int64_t nowMs, int64_t graceMs);

// For the API: the expression parses, the zone exists ("" = UTC), and the schedule fires at
// least once. The message names the problem, as parseCron and nextFireMs do.
Status validateSchedule(std::string_view cron, const std::string& timeZone);

}  // namespace parley::scheduler
