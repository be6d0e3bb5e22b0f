#include "base/loop_thread.h"

#include "base/threads.h"

namespace parley {

void LoopThread::start(std::string name, std::function<void()> body) {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread(std::move(body));
  nameThread(thread_, name);
}

void LoopThread::stop() {
  std::thread t;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    t = std::move(thread_);
  }
  cv_.notify_all();
  if (t.joinable()) t.join();
}

void LoopThread::wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

}  // namespace parley
