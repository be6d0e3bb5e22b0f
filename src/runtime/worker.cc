#include "runtime/worker.h"

#include <malloc.h>

#include <algorithm>

#include "base/threads.h"
#include "base/write_batch.h"

namespace parley::runtime {

namespace {
constexpr int64_t kMaintenancePeriodUs = 1'000'000;
}  // namespace

Worker::Worker(int index, const InvokerOptions& options, HostServices& host,
               WorkerCounters& counters, ExecutionSlot& slot)
    : index_(index),
      options_(options),
      host_(host),
      counters_(counters),
      slot_(slot),
      spares_([this](int64_t memoryBytes) { return Instance::createSpare(*this, memoryBytes); },
              options.sparePerWorker, Limits{}.memoryBytes),
      thread_([this] { run(); }) {
  nameThread(thread_, "parley-w" + std::to_string(index_));
}

Worker::~Worker() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void Worker::post(std::function<void()> task) {
  {
    std::lock_guard lock(mu_);
    tasks_.push_back(std::move(task));
  }
  cv_.notify_one();
}

void Worker::submit(InvocationRequest request, Invoker::Completion done) {
  load_.fetch_add(1, std::memory_order_relaxed);
  post([this, request = std::move(request), done = std::move(done)]() mutable {
    startInvocation(std::move(request), std::move(done));
  });
}

void Worker::prepare(std::shared_ptr<const FunctionSource> function,
                     std::function<void(Status)> done) {
  post([this, function = std::move(function), done = std::move(done)] {
    bool cold = false;
    auto instance = instanceFor(function, &cold);
    done(instance.ok() ? okStatus() : Status(instance.error()));
  });
}

void Worker::evict(const std::string& key) {
  post([this, key] {
    auto it = byKey_.find(key);
    if (it == byKey_.end()) return;
    uint64_t id = it->second;
    byKey_.erase(it);
    {
      std::lock_guard lock(mu_);
      warmKeys_.erase(key);
    }
    auto inst = instances_.find(id);
    if (inst != instances_.end() && inst->second->inflight() == 0) discard(id);
  });
}

bool Worker::hasWarm(const std::string& key) const {
  std::lock_guard lock(mu_);
  return warmKeys_.count(key) > 0;
}

void Worker::addTimer(uint64_t instanceId, uint64_t token, int64_t dueUs) {
  timers_.push(Timer{dueUs, ++timerSeq_, instanceId, token});
}

void Worker::postToInstance(uint64_t instanceId, std::function<void(Instance&)> task) {
  post([this, instanceId, task = std::move(task)] {
    auto it = instances_.find(instanceId);
    if (it == instances_.end()) return;
    Instance& inst = *it->second;
    runOn(inst, [&] { task(inst); });
    if (inst.dead()) discard(instanceId);
  });
}

void Worker::run() {
  while (true) {
    std::deque<std::function<void()>> batch;
    {
      std::unique_lock lock(mu_);
      auto ready = [&] { return stop_ || !tasks_.empty(); };
      if (!ready()) {
        int64_t now = nowUs();
        int64_t wakeUs = lastMaintenanceUs_ + kMaintenancePeriodUs;
        if (!timers_.empty()) wakeUs = std::min(wakeUs, timers_.top().dueUs);
        if (wakeUs > now) cv_.wait_for(lock, std::chrono::microseconds(wakeUs - now), ready);
      }
      if (stop_) break;
      batch.swap(tasks_);
    }
    if (!batch.empty()) spares_.noteActivity();  // spares are built in the lulls
    {
      // Results leave for the parent together (base/write_batch.h): held until the pass ends,
      // for 1 ms at most, and not behind a task found to be long work (see runOn).
      WriteBatch writes;
      int64_t start = WriteBatch::nowUs();  // one clock reading per task: its end starts the next
      for (auto& task : batch) {
        itemInstance_ = 0;
        task();
        const int64_t end = WriteBatch::nowUs();
        const WriteBatch::Item item = writes.afterItem(start, end);
        start = end;
        if (itemInstance_ != 0 && item != WriteBatch::Item::kNothingHeld) {
          if (auto it = instances_.find(itemInstance_); it != instances_.end()) {
            it->second->noteTask(item == WriteBatch::Item::kLong);
          }
        }
      }
      runTimers();
      writes.afterItem(start, WriteBatch::nowUs());
    }
    if (nowUs() - lastMaintenanceUs_ >= kMaintenancePeriodUs) maintain();
  }
  // Shutting down. Every invocation gets its completion: those still queued are answered
  // without running (stopping_ is set), those in flight are failed by their instance; then
  // everything is disposed on this thread, where it was created.
  std::deque<std::function<void()>> rest;
  {
    std::lock_guard lock(mu_);
    rest.swap(tasks_);
  }
  for (auto& task : rest) task();
  for (auto& [id, inst] : instances_) {
    inst->failAll(Outcome::kPlatformFailure, codes::kPlatformGeneral,
                  "The runtime shut down while this invocation was in flight");
  }
  spares_.stop();
  instances_.clear();
}

void Worker::flushHeldWrites() {
  if (WriteBatch* writes = WriteBatch::current()) writes->flush();
}

void Worker::runOn(Instance& inst, const std::function<void()>& work) {
  if (!inst.oftenRunsLong()) {
    itemInstance_ = inst.id();  // the loop notes whether the task was long work
    work();
    return;
  }
  // Results held would wait behind it: send them first, and measure this task directly (no
  // writes are held during it for the loop to judge by).
  flushHeldWrites();
  const int64_t cpu = threadCpuUs();
  work();
  inst.noteTask(threadCpuUs() - cpu >= WriteBatch::kLongItemUs);
}

void Worker::runTimers() {
  int64_t now = nowUs();
  while (!timers_.empty() && timers_.top().dueUs <= now) {
    Timer t = timers_.top();
    timers_.pop();
    auto it = instances_.find(t.instanceId);
    if (it == instances_.end()) continue;
    it->second->onTimer(t.token);
    if (it->second->dead()) discard(t.instanceId);
    now = nowUs();
  }
}

void Worker::startInvocation(InvocationRequest request, Invoker::Completion done) {
  counters_.invocations.fetch_add(1, std::memory_order_relaxed);
  auto wrapped = [this, done = std::move(done)](InvocationResult r) {
    load_.fetch_sub(1, std::memory_order_relaxed);
    done(std::move(r));
  };
  {
    std::lock_guard lock(mu_);
    if (stop_) {
      InvocationResult r;
      r.outcome = Outcome::kPlatformFailure;
      r.errorCode = codes::kPlatformGeneral;
      r.errorMessage = "The runtime shut down before this invocation started";
      wrapped(std::move(r));
      return;
    }
  }
  bool cold = false;
  auto instance = instanceFor(request.function, &cold);
  if (!instance.ok()) {
    // The function's code did not load: a runaway top level keeps its own code.
    InvocationResult r;
    switch (instance.error().code()) {
      case ErrorCode::kDeadlineExceeded:
        r.outcome = Outcome::kTimeout;
        r.errorCode = codes::kExecutionTimeExceeded;
        break;
      case ErrorCode::kResourceExhausted:
        r.outcome = Outcome::kCodingFailure;
        r.errorCode = codes::kMemoryExceeded;
        break;
      case ErrorCode::kInternal:
        r.outcome = Outcome::kPlatformFailure;
        r.errorCode = codes::kPlatformGeneral;
        break;
      default:
        r.outcome = Outcome::kCodingFailure;
        r.errorCode = codes::kRuntimeException;
    }
    r.errorMessage = instance.error().message();
    r.coldStart = cold;
    wrapped(std::move(r));
    return;
  }
  if (cold) counters_.coldStarts.fetch_add(1, std::memory_order_relaxed);
  Instance* inst = *instance;
  runOn(*inst, [&] { inst->start(std::move(request), std::move(wrapped), cold); });
  if (inst->dead()) discard(inst->id());
}

Result<Instance*> Worker::instanceFor(const std::shared_ptr<const FunctionSource>& function,
                                      bool* cold) {
  auto it = byKey_.find(function->key);
  if (it != byKey_.end()) {
    auto inst = instances_.find(it->second);
    if (inst != instances_.end() && !inst->second->dead()) {
      *cold = false;
      return inst->second.get();
    }
    byKey_.erase(it);
  }
  *cold = true;
  flushHeldWrites();  // loading a function is long work
  std::unique_ptr<Instance> fresh = takeSpare(function->limits.memoryBytes);
  if (!fresh) return Error::internal("could not create a V8 isolate");
  Status loaded = fresh->load(function);
  if (!loaded.ok()) {
    ++disposedSinceTrim_;
    return Error(loaded.error());
  }
  Instance* raw = fresh.get();
  instances_[raw->id()] = std::move(fresh);
  byKey_[function->key] = raw->id();
  {
    std::lock_guard lock(mu_);
    warmKeys_.insert(function->key);
  }
  counters_.warmInstances.fetch_add(1, std::memory_order_relaxed);
  enforceBudget();
  return raw;
}

std::unique_ptr<Instance> Worker::takeSpare(int64_t memoryBytes) {
  if (std::unique_ptr<Instance> spare = spares_.take(memoryBytes)) {
    spare->adoptThread();  // built on the pool's thread
    return spare;
  }
  return Instance::createSpare(*this, memoryBytes);
}

void Worker::discard(uint64_t instanceId) {
  auto it = instances_.find(instanceId);
  if (it == instances_.end()) return;
  // Invocations still in flight on an instance being dropped can only be on a dead one: their
  // results were already delivered by the instance (memory exceeded fails them all).
  auto key = byKey_.find(it->second->key());
  if (key != byKey_.end() && key->second == instanceId) {
    std::lock_guard lock(mu_);
    warmKeys_.erase(it->second->key());
    byKey_.erase(key);
  }
  instances_.erase(it);
  counters_.warmInstances.fetch_sub(1, std::memory_order_relaxed);
  counters_.evictions.fetch_add(1, std::memory_order_relaxed);
  if (++disposedSinceTrim_ >= 16) {
    malloc_trim(0);  // give the freed isolate memory back to the system
    disposedSinceTrim_ = 0;
  }
}

void Worker::enforceBudget() {
  int64_t budget = options_.instanceMemoryBudgetBytes / std::max(1, options_.workers);
  int64_t total = 0;
  std::vector<Instance*> idle;
  for (auto& [id, inst] : instances_) {
    total += inst->memoryUsage();
    if (inst->inflight() == 0) idle.push_back(inst.get());
  }
  if (total <= budget) return;
  std::sort(idle.begin(), idle.end(),
            [](Instance* a, Instance* b) { return a->lastUsedUs() < b->lastUsedUs(); });
  for (Instance* inst : idle) {
    if (total <= budget) break;
    total -= inst->memoryUsage();
    discard(inst->id());
  }
}

void Worker::maintain() {
  lastMaintenanceUs_ = nowUs();
  std::vector<uint64_t> expired;
  for (auto& [id, inst] : instances_) {
    if (inst->inflight() != 0) continue;
    auto key = byKey_.find(inst->key());
    bool replaced = key == byKey_.end() || key->second != id;  // evicted while busy
    if (replaced || lastMaintenanceUs_ - inst->lastUsedUs() > options_.idleInstanceTtlMs * 1000) {
      expired.push_back(id);
    }
  }
  for (uint64_t id : expired) discard(id);
  enforceBudget();
  if (disposedSinceTrim_ > 0 && instances_.empty()) {
    malloc_trim(0);
    disposedSinceTrim_ = 0;
  }
}

}  // namespace parley::runtime
