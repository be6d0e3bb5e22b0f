#include "runtime/v8_process.h"

#include <libplatform/libplatform.h>

#include <atomic>
#include <deque>
#include <map>
#include <mutex>

namespace parley::runtime {

namespace {
std::once_flag v8Once;
std::unique_ptr<v8::Platform> platformInstance;
}  // namespace

v8::Platform* ensureV8() {
  std::call_once(v8Once, [] {
    // Functions run on our own worker threads; the platform's threads do background GC and
    // compilation. Two are plenty on small machines and keep contention with workers low.
    platformInstance = v8::platform::NewDefaultPlatform(2);
    v8::V8::InitializePlatform(platformInstance.get());
    // WebAssembly is not exposed (not in the spec; less surface), and asm.js is not translated
    // to it (it runs as the JavaScript it is): with either on, V8 builds WebAssembly's objects in
    // every new context, 4% of making a sandbox. Source positions are collected eagerly: stack
    // traces taken at a stack overflow (where V8 cannot reparse to find them) still point at the
    // right lines.
    // The snapshot's checksum is verified once per isolate by default (16% of making one); the
    // snapshot is part of the library we link, not data from outside.
    // Regular expressions compile to native code at their first use instead of starting in the
    // bytecode interpreter: V8 10.2 tiers up at the second use anyway, and the tier-up checks
    // it makes at every match cost a hot `replace(/[&<>]/g, fn)` 8% (16.2 against 17.7 us per
    // call of the comparison's template function); compiling a new expression costs the same
    // either way (docs/performance.md).
    const char flags[] =
        "--stack-trace-limit=20 --no-expose-wasm --no-enable-lazy-source-positions "
        "--no-verify-snapshot-checksum --no-regexp-tier-up --no-validate-asm";
    v8::V8::SetFlagsFromString(flags, sizeof(flags) - 1);
    v8::V8::Initialize();
  });
  return platformInstance.get();
}

namespace {
std::atomic<FatalErrorReporter> reporter{nullptr};
}  // namespace

void setFatalErrorReporter(FatalErrorReporter r) { reporter.store(r); }
FatalErrorReporter fatalErrorReporter() { return reporter.load(); }

namespace {
constexpr size_t kMaxCodeCacheEntries = 4096;
struct CodeCacheState {
  std::mutex mu;
  std::map<std::string, std::shared_ptr<const std::vector<uint8_t>>> entries;  // Guarded by mu
  std::deque<std::string> order;                                                // Guarded by mu
};
CodeCacheState& codeCacheState() {
  static CodeCacheState state;
  return state;
}
}  // namespace

CodeCacheStore& CodeCacheStore::shared() {
  static CodeCacheStore store;
  return store;
}

std::shared_ptr<const std::vector<uint8_t>> CodeCacheStore::find(const std::string& key) {
  auto& s = codeCacheState();
  std::lock_guard lock(s.mu);
  auto it = s.entries.find(key);
  return it == s.entries.end() ? nullptr : it->second;
}

void CodeCacheStore::put(const std::string& key, std::vector<uint8_t> bytes) {
  auto& s = codeCacheState();
  std::lock_guard lock(s.mu);
  if (s.entries.count(key)) return;
  s.entries[key] = std::make_shared<const std::vector<uint8_t>>(std::move(bytes));
  s.order.push_back(key);
  while (s.order.size() > kMaxCodeCacheEntries) {
    s.entries.erase(s.order.front());
    s.order.pop_front();
  }
}

}  // namespace parley::runtime
