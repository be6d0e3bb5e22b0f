// Invoker: the runtime's front door. Runs functions in V8 isolates on a pool of worker threads.
//
// - Each FunctionSource (keyed by FunctionSource::key) is compiled once per worker into an
//   Instance: its own isolate, context and module state, kept warm between invocations and evicted
//   by LRU under a memory budget or after being idle.
// - Invocations are dispatched to the worker that already holds a warm instance of that version
//   when it is not busy, else to the least loaded worker. An instance may interleave invocations
//   that await (timers, host calls); CPU work runs one at a time per worker.
// - Limits (timeout, memory, logs, payload, result) end the invocation with its error code; the
//   process and the other invocations carry on.
//
// Thread-safety: all public methods are thread-safe. Completions run on a worker thread and must
// not block.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "base/result.h"
#include "runtime/host_services.h"
#include "runtime/types.h"

namespace parley::runtime {

// Where functions run.
//  - kThread: in this process, on worker threads. Fastest; V8's fatal out-of-memory aborts
//    (one huge allocation can trigger one) take the whole process down. For tests and tools.
//  - kProcess: in `parley runtime-worker` child processes, one worker thread each. A child that
//    dies (fatal OOM, a hard deadline kill) is replaced; only its in-flight invocations fail.
enum class Isolation { kThread, kProcess };

struct InvokerOptions {
  Isolation isolation = Isolation::kThread;
  std::string workerExecutable = "/proc/self/exe";  // kProcess: the parley binary
  int workers = 0;                             // 0: one per usable CPU (base/cpus.h)
  int64_t instanceMemoryBudgetBytes = 2LL << 30;  // across all workers
  int64_t idleInstanceTtlMs = 15 * 60 * 1000;     // idle instances evicted after this
  int sparePerWorker = 1;  // pre-created sandboxes per worker (take isolate setup off cold start)
};

struct InvokerStats {
  int64_t invocations = 0;
  int64_t coldStarts = 0;
  int64_t warmInstances = 0;
  int64_t evictions = 0;
  int64_t readySpares = 0;  // spare sandboxes built and waiting (in-process workers only)
};

class Invoker {
 public:
  using Completion = std::function<void(InvocationResult)>;

  // host must outlive the Invoker.
  static std::unique_ptr<Invoker> create(InvokerOptions options, HostServices* host);
  virtual ~Invoker() = default;

  // Runs one invocation; `done` is called exactly once. An input over the payload limit is
  // rejected without running (es.badinput). The input's timestamp and headers are filled in and
  // a headers map is normalised to [{key, value}] inside the runtime.
  virtual void invoke(InvocationRequest request, Completion done) = 0;
  // Convenience for tools and tests: blocks until the invocation completes.
  InvocationResult invokeSync(InvocationRequest request);

  // Loads the code on a worker (compiles it, runs its top level under the limits) and checks that
  // it defines a `lambda` or exports one. The error names the problem; its details hold
  // {"line", "column"} when known. On success the instance stays warm for the first invocation.
  virtual void validate(const FunctionSource& function, std::function<void(Status)> done) = 0;
  Status validateSync(const FunctionSource& function);

  // Drops warm instances of this key (a new version was deployed). In-flight invocations finish.
  virtual void evict(const std::string& key) = 0;

  virtual InvokerStats stats() const = 0;
};

}  // namespace parley::runtime
