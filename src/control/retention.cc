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
  thread_.start("parley-retention", [this] {
    std::unique_lock lock(mu_);
    while (!thread_.stopping()) {
      lock.unlock();
      if (Status s = runOnce(); !s.ok()) {
        std::cerr << "parley server: retention purge failed: " << s.error().message() << "\n";
      }
      lock.lock();
      cv_.wait_for(lock, std::chrono::milliseconds(periodMs_), [&] { return thread_.stopping(); });
    }
  });
}

void RetentionLoop::stop() { thread_.stop(); }

}  // namespace parley::control
