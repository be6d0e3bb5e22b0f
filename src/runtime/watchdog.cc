#include "runtime/watchdog.h"

#include <algorithm>
#include <chrono>
#include <climits>

#include "base/threads.h"

namespace parley::runtime {

void ExecutionSlot::enter(v8::Isolate* isolate, int64_t deadlineUs) {
  {
    std::lock_guard lock(mu_);
    isolate_ = isolate;
    deadlineUs_ = deadlineUs;
    terminated_ = false;
    ++runs_;
  }
  if (watchdog_) watchdog_->armed(deadlineUs);
}

bool ExecutionSlot::leave() {
  std::lock_guard lock(mu_);
  isolate_ = nullptr;
  bool t = terminated_;
  terminated_ = false;
  return t;
}

int64_t ExecutionSlot::check(int64_t nowUs, bool* started) {
  std::lock_guard lock(mu_);
  *started = runs_ != checkedRuns_;
  checkedRuns_ = runs_;
  if (!isolate_ || terminated_) return INT64_MAX;
  if (nowUs < deadlineUs_) return deadlineUs_;
  isolate_->TerminateExecution();
  terminated_ = true;
  return INT64_MAX;
}

Watchdog::Watchdog(const Clock& clock, std::vector<ExecutionSlot*> slots)
    : clock_(clock), slots_(std::move(slots)) {
  for (ExecutionSlot* slot : slots_) slot->watchdog_ = this;
  thread_ = std::thread([this] { run(); });
  nameThread(thread_, "parley-watchdog");
}

Watchdog::~Watchdog() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void Watchdog::armed(int64_t deadlineUs) {
  // Not missed: if the thread read this slot before it was armed, it published its next look
  // after that read, and this load comes after the slot's lock, so it sees INT64_MIN or that
  // look. A kick while the thread looks waits for mu_, and the look is repeated.
  if (deadlineUs >= nextLookUs_.load(std::memory_order_seq_cst)) return;
  {
    std::lock_guard lock(mu_);
    kicked_ = true;
  }
  cv_.notify_one();
}

void Watchdog::run() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    nextLookUs_.store(INT64_MIN, std::memory_order_seq_cst);
    kicked_ = false;
    int64_t now = clock_.monotonicUs();
    int64_t next = INT64_MAX;
    bool busy = false;
    for (ExecutionSlot* slot : slots_) {
      bool started = false;
      next = std::min(next, slot->check(now, &started));
      busy = busy || started;
    }
    if (busy) next = std::min(next, now + kLingerUs);
    nextLookUs_.store(next, std::memory_order_seq_cst);
    auto woken = [this] { return stop_ || kicked_; };
    if (next == INT64_MAX) {
      cv_.wait(lock, woken);
    } else {
      cv_.wait_for(lock, std::chrono::microseconds(next - now), woken);
    }
  }
}

}  // namespace parley::runtime
