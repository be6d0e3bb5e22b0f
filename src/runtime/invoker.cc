#include "runtime/invoker.h"

#include <future>
#include <thread>

#include "base/cpus.h"
#include "runtime/dispatch.h"
#include "runtime/snapshot.h"
#include "runtime/v8_process.h"
#include "runtime/worker.h"

namespace parley::runtime {

const char* triggerName(Trigger t) {
  switch (t) {
    case Trigger::kHttp: return "http";
    case Trigger::kEvent: return "event";
    case Trigger::kSchedule: return "schedule";
    case Trigger::kTest: return "test";
    case Trigger::kOrchestrator: return "orchestrator";
    case Trigger::kLocal: return "local";
  }
  return "local";
}

const char* outcomeName(Outcome o) {
  switch (o) {
    case Outcome::kSucceeded: return "SUCCEEDED";
    case Outcome::kCodingFailure: return "CODING_FAILURE";
    case Outcome::kPlatformFailure: return "PLATFORM_FAILURE";
    case Outcome::kTimeout: return "TIMEOUT";
  }
  return "PLATFORM_FAILURE";
}

const char* logLevelName(LogLevel l) {
  switch (l) {
    case LogLevel::kDebug: return "Debug";
    case LogLevel::kInfo: return "Info";
    case LogLevel::kWarn: return "Warn";
    case LogLevel::kError: return "Error";
  }
  return "Info";
}

InvocationResult Invoker::invokeSync(InvocationRequest request) {
  std::promise<InvocationResult> promise;
  auto future = promise.get_future();
  invoke(std::move(request), [&promise](InvocationResult r) { promise.set_value(std::move(r)); });
  return future.get();
}

Status Invoker::validateSync(const FunctionSource& function) {
  std::promise<Status> promise;
  auto future = promise.get_future();
  validate(function, [&promise](Status s) { promise.set_value(std::move(s)); });
  return future.get();
}

std::unique_ptr<Invoker> createProcessInvoker(InvokerOptions options, HostServices* host);

namespace {

class InvokerImpl final : public Invoker {
 public:
  InvokerImpl(InvokerOptions options, HostServices* host) {
    // V8's platform threads (background compilation and GC helpers, which the workers wait on)
    // start when V8 is first initialised and take that thread's scheduling policy: here, not on
    // a SparePool builder, whose policy is SCHED_IDLE. The sandbox snapshot (a few ms, once per
    // process) is made here too, so that no worker waits on an idle-priority builder making it.
    ensureV8();
    preludeSnapshot();
    if (options.workers <= 0) {
      options.workers = usableCpus();
    }
    options_ = options;
    std::vector<ExecutionSlot*> slots;
    for (int i = 0; i < options.workers; ++i) {
      slots_.push_back(std::make_unique<ExecutionSlot>());
      slots.push_back(slots_.back().get());
    }
    watchdog_ = std::make_unique<Watchdog>(SystemClock::instance(), std::move(slots));
    for (int i = 0; i < options.workers; ++i) {
      workers_.push_back(std::make_unique<Worker>(i, options, *host, counters_, *slots_[i]));
      workerList_.push_back(workers_.back().get());
    }
  }

  // Workers stop first, with the watchdog still able to end a runaway task; the slots both use
  // go last.
  ~InvokerImpl() override {
    workers_.clear();
    watchdog_.reset();
  }

  void invoke(InvocationRequest request, Completion done) override {
    if (!request.function) {
      done(rejected(codes::kBadInput, "No function to invoke"));
      return;
    }
    const Limits& limits = request.function->limits;
    if (static_cast<int64_t>(request.inputJson.size()) > limits.maxPayloadBytes) {
      done(rejected(codes::kBadInput, "The input is larger than the limit of " +
                                          std::to_string(limits.maxPayloadBytes) + " bytes"));
      return;
    }
    pick(request.function->key).submit(std::move(request), std::move(done));
  }

  void validate(const FunctionSource& function, std::function<void(Status)> done) override {
    auto copy = std::make_shared<FunctionSource>(function);
    pick(function.key).prepare(copy, std::move(done));
  }

  void evict(const std::string& key) override {
    for (auto& w : workers_) w->evict(key);
  }

  InvokerStats stats() const override {
    InvokerStats s;
    s.invocations = counters_.invocations.load();
    s.coldStarts = counters_.coldStarts.load();
    s.warmInstances = counters_.warmInstances.load();
    s.evictions = counters_.evictions.load();
    for (const auto& w : workers_) s.readySpares += static_cast<int64_t>(w->readySpares());
    return s;
  }

 private:
  static InvocationResult rejected(const char* code, std::string message) {
    InvocationResult r;
    r.outcome = Outcome::kPlatformFailure;
    r.errorCode = code;
    r.errorMessage = std::move(message);
    return r;
  }

  Worker& pick(const std::string& key) {
    return pickWorker(
        workerList_, [&](Worker& w) { return w.hasWarm(key); },
        [](Worker& w) { return w.load(); });
  }

  InvokerOptions options_;
  WorkerCounters counters_;
  std::vector<std::unique_ptr<ExecutionSlot>> slots_;  // outlive the watchdog and the workers
  std::unique_ptr<Watchdog> watchdog_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<Worker*> workerList_;  // the same, for pickWorker
};

}  // namespace

std::unique_ptr<Invoker> Invoker::create(InvokerOptions options, HostServices* host) {
  if (options.isolation == Isolation::kProcess) return createProcessInvoker(options, host);
  return std::make_unique<InvokerImpl>(options, host);
}

}  // namespace parley::runtime
