#include "base/deadline_loop.h"

#include <algorithm>
#include <chrono>

namespace parley {

void DeadlineLoop::arm(int64_t deadlineUs) {
  if (deadlineUs >= nextLookUs_.load()) return;
  {
    std::lock_guard lock(mu_);
    kicked_ = true;
  }
  cv_.notify_one();
}

void DeadlineLoop::run(const std::function<int64_t(int64_t)>& look) {
  std::unique_lock lock(mu_);
  while (!stop_) {
    kicked_ = false;
    nextLookUs_.store(INT64_MAX);
    lock.unlock();
    const int64_t next = look(clock_.monotonicUs());
    lock.lock();
    nextLookUs_.store(next);
    auto woken = [this] { return stop_ || kicked_; };
    if (next == INT64_MAX) {
      cv_.wait(lock, woken);
    } else {
      const int64_t waitUs = std::max<int64_t>(0, next - clock_.monotonicUs());
      cv_.wait_for(lock, std::chrono::microseconds(waitUs), woken);
    }
  }
}

void DeadlineLoop::stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
}

}  // namespace parley
