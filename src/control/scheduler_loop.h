// SchedulerLoop: fires due schedules (SPEC §5). A thread calls tick(now) every `intervalMs`;
// tests call tick() directly with explicit times and no thread.
//
// Per due schedule, tick applies scheduler::decideFiring and the caller contract of
// scheduler/firing.h: on kFire it claims the due time with a compare-and-set of last_fire_ms
// (ScheduleRepository::claimFire) and invokes only if the claim won, so several loops — threads,
// processes or nodes on one database — fire each due time once; a crash after the claim loses
// that run rather than repeating it. The invocation's outcome and id are recorded when it ends.
//
// Thread-safety: tick() may be called from any thread, also concurrently with another loop.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>

#include "base/clock.h"
#include "base/loop_thread.h"
#include "store/store.h"

namespace parley::control {

class InvocationService;

struct SchedulerOptions {
  int64_t intervalMs = 1000;
  int64_t graceMs = 5 * 60'000;
  int64_t batch = 100;  // due schedules read per tick
};

class SchedulerLoop {
 public:
  // Runs the function of `schedule` with `inputJson`; calls `done(outcome, invocationId)` once
  // when it ends (outcome "" is not used: an invocation that could not start reports its error
  // code name as outcome and an empty id).
  using Done = std::function<void(std::string outcome, std::string invocationId)>;
  using Invoke =
      std::function<void(const store::ScheduleRecord& schedule, std::string inputJson, Done done)>;

  SchedulerLoop(store::Store& store, const Clock& clock, Invoke invoke,
                SchedulerOptions options = {});
  ~SchedulerLoop();  // stops the thread
  SchedulerLoop(const SchedulerLoop&) = delete;
  SchedulerLoop& operator=(const SchedulerLoop&) = delete;

  // Invoke through an InvocationService (Trigger::kSchedule). `invocations` must outlive it.
  static Invoke through(InvocationService& invocations);

  // One pass at `nowMs`; returns how many runs this call started.
  int tick(int64_t nowMs);

  void start();  // the thread: tick(clock.nowMs()) every intervalMs
  void stop();   // joins; idempotent

  // The input of a run: {"timestamp": dueMs, "headers": {...}, "payload": <payload JSON>}.
  static std::string inputFor(const store::ScheduleRecord& s, int64_t dueMs);

 private:
  store::Store& store_;
  const Clock& clock_;
  const Invoke invoke_;
  const SchedulerOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  LoopThread thread_{mu_, cv_};
};

}  // namespace parley::control
