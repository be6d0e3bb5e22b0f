// Watchdog: stops JavaScript that runs past its deadline.
//
// Each worker thread owns one ExecutionSlot. Before it enters JavaScript it records the isolate
// and the deadline of the invocation it runs for (enter), and clears them when it leaves (leave).
// The watchdog thread (a DeadlineLoop, base/deadline_loop.h) sleeps until the earliest deadline
// among the armed slots and calls TerminateExecution on an isolate whose deadline has passed.
// While runs keep starting it looks at least every kLinger (100 ms) — short runs are mostly over
// by the time it looks, and it must not be woken for each new one; once a look finds that none
// started since the last, it sleeps until one does. enter() wakes it only when the new deadline
// comes before the watchdog's next look (one atomic load otherwise), so an idle runtime has no
// periodic wake-ups and a busy one about ten a second. The slot's mutex makes sure the
// termination can only hit the run it was meant for: leave() reports it and the worker cancels
// it before the isolate is reused.
//
// Deadlines are in the Clock's monotonic microseconds. A slot is attached to at most one Watchdog
// (by its constructor, before any enter()); a slot without one is never stopped.
#pragma once

#include <v8.h>

#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "base/deadline_loop.h"

namespace parley::runtime {

class Watchdog;

class ExecutionSlot {
 public:
  void enter(v8::Isolate* isolate, int64_t deadlineUs);
  // Returns true when the watchdog terminated this run.
  bool leave();

 private:
  friend class Watchdog;
  // Called by the watchdog: terminates the run if its deadline passed. Returns the deadline it
  // still has to watch for, or INT64_MAX (no run, or already terminated); *started: whether a
  // run started since the last check.
  int64_t check(int64_t nowUs, bool* started);

  Watchdog* watchdog_ = nullptr;  // set before the slot is used; immutable after
  uint64_t checkedRuns_ = 0;      // runs_ at the last check; the watchdog's thread only
  std::mutex mu_;
  uint64_t runs_ = 0;               // Guarded by mu_
  v8::Isolate* isolate_ = nullptr;  // Guarded by mu_
  int64_t deadlineUs_ = 0;          // Guarded by mu_
  bool terminated_ = false;         // Guarded by mu_
};

class Watchdog {
 public:
  Watchdog(const Clock& clock, std::vector<ExecutionSlot*> slots);
  ~Watchdog();  // stops and joins the thread
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

 private:
  friend class ExecutionSlot;
  // One look at the slots (DeadlineLoop): terminates what is past its deadline; returns when to
  // look next.
  int64_t look(int64_t nowUs);

  static constexpr int64_t kLingerUs = 100'000;

  const std::vector<ExecutionSlot*> slots_;  // Immutable after construction
  DeadlineLoop loop_;  // ExecutionSlot::enter arms it with the run's deadline
  std::thread thread_;
};

}  // namespace parley::runtime
