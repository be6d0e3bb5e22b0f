// Process-wide V8 state. V8 can be initialised only once per process and never re-initialised,
// so this is the one deliberate global of the runtime: initialised on first use (thread-safe),
// kept until exit. Also holds the code caches shared by all isolates (V8 code cache data is
// isolate-independent).
#pragma once

#include <v8.h>

#include <memory>
#include <string>
#include <vector>

namespace parley::runtime {

// Initialises V8 and its platform once; safe to call from any thread, any number of times.
v8::Platform* ensureV8();

// Called with the tag of the running invocation (0 if none) when an isolate reaches its heap
// limit ("heap limit": termination was requested, the process may still be fine) and on V8's
// fatal out-of-memory path just before V8 aborts the process. Set once at start-up.
using FatalErrorReporter = void (*)(uint64_t tag, const char* what);
void setFatalErrorReporter(FatalErrorReporter reporter);
FatalErrorReporter fatalErrorReporter();

// Code cache bytes shared by all isolates, keyed by a caller-chosen key (module name or function
// version key + source hash). Thread-safe. Bounded: the oldest entries are dropped.
class CodeCacheStore {
 public:
  static CodeCacheStore& shared();
  std::shared_ptr<const std::vector<uint8_t>> find(const std::string& key);
  void put(const std::string& key, std::vector<uint8_t> bytes);
};

}  // namespace parley::runtime
