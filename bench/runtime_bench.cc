// Micro-benchmarks of the runtime through its public API (runtime/invoker.h).
//
// Every benchmark uses one worker, so the figures are per core. What is measured:
//   BM_ColdStart/spare:1/pause_ms:15
//                             new version key -> first result, the worker had a spare sandbox
//                             (isolate + context + prelude) ready; iterations are paced so the
//                             worker refills its spare while the clock is stopped.
//   BM_ColdStart/spare:0/pause_ms:15
//                             the same with sparePerWorker = 0: the isolate is built on demand.
//   BM_ColdStart/spare:0/pause_ms:0
//                             back-to-back cold starts without a spare (worker never idle).
//   BM_ColdStart/spare:*/pause_ms:{3,50}
//                             the same after shorter and longer idle times: on the machines
//                             measured, the same work costs more the longer the worker was idle.
//   BM_WarmInvoke/<placement> invokeSync on a warm instance, JSON object in and out; includes the
//                             hop to the worker thread and back.
//   BM_WarmInvokeV2Async/<placement>
//                             the same with `async function lambda(input)`.
//   BM_WarmInvokeInFlight/<placement>/k:64
//                             K invocations submitted with Invoker::invoke before waiting for
//                             any: throughput (items_per_second) with the hop amortised.
//   BM_WarmValidateHop/<placement>
//                             Invoker::validate of a warm version: the worker looks the instance
//                             up and answers, no JavaScript. The closest thing to an empty hop
//                             through the worker queue that the public API offers.
//   BM_ThreadHopBaseline/<placement>
//                             a replica of the worker's queue (mutex + condition variable +
//                             std::function, promise/future on the caller's side) running an
//                             empty task: what the thread hop alone costs on this machine.
//   BM_ColdStartProcess, BM_WarmInvokeProcess, BM_WarmInvokeInFlightProcess
//                             the same through Isolation::kProcess: the worker is a
//                             `parley runtime-worker` child process (the parley binary must be
//                             built); every invocation crosses a socketpair both ways.
// <placement> is where the calling thread and the worker thread run: `any` (the scheduler
// decides), `same_cpu` (both pinned to one CPU) or `cross_cpu` (pinned to two different CPUs).
// It matters: on a virtual machine, waking a thread on an idle vCPU can cost far more than
// handing the CPU over to it. Threads inherit the affinity of the thread that creates them, so
// the benchmark pins itself before creating the Invoker (its worker and watchdog threads follow).
//
// Counters: p50_us / p90_us are percentiles of the individual iterations of a repetition (with
// --benchmark_repetitions, the median aggregate is their median over repetitions); exec_p50_us
// is the runtime's own InvocationResult::durationUs (whole microseconds): time on the worker from
// the start of the invocation (after loading, for a cold start) to its completion.
// bench/run.sh chooses iterations and repetitions; see it for the flags used.
//
// PARLEY_BENCH_V8_FLAGS (environment): extra V8 flags, set after the runtime initialised V8 and
// before any isolate exists, for what-if experiments (docs/performance.md); bench/run.sh does
// not set it.
//
// No timing is asserted anywhere; bench/run.sh --smoke only proves that these run.
#include <benchmark/benchmark.h>
#include <pthread.h>
#include <sched.h>
#include <unistd.h>
#include <v8.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "runtime/host_services.h"
#include "runtime/invoker.h"
#include "runtime/v8_process.h"

namespace parley::runtime {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kColdCode =
    "function lambda(input, callback){ callback(null, input.payload.n + 1) }";
constexpr const char* kColdInput = R"({"payload":{"n":41}})";

constexpr const char* kWarmV1Code =
    "function lambda(input, callback) {\n"
    "  const p = input.payload;\n"
    "  callback(null, {n: p.n + 1, greeting: 'hi ' + p.name});\n"
    "}\n";
constexpr const char* kWarmV2Code =
    "async function lambda(input) {\n"
    "  const p = input.payload;\n"
    "  return {n: p.n + 1, greeting: 'hi ' + p.name};\n"
    "}\n";
constexpr const char* kWarmInput = R"({"headers":[],"payload":{"n":41,"name":"x"}})";
constexpr const char* kWarmExpected = R"({"n":42,"greeting":"hi x"})";

// Time the worker gets, with the clock stopped, to rebuild its spare sandbox after a cold start
// took it (an isolate + context + prelude costs ~2 ms here; generous for a noisy shared machine).
// Both spare:0 and spare:1 are measured with the same pause between iterations, so they differ
// only by the spare; spare:0/pause_ms:0 shows what back-to-back cold starts cost (the worker
// never goes idle).
constexpr int64_t kSpareRefillPauseMs = 15;

std::shared_ptr<const FunctionSource> makeFunction(std::string key, std::string code) {
  auto fn = std::make_shared<FunctionSource>();
  fn->key = std::move(key);
  fn->name = "bench.js";
  fn->code = std::move(code);
  return fn;
}

InvocationRequest makeRequest(std::shared_ptr<const FunctionSource> fn, const char* input) {
  InvocationRequest r;
  r.function = std::move(fn);
  r.inputJson = input;
  r.context.invocationId = "bench";
  r.context.trigger = Trigger::kLocal;
  return r;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  size_t k = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

void setPercentiles(benchmark::State& state, const std::vector<double>& samplesUs,
                    const std::vector<double>& execUs) {
  state.counters["p50_us"] = percentile(samplesUs, 0.5);
  state.counters["p90_us"] = percentile(samplesUs, 0.9);
  if (!execUs.empty()) state.counters["exec_p50_us"] = percentile(execUs, 0.5);
}

bool check(benchmark::State& state, const InvocationResult& r, const char* expected) {
  if (r.ok() && r.resultJson == expected) return true;
  std::string what =
      r.ok() ? "unexpected result " + r.resultJson : r.errorCode + ": " + r.errorMessage;
  state.SkipWithError(what.c_str());
  return false;
}

// The `parley` binary, which serves `parley runtime-worker` for process isolation (set by
// bench/CMakeLists.txt).
#ifdef PARLEY_CLI_BINARY
constexpr const char* kCliBinary = PARLEY_CLI_BINARY;
#else
constexpr const char* kCliBinary = "";
#endif

std::unique_ptr<Invoker> makeInvoker(HostServices* host, int sparePerWorker,
                                     Isolation isolation = Isolation::kThread) {
  InvokerOptions options;
  options.workers = 1;
  options.sparePerWorker = sparePerWorker;
  options.isolation = isolation;
  if (isolation == Isolation::kProcess) options.workerExecutable = kCliBinary;
  return Invoker::create(options, host);
}

bool processIsolationAvailable(benchmark::State& state) {
  if (*kCliBinary && access(kCliBinary, X_OK) == 0) return true;
  state.SkipWithError("the parley binary (runtime-worker) is not built");
  return false;
}

// ---------------------------------------------------------------------------------------------
// Thread placement.

enum class Placement { kAny, kSameCpu, kCrossCpu };

// Pins the calling thread for the lifetime of the object (restores its affinity afterwards).
// Construct it before creating the worker thread(s), then call placeCaller() once they exist.
class Pinning {
 public:
  Pinning(benchmark::State& state, Placement placement) : placement_(placement) {
    CPU_ZERO(&saved_);
    pthread_getaffinity_np(pthread_self(), sizeof(saved_), &saved_);
    if (placement_ == Placement::kAny) return;
    for (int cpu = 0; cpu < CPU_SETSIZE && found_ < 2; ++cpu) {
      if (CPU_ISSET(cpu, &saved_)) cpus_[found_++] = cpu;
    }
    if (found_ < (placement_ == Placement::kCrossCpu ? 2 : 1)) {
      state.SkipWithError("this placement needs two CPUs");
      ok_ = false;
      return;
    }
    ok_ = pin(cpus_[0]);  // the threads created from now on start on this CPU
    if (!ok_) state.SkipWithError("pthread_setaffinity_np failed");
  }
  ~Pinning() { pthread_setaffinity_np(pthread_self(), sizeof(saved_), &saved_); }
  Pinning(const Pinning&) = delete;
  Pinning& operator=(const Pinning&) = delete;

  bool ok() const { return ok_; }
  // Moves the caller to its own CPU for cross_cpu; same_cpu and any stay where they are.
  void placeCaller(benchmark::State& state) {
    if (!ok_ || placement_ != Placement::kCrossCpu) return;
    ok_ = pin(cpus_[1]);
    if (!ok_) state.SkipWithError("pthread_setaffinity_np failed");
  }

 private:
  static bool pin(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return pthread_setaffinity_np(pthread_self(), sizeof(set), &set) == 0;
  }

  const Placement placement_;
  cpu_set_t saved_;
  int cpus_[2] = {0, 0};
  int found_ = 0;
  bool ok_ = true;
};

// ---------------------------------------------------------------------------------------------
// Cold start: a version key never seen before, to its first result.

void coldStart(benchmark::State& state, Isolation isolation) {
  const int spare = static_cast<int>(state.range(0));
  const auto pause = std::chrono::milliseconds(state.range(1));
  if (isolation == Isolation::kProcess && !processIsolationAvailable(state)) return;
  NoHostServices host;
  auto invoker = makeInvoker(&host, spare, isolation);
  // A warm function used as a barrier: once it answers, everything posted before it (the
  // eviction of the previous iteration's instance) has run on the worker.
  auto barrier = makeFunction("bench-barrier", kColdCode);
  if (!check(state, invoker->invokeSync(makeRequest(barrier, kColdInput)), "42")) return;
  std::this_thread::sleep_for(pause);

  static std::atomic<int64_t> seq{0};
  std::vector<double> samples;
  std::vector<double> exec;
  for (auto _ : state) {
    auto fn = makeFunction("bench-cold-" + std::to_string(seq++), kColdCode);
    InvocationRequest request = makeRequest(fn, kColdInput);
    auto t0 = Clock::now();
    InvocationResult r = invoker->invokeSync(std::move(request));
    auto t1 = Clock::now();
    double us = std::chrono::duration<double, std::micro>(t1 - t0).count();
    state.SetIterationTime(us / 1e6);
    if (!check(state, r, "42")) break;
    if (!r.coldStart) {
      state.SkipWithError("expected a cold start");
      break;
    }
    samples.push_back(us);
    exec.push_back(static_cast<double>(r.durationUs));
    // Not timed: drop the instance (so memory stays flat), wait until the worker did it, and
    // give it time to build its next spare.
    invoker->evict(fn->key);
    if (!check(state, invoker->invokeSync(makeRequest(barrier, kColdInput)), "42")) break;
    std::this_thread::sleep_for(pause);
  }
  setPercentiles(state, samples, exec);
}

void BM_ColdStart(benchmark::State& state) {
  coldStart(state, Isolation::kThread);
}
BENCHMARK(BM_ColdStart)
    ->ArgNames({"spare", "pause_ms"})
    ->Args({1, kSpareRefillPauseMs})
    ->Args({0, kSpareRefillPauseMs})
    ->Args({0, 0})
    // How the time the worker was idle before a cold start changes it (bench/run.sh runs these
    // separately, with fewer repetitions).
    ->Args({1, 3})
    ->Args({0, 3})
    ->Args({1, 50})
    ->Args({0, 50})
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);

// The same through process isolation (a `parley runtime-worker` child holds the isolates).
void BM_ColdStartProcess(benchmark::State& state) {
  coldStart(state, Isolation::kProcess);
}
BENCHMARK(BM_ColdStartProcess)
    ->ArgNames({"spare", "pause_ms"})
    ->Args({1, kSpareRefillPauseMs})
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);

// ---------------------------------------------------------------------------------------------
// Warm invocations.

void warmInvoke(benchmark::State& state, Placement placement, const char* code, const char* key,
                Isolation isolation = Isolation::kThread) {
  if (isolation == Isolation::kProcess && !processIsolationAvailable(state)) return;
  Pinning pinning(state, placement);
  if (!pinning.ok()) return;
  NoHostServices host;
  auto invoker = makeInvoker(&host, 0, isolation);
  pinning.placeCaller(state);
  auto fn = makeFunction(key, code);
  if (!check(state, invoker->invokeSync(makeRequest(fn, kWarmInput)), kWarmExpected)) return;
  std::vector<double> samples;
  std::vector<double> exec;
  samples.reserve(1 << 16);
  exec.reserve(1 << 16);
  for (auto _ : state) {
    auto t0 = Clock::now();
    InvocationResult r = invoker->invokeSync(makeRequest(fn, kWarmInput));
    auto t1 = Clock::now();
    if (r.coldStart || !check(state, r, kWarmExpected)) {
      if (r.coldStart) state.SkipWithError("expected a warm instance");
      break;
    }
    if (samples.size() < (1 << 16)) {
      samples.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
      exec.push_back(static_cast<double>(r.durationUs));
    }
  }
  setPercentiles(state, samples, exec);
}

void BM_WarmInvoke(benchmark::State& state, Placement placement) {
  warmInvoke(state, placement, kWarmV1Code, "bench-warm-v1");
}
BENCHMARK_CAPTURE(BM_WarmInvoke, any, Placement::kAny)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_WarmInvoke, same_cpu, Placement::kSameCpu)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_WarmInvoke, cross_cpu, Placement::kCrossCpu)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

void BM_WarmInvokeProcess(benchmark::State& state) {
  warmInvoke(state, Placement::kAny, kWarmV1Code, "bench-warm-v1", Isolation::kProcess);
}
BENCHMARK(BM_WarmInvokeProcess)->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_WarmInvokeV2Async(benchmark::State& state, Placement placement) {
  warmInvoke(state, placement, kWarmV2Code, "bench-warm-v2");
}
BENCHMARK_CAPTURE(BM_WarmInvokeV2Async, any, Placement::kAny)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_WarmInvokeV2Async, same_cpu, Placement::kSameCpu)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

// K invocations in flight at once: the caller submits them all, then waits for the last one.
void inFlight(benchmark::State& state, Placement placement, Isolation isolation) {
  const int k = static_cast<int>(state.range(0));
  if (isolation == Isolation::kProcess && !processIsolationAvailable(state)) return;
  Pinning pinning(state, placement);
  if (!pinning.ok()) return;
  NoHostServices host;
  auto invoker = makeInvoker(&host, 0, isolation);
  pinning.placeCaller(state);
  auto fn = makeFunction("bench-warm-inflight", kWarmV1Code);
  if (!check(state, invoker->invokeSync(makeRequest(fn, kWarmInput)), kWarmExpected)) return;

  std::mutex mu;
  std::condition_variable cv;
  int remaining = 0;
  std::atomic<int64_t> failures{0};
  auto t0 = Clock::now();
  for (auto _ : state) {
    {
      std::lock_guard lock(mu);
      remaining = k;
    }
    for (int i = 0; i < k; ++i) {
      invoker->invoke(makeRequest(fn, kWarmInput), [&](InvocationResult r) {
        if (!r.ok() || r.resultJson != kWarmExpected) failures.fetch_add(1);
        std::lock_guard lock(mu);
        if (--remaining == 0) cv.notify_one();
      });
    }
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return remaining == 0; });
  }
  double elapsedUs = std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
  if (failures.load() > 0) state.SkipWithError("some invocations failed");
  state.SetItemsProcessed(state.iterations() * k);
  // Wall time per invocation, amortised over the batch (a plain number, in microseconds).
  state.counters["us_per_inv"] =
      state.iterations() > 0 ? elapsedUs / static_cast<double>(state.iterations() * k) : 0;
}
void BM_WarmInvokeInFlight(benchmark::State& state, Placement placement) {
  inFlight(state, placement, Isolation::kThread);
}
BENCHMARK_CAPTURE(BM_WarmInvokeInFlight, any, Placement::kAny)
    ->ArgName("k")
    ->Arg(64)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_WarmInvokeInFlight, cross_cpu, Placement::kCrossCpu)
    ->ArgName("k")
    ->Arg(64)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

void BM_WarmInvokeInFlightProcess(benchmark::State& state) {
  inFlight(state, Placement::kAny, Isolation::kProcess);
}
BENCHMARK(BM_WarmInvokeInFlightProcess)
    ->ArgName("k")
    ->Arg(64)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

// ---------------------------------------------------------------------------------------------
// Baselines for the thread hop, measured in the same run.

void BM_WarmValidateHop(benchmark::State& state, Placement placement) {
  Pinning pinning(state, placement);
  if (!pinning.ok()) return;
  NoHostServices host;
  auto invoker = makeInvoker(&host, 0);
  pinning.placeCaller(state);
  FunctionSource fn = *makeFunction("bench-validate", kWarmV1Code);
  if (Status s = invoker->validateSync(fn); !s.ok()) {
    state.SkipWithError(s.error().message().c_str());
    return;
  }
  for (auto _ : state) {
    Status s = invoker->validateSync(fn);
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK_CAPTURE(BM_WarmValidateHop, any, Placement::kAny)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_WarmValidateHop, same_cpu, Placement::kSameCpu)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_WarmValidateHop, cross_cpu, Placement::kCrossCpu)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

// The same shape as the worker loop (worker.cc): tasks in a deque under a mutex, a condition
// variable with a timed wait, a batch swapped out and run; the caller waits on a future.
class HopThread {
 public:
  HopThread() : thread_([this] { run(); }) {}
  ~HopThread() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  HopThread(const HopThread&) = delete;
  HopThread& operator=(const HopThread&) = delete;

  void post(std::function<void()> task) {
    {
      std::lock_guard lock(mu_);
      tasks_.push_back(std::move(task));
    }
    cv_.notify_one();
  }

 private:
  void run() {
    while (true) {
      std::deque<std::function<void()>> batch;
      {
        std::unique_lock lock(mu_);
        auto ready = [&] { return stop_ || !tasks_.empty(); };
        if (!ready()) cv_.wait_for(lock, std::chrono::seconds(1), ready);
        if (stop_) break;
        batch.swap(tasks_);
      }
      for (auto& task : batch) task();
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;  // Guarded by mu_
  bool stop_ = false;                        // Guarded by mu_
  std::thread thread_;
};

void BM_ThreadHopBaseline(benchmark::State& state, Placement placement) {
  Pinning pinning(state, placement);
  if (!pinning.ok()) return;
  HopThread hop;
  pinning.placeCaller(state);
  for (auto _ : state) {
    std::promise<int> promise;
    auto future = promise.get_future();
    hop.post([&promise] { promise.set_value(1); });
    benchmark::DoNotOptimize(future.get());
  }
}
BENCHMARK_CAPTURE(BM_ThreadHopBaseline, any, Placement::kAny)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_ThreadHopBaseline, same_cpu, Placement::kSameCpu)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_ThreadHopBaseline, cross_cpu, Placement::kCrossCpu)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

// V8 is initialised once per process, on the first worker thread that builds an isolate, and its
// platform threads inherit that thread's CPU affinity: initialise it before any benchmark pins.
bool initialiseV8Unpinned() {
  NoHostServices host;
  auto invoker = makeInvoker(&host, 0);
  auto r = invoker->invokeSync(makeRequest(makeFunction("bench-init", kColdCode), kColdInput));
  if (!r.ok()) std::fprintf(stderr, "runtime_bench: warm-up failed: %s\n", r.errorMessage.c_str());
  return r.ok();
}

}  // namespace
}  // namespace parley::runtime

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  // For what-if experiments only (bench/run.sh never sets it): extra V8 flags, set right after
  // the runtime initialised V8 (so they win over the runtime's own), before any isolate exists.
  // E.g. PARLEY_BENCH_V8_FLAGS=--no-verify-snapshot-checksum.
  if (const char* flags = std::getenv("PARLEY_BENCH_V8_FLAGS"); flags && *flags) {
    parley::runtime::ensureV8();
    std::fprintf(stderr, "runtime_bench: extra V8 flags: %s\n", flags);
    v8::V8::SetFlagsFromString(flags);
  }
  if (!parley::runtime::initialiseV8Unpinned()) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
