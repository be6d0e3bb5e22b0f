// BlockingWork: work runs on its own threads, in order, and stop() drains what is queued.
#include "api/blocking_work.h"

#include <gtest/gtest.h>

#include <future>
#include <mutex>
#include <vector>

namespace parley::api {
namespace {

TEST(BlockingWork, RunsWorkOffTheCallersThreadInOrder) {
  BlockingWork work(1);
  std::mutex mu;
  std::vector<int> order;
  std::promise<std::thread::id> ran;
  work.post([&] { ran.set_value(std::this_thread::get_id()); });
  EXPECT_NE(ran.get_future().get(), std::this_thread::get_id());
  for (int i = 0; i < 20; ++i) {
    work.post([&, i] {
      std::lock_guard lock(mu);
      order.push_back(i);
    });
  }
  work.stop();  // runs everything still queued before it returns
  ASSERT_EQ(order.size(), 20u);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(order[i], i);
}

TEST(BlockingWork, ABusyThreadDoesNotHoldUpTheOthers) {
  BlockingWork work(2);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> blocked, other;
  work.post([&] {
    blocked.set_value();
    released.wait();
  });
  blocked.get_future().wait();
  work.post([&] { other.set_value(); });
  other.get_future().wait();  // ran although the first work is still waiting
  release.set_value();
}

TEST(BlockingWork, WorkPostedAfterStopRunsOnTheCaller) {
  BlockingWork work(1);
  work.stop();
  std::thread::id where;
  work.post([&] { where = std::this_thread::get_id(); });
  EXPECT_EQ(where, std::this_thread::get_id());
}

}  // namespace
}  // namespace parley::api
