// Watchdog: stops JavaScript that runs past its deadline.
//
// Each worker thread owns one ExecutionSlot. Before it enters JavaScript it records the isolate
// and the deadline of the invocation it runs for (enter), and clears them when it leaves (leave).
// The watchdog thread polls the slots every few milliseconds and calls TerminateExecution on an
// isolate whose deadline has passed. The slot's mutex makes sure the termination can only hit the
// run it was meant for: leave() reports it and the worker cancels it before the isolate is reused.
#pragma once

#include <v8.h>

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "base/clock.h"

namespace parley::runtime {

class ExecutionSlot {
 public:
  void enter(v8::Isolate* isolate, int64_t deadlineUs);
  // Returns true when the watchdog terminated this run.
  bool leave();
  // Called by the watchdog: terminates the run if its deadline passed.
  void check(int64_t nowUs);

 private:
  std::mutex mu_;
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
  void run();

  const Clock& clock_;
  const std::vector<ExecutionSlot*> slots_;  // Immutable after construction
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // Guarded by mu_
  std::thread thread_;
};

}  // namespace parley::runtime
