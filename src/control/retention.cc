#include "control/retention.h"

#include <chrono>
#include <iostream>

namespace parley::control {

Status RetentionLoop::runOnce() {
  Status first = okStatus();
  for (Status s : {invocations_.purgeExpired(), metrics_.purge(), activity_.purge()}) {
    if (!s.ok() && first.ok()) first = s;
  }
  return first;
}

void RetentionLoop::start() {
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!stop_) {
      lock.unlock();
      if (Status s = runOnce(); !s.ok()) {
        std::cerr << "parley server: retention purge failed: " << s.error().message() << "\n";
      }
      lock.lock();
      cv_.wait_for(lock, std::chrono::milliseconds(periodMs_), [&] { return stop_; });
    }
  });
}

void RetentionLoop::stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace parley::control
