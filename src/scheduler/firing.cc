#include "scheduler/firing.h"

#include <algorithm>

#include "scheduler/schedule_time.h"

namespace parley::scheduler {
namespace {

// Larger grace periods are clamped: no schedule needs to catch up on a run older than this, and
// it keeps the arithmetic far from overflow.
constexpr int64_t kMaxGraceMs = int64_t{366} * 24 * 3'600'000;
constexpr int kForwardSteps = 16;

}  // namespace

Result<FiringDecision> decideFiring(const ScheduleState& state, int64_t nowMs, int64_t graceMs) {
  FiringDecision decision;
  if (!state.isActive) return decision;
  const int64_t grace = std::clamp(graceMs, kMinGraceMs, kMaxGraceMs);

  // The first due time not fired yet. A stored value at or before the last fire is stale.
  std::optional<int64_t> first = state.nextFireMs;
  if (state.lastFireMs && (!first || *first <= *state.lastFireMs)) {
    auto next = nextFireMs(state.cron, state.timeZone, *state.lastFireMs);
    if (!next) return std::move(next).takeError();
    first = *next;
  }
  if (!first) {  // new schedule: nothing before now fires
    auto next = nextFireMs(state.cron, state.timeZone, nowMs);
    if (!next) return std::move(next).takeError();
    first = *next;
  }
  if (*first > nowMs) {
    decision.nextFireMs = first;
    return decision;
  }

  // Due times in [first, now] are unfired. Only those within the grace period may fire, and of
  // them only the most recent.
  const int64_t windowStart = std::max(*first, nowMs - grace);
  auto due = nextFireMs(state.cron, state.timeZone, windowStart - 1);
  if (!due) return std::move(due).takeError();
  if (*due > nowMs) {
    decision.action = FiringAction::kSkipMissed;
    auto next = nextFireMs(state.cron, state.timeZone, nowMs);
    if (!next) return std::move(next).takeError();
    decision.nextFireMs = *next;
    return decision;
  }
  // The latest due time <= now: step forward (usually one or two steps), and if the window
  // holds many due times (a long grace, a frequent job), bisect instead.
  int64_t latest = *due;
  for (int steps = 0; steps < kForwardSteps; ++steps) {
    auto next = nextFireMs(state.cron, state.timeZone, latest);
    if (!next) return std::move(next).takeError();
    if (*next > nowMs) {
      decision.nextFireMs = *next;
      break;
    }
    latest = *next;
  }
  if (!decision.nextFireMs) {
    int64_t hi = nowMs;  // no due time in (hi, now]; latest is a due time
    while (latest < hi) {
      const int64_t mid = latest + (hi - latest + 1) / 2;
      auto atOrAfterMid = nextFireMs(state.cron, state.timeZone, mid - 1);
      if (!atOrAfterMid) return std::move(atOrAfterMid).takeError();
      if (*atOrAfterMid <= nowMs) {
        latest = *atOrAfterMid;
      } else {
        hi = mid - 1;
      }
    }
    auto next = nextFireMs(state.cron, state.timeZone, latest);
    if (!next) return std::move(next).takeError();
    decision.nextFireMs = *next;
  }
  decision.action = FiringAction::kFire;
  decision.dueMs = latest;
  decision.skippedEarlier = *first < latest;
  return decision;
}

Status validateSchedule(std::string_view cron, const std::string& timeZone) {
  auto parsed = parseCron(cron);
  if (!parsed) return std::move(parsed).takeError();
  if (auto zone = validateTimeZone(timeZone); !zone) return zone;
  // Any start will do: the search covers a whole calendar cycle.
  constexpr int64_t k2000 = 946'684'800'000;
  auto next = nextFireMs(*parsed, timeZone, k2000);
  if (!next) return std::move(next).takeError();
  return okStatus();
}

}  // namespace parley::scheduler
