// SparePool against real V8 sandboxes: spares are built on the pool's thread at idle priority,
// refilled after a take, matched by memory limit, and a take() during a build raises the builder
// and waits for it instead of building a second sandbox.
#include "runtime/spare_pool.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "base/clock.h"
#include "runtime/host_services.h"
#include "runtime/instance.h"
#include "runtime/watchdog.h"

namespace parley::runtime {
namespace {

constexpr int64_t kMemory = 64LL << 20;

class FakeHost final : public InstanceHost {
 public:
  int64_t nowUs() const override { return SystemClock::instance().monotonicUs(); }
  int64_t wallNowMs() const override { return SystemClock::instance().nowMs(); }
  void addTimer(uint64_t, uint64_t, int64_t) override {}
  void postToInstance(uint64_t, std::function<void(Instance&)>) override {}
  ExecutionSlot& slot() override { return slot_; }
  HostServices& hostServices() override { return services_; }

 private:
  ExecutionSlot slot_;
  NoHostServices services_;
};

// Waits (without a time limit of its own: ctest's timeout is the backstop) until `done` holds.
template <typename F>
void waitUntil(F done) {
  while (!done()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

// A factory whose builds can be held at their start until released.
class Gate {
 public:
  void hold() {
    std::lock_guard lock(mu_);
    held_ = true;
  }
  void release() {
    {
      std::lock_guard lock(mu_);
      held_ = false;
    }
    cv_.notify_all();
  }
  // Called by the builder: counts the build, then waits while held.
  void pass() {
    std::unique_lock lock(mu_);
    ++started_;
    cv_.notify_all();
    cv_.wait(lock, [&] { return !held_; });
  }
  void waitStarted(int n) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return started_ >= n; });
  }
  int started() {
    std::lock_guard lock(mu_);
    return started_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool held_ = false;
  int started_ = 0;
};

// Builds real sandboxes, each after passing the gate.
SparePool::Factory gatedFactory(InstanceHost& host, Gate& gate) {
  return [&host, &gate](int64_t memory) {
    gate.pass();
    return Instance::createSpare(host, memory);
  };
}

TEST(SparePool, BuildsAheadAtIdlePriorityAndRefillsAfterATake) {
  FakeHost host;
  Gate gate;
  SparePool pool(gatedFactory(host, gate), 1, kMemory);
  waitUntil([&] { return pool.readyCount() == 1; });
  EXPECT_TRUE(pool.builderIsIdlePriority());
  EXPECT_EQ(gate.started(), 1);  // one spare wanted, one built

  std::unique_ptr<Instance> spare = pool.take(kMemory);
  ASSERT_NE(spare, nullptr);
  EXPECT_EQ(spare->memoryLimit(), kMemory);
  EXPECT_FALSE(spare->loaded());
  waitUntil([&] { return pool.readyCount() == 1; });  // the next one
  EXPECT_EQ(gate.started(), 2);
  pool.stop();
}

TEST(SparePool, ASpareOfAnotherMemoryLimitIsNotHandedOut) {
  FakeHost host;
  SparePool pool([&](int64_t memory) { return Instance::createSpare(host, memory); }, 1, kMemory);
  waitUntil([&] { return pool.readyCount() == 1; });
  EXPECT_EQ(pool.take(kMemory * 2), nullptr);
  EXPECT_EQ(pool.readyCount(), 1u);
}

// A pool whose first build has started and is held at the gate, at idle priority.
struct HeldBuild {
  HeldBuild() {
    gate.hold();
    pool = std::make_unique<SparePool>(gatedFactory(host, gate), 1, kMemory);
    gate.waitStarted(1);
    EXPECT_TRUE(pool->builderIsIdlePriority());
  }
  FakeHost host;
  Gate gate;
  std::unique_ptr<SparePool> pool;
};

TEST(SparePool, ATakeDuringABuildRaisesTheBuilderAndGetsThatSpare) {
  HeldBuild held;
  Gate& gate = held.gate;
  SparePool& pool = *held.pool;
  auto taken = std::async(std::launch::async, [&] { return pool.take(kMemory); });
  // The waiting take() raises the builder to normal priority for the rest of its build.
  waitUntil([&] { return !pool.builderIsIdlePriority(); });
  gate.release();
  std::unique_ptr<Instance> spare = taken.get();
  ASSERT_NE(spare, nullptr);
  // Back at idle priority before the spare was handed over, not only from the next build on
  // (which waits for a lull): a builder left raised would idle, then start, at normal priority.
  EXPECT_TRUE(pool.builderIsIdlePriority());
  waitUntil([&] { return pool.readyCount() == 1; });
  EXPECT_TRUE(pool.builderIsIdlePriority());
}

// After activity (a take, or the worker running a task) the next build waits for `settle` of
// quiet, so that it does not compete with the requests around a deploy; when takes come faster
// than that (one found nothing, or followed the last sooner than a lull) it does not wait.
TEST(SparePool, TheNextBuildWaitsForALullAfterActivity) {
  FakeHost host;
  Gate gate;
  SparePool pool(gatedFactory(host, gate), 1, kMemory, std::chrono::minutes(10));
  waitUntil([&] { return pool.readyCount() == 1; });  // no activity yet: built at once
  ASSERT_NE(pool.take(kMemory), nullptr);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(gate.started(), 1);  // still waiting for ten quiet minutes
  EXPECT_EQ(pool.readyCount(), 0u);
  // A take that finds no spare: cold starts outrun the lulls, so the next build starts at once;
  // and so does the one after a take that follows the previous one sooner than a lull would.
  EXPECT_EQ(pool.take(kMemory), nullptr);
  waitUntil([&] { return pool.readyCount() == 1; });
  EXPECT_EQ(gate.started(), 2);
  ASSERT_NE(pool.take(kMemory), nullptr);
  waitUntil([&] { return pool.readyCount() == 1; });
  EXPECT_EQ(gate.started(), 3);
  pool.stop();
}

// A take for another memory limit does not wait for the build in progress, but raises it: the
// caller is about to build its own, and isolate creation takes V8-wide locks.
TEST(SparePool, ATakeOfAnotherLimitDuringABuildRaisesItWithoutWaiting) {
  HeldBuild held;
  Gate& gate = held.gate;
  SparePool& pool = *held.pool;
  EXPECT_EQ(pool.take(kMemory * 2), nullptr);  // returns at once: the gate is still held
  EXPECT_FALSE(pool.builderIsIdlePriority());
  gate.release();
  waitUntil([&] { return pool.readyCount() == 1; });
  EXPECT_TRUE(pool.builderIsIdlePriority());
}

TEST(SparePool, AFailedBuildLeavesTheCallerToBuildItsOwn) {
  Gate gate;
  gate.hold();
  SparePool pool(
      [&](int64_t) -> std::unique_ptr<Instance> {
        gate.pass();
        return nullptr;
      },
      1, kMemory);
  gate.waitStarted(1);
  auto taken = std::async(std::launch::async, [&] { return pool.take(kMemory); });
  waitUntil([&] { return !pool.builderIsIdlePriority(); });
  gate.release();
  EXPECT_EQ(taken.get(), nullptr);
  EXPECT_EQ(pool.readyCount(), 0u);
}

TEST(SparePool, StopJoinsABuildInProgressAndTargetZeroBuildsNothing) {
  FakeHost host;
  Gate gate;
  gate.hold();
  auto pool = std::make_unique<SparePool>(gatedFactory(host, gate), 1, kMemory);
  gate.waitStarted(1);
  auto stopped = std::async(std::launch::async, [&] { pool->stop(); });
  gate.release();
  stopped.get();
  EXPECT_EQ(pool->readyCount(), 0u);
  pool.reset();

  int calls = 0;
  SparePool none([&](int64_t) -> std::unique_ptr<Instance> {
    ++calls;
    return nullptr;
  }, 0, kMemory);
  EXPECT_EQ(none.take(kMemory), nullptr);
  EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace parley::runtime
