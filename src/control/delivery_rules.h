// Pure rules of event delivery: retry backoff and the validation of automatic-message results.
// Thread-safe (no state).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/result.h"

namespace parley::control {

struct RetryPolicy {
  int64_t maxAttempts = 5;  // deliveries tried in all, the first included
  int64_t baseMs = 1000;
  int64_t capMs = 5 * 60'000;
};

// Exponential backoff with full jitter: a delay uniformly drawn from
// [0, min(cap, base * 2^(attempt-1))] for the retry after failed attempt `attempt` (1-based).
// `random` is a uniformly random 64-bit value (injected so tests are deterministic); 0 maps to
// 0 and UINT64_MAX to the ceiling.
int64_t backoffDelayMs(const RetryPolicy& p, int64_t attempt, uint64_t random);

// How long the delivery loop or the webhook sender sleeps at `nowMs` when the store gave `next`
// as its next due time (nullopt: nothing waits for a time): until then, or until `orAtMs` when
// that comes first, at least 1 ms and at most `maxSleepMs`. When the store failed: 100 ms, to
// look again soon without spinning.
int64_t sleepBeforeNextMs(const Result<std::optional<int64_t>>& next, int64_t nowMs,
                          int64_t orAtMs, int64_t maxSleepMs);
// The upper bound of that draw.
int64_t backoffCeilingMs(const RetryPolicy& p, int64_t attempt);

// The result of a function bound to an automatic-message event (fact sheet §3.3): null (the
// account's default message), a command object, or an array of them. A command is
// {type: "systemMessage", text: string} | {type: "transfer", skillId and/or agentId: string or
// number} | {type: "closeConversation"}. kInvalidArgument says which element is wrong and why.
Status validateCommands(const std::string& resultJson);

// Whether results of this event category are command arrays.
bool isAutomaticMessageCategory(const std::string& category);

}  // namespace parley::control
