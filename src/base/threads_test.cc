#include "base/threads.h"

#include <gtest/gtest.h>
#include <pthread.h>
#include <sched.h>

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace parley {
namespace {

TEST(Threads, BatchSchedulingAppliesToTheCallingThreadOnly) {
  int before = sched_getscheduler(0);
  int inThread = -1;
  bool set = false;
  std::thread t([&] {
    set = setBatchScheduling();
    inThread = sched_getscheduler(0);
  });
  t.join();
  EXPECT_TRUE(set);
  EXPECT_EQ(inThread, SCHED_BATCH);
  EXPECT_EQ(sched_getscheduler(0), before);
}

// As creators use them: on a thread that is already running, before it does anything.
TEST(Threads, TheCreatorNamesAndBatchesAThread) {
  std::mutex mu;
  std::condition_variable cv;
  bool go = false;
  std::string name;
  int policy = -1;
  std::thread t([&] {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return go; });
    char buf[32] = {};
    pthread_getname_np(pthread_self(), buf, sizeof(buf));
    name = buf;
    policy = sched_getscheduler(0);
  });
  nameThread(t, "parley-created");
  EXPECT_TRUE(setBatchScheduling(t));
  {
    std::lock_guard lock(mu);
    go = true;
  }
  cv.notify_all();
  t.join();
  EXPECT_EQ(name, "parley-created");
  EXPECT_EQ(policy, SCHED_BATCH);
  EXPECT_NE(sched_getscheduler(0), SCHED_BATCH);
}

TEST(Threads, NamesAreCutToWhatLinuxKeeps) {
  std::string name;
  std::thread t([&] {
    nameThisThread("parley-a-very-long-thread-name");
    char buf[32] = {};
    pthread_getname_np(pthread_self(), buf, sizeof(buf));
    name = buf;
  });
  t.join();
  EXPECT_EQ(name, "parley-a-very-l");
}

}  // namespace
}  // namespace parley
