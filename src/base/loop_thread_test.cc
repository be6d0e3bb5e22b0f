#include "base/loop_thread.h"

#include <gtest/gtest.h>

#include <future>

namespace parley {
namespace {

// A loop in the shape the background services use: wait for a wake or the stop, count wakes.
struct Counter {
  std::mutex mu;
  std::condition_variable cv;
  int passes = 0;  // Guarded by mu
  LoopThread thread{mu, cv};
  void start() {
    thread.start("parley-test", [this] {
      std::unique_lock lock(mu);
      while (!thread.stopping()) {
        thread.clearWoken();
        ++passes;
        cv.notify_all();
        cv.wait(lock, [this] { return thread.stopping() || thread.woken(); });
      }
    });
  }
  void waitForPasses(int n) {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return passes >= n; });
  }
};

TEST(LoopThread, StoppingUntilStartedThenUntilStopped) {
  Counter c;
  {
    std::lock_guard lock(c.mu);
    EXPECT_TRUE(c.thread.stopping());
  }
  c.start();
  c.start();  // already running: no second thread
  c.waitForPasses(1);
  {
    std::lock_guard lock(c.mu);
    EXPECT_FALSE(c.thread.stopping());
  }
  c.thread.stop();
  c.thread.stop();  // idempotent
  std::lock_guard lock(c.mu);
  EXPECT_TRUE(c.thread.stopping());
  EXPECT_EQ(c.passes, 1);
}

TEST(LoopThread, WakeRunsAnotherPassAndTheLoopCanRestart) {
  Counter c;
  c.start();
  c.waitForPasses(1);
  c.thread.wake();
  c.waitForPasses(2);
  c.thread.stop();
  c.start();  // a stopped loop starts again
  c.waitForPasses(3);
  c.thread.stop();
  std::lock_guard lock(c.mu);
  EXPECT_EQ(c.passes, 3);
}

}  // namespace
}  // namespace parley
