#include "api/blocking_work.h"

#include "api/api.h"
#include "base/threads.h"

namespace parley::api {

BlockingWork::BlockingWork(int threads) {
  for (int i = 0; i < threads; ++i) {
    threads_.emplace_back([this] { run(); });
    nameThread(threads_.back(), "parley-blocking");
  }
}

BlockingWork::~BlockingWork() { stop(); }

void BlockingWork::post(std::function<void()> work) {
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      queue_.push_back(std::move(work));
      cv_.notify_one();
      return;
    }
  }
  work();
}

void BlockingWork::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
}

void BlockingWork::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and nothing left
    std::function<void()> work = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    work();
    lock.lock();
  }
}

void offload(ApiContext& ctx, std::function<void()> work) {
  if (ctx.blocking) return ctx.blocking->post(std::move(work));
  work();
}

}  // namespace parley::api
