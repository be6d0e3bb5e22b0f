// LoopThread: the start/stop/wake protocol of a background loop (the scheduler, event ingestion
// and delivery, the webhook sender): one thread, and a stop flag and a wake flag guarded by the
// owner's mutex, whose condition variable the loop waits on.
//
// - start(name, body): runs `body` on a new thread named `name` (base/threads.h) unless one is
//   running; stopping() is false from then on. Takes mu.
// - stop(): sets stopping() under mu, wakes every waiter on cv, joins. Idempotent; mu must not be
//   held. After stop(), start() may run the loop again.
// - wake(): sets woken() under mu and wakes the waiters; the loop clears it with clearWoken().
// - stopping(), woken(), clearWoken(): call with mu held (from the loop, or the owner).
// Before the first start(), stopping() is true: nothing runs, so nothing may be accepted.
// Thread-safety: as stated per method. The owner stops it before its own state goes away.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace parley {

class LoopThread {
 public:
  LoopThread(std::mutex& mu, std::condition_variable& cv) : mu_(mu), cv_(cv) {}
  ~LoopThread() { stop(); }
  LoopThread(const LoopThread&) = delete;
  LoopThread& operator=(const LoopThread&) = delete;

  void start(std::string name, std::function<void()> body);
  void stop();
  void wake();

  bool stopping() const { return stopping_; }
  bool woken() const { return woken_; }
  void clearWoken() { woken_ = false; }

 private:
  std::mutex& mu_;
  std::condition_variable& cv_;
  bool stopping_ = true;  // Guarded by mu_
  bool woken_ = false;    // Guarded by mu_
  std::thread thread_;    // Guarded by mu_
};

}  // namespace parley
