// Instance: creation, loading the function's code, running tasks under the watchdog.
// Invocation bookkeeping (results, logs, timers, host calls) is in invocation.cc; ES module
// support in modules.cc; the native functions the prelude calls in bindings/.
#include "runtime/instance.h"

#include <algorithm>
#include <atomic>
#include <functional>

#include "runtime/bindings/bindings.h"
#include "runtime/code_shape.h"
#include "runtime/embedded_js.h"
#include "runtime/instance_internal.h"
#include "runtime/snapshot.h"
#include "runtime/v8_process.h"
#include "runtime/watchdog.h"

namespace parley::runtime {

namespace {

std::atomic<uint64_t> nextInstanceId{1};

// Room V8 gets to unwind after the near-heap-limit callback asked it to terminate.
constexpr size_t kHeapUnwindSlack = 64u << 20;

constexpr int kMemoryRefreshEvery = 16;

v8::ModifyCodeGenerationFromStringsResult onCodeGeneration(v8::Local<v8::Context> context,
                                                           v8::Local<v8::Value>, bool) {
  Instance* self = Instance::from(context->GetIsolate());
  bool allowed = self && self->allowCodeGeneration();
  return {allowed, {}};
}

// V8 is about to abort the process: tell whoever listens which invocation was running.
void onFatalOom(const char* location, bool isHeapOom) {
  FatalErrorReporter report = fatalErrorReporter();
  if (!report) return;
  uint64_t tag = 0;
  if (v8::Isolate* isolate = v8::Isolate::GetCurrent()) {
    if (Instance* self = Instance::from(isolate)) tag = self->currentTag();
  }
  report(tag, location ? location : "out of memory");
}

}  // namespace

Instance* Instance::from(v8::Isolate* isolate) {
  return static_cast<Instance*>(isolate->GetData(0));
}

const std::string& Instance::key() const {
  static const std::string kNone;
  return function_ ? function_->key : kNone;
}

const std::map<std::string, std::string>& Instance::env() const { return env_; }

bool Instance::allowCodeGeneration() const {
  return function_ && function_->allowCodeGeneration;
}

Instance::Instance(InstanceHost& host, int64_t memoryBytes)
    : host_(host),
      id_(nextInstanceId++),
      allocator_(std::make_unique<CountingAllocator>(memoryBytes)) {}

std::unique_ptr<Instance> Instance::createSpare(InstanceHost& host, int64_t memoryBytes) {
  std::unique_ptr<Instance> self(new Instance(host, memoryBytes));
  if (!self->init()) return nullptr;
  return self;
}

Instance::~Instance() {
  if (!isolate_) return;
  {
    v8::Isolate::Scope scope(isolate_);
    hostCalls_.clear();
    rejections_.clear();
    syntheticByHash_.clear();
    syntheticByName_.clear();
    lambda_.Reset();
    hooks_.Reset();
    context_.Reset();
  }
  isolate_->Dispose();
}

void Instance::adoptThread() {
  // Measured with this V8 (10.2): without this, JavaScript on the new thread overflowed at its
  // first call (its stack below the creator's) or ran off the end of the stack (above it). The
  // limit is V8's default (--stack-size, 984 KiB on 64-bit) counted from here, as Isolate::New
  // counts it from where it is called; worker threads have 8 MiB stacks and call this near the
  // top of theirs. It must be set with the isolate entered.
  constexpr uintptr_t kJsStackBytes = 984 * 1024;
  v8::Isolate::Scope scope(isolate_);
  isolate_->SetStackLimit(reinterpret_cast<uintptr_t>(__builtin_frame_address(0)) - kJsStackBytes);
}

bool Instance::init() {
  ensureV8();
  v8::StartupData* snapshot = preludeSnapshot();
  v8::Isolate::CreateParams params;
  params.array_buffer_allocator = allocator_.get();
  params.constraints.ConfigureDefaultsFromHeapSize(0, static_cast<size_t>(allocator_->limit()));
  if (snapshot) {
    params.snapshot_blob = snapshot;
    params.external_references = bindings::externalReferences();
  }
  isolate_ = v8::Isolate::New(params);
  allocator_->attach(isolate_);
  isolate_->SetData(0, this);
  isolate_->AddNearHeapLimitCallback(&Instance::nearHeapLimit, this);
  isolate_->SetMicrotasksPolicy(v8::MicrotasksPolicy::kExplicit);
  isolate_->SetModifyCodeGenerationFromStringsCallback(&onCodeGeneration);
  isolate_->SetHostImportModuleDynamicallyCallback(&modules::importDynamically);
  isolate_->SetOOMErrorHandler(&onFatalOom);
  isolate_->SetPromiseRejectCallback(&Instance::onPromiseReject);
  // Errors thrown at the top level are located at the function's own frame, which needs the
  // stack trace captured with the exception.
  isolate_->SetCaptureStackTraceForUncaughtExceptions(true, 16);

  v8::Isolate::Scope isolateScope(isolate_);
  v8::HandleScope handles(isolate_);
  // From the snapshot, this is the context the prelude already ran in (runtime/snapshot.h).
  v8::Local<v8::Context> context = v8::Context::New(isolate_);
  context->AllowCodeGenerationFromStrings(false);
  context_.Reset(isolate_, context);
  v8::Context::Scope contextScope(context);

  v8::Local<v8::Object> hooks;
  if (snapshot) {
    if (!context->GetDataFromSnapshotOnce<v8::Object>(kHooksIndex).ToLocal(&hooks)) return false;
  } else {
    v8::TryCatch tc(isolate_);
    if (!runPrelude(isolate_, context).ToLocal(&hooks)) return false;
  }
  hooks_.Reset(isolate_, hooks);
  refreshMemoryUsage();
  return true;
}

size_t Instance::nearHeapLimit(void* data, size_t current, size_t) {
  auto* self = static_cast<Instance*>(data);
  self->memoryExceeded_ = true;
  self->isolate_->TerminateExecution();
  // Termination is not checked inside some of V8's C++ loops (Array.prototype.fill on a huge
  // dictionary array, ...): tell the supervisor, which ends the process if this does not stop.
  if (self->heapLimitExtensions_ == 0) {
    if (FatalErrorReporter report = fatalErrorReporter()) report(self->currentTag(), "heap limit");
  }
  // Give V8 room to unwind to the termination point; the instance is discarded afterwards.
  ++self->heapLimitExtensions_;
  return current + kHeapUnwindSlack * (1u << std::min<size_t>(self->heapLimitExtensions_, 6));
}

void Instance::refreshMemoryUsage() {
  runsSinceMemoryRefresh_ = 0;
  v8::HeapStatistics stats;
  isolate_->GetHeapStatistics(&stats);
  allocator_->setHeapUsed(static_cast<int64_t>(stats.used_heap_size()));
  memoryUsage_ = static_cast<int64_t>(stats.total_physical_size()) + allocator_->used();
}

// ---------------------------------------------------------------------------------------------
// Loading the function's code.

Status Instance::load(std::shared_ptr<const FunctionSource> function) {
  function_ = std::move(function);
  env_ = function_->env;
  Status status = okStatus();
  int64_t deadline = host_.nowUs() + function_->limits.timeoutMs * 1000;
  runTask(0, deadline, [&](v8::Local<v8::Context> context) {
    status = looksLikeEsModule(function_->code) ? loadModuleSource(context) : loadScript(context);
  });
  if (memoryExceeded_ || allocator_->exceeded()) {
    dead_ = true;
    return Error::resourceExhausted("The function's top-level code ran out of memory (limit " +
                                    std::to_string(allocator_->limit() >> 20) + " MiB)");
  }
  if (lastRunTimedOut_) {
    dead_ = true;
    return Error::deadlineExceeded("The function's top-level code did not finish within " +
                                   std::to_string(function_->limits.timeoutMs) + " ms");
  }
  return status;
}

Status Instance::loadScript(v8::Local<v8::Context> context) {
  v8::TryCatch tc(isolate_);
  v8::Local<v8::String> name = v8str(isolate_, function_->name);
  v8::ScriptOrigin origin(isolate_, name);
  v8::Local<v8::String> text;
  if (!v8::String::NewFromUtf8(isolate_, function_->code.data(), v8::NewStringType::kNormal,
                               static_cast<int>(function_->code.size()))
           .ToLocal(&text)) {
    return Error::tooLarge("The function's code is too large");
  }
  // No code cache for the function's own code: measured, creating one costs more than the
  // compile it saves (42% of a cold start and ~73 KiB of RSS per isolate for a small function),
  // and a version is compiled once per worker anyway (dispatch prefers warm workers).
  v8::ScriptCompiler::Source source(text, origin);
  v8::Local<v8::Script> script;
  if (!v8::ScriptCompiler::Compile(context, &source).ToLocal(&script)) {
    std::string message = exceptionMessage(isolate_, tc);
    // Modules that the quick look missed (e.g. an `export` after a comment on the same line).
    if (message.find("import statement outside a module") != std::string::npos ||
        message.find("Unexpected token 'export'") != std::string::npos) {
      return loadModuleSource(context);
    }
    return compileError(isolate_, context, tc);
  }
  if (script->Run(context).IsEmpty()) {
    return topLevelError(isolate_, context, tc, function_->name);
  }

  // A `lambda` declared at the top level of a script is visible to later scripts in the context,
  // whether declared with function, const, let or class.
  v8::Local<v8::Value> declared = v8::Undefined(isolate_);
  const char probe[] = "typeof lambda === 'undefined' ? undefined : lambda";
  v8::Local<v8::Script> probeScript;
  if (v8::Script::Compile(context, v8str(isolate_, probe)).ToLocal(&probeScript)) {
    ignoreResult(probeScript->Run(context).ToLocal(&declared));
  }
  v8::Local<v8::Object> hooks = hooks_.Get(isolate_);
  v8::Local<v8::Value> userModule = get(context, hooks, "userModule");
  v8::Local<v8::Value> exported = userModule->IsObject()
                                      ? get(context, userModule.As<v8::Object>(), "exports")
                                      : v8::Undefined(isolate_).As<v8::Value>();
  return pickLambda(context, {declared, exported});
}

Status Instance::pickLambda(v8::Local<v8::Context> context,
                            std::initializer_list<v8::Local<v8::Value>> candidates) {
  v8::TryCatch tc(isolate_);
  v8::Local<v8::Object> hooks = hooks_.Get(isolate_);
  v8::Local<v8::Function> pick = get(context, hooks, "pickLambda").As<v8::Function>();
  v8::Local<v8::Array> list = v8::Array::New(isolate_);
  uint32_t i = 0;
  for (v8::Local<v8::Value> c : candidates) ignoreResult(list->Set(context, i++, c));
  v8::Local<v8::Value> args[] = {list};
  v8::Local<v8::Value> found;
  if (!pick->Call(context, hooks, 1, args).ToLocal(&found) || !found->IsFunction()) {
    return Error::invalidArgument(
        "No function named 'lambda' was found. Define `function lambda(input, callback)` or "
        "`async function lambda(input)`, or export one (`export default`, `module.exports`).");
  }
  lambda_.Reset(isolate_, found.As<v8::Function>());
  return okStatus();
}

// ---------------------------------------------------------------------------------------------
// Unhandled promise rejections: Node reports them (and, since v15, fails). Here they are
// logged as a Warn on the invocation that was running when the promise was rejected, once the
// task and its microtasks are over (a handler attached meanwhile takes it back).

void Instance::onPromiseReject(v8::PromiseRejectMessage message) {
  v8::Local<v8::Promise> promise = message.GetPromise();
  v8::Isolate* isolate = promise->GetIsolate();
  Instance* self = Instance::from(isolate);
  if (!self) return;
  if (message.GetEvent() == v8::kPromiseRejectWithNoHandler) {
    self->rejections_.push_back({self->current_, v8::Global<v8::Promise>(isolate, promise),
                                 v8::Global<v8::Value>(isolate, message.GetValue())});
  } else if (message.GetEvent() == v8::kPromiseHandlerAddedAfterReject) {
    auto& r = self->rejections_;
    r.erase(std::remove_if(r.begin(), r.end(),
                           [&](const Rejection& x) { return x.promise.Get(isolate) == promise; }),
            r.end());
  }
}

void Instance::reportUnhandledRejections(uint64_t owner) {
  if (rejections_.empty()) return;
  if (dead_ || memoryExceeded_ || allocator_->exceeded()) {
    rejections_.clear();
    return;
  }
  // May run outside a task (an invocation finishing on its deadline).
  v8::Isolate::Scope isolateScope(isolate_);
  v8::HandleScope handles(isolate_);
  v8::Local<v8::Context> context = context_.Get(isolate_);
  v8::Context::Scope contextScope(context);
  constexpr uint64_t kAll = ~0ULL;
  std::vector<Rejection> matching;
  for (auto it = rejections_.begin(); it != rejections_.end();) {
    if (owner == kAll || it->owner == owner) {
      matching.push_back(std::move(*it));
      it = rejections_.erase(it);
    } else {
      ++it;
    }
  }
  uint64_t saved = current_;
  for (Rejection& r : matching) {
    if (r.promise.Get(isolate_)->HasHandler()) continue;
    v8::Local<v8::Value> reason = r.reason.Get(isolate_);
    std::string text;
    if (reason->IsObject()) {
      v8::Local<v8::Value> stack = get(context, reason.As<v8::Object>(), "stack");
      if (stack->IsString()) text = toUtf8(isolate_, stack);
    }
    if (text.empty()) text = toUtf8(isolate_, reason);
    current_ = r.owner;
    appendLog(LogLevel::kWarn, "Unhandled promise rejection: " + text, "[]");
  }
  current_ = saved;
}

// ---------------------------------------------------------------------------------------------
// Running JavaScript.

void Instance::runTask(uint64_t owner, int64_t deadlineUs,
                       const std::function<void(v8::Local<v8::Context>)>& body) {
  lastUsedUs_ = host_.nowUs();
  v8::Isolate::Scope isolateScope(isolate_);
  v8::HandleScope handles(isolate_);
  v8::Local<v8::Context> context = context_.Get(isolate_);
  v8::Context::Scope contextScope(context);
  ExecutionSlot& slot = host_.slot();
  slot.enter(isolate_, deadlineUs);
  uint64_t previous = current_;
  current_ = owner;
  body(context);
  if (!isolate_->IsExecutionTerminating()) {
    isolate_->PerformMicrotaskCheckpoint();
    // Not when the run is being stopped: a terminated invocation's own promise is not news.
    if (!memoryExceeded_ && !allocator_->exceeded()) reportUnhandledRejections(~0ULL);
  }
  current_ = previous;
  bool fired = slot.leave();
  lastRunTimedOut_ = fired;
  afterRun(owner, fired);
}

void Instance::run(uint64_t owner, const std::function<void(v8::Local<v8::Context>)>& body) {
  int64_t deadline;
  auto it = inflight_.find(owner);
  if (it != inflight_.end()) {
    deadline = it->second->deadlineUs;
  } else {
    deadline = host_.nowUs() + (function_ ? function_->limits.timeoutMs : 30'000) * 1000;
  }
  runTask(owner, deadline, body);
}

void Instance::afterRun(uint64_t owner, bool watchdogFired) {
  if (memoryExceeded_ || allocator_->exceeded()) {
    dead_ = true;
    isolate_->CancelTerminateExecution();
    std::string message = "The function ran out of memory (limit " +
                          std::to_string(allocator_->limit() >> 20) + " MiB)";
    failAll(Outcome::kCodingFailure, codes::kMemoryExceeded, message);
    return;
  }
  bool terminated = watchdogFired || isolate_->IsExecutionTerminating();
  if (terminated) isolate_->CancelTerminateExecution();
  auto it = inflight_.find(owner);
  if (it != inflight_.end()) {
    Inflight& inv = *it->second;
    if (inv.logLimitHit) {
      fail(owner, Outcome::kCodingFailure, codes::kLogLimitReached,
           "The function went over its log limit of " +
               std::to_string(function_->limits.maxLogEntries) + " entries / " +
               std::to_string(function_->limits.maxLogBytes) + " bytes per invocation");
    } else if (terminated) {
      failTimeout(owner);
    }
  }
  // Heap statistics cost ~7% of a warm invocation: refresh them every few runs (and always after
  // the allocator came close to its limit, where precision matters).
  if (++runsSinceMemoryRefresh_ >= kMemoryRefreshEvery ||
      allocator_->used() > allocator_->limit() / 2) {
    refreshMemoryUsage();
  }
  failStuckInvocations();
}

}  // namespace parley::runtime
