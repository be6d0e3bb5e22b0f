#include "control/invocation_service.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>

#include "base/strings.h"
#include "vault/redaction.h"

namespace parley::control {

namespace {

store::InvocationRecord recordOf(const std::string& id, const std::string& accountId,
                                 const FunctionService::Runnable& r, runtime::Trigger trigger,
                                 int64_t startedAt) {
  store::InvocationRecord rec;
  rec.id = id;
  rec.accountId = accountId;
  rec.functionUuid = r.function.uuid;
  rec.version = r.version;
  rec.trigger = runtime::triggerName(trigger);
  rec.status = "running";
  rec.startedAt = startedAt;
  return rec;
}

void fill(store::InvocationRecord& rec, const runtime::InvocationResult& r, int64_t finishedAt,
          bool keepResult) {
  rec.status = "done";
  rec.outcome = runtime::outcomeName(r.outcome);
  rec.errorCode = r.errorCode;
  rec.errorMessage = r.errorMessage;
  rec.resultJson = r.ok() && keepResult ? r.resultJson : "";
  rec.durationUs = r.durationUs;
  rec.coldStart = r.coldStart;
  rec.finishedAt = finishedAt;
  rec.logs.clear();
  for (const runtime::LogEntry& l : r.logs) {
    rec.logs.push_back({runtime::logLevelName(l.level), l.message, l.extrasJson, l.timestampMs});
  }
}

// Masks the secret values the invocation read in its logs and error (kept and shown).
void redactSecrets(runtime::InvocationResult& r, const vault::Redactor& redactor) {
  for (runtime::LogEntry& l : r.logs) {
    l.message = redactor.redact(l.message);
    l.extrasJson = redactor.redact(l.extrasJson);
  }
  r.errorMessage = redactor.redact(r.errorMessage);
  r.errorStack = redactor.redact(r.errorStack);
}

}  // namespace

InvocationService::InvocationService(store::Store& store, runtime::Invoker& invoker,
                                     FunctionService& functions, const Clock& clock,
                                     InvocationOptions options)
    : store_(store),
      invoker_(invoker),
      functions_(functions),
      clock_(clock),
      options_(options),
      recorder_(store, options_.recordFlushIntervalMs) {}

Status InvocationService::acquire(const std::string& accountId) {
  std::lock_guard lock(mu_);
  const double rate = static_cast<double>(options_.maxPerSecondPerAccount);
  int64_t now = clock_.nowMs();
  Bucket& b = buckets_[accountId];
  if (b.refilledAtMs == 0) b.tokens = rate;
  b.tokens = std::min(rate, b.tokens + rate * static_cast<double>(now - b.refilledAtMs) / 1000.0);
  b.refilledAtMs = now;
  if (b.tokens < 1.0) {
    int64_t wait = static_cast<int64_t>(std::ceil((1.0 - b.tokens) / rate));
    return Error::resourceExhausted("Account '" + accountId + "' is over its rate of " +
                                    std::to_string(options_.maxPerSecondPerAccount) +
                                    " invocations per second; retry shortly")
        .withDetails("{\"retryAfterSeconds\":" + std::to_string(std::max<int64_t>(1, wait)) + "}");
  }
  int64_t& n = running_[accountId];
  if (n >= options_.maxConcurrentPerAccount) {
    return Error::resourceExhausted("Account '" + accountId + "' has " +
                                    std::to_string(options_.maxConcurrentPerAccount) +
                                    " invocations running, its limit; retry shortly")
        .withDetails(R"({"retryAfterSeconds":1})");
  }
  b.tokens -= 1.0;
  ++n;
  return okStatus();
}

void InvocationService::release(const std::string& accountId) {
  std::lock_guard lock(mu_);
  auto it = running_.find(accountId);
  if (it != running_.end() && --it->second <= 0) running_.erase(it);
}

void InvocationService::invoke(const std::string& accountId, const std::string& ref,
                               std::string inputJson, runtime::Trigger trigger, Done done) {
  run(accountId, ref, std::move(inputJson), trigger, {}, std::move(done));
}

void InvocationService::invokeWithId(const std::string& accountId, const std::string& ref,
                                     std::string inputJson, runtime::Trigger trigger,
                                     std::string id, Done done) {
  run(accountId, ref, std::move(inputJson), trigger, std::move(id), std::move(done));
}

void InvocationService::run(const std::string& accountId, const std::string& ref,
                            std::string inputJson, runtime::Trigger trigger, std::string id,
                            Done done) {
  auto runnable = functions_.runnable(accountId, ref,
                                      trigger == runtime::Trigger::kTest
                                          ? FunctionService::Which::kLatest
                                          : FunctionService::Which::kDeployed);
  if (!runnable.ok()) {
    done(runnable.error());
    return;
  }
  int64_t maxInput = runnable->source->limits.maxPayloadBytes;
  if (static_cast<int64_t>(inputJson.size()) > maxInput) {
    done(Error::tooLarge("The invocation input is " + std::to_string(inputJson.size()) +
                         " bytes, over the function's limit of " + std::to_string(maxInput)));
    return;
  }
  if (Status quota = acquire(accountId); !quota.ok()) {
    done(quota.error());
    return;
  }
  // A synchronous HTTP caller and a calling function get the result in their answer, so their
  // records keep the outcome without it (results run to megabytes, and writing every one was
  // most of what the store wrote). Async invocations, events, schedules and tests keep theirs.
  const bool keepResult = trigger != runtime::Trigger::kOrchestrator &&
                          !(trigger == runtime::Trigger::kHttp && id.empty());
  if (id.empty()) id = timeOrderedUuid(clock_.nowMs());
  auto record = std::make_shared<store::InvocationRecord>(
      recordOf(id, accountId, *runnable, trigger, clock_.nowMs()));
  runtime::InvocationRequest request;
  request.function = runnable->source;
  request.inputJson = std::move(inputJson);
  request.keepDebugLogs = trigger == runtime::Trigger::kTest;
  request.context.accountId = accountId;
  request.context.functionUuid = runnable->function.uuid;
  request.context.functionName = runnable->function.name;
  request.context.invocationId = id;
  request.context.trigger = trigger;
  invoker_.invoke(std::move(request), [this, record, accountId, keepResult,
                                       done = std::move(done)](runtime::InvocationResult r) {
    release(accountId);
    if (options_.invocationEnded) options_.invocationEnded(record->id);
    std::vector<std::string> secrets;
    if (options_.takeSecretValues) secrets = options_.takeSecretValues(record->id);
    std::optional<vault::Redactor> redactor;
    if (!secrets.empty()) {
      redactor.emplace(secrets);
      redactSecrets(r, *redactor);
    }
    fill(*record, r, clock_.nowMs(), keepResult);
    // The caller gets the result as the function returned it; what is kept at rest is masked.
    if (redactor && keepResult) record->resultJson = redactor->redact(record->resultJson);
    recorder_.record(*record);
    done(InvocationOutcome{std::move(*record), std::move(r)});  // the record's last use
  });
}

Result<std::string> InvocationService::invokeAsync(const std::string& accountId,
                                                   const std::string& ref, std::string inputJson,
                                                   runtime::Trigger trigger) {
  auto runnable = functions_.runnable(accountId, ref, FunctionService::Which::kDeployed);
  if (!runnable.ok()) return runnable.error();
  std::string id = timeOrderedUuid(clock_.nowMs());
  store::InvocationRecord pending = recordOf(id, accountId, *runnable, trigger, clock_.nowMs());
  if (Status s = store_.invocations().put(pending); !s.ok()) return s.error();
  run(accountId, ref, std::move(inputJson), trigger, id,
      [this, pending](Result<InvocationOutcome> r) mutable {
        if (r.ok()) return;  // recorded by run()
        // It never ran (quota, undeployed meanwhile): record why.
        pending.status = "done";
        pending.outcome = "PLATFORM_FAILURE";
        pending.errorMessage = r.error().message();
        pending.finishedAt = clock_.nowMs();
        recorder_.record(pending);
      });
  return id;
}

Result<store::InvocationRecord> InvocationService::get(const std::string& accountId,
                                                       const std::string& id) {
  if (auto queued = recorder_.pending(accountId, id)) return *queued;
  return store_.invocations().get(accountId, id);
}

Result<std::vector<store::InvocationRecord>> InvocationService::list(
    const store::InvocationQuery& q) {
  recorder_.flush();  // every invocation that finished before the question is in the answer
  return store_.invocations().query(q);
}

Result<std::vector<store::LogLine>> InvocationService::logs(const store::LogQuery& q) {
  recorder_.flush();
  return store_.invocations().logs(q);
}

int64_t InvocationService::running() {
  std::lock_guard lock(mu_);
  int64_t n = 0;
  for (const auto& [account, count] : running_) n += count;
  return n;
}

Status InvocationService::purgeExpired() {
  return store_.invocations().purgeBefore(clock_.nowMs() -
                                          options_.retentionDays * 24LL * 3600 * 1000);
}

}  // namespace parley::control
