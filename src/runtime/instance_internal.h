// Internal to the runtime: helpers shared by instance*.cc, modules.cc and bindings/. Not a
// public header; nothing outside src/runtime includes it.
#pragma once

#include <v8.h>

#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"
#include "runtime/embedded_js.h"
#include "runtime/instance.h"

namespace parley::runtime {

struct Instance::Inflight {
  InvocationRequest request;
  Completion done;
  std::vector<LogEntry> logs;
  size_t logBytes = 0;
  int64_t startUs = 0;
  int64_t deadlineUs = 0;
  bool coldStart = false;
  bool keepDebugLogs = false;
  bool logLimitHit = false;
};

// Drops a V8 Maybe/MaybeLocal whose failure is handled elsewhere (a pending exception, or
// termination, is picked up by the caller's TryCatch or by Instance::afterRun).
template <typename T>
inline void ignoreResult(T&&) {}

v8::Local<v8::String> v8str(v8::Isolate* isolate, std::string_view s);
std::string toUtf8(v8::Isolate* isolate, v8::Local<v8::Value> value);
v8::Local<v8::Value> get(v8::Local<v8::Context> context, v8::Local<v8::Object> object,
                         const char* key);
v8::Local<v8::ArrayBuffer> newArrayBuffer(v8::Isolate* isolate, std::string_view bytes);

// "Name: message" of the caught exception.
std::string exceptionMessage(v8::Isolate* isolate, const v8::TryCatch& tc);
// A syntax (or other compile) error with details {"line", "column"}.
Error compileError(v8::Isolate* isolate, v8::Local<v8::Context> context, const v8::TryCatch& tc);
// An exception thrown by the function's top level, located at the innermost frame of the
// function's own script (`scriptName`), not inside a runtime module it called.
Error topLevelError(v8::Isolate* isolate, v8::Local<v8::Context> context, const v8::TryCatch& tc,
                    const std::string& scriptName);

// Compiles an embedded script as the body of a function with the given parameter names, using
// (and filling) the shared code cache. Its script name is "parley:<name>" for runtime internals.
v8::MaybeLocal<v8::Function> compileEmbedded(v8::Isolate* isolate, v8::Local<v8::Context> context,
                                             const EmbeddedScript& script, const char* const* params,
                                             int paramCount);

namespace modules {
// v8::HostImportModuleDynamicallyCallback: `import('lodash')` from a script or module.
v8::MaybeLocal<v8::Promise> importDynamically(v8::Local<v8::Context> context,
                                              v8::Local<v8::Data> hostDefinedOptions,
                                              v8::Local<v8::Value> resourceName,
                                              v8::Local<v8::String> specifier,
                                              v8::Local<v8::FixedArray> importAssertions);
}  // namespace modules

}  // namespace parley::runtime
