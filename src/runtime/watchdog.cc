#include "runtime/watchdog.h"

#include <chrono>

#include "base/threads.h"

namespace parley::runtime {

void ExecutionSlot::enter(v8::Isolate* isolate, int64_t deadlineUs) {
  std::lock_guard lock(mu_);
  isolate_ = isolate;
  deadlineUs_ = deadlineUs;
  terminated_ = false;
}

bool ExecutionSlot::leave() {
  std::lock_guard lock(mu_);
  isolate_ = nullptr;
  bool t = terminated_;
  terminated_ = false;
  return t;
}

void ExecutionSlot::check(int64_t nowUs) {
  std::lock_guard lock(mu_);
  if (isolate_ && !terminated_ && nowUs >= deadlineUs_) {
    isolate_->TerminateExecution();
    terminated_ = true;
  }
}

Watchdog::Watchdog(const Clock& clock, std::vector<ExecutionSlot*> slots)
    : clock_(clock), slots_(std::move(slots)), thread_([this] { run(); }) {
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

void Watchdog::run() {
  // A few milliseconds of granularity is plenty for limits measured in seconds, and costs
  // nothing measurable; it also stops a runaway loop within that time.
  constexpr auto kPeriod = std::chrono::milliseconds(2);
  std::unique_lock lock(mu_);
  while (!stop_) {
    cv_.wait_for(lock, kPeriod);
    int64_t now = clock_.monotonicUs();
    for (ExecutionSlot* slot : slots_) slot->check(now);
  }
}

}  // namespace parley::runtime
