// Memory per idle warm instance.
//
// Usage: instance_memory [N ...]                 (default: 100 1000)
//        instance_memory --breakdown [N ...]     (default: 100)
//        instance_memory --spares [N ...]        (default: 100)
//        instance_memory --budget-mib=M [N ...]  (a real budget: how many instances it keeps)
//
// For each N, in a fresh child process (V8 can be initialised once per process, and memory freed
// by an earlier measurement would blur the next one): one worker, no spare sandbox, a budget far
// above what N instances need, and no idle eviction. One invocation of a baseline function first
// (V8 and the embedded JavaScript initialised, the worker's first isolate built), then the
// resident set size is read; then N distinct tiny functions (distinct keys and code) are loaded
// by invoking each once; with the worker idle and after malloc_trim(0), the RSS is read again.
// Prints one JSON line per N:
//   {"n":…, "rss_before_bytes":…, "rss_after_bytes":…, "bytes_per_instance":…,
//    "warm_instances":…, "evictions":…, "anon_after_bytes":…, "load_ms":…}
// bytes_per_instance = (rss_after - rss_before) / N. RSS from /proc/self/statm, the anonymous
// part from /proc/self/smaps_rollup when present.
//
// --breakdown: where an instance's memory goes, with V8 alone (no runtime): N bare isolates
// created with the runtime's heap constraints, then a context in each, then a tiny script
// compiled and run in each, then a code cache created from each script; RSS per step and V8's
// own heap statistics (after the contexts) averaged over the isolates. One JSON line per N:
//   {"breakdown":true, "n":…, "isolate_bytes":…, "context_bytes":…, "script_bytes":…,
//    "create_code_cache_bytes":…, "code_cache_length":…, "heap_total_physical_bytes":…,
//    "heap_used_bytes":…, "malloced_bytes":…}
// The rest of a runtime instance (the prelude, bindings, the function) is the difference with
// bytes_per_instance.
//
// --spares: one worker keeping N spare sandboxes (isolate + context + prelude, no function), RSS
// per spare once all are built: {"spares":true, "n":…, "bytes_per_spare":…}. The difference with
// bytes_per_instance is what loading the function and invoking it once add.
//
// --budget-mib=M: the same load with instanceMemoryBudgetBytes = M MiB, so the runtime evicts by
// its own accounting (Instance::memoryUsage); warm_instances then shows how many instances it
// counts as fitting in M MiB, to compare with the RSS they really take.
#include <malloc.h>
#include <sys/wait.h>
#include <unistd.h>
#include <v8.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "runtime/host_services.h"
#include "runtime/invoker.h"
#include "runtime/types.h"
#include "runtime/v8_process.h"

namespace {

using parley::runtime::FunctionSource;
using parley::runtime::InvocationRequest;
using parley::runtime::Invoker;
using parley::runtime::InvokerOptions;
using parley::runtime::NoHostServices;

int64_t rssBytes() {
  std::ifstream statm("/proc/self/statm");
  int64_t size = 0, resident = 0;
  statm >> size >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}

// Anonymous resident memory (heap, isolates), -1 when smaps_rollup is unavailable.
int64_t anonBytes() {
  std::ifstream in("/proc/self/smaps_rollup");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("Anonymous:", 0) == 0) {
      std::istringstream fields(line.substr(10));
      int64_t kb = 0;
      fields >> kb;
      return kb * 1024;
    }
  }
  return -1;
}

std::shared_ptr<const FunctionSource> tinyFunction(const std::string& key, int i) {
  auto fn = std::make_shared<FunctionSource>();
  fn->key = key;
  fn->name = key + ".js";
  fn->code = "function lambda(input, callback){ callback(null, input.payload.n + " +
             std::to_string(i) + ") }";
  return fn;
}

bool invokeOnce(Invoker& invoker, std::shared_ptr<const FunctionSource> fn, int i) {
  InvocationRequest request;
  request.function = std::move(fn);
  request.inputJson = R"({"payload":{"n":41}})";
  auto r = invoker.invokeSync(std::move(request));
  if (!r.ok() || r.resultJson != std::to_string(41 + i)) {
    std::fprintf(stderr, "invocation %d failed: %s %s %s\n", i, r.errorCode.c_str(),
                 r.errorMessage.c_str(), r.resultJson.c_str());
    return false;
  }
  return true;
}

void settle() {
  // The worker is idle once invokeSync returned and nothing else is queued; give it a moment to
  // reach its wait, then hand freed memory back to the system.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  malloc_trim(0);
}

// What-if experiments only (bench/run.sh never sets it): extra V8 flags from
// PARLEY_BENCH_V8_FLAGS, set right after the runtime initialised V8 (so they win over its own).
void applyExtraV8Flags() {
  parley::runtime::ensureV8();
  if (const char* flags = std::getenv("PARLEY_BENCH_V8_FLAGS"); flags && *flags) {
    std::fprintf(stderr, "instance_memory: extra V8 flags: %s\n", flags);
    v8::V8::SetFlagsFromString(flags);
  }
}

int measure(int n, int64_t budgetBytes) {
  applyExtraV8Flags();
  NoHostServices host;
  InvokerOptions options;
  options.workers = 1;
  options.sparePerWorker = 0;
  options.instanceMemoryBudgetBytes = budgetBytes > 0 ? budgetBytes : 1LL << 40;
  options.idleInstanceTtlMs = 24LL * 3600 * 1000;
  auto invoker = Invoker::create(options, &host);

  if (!invokeOnce(*invoker, tinyFunction("baseline", 0), 0)) return 1;
  settle();
  int64_t before = rssBytes();
  int64_t anonBefore = anonBytes();

  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::shared_ptr<const FunctionSource>> functions;
  for (int i = 1; i <= n; ++i) {
    functions.push_back(tinyFunction("fn-" + std::to_string(i), i));
    if (!invokeOnce(*invoker, functions.back(), i)) return 1;
  }
  auto t1 = std::chrono::steady_clock::now();
  settle();
  int64_t after = rssBytes();
  int64_t anonAfter = anonBytes();
  auto stats = invoker->stats();

  std::printf(
      "{\"n\":%d,\"rss_before_bytes\":%lld,\"rss_after_bytes\":%lld,\"bytes_per_instance\":%lld,"
      "\"anon_before_bytes\":%lld,\"anon_after_bytes\":%lld,\"anon_bytes_per_instance\":%lld,"
      "\"warm_instances\":%lld,\"evictions\":%lld,\"budget_bytes\":%lld,\"load_ms\":%.1f}\n",
      n, static_cast<long long>(before), static_cast<long long>(after),
      static_cast<long long>((after - before) / n), static_cast<long long>(anonBefore),
      static_cast<long long>(anonAfter),
      static_cast<long long>(anonBefore >= 0 ? (anonAfter - anonBefore) / n : -1),
      static_cast<long long>(stats.warmInstances), static_cast<long long>(stats.evictions),
      static_cast<long long>(budgetBytes),
      std::chrono::duration<double, std::milli>(t1 - t0).count());
  std::fflush(stdout);
  if (budgetBytes <= 0 && (stats.warmInstances != n + 1 || stats.evictions != 0)) {
    std::fprintf(stderr, "expected %d warm instances and no eviction\n", n + 1);
    return 1;
  }
  return 0;
}

// --spares: the memory of a spare sandbox (isolate + context + prelude, no function loaded): one
// worker told to keep N spares, measured once it has built them all.
int spares(int n) {
  applyExtraV8Flags();
  NoHostServices host;
  {
    // Process-wide state (V8, the prelude's code cache) first, then nothing of it is left running.
    InvokerOptions options;
    options.workers = 1;
    options.sparePerWorker = 0;
    auto warmup = Invoker::create(options, &host);
    if (!invokeOnce(*warmup, tinyFunction("baseline", 0), 0)) return 1;
  }
  settle();
  int64_t before = rssBytes();
  InvokerOptions options;
  options.workers = 1;
  options.sparePerWorker = n;
  auto invoker = Invoker::create(options, &host);
  // The worker builds spares while idle, one after the other: wait until the RSS stops growing.
  int64_t last = -1;
  int stable = 0;
  for (int i = 0; i < 600 && stable < 5; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    int64_t now = rssBytes();
    stable = now == last ? stable + 1 : 0;
    last = now;
  }
  settle();
  int64_t after = rssBytes();
  std::printf(
      "{\"spares\":true,\"n\":%d,\"rss_before_bytes\":%lld,\"rss_after_bytes\":%lld,"
      "\"bytes_per_spare\":%lld}\n",
      n, static_cast<long long>(before), static_cast<long long>(after),
      static_cast<long long>((after - before) / n));
  std::fflush(stdout);
  return 0;
}

int breakdown(int n) {
  applyExtraV8Flags();  // V8 with the runtime's flags
  std::unique_ptr<v8::ArrayBuffer::Allocator> allocator(
      v8::ArrayBuffer::Allocator::NewDefaultAllocator());
  auto newIsolate = [&] {
    v8::Isolate::CreateParams params;
    params.array_buffer_allocator = allocator.get();
    params.constraints.ConfigureDefaultsFromHeapSize(
        0, static_cast<size_t>(parley::runtime::Limits{}.memoryBytes));
    return v8::Isolate::New(params);
  };
  // One isolate and context first, so what every process pays once is in the baseline.
  v8::Isolate* first = newIsolate();
  {
    v8::Isolate::Scope scope(first);
    v8::HandleScope handles(first);
    v8::Context::New(first);
  }
  settle();
  int64_t before = rssBytes();

  std::vector<v8::Isolate*> isolates;
  for (int i = 0; i < n; ++i) isolates.push_back(newIsolate());
  settle();
  int64_t withIsolates = rssBytes();

  std::vector<v8::Global<v8::Context>> contexts;
  for (v8::Isolate* isolate : isolates) {
    v8::Isolate::Scope scope(isolate);
    v8::HandleScope handles(isolate);
    contexts.emplace_back(isolate, v8::Context::New(isolate));
  }
  settle();
  int64_t withContexts = rssBytes();

  double physical = 0, used = 0, malloced = 0;
  for (v8::Isolate* isolate : isolates) {
    v8::HeapStatistics stats;
    isolate->GetHeapStatistics(&stats);
    physical += static_cast<double>(stats.total_physical_size());
    used += static_cast<double>(stats.used_heap_size());
    malloced += static_cast<double>(stats.malloced_memory());
  }
  // A tiny script compiled and run in each context, then a code cache made from it (as
  // Instance::loadScript does for a function's own code).
  std::vector<v8::Global<v8::UnboundScript>> scripts;
  for (size_t i = 0; i < isolates.size(); ++i) {
    v8::Isolate* isolate = isolates[i];
    v8::Isolate::Scope scope(isolate);
    v8::HandleScope handles(isolate);
    v8::Local<v8::Context> context = contexts[i].Get(isolate);
    v8::Context::Scope contextScope(context);
    std::string code = tinyFunction("x", static_cast<int>(i))->code;
    v8::ScriptCompiler::Source source(v8::String::NewFromUtf8(isolate, code.data(),
                                                              v8::NewStringType::kNormal,
                                                              static_cast<int>(code.size()))
                                          .ToLocalChecked());
    v8::Local<v8::Script> script = v8::ScriptCompiler::Compile(context, &source).ToLocalChecked();
    v8::Local<v8::Value> result;
    if (!script->Run(context).ToLocal(&result)) {
      std::fprintf(stderr, "the tiny script did not run\n");
      return 1;
    }
    scripts.emplace_back(isolate, script->GetUnboundScript());
  }
  settle();
  int64_t withScripts = rssBytes();
  int64_t cacheBytes = 0;
  for (size_t i = 0; i < isolates.size(); ++i) {
    v8::Isolate::Scope scope(isolates[i]);
    v8::HandleScope handles(isolates[i]);
    std::unique_ptr<v8::ScriptCompiler::CachedData> cache(
        v8::ScriptCompiler::CreateCodeCache(scripts[i].Get(isolates[i])));
    if (cache) cacheBytes += cache->length;
  }
  settle();
  int64_t withCodeCache = rssBytes();

  std::printf(
      "{\"breakdown\":true,\"n\":%d,\"isolate_bytes\":%lld,\"context_bytes\":%lld,"
      "\"script_bytes\":%lld,\"create_code_cache_bytes\":%lld,\"code_cache_length\":%lld,"
      "\"heap_total_physical_bytes\":%.0f,\"heap_used_bytes\":%.0f,\"malloced_bytes\":%.0f}\n",
      n, static_cast<long long>((withIsolates - before) / n),
      static_cast<long long>((withContexts - withIsolates) / n),
      static_cast<long long>((withScripts - withContexts) / n),
      static_cast<long long>((withCodeCache - withScripts) / n),
      static_cast<long long>(cacheBytes / n), physical / n, used / n, malloced / n);
  std::fflush(stdout);

  for (size_t i = 0; i < isolates.size(); ++i) {
    {
      v8::Isolate::Scope scope(isolates[i]);
      scripts[i].Reset();
      contexts[i].Reset();
    }
    isolates[i]->Dispose();
  }
  first->Dispose();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  bool split = false;
  bool spareMode = false;
  int64_t budgetBytes = 0;
  std::vector<int> sizes;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--breakdown") {
      split = true;
      continue;
    }
    if (arg == "--spares") {
      spareMode = true;
      continue;
    }
    if (arg.rfind("--budget-mib=", 0) == 0) {
      budgetBytes = std::atoll(arg.c_str() + 13) << 20;
      continue;
    }
    int n = std::atoi(argv[i]);
    if (n <= 0) {
      std::fprintf(stderr, "usage: %s [--breakdown | --spares | --budget-mib=M] [N ...]  (N > 0)\n",
                   argv[0]);
      return 2;
    }
    sizes.push_back(n);
  }
  if (sizes.empty()) {
    sizes = split || spareMode ? std::vector<int>{100} : std::vector<int>{100, 1000};
  }

  int status = 0;
  for (int n : sizes) {
    std::fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) return 1;
    if (pid == 0) {
      int rc = split ? breakdown(n) : spareMode ? spares(n) : measure(n, budgetBytes);
      std::fflush(stdout);
      _exit(rc);  // skip static destructors: V8 is torn down with the process
    }
    int ws = 0;
    waitpid(pid, &ws, 0);
    if (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0) status = 1;
  }
  return status;
}
