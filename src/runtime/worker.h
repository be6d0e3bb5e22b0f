// Worker: one thread with its own event loop, its warm instances and its spare sandboxes.
//
// The loop runs posted tasks (new invocations, host call completions) and due timers, and in idle
// time evicts instances that have been idle too long or that exceed the worker's memory budget
// (least recently used first, never one with invocations in flight). Its spare sandboxes are
// built by a SparePool on a thread of its own at idle priority, so that building one never
// delays an invocation. Instances never move between workers, and each is used by one thread at
// a time (a spare is handed over once), so no V8 locking is needed.
//
// Thread-safety: submit(), post*(), evict(), load() and hasWarm() may be called from any thread;
// everything else runs on the worker thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <queue>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "runtime/instance.h"
#include "runtime/invoker.h"
#include "runtime/spare_pool.h"
#include "runtime/watchdog.h"

namespace parley::runtime {

struct WorkerCounters {
  std::atomic<int64_t> invocations{0};
  std::atomic<int64_t> coldStarts{0};
  std::atomic<int64_t> warmInstances{0};
  std::atomic<int64_t> evictions{0};
};

class Worker final : public InstanceHost {
 public:
  // `slot` is watched by the invoker's watchdog and must outlive the worker.
  Worker(int index, const InvokerOptions& options, HostServices& host, WorkerCounters& counters,
         ExecutionSlot& slot);
  ~Worker() override;  // stops the thread; in-flight invocations are failed
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void submit(InvocationRequest request, Invoker::Completion done);
  // Loads (or reuses) an instance of `function` and reports whether it has a lambda.
  void prepare(std::shared_ptr<const FunctionSource> function, std::function<void(Status)> done);
  void evict(const std::string& key);
  // Queued tasks + invocations in flight: how busy this worker is.
  int64_t load() const { return load_.load(std::memory_order_relaxed); }
  bool hasWarm(const std::string& key) const;
  size_t readySpares() const { return spares_.readyCount(); }

  // InstanceHost
  int64_t nowUs() const override { return SystemClock::instance().monotonicUs(); }
  int64_t wallNowMs() const override { return SystemClock::instance().nowMs(); }
  void addTimer(uint64_t instanceId, uint64_t token, int64_t dueUs) override;
  void postToInstance(uint64_t instanceId, std::function<void(Instance&)> task) override;
  ExecutionSlot& slot() override { return slot_; }
  HostServices& hostServices() override { return host_; }

 private:
  struct Timer {
    int64_t dueUs;
    uint64_t seq;
    uint64_t instanceId;
    uint64_t token;
    bool operator>(const Timer& o) const {
      return dueUs != o.dueUs ? dueUs > o.dueUs : seq > o.seq;
    }
  };

  void post(std::function<void()> task);
  void run();
  void runTimers();
  void maintain();
  void startInvocation(InvocationRequest request, Invoker::Completion done);
  // The warm instance for `function`, or a new one (cold). Error when the code does not load.
  Result<Instance*> instanceFor(const std::shared_ptr<const FunctionSource>& function, bool* cold);
  std::unique_ptr<Instance> takeSpare(int64_t memoryBytes);
  void discard(uint64_t instanceId);
  void enforceBudget();
  // Sends the results held in this thread's write batch (base/write_batch.h) now: called
  // before work that may be long, so they do not wait behind it.
  void flushHeldWrites();
  // Runs a task's work on `inst`: when the instance often runs long (Instance::oftenRunsLong),
  // after sending the results held; otherwise leaving the loop to judge the task.
  void runOn(Instance& inst, const std::function<void()>& work);

  const int index_;
  const InvokerOptions options_;
  HostServices& host_;
  WorkerCounters& counters_;
  ExecutionSlot& slot_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;  // Guarded by mu_
  std::set<std::string> warmKeys_;           // Guarded by mu_ (mirror of byKey_ for hasWarm)
  bool stop_ = false;                        // Guarded by mu_
  std::atomic<int64_t> load_{0};

  // Worker thread only.
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;
  uint64_t timerSeq_ = 0;
  std::map<uint64_t, std::unique_ptr<Instance>> instances_;  // by instance id
  std::map<std::string, uint64_t> byKey_;                    // warm instance per version key
  int64_t lastMaintenanceUs_ = 0;
  int disposedSinceTrim_ = 0;
  // Results go back in write batches. The instance the current task ran JavaScript on (0 for
  // none, or when runOn judged the task itself).
  uint64_t itemInstance_ = 0;

  SparePool spares_;    // its builder creates instances hosted by this worker
  std::thread thread_;  // last: starts after everything above is initialised
};

}  // namespace parley::runtime
