// SparePool: spare sandboxes (an isolate with its context and the runtime's globals, see
// Instance::createSpare) for one worker, built ahead of time on a thread of their own at the
// lowest CPU priority the kernel has (SCHED_IDLE).
//
// Why not on the worker's thread: a build costs 1–3 ms of CPU. Built there, an invocation that
// arrived meanwhile waited for it: typically the first invocation right after a deploy, whose
// validation had just used the spare. Why SCHED_IDLE: Linux's scheduler (EEVDF, 6.6 and later)
// lets a running thread finish its slice before a thread it wakes gets the CPU, so a build at
// normal priority held up every thread on its CPU, the server's request threads included (a
// deploy's answer waited 1.3–1.5 ms behind one). At idle priority that delay shrank but stayed
// (≈ 1 ms measured: under EEVDF an idle-policy thread is not always preempted at once), so a
// build also waits for a lull: `settle` (5 ms by default) after the owner's last activity
// (noteActivity(), and every take()). Right after a deploy used the spare, the deploy's answer
// and the first invocations go out first; the next spare is built in the quiet that follows.
// When cold starts come faster than lulls, having a spare soon matters more: after a take() that
// found no spare, or one that came sooner after the previous take than `settle` plus the last
// build's CPU time, the next build starts at once (still at idle priority). Measured: cold starts
// 3 ms apart found a spare half the time with the lull alone (1.07 ms p50), every time with this
// (122 µs).
//
// take(memoryBytes), on the worker thread:
//   - a ready spare built with that memory limit, if there is one;
//   - else, if the builder is building one with that limit, the builder is raised to normal
//     priority for the rest of that build (and only that build: it is back at idle priority
//     before the spare is handed over) and awaited (part of the work is done);
//   - else nullptr: the caller builds one itself (Instance::createSpare). A build in progress
//     (of another memory limit) is raised to normal priority all the same: isolate creation
//     takes V8-wide locks, and the caller's build must not wait on a starved idle thread.
// After take(), the builder starts the next spare. An instance taken here was built on another
// thread: call Instance::adoptThread() on the thread that will run it, before running it.
//
// `target` is how many spares to keep ready (0: no builder thread; take() returns nullptr). A
// build that fails (nullptr from the factory) is retried after a second.
//
// Thread-safety: take() may be called from any thread, typically the owning worker's. stop()
// joins the builder (raised to normal priority so that shutdown does not wait on idle time) and
// discards the ready spares on the calling thread; the destructor calls it.
#pragma once

#include <pthread.h>
#include <sched.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace parley::runtime {

class Instance;

class SparePool {
 public:
  // Builds one spare with the given memory limit; nullptr on failure. Runs on the builder thread.
  using Factory = std::function<std::unique_ptr<Instance>(int64_t memoryBytes)>;

  SparePool(Factory factory, int target, int64_t memoryBytes,
            std::chrono::microseconds settle = std::chrono::milliseconds(5));
  ~SparePool();
  SparePool(const SparePool&) = delete;
  SparePool& operator=(const SparePool&) = delete;

  std::unique_ptr<Instance> take(int64_t memoryBytes);
  void stop();
  // The owner did something (ran a task): builds wait for `settle` after the last one. Cheap
  // (one relaxed atomic store); thread-safe.
  void noteActivity();

  // For tests: spares ready now, and whether the builder runs at idle priority at this moment.
  size_t readyCount() const;
  bool builderIsIdlePriority() const;

 private:
  void run();
  // Sets the builder thread's scheduling policy. Called with mu_ held, so that the builder
  // lowering itself and take() raising it cannot interleave.
  void setBuilderPolicy(int policy);

  const Factory factory_;
  const int target_;
  const int64_t memoryBytes_;
  const int64_t settleUs_;
  std::atomic<int64_t> lastActivityUs_{0};  // steady clock, microseconds

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Instance>> ready_;  // Guarded by mu_
  bool building_ = false;                         // Guarded by mu_
  bool urgent_ = false;  // a take() waits on this build. Guarded by mu_
  bool stop_ = false;    // Guarded by mu_
  bool missed_ = false;  // a take() found no spare: build without waiting for a lull. Guarded by mu_
  int64_t lastTakeUs_ = 0;           // steady clock. Guarded by mu_
  int64_t takeGapUs_ = INT64_MAX;    // between the last two takes. Guarded by mu_
  int64_t lastBuildUs_ = 0;          // CPU time of the last build. Guarded by mu_
  int policy_ = SCHED_OTHER;  // the builder's current policy. Guarded by mu_
  pthread_t builder_{};       // set by the builder when it starts. Guarded by mu_
  bool builderKnown_ = false;  // Guarded by mu_

  std::thread thread_;  // last: starts after everything above is initialised
};

}  // namespace parley::runtime
