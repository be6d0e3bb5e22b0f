// Instance: invocations in flight — starting them, their logs, timers and host calls, and turning
// what the function did into an InvocationResult.
#include <algorithm>

#include "runtime/instance.h"
#include "runtime/instance_internal.h"
#include "runtime/json_text.h"

namespace parley::runtime {

namespace {

constexpr uint64_t kDeadlineBit = 1ULL << 62;

bool isRuntimeErrorName(const std::string& name) {
  return name == "TypeError" || name == "ReferenceError" || name == "SyntaxError" ||
         name == "RangeError" || name == "EvalError" || name == "URIError";
}

// Keeps the frames of the function's own code; drops the runtime's internal frames.
std::string userStack(const std::string& stack) {
  std::string out;
  size_t i = 0;
  while (i < stack.size()) {
    size_t end = stack.find('\n', i);
    if (end == std::string::npos) end = stack.size();
    std::string line = stack.substr(i, end - i);
    if (line.find("parley:internal/") == std::string::npos) {
      if (!out.empty()) out += '\n';
      out += line;
    }
    i = end + 1;
  }
  return out;
}

}  // namespace

void Instance::start(InvocationRequest request, Completion done, bool coldStart) {
  uint64_t id = nextInvocationSeq();
  auto inv = std::make_unique<Inflight>();
  inv->startUs = host_.nowUs();
  inv->deadlineUs = inv->startUs + function_->limits.timeoutMs * 1000;
  inv->coldStart = coldStart;
  inv->keepDebugLogs = request.keepDebugLogs;
  inv->done = std::move(done);
  inv->logs = std::move(topLevelLogs_);
  topLevelLogs_.clear();
  for (const LogEntry& l : inv->logs) inv->logBytes += l.message.size() + l.extrasJson.size();
  inv->request = std::move(request);
  Inflight& ref = *inv;
  int64_t deadlineUs = ref.deadlineUs;
  inflight_.emplace(id, std::move(inv));

  run(id, [&](v8::Local<v8::Context> context) {
    v8::TryCatch tc(isolate_);
    v8::Local<v8::String> text;
    const std::string& json = ref.request.inputJson;
    v8::Local<v8::Value> input;
    if (!v8::String::NewFromUtf8(isolate_, json.data(), v8::NewStringType::kNormal,
                                 static_cast<int>(json.size()))
             .ToLocal(&text) ||
        !v8::JSON::Parse(context, text).ToLocal(&input)) {
      if (isolate_->IsExecutionTerminating()) return;
      fail(id, Outcome::kPlatformFailure, codes::kBadInput,
           "The invocation input is not valid JSON: " + exceptionMessage(isolate_, tc));
      return;
    }
    v8::Local<v8::Object> hooks = hooks_.Get(isolate_);
    v8::Local<v8::Function> runInvocation = get(context, hooks, "runInvocation").As<v8::Function>();
    v8::Local<v8::Value> args[] = {lambda_.Get(isolate_),
                                   v8::Number::New(isolate_, static_cast<double>(id)), input};
    ignoreResult(runInvocation->Call(context, hooks, 3, args));
  });
  // Still waiting for something: arm the deadline. (Invocations that finish in their first run,
  // the common case, never touch the timer queue.)
  if (inflight_.count(id)) host_.addTimer(id_, kDeadlineBit | id, deadlineUs);
}

uint64_t Instance::currentTag() const {
  auto it = inflight_.find(current_);
  return it == inflight_.end() ? 0 : it->second->request.tag;
}

void Instance::finish(uint64_t invocationId, InvocationResult result) {
  if (!inflight_.count(invocationId)) return;
  reportUnhandledRejections(invocationId);  // into this invocation's logs (if healthy)
  auto it = inflight_.find(invocationId);
  std::unique_ptr<Inflight> inv = std::move(it->second);
  inflight_.erase(it);
  // Timers an invocation leaves behind die with it.
  std::vector<uint32_t> dropped;
  for (auto t = timers_.begin(); t != timers_.end();) {
    if (t->second.owner == invocationId) {
      dropped.push_back(t->first);
      t = timers_.erase(t);
    } else {
      ++t;
    }
  }
  if (!dropped.empty() && !dead_) forgetTimersInJs(dropped);
  result.logs = std::move(inv->logs);
  result.durationUs = host_.nowUs() - inv->startUs;
  result.coldStart = inv->coldStart;
  inv->done(std::move(result));
}

void Instance::fail(uint64_t invocationId, Outcome outcome, const char* code,
                    std::string message, std::string stack) {
  InvocationResult r;
  r.outcome = outcome;
  r.errorCode = code;
  r.errorMessage = std::move(message);
  r.errorStack = std::move(stack);
  finish(invocationId, std::move(r));
}

void Instance::failAll(Outcome outcome, const char* code, const std::string& message) {
  std::vector<uint64_t> ids;
  for (auto& [id, inv] : inflight_) ids.push_back(id);
  for (uint64_t id : ids) fail(id, outcome, code, message);
}

void Instance::failTimeout(uint64_t invocationId) {
  fail(invocationId, Outcome::kTimeout, codes::kExecutionTimeExceeded,
       "Lambda Execution is taking too long: the function did not finish within its timeout of " +
           std::to_string(function_->limits.timeoutMs) + " ms");
}

// An invocation that has not finished while the instance has nothing left to wait for (no
// timers, no host calls) can never finish: say so now rather than at the timeout.
void Instance::failStuckInvocations() {
  if (inflight_.empty() || !timers_.empty() || !hostCalls_.empty()) return;
  failAll(Outcome::kCodingFailure, codes::kRuntimeException,
          "The function finished without a result: the callback was never called (or the "
          "returned promise never settled) and nothing is left to wait for");
}

void Instance::failWithException(uint64_t owner, v8::Local<v8::Context> context,
                                 v8::Local<v8::Value> exception) {
  v8::Local<v8::Object> hooks = hooks_.Get(isolate_);
  v8::Local<v8::Function> describe = get(context, hooks, "describeError").As<v8::Function>();
  v8::Local<v8::Value> args[] = {exception};
  v8::Local<v8::Value> d;
  if (describe->Call(context, hooks, 1, args).ToLocal(&d)) complete(owner, true, d);
}

void Instance::complete(uint64_t invocationId, bool failed, v8::Local<v8::Value> value) {
  auto it = inflight_.find(invocationId);
  if (it == inflight_.end()) return;  // already finished (timed out, ...)
  v8::Local<v8::Context> context = isolate_->GetCurrentContext();
  const Limits& limits = function_->limits;
  if (failed) {
    v8::Local<v8::Object> d = value.As<v8::Object>();
    std::string name = toUtf8(isolate_, get(context, d, "name"));
    std::string message = toUtf8(isolate_, get(context, d, "message"));
    std::string stack = userStack(toUtf8(isolate_, get(context, d, "stack")));
    bool isError = get(context, d, "isError")->IsTrue();
    const char* code =
        isError && isRuntimeErrorName(name) ? codes::kRuntimeException : codes::kCustomFailure;
    fail(invocationId, Outcome::kCodingFailure, code, std::move(message), std::move(stack));
    return;
  }
  InvocationResult r;
  if (value->IsUndefined()) {
    r.resultJson = "null";
    finish(invocationId, std::move(r));
    return;
  }
  // A string longer than the limit in UTF-16 units is longer in UTF-8 bytes too: no need to
  // serialise it to know.
  if (value->IsString() && value.As<v8::String>()->Length() > limits.maxResultBytes) {
    fail(invocationId, Outcome::kCodingFailure, codes::kResultTooLarge,
         "The result is larger than the limit of " + std::to_string(limits.maxResultBytes) +
             " bytes");
    return;
  }
  bool tooLong = false;
  if (value->IsString()) {
    // Its JSON straight from its characters (runtime/json_text.h): the same text, fewer passes.
    r.resultJson = jsonQuoted(isolate_, value.As<v8::String>());
  } else {
    v8::TryCatch tc(isolate_);
    v8::Local<v8::String> json;
    if (!v8::JSON::Stringify(context, value).ToLocal(&json)) {
      if (isolate_->IsExecutionTerminating()) return;  // settled by afterRun
      fail(invocationId, Outcome::kCodingFailure, codes::kRuntimeException,
           "The result cannot be converted to JSON: " + exceptionMessage(isolate_, tc));
      return;
    }
    tooLong = json->Length() > limits.maxResultBytes;
    if (!tooLong) r.resultJson = toUtf8(isolate_, json);
  }
  if (tooLong || static_cast<int64_t>(r.resultJson.size()) > limits.maxResultBytes) {
    fail(invocationId, Outcome::kCodingFailure, codes::kResultTooLarge,
         "The result is larger than the limit of " + std::to_string(limits.maxResultBytes) +
             " bytes");
    return;
  }
  if (r.resultJson == "undefined" || r.resultJson.empty()) r.resultJson = "null";
  finish(invocationId, std::move(r));
}

// ---------------------------------------------------------------------------------------------
// Logs.

void Instance::appendLog(LogLevel level, std::string message, std::string extrasJson) {
  auto it = inflight_.find(current_);
  std::vector<LogEntry>* logs;
  size_t* bytes;
  bool keepDebug;
  bool* limitHit;
  size_t topLevelBytes = 0;
  bool topLevelHit = false;
  if (it != inflight_.end()) {
    logs = &it->second->logs;
    bytes = &it->second->logBytes;
    keepDebug = it->second->keepDebugLogs;
    limitHit = &it->second->logLimitHit;
  } else if (current_ != 0) {
    return;  // its invocation already ended (e.g. logged after calling back): nowhere to go
  } else {
    // Logged by the top level (or an instance-level timer): kept for the next invocation, within
    // the same limits.
    logs = &topLevelLogs_;
    for (const LogEntry& l : topLevelLogs_) topLevelBytes += l.message.size() + l.extrasJson.size();
    bytes = &topLevelBytes;
    keepDebug = true;
    limitHit = &topLevelHit;
  }
  if (level == LogLevel::kDebug && !keepDebug) return;
  const Limits& limits = function_ ? function_->limits : Limits{};
  size_t size = message.size() + extrasJson.size();
  if (static_cast<int64_t>(logs->size()) + 1 > limits.maxLogEntries ||
      static_cast<int64_t>(*bytes + size) > limits.maxLogBytes) {
    if (logs == &topLevelLogs_) return;  // the top level cannot be failed: drop the excess
    *limitHit = true;
    isolate_->TerminateExecution();
    return;
  }
  *bytes += size;
  logs->push_back(LogEntry{level, std::move(message), std::move(extrasJson),
                           host_.wallNowMs()});
}

// ---------------------------------------------------------------------------------------------
// Timers.

uint32_t Instance::startTimer(double delayMs, bool repeat) {
  uint32_t id = nextTimerId_++;
  int64_t delayUs = static_cast<int64_t>(std::max(0.0, delayMs) * 1000);
  timers_[id] = TimerState{current_, repeat, delayUs};
  host_.addTimer(id_, id, host_.nowUs() + delayUs);
  return id;
}

void Instance::clearTimer(uint32_t id) { timers_.erase(id); }

void Instance::onTimer(uint64_t token) {
  if (token & kDeadlineBit) {
    uint64_t invocationId = token & ~kDeadlineBit;
    if (inflight_.count(invocationId)) failTimeout(invocationId);
    return;
  }
  fireTimer(static_cast<uint32_t>(token));
}

void Instance::fireTimer(uint32_t timerId) {
  auto it = timers_.find(timerId);
  if (it == timers_.end()) return;
  TimerState t = it->second;
  if (t.owner != 0 && !inflight_.count(t.owner)) {
    timers_.erase(it);
    return;
  }
  if (t.repeat) {
    host_.addTimer(id_, timerId, host_.nowUs() + std::max<int64_t>(t.intervalUs, 1000));
  } else {
    timers_.erase(it);
  }
  run(t.owner, [&](v8::Local<v8::Context> context) {
    v8::TryCatch tc(isolate_);
    v8::Local<v8::Object> hooks = hooks_.Get(isolate_);
    v8::Local<v8::Function> fire = get(context, hooks, "fireTimer").As<v8::Function>();
    v8::Local<v8::Value> args[] = {v8::Number::New(isolate_, timerId),
                                   v8::Boolean::New(isolate_, !t.repeat)};
    if (fire->Call(context, hooks, 2, args).IsEmpty() && tc.HasCaught() &&
        !tc.HasTerminated()) {
      // An exception thrown by a timer callback fails the invocation that set the timer.
      if (t.owner != 0) {
        failWithException(t.owner, context, tc.Exception());
      } else {
        appendLog(LogLevel::kError, "Uncaught exception in a timer: " +
                                        exceptionMessage(isolate_, tc), "[]");
      }
    }
  });
}

void Instance::forgetTimersInJs(const std::vector<uint32_t>& ids) {
  // May be called outside run() (a deadline fired while the invocation was waiting).
  v8::Isolate::Scope isolateScope(isolate_);
  v8::HandleScope handles(isolate_);
  v8::Local<v8::Context> context = context_.Get(isolate_);
  v8::Context::Scope contextScope(context);
  v8::Local<v8::Object> hooks = hooks_.Get(isolate_);
  v8::Local<v8::Array> list = v8::Array::New(isolate_, static_cast<int>(ids.size()));
  for (uint32_t i = 0; i < ids.size(); ++i) {
    ignoreResult(list->Set(context, i, v8::Number::New(isolate_, ids[i])));
  }
  v8::Local<v8::Value> args[] = {list};
  ignoreResult(get(context, hooks, "forgetTimers").As<v8::Function>()->Call(context, hooks, 1, args));
}

// ---------------------------------------------------------------------------------------------
// Host calls.

void Instance::startHostCall(HostRequest request, v8::Local<v8::Promise::Resolver> resolver) {
  uint64_t callId = nextHostCallId_++;
  hostCalls_[callId] = HostCall{current_, v8::Global<v8::Promise::Resolver>(isolate_, resolver)};
  InvocationContext ctx;
  auto it = inflight_.find(current_);
  if (it != inflight_.end()) ctx = it->second->request.context;
  InstanceHost& host = host_;
  uint64_t instanceId = id_;
  host_.hostServices().call(ctx, std::move(request), [&host, instanceId, callId](HostResponse r) {
    host.postToInstance(instanceId, [callId, r = std::move(r)](Instance& self) mutable {
      self.onHostResponse(callId, std::move(r));
    });
  });
}

void Instance::onHostResponse(uint64_t callId, HostResponse response) {
  auto it = hostCalls_.find(callId);
  if (it == hostCalls_.end()) return;
  uint64_t owner = it->second.owner;
  v8::Global<v8::Promise::Resolver> resolver = std::move(it->second.resolver);
  hostCalls_.erase(it);
  run(owner, [&](v8::Local<v8::Context> context) {
    v8::TryCatch tc(isolate_);
    v8::Local<v8::Promise::Resolver> r = resolver.Get(isolate_);
    if (response.ok) {
      v8::Local<v8::Object> out = v8::Object::New(isolate_);
      v8::Local<v8::Value> result;
      if (!v8::JSON::Parse(context, v8str(isolate_, response.resultJson)).ToLocal(&result)) {
        result = v8::Null(isolate_);
      }
      ignoreResult(out->Set(context, v8str(isolate_, "result"), result));
      if (!response.body.empty()) {
        ignoreResult(out->Set(context, v8str(isolate_, "body"), newArrayBuffer(isolate_, response.body)));
      }
      ignoreResult(r->Resolve(context, out));
    } else {
      v8::Local<v8::Value> error = v8::Exception::Error(v8str(isolate_, response.errorMessage));
      ignoreResult(error.As<v8::Object>()->Set(context, v8str(isolate_, "code"),
                                        v8str(isolate_, response.errorCode)));
      ignoreResult(r->Reject(context, error));
    }
  });
}

}  // namespace parley::runtime
