// WriteBatch: deferred flushes (once per key, in order, nested batches) and when afterItem lets
// held writes go: after kMaxHoldUs, behind an item that used the thread's CPU for kLongItemUs,
// and in the quiet period after one; not for time the thread spent asleep. Each test runs on a
// thread of its own: the long-item memory is per thread.
#include "base/write_batch.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "base/threads.h"

namespace parley {
namespace {

template <typename F>
void onFreshThread(F f) {
  std::thread t(f);
  t.join();
}

void burnCpuUs(int64_t us) {
  const int64_t until = threadCpuUs() + us;
  volatile uint64_t x = 0;
  while (threadCpuUs() < until) {
    for (int i = 0; i < 1000; ++i) x = x + static_cast<uint64_t>(i);
  }
}

TEST(WriteBatch, FlushesRunWhenTheBatchClosesOncePerKeyInOrder) {
  onFreshThread([] {
    std::vector<std::string> ran;
    int a = 0, b = 0;
    EXPECT_EQ(WriteBatch::current(), nullptr);
    {
      WriteBatch batch;
      EXPECT_EQ(WriteBatch::current(), &batch);
      batch.defer(&a, [&] { ran.push_back("a"); });
      batch.defer(&b, [&] { ran.push_back("b"); });
      batch.defer(&a, [&] { ran.push_back("a again"); });  // already deferred: ignored
      EXPECT_TRUE(ran.empty());
    }
    EXPECT_EQ(ran, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(WriteBatch::current(), nullptr);
  });
}

TEST(WriteBatch, AnInnerBatchFlushesOnlyItsOwn) {
  onFreshThread([] {
    std::vector<std::string> ran;
    int a = 0, b = 0;
    WriteBatch outer;
    outer.defer(&a, [&] { ran.push_back("outer"); });
    {
      WriteBatch inner;
      EXPECT_EQ(WriteBatch::current(), &inner);
      inner.defer(&b, [&] { ran.push_back("inner"); });
    }
    EXPECT_EQ(ran, std::vector<std::string>{"inner"});
    EXPECT_EQ(WriteBatch::current(), &outer);
    outer.flush();
    EXPECT_EQ(ran, (std::vector<std::string>{"inner", "outer"}));
  });
}

TEST(WriteBatch, ShortItemsKeepWritesHeldUntilTheHoldTimeIsUp) {
  onFreshThread([] {
    int flushes = 0, key = 0;
    WriteBatch batch;
    batch.defer(&key, [&] { ++flushes; });
    const int64_t heldAt = WriteBatch::nowUs();
    int64_t t = WriteBatch::nowUs();
    batch.afterItem(t, t);
    // Only if this thread was not held up past the hold time meanwhile (a loaded machine).
    if (WriteBatch::nowUs() - heldAt < WriteBatch::kMaxHoldUs) {
      EXPECT_EQ(flushes, 0);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(WriteBatch::kMaxHoldUs + 500));
    t = WriteBatch::nowUs();
    batch.afterItem(t, t);
    EXPECT_EQ(flushes, 1);
  });
}

TEST(WriteBatch, AnItemUsingTheCpuLongFlushesAndStartsAQuietPeriod) {
  onFreshThread([] {
    int flushes = 0, key = 0;
    {
      WriteBatch batch;
      batch.defer(&key, [&] { ++flushes; });
      const int64_t start = WriteBatch::nowUs();
      burnCpuUs(WriteBatch::kLongItemUs * 3);
      batch.afterItem(start, WriteBatch::nowUs());
      EXPECT_EQ(flushes, 1);
    }
    // The next batch does not hold writes at all, even behind a short item.
    const int64_t longEnded = WriteBatch::nowUs();
    WriteBatch batch;
    batch.defer(&key, [&] { ++flushes; });
    const int64_t t = WriteBatch::nowUs();
    batch.afterItem(t, t);
    if (t - longEnded < WriteBatch::kQuietAfterLongUs) {
      EXPECT_EQ(flushes, 2);
    }
  });
}

TEST(WriteBatch, TimeTheThreadSpentAsleepIsNotLongWork) {
  onFreshThread([] {
    int flushes = 0, key = 0;
    {
      WriteBatch batch;
      batch.defer(&key, [&] { ++flushes; });
      const int64_t start = WriteBatch::nowUs();
      // Longer than kLongItemUs by the wall clock, with next to no CPU: a preempted item.
      std::this_thread::sleep_for(std::chrono::microseconds(WriteBatch::kLongItemUs * 2));
      batch.afterItem(start, WriteBatch::nowUs());
      // (Past the hold time on a loaded machine, it flushes for that reason instead.)
      if (WriteBatch::nowUs() - start < WriteBatch::kMaxHoldUs) {
        EXPECT_EQ(flushes, 0);
      }
    }
    const int before = flushes;
    WriteBatch batch;  // no quiet period: a short item keeps the write held
    batch.defer(&key, [&] { ++flushes; });
    const int64_t heldAt = WriteBatch::nowUs();
    const int64_t t = WriteBatch::nowUs();
    batch.afterItem(t, t);
    if (WriteBatch::nowUs() - heldAt < WriteBatch::kMaxHoldUs) {
      EXPECT_EQ(flushes, before);
    }
  });
}

}  // namespace
}  // namespace parley
