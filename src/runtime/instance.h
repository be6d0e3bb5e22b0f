// Instance: one isolate + context running one FunctionSource, kept warm between invocations.
//
// Lifecycle: createSpare() builds the isolate, the context and the globals (done ahead of time
// by the worker so a cold start only compiles the function); load() compiles and runs the
// function's code and finds its lambda; start() runs invocations, several of which may be in
// flight at once while they await timers or host calls.
//
// Threading: an Instance is used by one thread at a time. It runs and is destroyed on its
// worker's thread; a spare may be built on another (SparePool's builder), and the worker then
// calls adoptThread() before running it. Host call completions reach it through Worker::post.
#pragma once

#include <v8.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "base/result.h"
#include "runtime/host_services.h"
#include "runtime/memory.h"
#include "runtime/types.h"

namespace parley::runtime {

class ExecutionSlot;
class Instance;

// What an instance needs from the worker that owns it.
class InstanceHost {
 public:
  virtual ~InstanceHost() = default;
  virtual int64_t nowUs() const = 0;     // monotonic
  virtual int64_t wallNowMs() const = 0;  // for log timestamps
  // Calls instance->onTimer(token) at dueUs (if the instance still exists).
  virtual void addTimer(uint64_t instanceId, uint64_t token, int64_t dueUs) = 0;
  // Runs `task` later on the owning worker thread with the instance, if it still exists.
  // Thread-safe.
  virtual void postToInstance(uint64_t instanceId, std::function<void(Instance&)> task) = 0;
  virtual ExecutionSlot& slot() = 0;
  virtual HostServices& hostServices() = 0;
};

class Instance {
 public:
  using Completion = std::function<void(InvocationResult)>;

  // Builds an isolate with the given memory limit, its context and globals.
  static std::unique_ptr<Instance> createSpare(InstanceHost& host, int64_t memoryBytes);
  ~Instance();
  // Makes the calling thread the one that runs this instance: V8 sets an isolate's stack limit
  // for the thread that creates it, and JavaScript on another thread's stack would otherwise
  // overflow at once or never. Call before the first load() on a thread other than the creator.
  void adoptThread();
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  // Compiles and runs the function's code and finds its lambda. Fails with the error (and
  // line/column details) of a syntax error, a throwing top level, or a missing lambda.
  Status load(std::shared_ptr<const FunctionSource> function);

  // Starts an invocation; `done` is called exactly once, on this thread.
  void start(InvocationRequest request, Completion done, bool coldStart);

  // Fails every invocation in flight (shutdown).
  void failAll(Outcome outcome, const char* code, const std::string& message);

  // Called by the worker for a timer or deadline registered through InstanceHost::addTimer.
  void onTimer(uint64_t token);

  uint64_t id() const { return id_; }
  const std::string& key() const;
  int64_t memoryLimit() const { return allocator_->limit(); }
  bool loaded() const { return function_ != nullptr; }
  // True once the instance must not be used again (it ran out of memory).
  bool dead() const { return dead_; }
  size_t inflight() const { return inflight_.size(); }
  // Heap + ArrayBuffer bytes, as of the end of the last task.
  int64_t memoryUsage() const { return memoryUsage_; }
  int64_t lastUsedUs() const { return lastUsedUs_; }
  // How often this instance's tasks are long work (the worker's write batching: results held
  // are sent before the tasks of an instance that often runs long). Counts decay by halving.
  void noteTask(bool longWork) {
    ++tasks_;
    if (longWork) ++longTasks_;
    if (tasks_ >= 256) {
      tasks_ /= 2;
      longTasks_ /= 2;
    }
  }
  bool oftenRunsLong() const { return longTasks_ * 16 > tasks_; }

  // --- for the native bindings (bindings/*.cc) ----------------------------------------------
  static Instance* from(v8::Isolate* isolate);
  v8::Isolate* isolate() const { return isolate_; }
  InstanceHost& host() { return host_; }
  // The invocation on whose behalf JavaScript is running now (0: the function's top level).
  uint64_t currentInvocation() const { return current_; }
  // InvocationRequest::tag of the current invocation (0 for the top level).
  uint64_t currentTag() const;
  // Records a log line for the current invocation; going over the log limit ends it
  // (log-limit-reached) and terminates the running JavaScript.
  void appendLog(LogLevel level, std::string message, std::string extrasJson);
  uint32_t startTimer(double delayMs, bool repeat);
  void clearTimer(uint32_t id);
  void complete(uint64_t invocationId, bool failed, v8::Local<v8::Value> value);
  void startHostCall(HostRequest request, v8::Local<v8::Promise::Resolver> resolver);
  const std::map<std::string, std::string>& env() const;

 // --- for modules.cc ------------------------------------------------------------------------
  // The synthetic ES module for a built-in module (empty with an exception when unknown).
  v8::MaybeLocal<v8::Module> syntheticModule(v8::Local<v8::Context> context,
                                             const std::string& specifier);
  bool setSyntheticExports(v8::Local<v8::Context> context, v8::Local<v8::Module> module);
  bool allowCodeGeneration() const;

 private:
  struct Inflight;  // instance_internal.h
  struct TimerState {
    uint64_t owner;  // invocation id, 0 for the top level
    bool repeat;
    int64_t intervalUs;
  };
  struct HostCall {
    uint64_t owner;
    v8::Global<v8::Promise::Resolver> resolver;
  };
  struct Synthetic {
    v8::Global<v8::Module> module;
    v8::Global<v8::Value> exports;
  };

  Instance(InstanceHost& host, int64_t memoryBytes);
  bool init();
  Status loadScript(v8::Local<v8::Context> context);
  Status loadModuleSource(v8::Local<v8::Context> context);
  Status pickLambda(v8::Local<v8::Context> context,
                    std::initializer_list<v8::Local<v8::Value>> candidates);
  // Runs `body` in the isolate on behalf of invocation `owner` (0: the top level) under the
  // watchdog, then the microtasks, then settles what the run finished or broke.
  void run(uint64_t owner, const std::function<void(v8::Local<v8::Context>)>& body);
  void runTask(uint64_t owner, int64_t deadlineUs,
               const std::function<void(v8::Local<v8::Context>)>& body);
  void afterRun(uint64_t owner, bool watchdogFired);
  void finish(uint64_t invocationId, InvocationResult result);
  void fail(uint64_t invocationId, Outcome outcome, const char* code, std::string message,
            std::string stack = {});
  void failTimeout(uint64_t invocationId);
  void failStuckInvocations();
  void failWithException(uint64_t owner, v8::Local<v8::Context> context,
                         v8::Local<v8::Value> exception);
  void onHostResponse(uint64_t callId, HostResponse response);
  void fireTimer(uint32_t timerId);
  void forgetTimersInJs(const std::vector<uint32_t>& ids);
  void refreshMemoryUsage();
  // Logs rejections still without a handler: those of `owner` only, or all (owner = ~0).
  void reportUnhandledRejections(uint64_t owner);
  static void onPromiseReject(v8::PromiseRejectMessage message);
  uint64_t nextInvocationSeq() { return ++invocationSeq_; }
  static size_t nearHeapLimit(void* data, size_t current, size_t initial);

  InstanceHost& host_;
  const uint64_t id_;
  std::unique_ptr<CountingAllocator> allocator_;
  v8::Isolate* isolate_ = nullptr;
  v8::Global<v8::Context> context_;
  v8::Global<v8::Object> hooks_;  // what the prelude returned
  v8::Global<v8::Function> lambda_;
  std::shared_ptr<const FunctionSource> function_;
  std::map<std::string, std::string> env_;

  std::map<uint64_t, std::unique_ptr<Inflight>> inflight_;
  std::map<uint32_t, TimerState> timers_;
  std::map<uint64_t, HostCall> hostCalls_;
  std::map<std::string, Synthetic> syntheticByName_;
  std::map<int, std::string> syntheticByHash_;
  struct Rejection {
    uint64_t owner;
    v8::Global<v8::Promise> promise;
    v8::Global<v8::Value> reason;
  };
  std::vector<Rejection> rejections_;  // rejected with no handler (yet), this task
  std::vector<LogEntry> topLevelLogs_;  // logged outside any invocation; go to the next one
  uint64_t current_ = 0;
  uint64_t invocationSeq_ = 0;
  uint32_t nextTimerId_ = 1;
  uint64_t nextHostCallId_ = 1;
  bool dead_ = false;
  bool memoryExceeded_ = false;
  bool lastRunTimedOut_ = false;
  int64_t memoryUsage_ = 0;
  int64_t lastUsedUs_ = 0;
  uint32_t tasks_ = 0, longTasks_ = 0;  // see noteTask
  size_t heapLimitExtensions_ = 0;
  int runsSinceMemoryRefresh_ = 0;
};

}  // namespace parley::runtime
