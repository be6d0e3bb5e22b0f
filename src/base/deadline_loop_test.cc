// DeadlineLoop with a real clock and thread: it sleeps when nothing is armed, an earlier deadline
// wakes it, a later one does not, and a deadline armed while it looks is not missed.
#include "base/deadline_loop.h"

#include <gtest/gtest.h>

#include <chrono>
#include <climits>
#include <thread>

namespace parley {
namespace {

// What the loop watches: one deadline (INT64_MAX: none), and how many looks it made. `look`
// passes the deadline once it is due, and calls `during` (if set) inside one look, after it read.
struct Watched {
  std::mutex mu;
  std::condition_variable cv;
  int64_t deadlineUs = INT64_MAX;  // Guarded by mu
  int looks = 0;                   // Guarded by mu
  int fired = 0;                   // Guarded by mu
  std::function<void()> during;    // Guarded by mu; called once, without mu held

  int64_t look(int64_t nowUs) {
    std::unique_lock lock(mu);
    ++looks;
    if (nowUs >= deadlineUs) {
      ++fired;
      deadlineUs = INT64_MAX;
    }
    const int64_t next = deadlineUs;
    std::function<void()> hook = std::move(during);
    during = nullptr;
    cv.notify_all();
    lock.unlock();
    if (hook) hook();
    return next;
  }
  void arm(DeadlineLoop& loop, int64_t deadline) {
    {
      std::lock_guard lock(mu);
      deadlineUs = deadline;
    }
    loop.arm(deadline);
  }
  // Bounded, so that a loop that never looks again fails the test instead of hanging it.
  bool waitFor(const std::function<bool()>& done) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, std::chrono::seconds(30), done);
  }
  int looksNow() {
    std::lock_guard lock(mu);
    return looks;
  }
};

struct Running {
  explicit Running(Watched& w) : thread([this, &w] { loop.run([&w](int64_t now) { return w.look(now); }); }) {}
  ~Running() {
    loop.stop();
    thread.join();
  }
  DeadlineLoop loop{SystemClock::instance()};
  std::thread thread;
};

int64_t nowUs() { return SystemClock::instance().monotonicUs(); }

TEST(DeadlineLoop, SleepsWithNothingArmedAndAnEarlierDeadlineWakesIt) {
  Watched w;
  Running r(w);
  ASSERT_TRUE(w.waitFor([&] { return w.looks >= 1; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(w.looksNow(), 1);  // no periodic looks
  w.arm(r.loop, nowUs() + 2'000);
  EXPECT_TRUE(w.waitFor([&] { return w.fired == 1; }));
}

TEST(DeadlineLoop, ALaterDeadlineDoesNotWakeIt) {
  Watched w;
  Running r(w);
  ASSERT_TRUE(w.waitFor([&] { return w.looks >= 1; }));
  const int64_t first = nowUs() + 60'000'000;
  w.arm(r.loop, first);
  ASSERT_TRUE(w.waitFor([&] { return w.looks >= 2; }));
  // Until the look has returned and the loop published when it looks next, any arm wakes it
  // (the contract): wait for that before arming.
  while (r.loop.nextLookUs() != first) std::this_thread::yield();
  const int looks = w.looksNow();
  r.loop.arm(nowUs() + 120'000'000);  // after the one it sleeps until: nothing to do now
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(w.looksNow(), looks);
}

TEST(DeadlineLoop, ADeadlineArmedWhileItLooksIsNotMissed) {
  Watched w;
  Running r(w);
  ASSERT_TRUE(w.waitFor([&] { return w.looks >= 1; }));
  // The next look reads "nothing armed", then a deadline is armed before it returns that.
  {
    std::lock_guard lock(w.mu);
    w.during = [&] { w.arm(r.loop, nowUs() + 1'000); };
  }
  r.loop.arm(nowUs());  // make it look
  EXPECT_TRUE(w.waitFor([&] { return w.fired == 1; }));
}

}  // namespace
}  // namespace parley
