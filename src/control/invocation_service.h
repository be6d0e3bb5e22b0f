// InvocationService: runs a function (its deployed version, or its newest saved version for
// tests), records the invocation with its logs, and enforces the account's concurrency quota.
//
// - invoke(): `done` is called exactly once, on a runtime thread, with the record and the
//   runtime's result; or with an Error before anything ran (no such function, not deployed:
//   kFailedPrecondition; over the account's rate or concurrency quota: kResourceExhausted with
//   details {"retryAfterSeconds"}).
// - invokeAsync(): returns the invocation id at once; the record is "running" until done.
// - Debug-level logs are kept only for test invocations.
// - Records keep the result only where no caller receives it: not for synchronous HTTP
//   invocations (trigger http without invokeAsync) nor orchestrator calls; yes for async, event,
//   schedule and test invocations. Invocation ids are version-7 UUIDs (time-ordered).
// - Completed records are written behind the hot path in batches (InvocationRecorder); get()
//   sees them at once, list() and logs() write what is queued before they read.
// Thread-safety: thread-safe.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "base/clock.h"
#include "control/function_service.h"
#include "control/invocation_recorder.h"
#include "runtime/invoker.h"
#include "store/store.h"

namespace parley::control {

struct InvocationOptions {
  int64_t maxConcurrentPerAccount = 100;
  int64_t maxPerSecondPerAccount = 1000;  // token bucket; bursts up to one second's worth
  int64_t retentionDays = 30;
  // The secret values an invocation read (PlatformHostServices::takeSecretValues), masked in its
  // logs and error message before they are recorded or returned. Unset: nothing is redacted.
  std::function<std::vector<std::string>(const std::string& invocationId)> takeSecretValues;
  // Told when an invocation has its result (any outcome), before it is recorded: what the
  // invocation started and did not wait for can stop (HttpHost::invocationEnded). Unset: nothing.
  std::function<void(const std::string& invocationId)> invocationEnded;
  // How often finished invocations' records are written (InvocationRecorder).
  int recordFlushIntervalMs = 10;
};

struct InvocationOutcome {
  store::InvocationRecord record;
  runtime::InvocationResult result;
};

class InvocationService {
 public:
  using Done = std::function<void(Result<InvocationOutcome>)>;

  InvocationService(store::Store& store, runtime::Invoker& invoker, FunctionService& functions,
                    const Clock& clock, InvocationOptions options = {});

  void invoke(const std::string& accountId, const std::string& ref, std::string inputJson,
              runtime::Trigger trigger, Done done);
  // invoke() with the record id chosen by the caller (a fresh UUID): the orchestrator registers
  // the call chain under it before the function can make host calls.
  void invokeWithId(const std::string& accountId, const std::string& ref, std::string inputJson,
                    runtime::Trigger trigger, std::string id, Done done);
  Result<std::string> invokeAsync(const std::string& accountId, const std::string& ref,
                                  std::string inputJson, runtime::Trigger trigger);
  Result<store::InvocationRecord> get(const std::string& accountId, const std::string& id);
  // Records of the account, newest first, without logs (store::InvocationQuery). Records still
  // queued for writing are written first: every invocation finished before the call is listed.
  Result<std::vector<store::InvocationRecord>> list(const store::InvocationQuery& q);
  // Log lines (store::LogQuery), of every invocation finished before the call (as list()).
  Result<std::vector<store::LogLine>> logs(const store::LogQuery& q);
  // Observers of every recorded invocation (live tail, metrics). Wiring time only.
  void addRecordObserver(RecordObserver* observer) { recorder_.addObserver(observer); }
  // Invocations running now, all accounts.
  int64_t running();
  // Deletes records (and their logs) of invocations started more than retentionDays ago.
  Status purgeExpired();
  int64_t retentionDays() const { return options_.retentionDays; }

 private:
  // Starts the invocation; `id` is the record's id (made here when empty).
  void run(const std::string& accountId, const std::string& ref, std::string inputJson,
           runtime::Trigger trigger, std::string id, Done done);
  // Takes a rate token and a concurrency slot, or says why not (kResourceExhausted).
  Status acquire(const std::string& accountId);
  void release(const std::string& accountId);

  store::Store& store_;
  runtime::Invoker& invoker_;
  FunctionService& functions_;
  const Clock& clock_;
  const InvocationOptions options_;
  InvocationRecorder recorder_;
  std::mutex mu_;
  struct Bucket {
    double tokens = 0;
    int64_t refilledAtMs = 0;
  };
  std::map<std::string, int64_t> running_;  // per account; Guarded by mu_
  std::map<std::string, Bucket> buckets_;   // per account; Guarded by mu_
};

}  // namespace parley::control
