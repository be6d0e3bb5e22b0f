// Plain data exchanged with the runtime: what to run (FunctionSource), one run (InvocationRequest)
// and what came of it (InvocationResult). No V8 types here: every layer may include this header.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace parley::runtime {

// Per-function limits. Defaults follow SPEC §1.
struct Limits {
  int64_t timeoutMs = 30'000;
  int64_t memoryBytes = 128LL << 20;       // V8 heap + ArrayBuffers
  int64_t maxLogEntries = 100;             // per invocation
  int64_t maxLogBytes = 64 << 10;          // per invocation, messages + extras
  int64_t maxPayloadBytes = 1 << 20;       // input JSON
  int64_t maxResultBytes = 6LL << 20;      // result JSON
};

// An immutable, deployable snapshot of a function: what the runtime compiles once and keeps warm.
struct FunctionSource {
  std::string key;   // unique per (function, version); instances are cached under it
  std::string name;  // used as the script name in stack traces, e.g. "greet.js"
  std::string code;
  std::map<std::string, std::string> env;  // process.env (platform variables are added here)
  Limits limits;
  bool allowCodeGeneration = false;  // eval / new Function
};

enum class Trigger { kHttp, kEvent, kSchedule, kTest, kOrchestrator, kLocal };
const char* triggerName(Trigger t);

// Who is invoking: passed to HostServices with every host call.
struct InvocationContext {
  std::string accountId;
  std::string functionUuid;
  std::string functionName;
  std::string invocationId;
  Trigger trigger = Trigger::kLocal;
  int orchestrationDepth = 0;  // >0 when called by another function (loop detection)
};

struct InvocationRequest {
  std::shared_ptr<const FunctionSource> function;
  // The input: `{timestamp, headers, payload}` as JSON text. Missing fields are filled in;
  // a headers object is normalised to [{key, value}].
  std::string inputJson = "{}";
  InvocationContext context;
  bool keepDebugLogs = false;  // Debug-level logs are kept only for test invocations
  uint64_t tag = 0;  // opaque to the runtime; used by the process layer to match results
};

enum class Outcome { kSucceeded, kCodingFailure, kPlatformFailure, kTimeout };
const char* outcomeName(Outcome o);

// LivePerson-compatible error codes.
namespace codes {
inline constexpr const char* kCustomFailure = "com.liveperson.faas.handler.custom-failure";
inline constexpr const char* kRuntimeException = "com.liveperson.faas.handler.runtime-exception";
inline constexpr const char* kExecutionTimeExceeded =
    "com.liveperson.faas.handler.executiontime-exceeded";
inline constexpr const char* kLogLimitReached = "com.liveperson.faas.handler.log-limit-reached";
inline constexpr const char* kMemoryExceeded = "com.liveperson.faas.handler.memory-exceeded";
inline constexpr const char* kResultTooLarge = "com.liveperson.faas.handler.result-too-large";
inline constexpr const char* kBadInput = "com.liveperson.faas.es.badinput";
inline constexpr const char* kPlatformGeneral = "com.liveperson.faas.fm.general";
}  // namespace codes

enum class LogLevel { kDebug, kInfo, kWarn, kError };
const char* logLevelName(LogLevel l);  // "Debug", "Info", "Warn", "Error"

struct LogEntry {
  LogLevel level = LogLevel::kInfo;
  std::string message;
  std::string extrasJson = "[]";  // JSON array
  int64_t timestampMs = 0;
};

struct InvocationResult {
  Outcome outcome = Outcome::kSucceeded;
  std::string resultJson;    // JSON text of the result when succeeded ("null" for undefined)
  std::string errorCode;     // LivePerson code when not succeeded
  std::string errorMessage;
  std::string errorStack;    // JS stack (function's own frames, with line numbers) if any
  std::vector<LogEntry> logs;
  int64_t durationUs = 0;    // from start of execution to completion
  bool coldStart = false;    // an instance was created for this invocation
  bool ok() const { return outcome == Outcome::kSucceeded; }
};

}  // namespace parley::runtime
