// DeadlineLoop: a thread that acts on deadlines other threads arm, and sleeps in between.
//
// run() loops on the calling thread: it calls look(now) — which acts on what is due and returns
// the earliest deadline still to watch, or INT64_MAX for none — then sleeps until that deadline,
// indefinitely when there is none. arm(deadline) wakes it only when the deadline comes before its
// next look (one atomic load otherwise), so an idle loop has no periodic wake-ups and a busy one
// is not woken for every deadline.
//
// Contract: arm() is called after the deadline is where look() reads it, published under a lock
// that look() takes too. Then no deadline is missed: while look() runs, the next look is
// INT64_MAX, so every arm() wakes the loop to look again; an arm() that comes after its deadline
// was passed over by a look compares with the look that pass publishes, which is no later than
// the deadline itself. Deadlines are the Clock's monotonic microseconds. Thread-safety: arm() and
// stop() from any thread; run() on one.
#pragma once

#include <atomic>
#include <climits>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>

#include "base/clock.h"

namespace parley {

class DeadlineLoop {
 public:
  explicit DeadlineLoop(const Clock& clock) : clock_(clock) {}
  DeadlineLoop(const DeadlineLoop&) = delete;
  DeadlineLoop& operator=(const DeadlineLoop&) = delete;

  // Wakes the loop when `deadlineUs` comes before its next look.
  void arm(int64_t deadlineUs);
  // Looks and sleeps until stop().
  void run(const std::function<int64_t(int64_t nowUs)>& look);
  void stop();
  // When the loop looks next, as it published it (INT64_MAX while it looks); for tests.
  int64_t nextLookUs() const { return nextLookUs_.load(); }

 private:
  const Clock& clock_;
  // When the loop looks next: INT64_MAX while it looks and while it sleeps with nothing to watch.
  std::atomic<int64_t> nextLookUs_{INT64_MAX};
  std::mutex mu_;
  std::condition_variable cv_;
  bool kicked_ = false;  // Guarded by mu_
  bool stop_ = false;    // Guarded by mu_
};

}  // namespace parley
