#include "runtime/watchdog.h"

#include <algorithm>
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
  if (watchdog_) watchdog_->loop_.arm(deadlineUs);
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
    : slots_(std::move(slots)), loop_(clock) {
  for (ExecutionSlot* slot : slots_) slot->watchdog_ = this;
  thread_ = std::thread([this] { loop_.run([this](int64_t now) { return look(now); }); });
  nameThread(thread_, "parley-watchdog");
}

Watchdog::~Watchdog() {
  loop_.stop();
  thread_.join();
}

int64_t Watchdog::look(int64_t nowUs) {
  int64_t next = INT64_MAX;
  bool busy = false;
  for (ExecutionSlot* slot : slots_) {
    bool started = false;
    next = std::min(next, slot->check(nowUs, &started));
    busy = busy || started;
  }
  return busy ? std::min(next, nowUs + kLingerUs) : next;
}

}  // namespace parley::runtime
