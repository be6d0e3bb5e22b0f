// Core bindings: logging, timers, completion, modules, structured clone, time, env, host calls.
#include <v8-value-serializer.h>

#include <chrono>
#include <vector>

#include "runtime/bindings/bindings.h"
#include "runtime/embedded_js.h"
#include "runtime/instance_internal.h"

namespace parley::runtime::bindings {

namespace {

Instance& self(const v8::FunctionCallbackInfo<v8::Value>& info) {
  return *Instance::from(info.GetIsolate());
}

// log(level, message, extrasJson)
void log(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  int level = info[0]->Int32Value(isolate->GetCurrentContext()).FromMaybe(1);
  if (level < 0 || level > 3) level = 1;
  self(info).appendLog(static_cast<LogLevel>(level), toUtf8(isolate, info[1]),
                       toUtf8(isolate, info[2]));
}

// timerStart(delayMs, repeat) -> id
void timerStart(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  double delay = info[0]->NumberValue(isolate->GetCurrentContext()).FromMaybe(0);
  uint32_t id = self(info).startTimer(delay, info[1]->IsTrue());
  info.GetReturnValue().Set(id);
}

void timerClear(const v8::FunctionCallbackInfo<v8::Value>& info) {
  uint32_t id = info[0]->Uint32Value(info.GetIsolate()->GetCurrentContext()).FromMaybe(0);
  self(info).clearTimer(id);
}

// complete(invocationId, failed, value)
void complete(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  double id = info[0]->NumberValue(isolate->GetCurrentContext()).FromMaybe(0);
  self(info).complete(static_cast<uint64_t>(id), info[1]->IsTrue(), info[2]);
}

void moduleNames(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::Array> names = v8::Array::New(isolate);
  uint32_t n = 0;
  for (size_t i = 0; i < kEmbeddedScriptCount; ++i) {
    ignoreResult(names->Set(context, n++, v8str(isolate, kEmbeddedScripts[i].name)));
  }
  info.GetReturnValue().Set(names);
}

// loadModule(name) -> function(exports, require, module, __filename, __dirname) | undefined
void loadModule(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  const EmbeddedScript* script = findEmbeddedScript(toUtf8(isolate, info[0]));
  if (!script) return;
  static const char* const kParams[] = {"exports", "require", "module", "__filename",
                                        "__dirname"};
  v8::Local<v8::Function> fn;
  if (compileEmbedded(isolate, isolate->GetCurrentContext(), *script, kParams, 5).ToLocal(&fn)) {
    info.GetReturnValue().Set(fn);
  }
}

// Without a delegate V8 throws a plain Error for values that cannot be cloned; the HTML spec
// (and Node) throw a DataCloneError (a DOMException, code 25). There is no DOMException here: an
// Error with that name and code is what functions test for.
class CloneDelegate final : public v8::ValueSerializer::Delegate {
 public:
  explicit CloneDelegate(v8::Isolate* isolate) : isolate_(isolate) {}
  void ThrowDataCloneError(v8::Local<v8::String> message) override {
    v8::Local<v8::Context> context = isolate_->GetCurrentContext();
    v8::Local<v8::Object> error = v8::Exception::Error(message).As<v8::Object>();
    ignoreResult(error->Set(context, v8str(isolate_, "name"), v8str(isolate_, "DataCloneError")));
    ignoreResult(error->Set(context, v8str(isolate_, "code"), v8::Integer::New(isolate_, 25)));
    isolate_->ThrowException(error);
  }

 private:
  v8::Isolate* isolate_;
};

void structuredClone(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  CloneDelegate delegate(isolate);
  v8::ValueSerializer serializer(isolate, &delegate);
  serializer.WriteHeader();
  if (serializer.WriteValue(context, info[0]).IsNothing()) return;  // DataCloneError thrown
  std::pair<uint8_t*, size_t> buffer = serializer.Release();
  v8::ValueDeserializer deserializer(isolate, buffer.first, buffer.second);
  v8::Local<v8::Value> out;
  if (deserializer.ReadHeader(context).FromMaybe(false) &&
      deserializer.ReadValue(context).ToLocal(&out)) {
    info.GetReturnValue().Set(out);
  }
  free(buffer.first);
}

const auto kProcessStart = std::chrono::steady_clock::now();

void now(const v8::FunctionCallbackInfo<v8::Value>& info) {
  auto d = std::chrono::steady_clock::now() - kProcessStart;
  info.GetReturnValue().Set(std::chrono::duration<double, std::milli>(d).count());
}

void timeOrigin(const v8::FunctionCallbackInfo<v8::Value>& info) {
  auto sinceStart = std::chrono::steady_clock::now() - kProcessStart;
  auto wall = std::chrono::system_clock::now().time_since_epoch() - sinceStart;
  info.GetReturnValue().Set(std::chrono::duration<double, std::milli>(wall).count());
}

void env(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::Object> out = v8::Object::New(isolate);
  for (const auto& [k, v] : self(info).env()) {
    ignoreResult(out->Set(context, v8str(isolate, k), v8str(isolate, v)));
  }
  info.GetReturnValue().Set(out);
}

void version(const v8::FunctionCallbackInfo<v8::Value>& info) {
  info.GetReturnValue().Set(v8str(info.GetIsolate(), PARLEY_VERSION));
}

// hostCall(service, argsJson, body?) -> Promise<{result, body?}>
void hostCall(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  HostRequest request;
  request.service = toUtf8(isolate, info[0]);
  request.argsJson = info[1]->IsString() ? toUtf8(isolate, info[1]) : "{}";
  if (info.Length() > 2 && info[2]->IsArrayBufferView()) {
    const uint8_t* data;
    size_t size;
    if (!viewBytes(isolate, info[2], &data, &size, "body")) return;
    request.body.assign(reinterpret_cast<const char*>(data), size);
  }
  v8::Local<v8::Promise::Resolver> resolver;
  if (!v8::Promise::Resolver::New(context).ToLocal(&resolver)) return;
  self(info).startHostCall(std::move(request), resolver);
  info.GetReturnValue().Set(resolver->GetPromise());
}

}  // namespace

std::span<const Method> coreMethods() {
  static constexpr Method kMethods[] = {
      {"log", log},
      {"timerStart", timerStart},
      {"timerClear", timerClear},
      {"complete", complete},
      {"moduleNames", moduleNames},
      {"loadModule", loadModule},
      {"structuredClone", structuredClone},
      {"now", now},
      {"timeOrigin", timeOrigin},
      {"env", env},
      {"version", version},
      {"hostCall", hostCall},
  };
  return kMethods;
}

namespace {
// Every method of every group: what the native object holds and the snapshot must know.
const std::vector<Method>& allMethods() {
  static const std::vector<Method> all = [] {
    std::vector<Method> out;
    for (auto group : {coreMethods(), encodingMethods(), cryptoMethods()}) {
      out.insert(out.end(), group.begin(), group.end());
    }
    return out;
  }();
  return all;
}
}  // namespace

v8::Local<v8::Object> createNativeObject(v8::Isolate* isolate, v8::Local<v8::Context> context) {
  v8::Local<v8::Object> target = v8::Object::New(isolate);
  for (const Method& m : allMethods()) setMethod(isolate, context, target, m.name, m.callback);
  return target;
}

const intptr_t* externalReferences() {
  static const std::vector<intptr_t> refs = [] {
    std::vector<intptr_t> out;
    for (const Method& m : allMethods()) out.push_back(reinterpret_cast<intptr_t>(m.callback));
    out.push_back(0);
    return out;
  }();
  return refs.data();
}

void setMethod(v8::Isolate* isolate, v8::Local<v8::Context> context, v8::Local<v8::Object> target,
               const char* name, v8::FunctionCallback callback) {
  v8::Local<v8::Function> fn = v8::FunctionTemplate::New(isolate, callback, {}, {}, 0,
                                                         v8::ConstructorBehavior::kThrow)
                                   ->GetFunction(context)
                                   .ToLocalChecked();
  fn->SetName(v8str(isolate, name));
  ignoreResult(target->Set(context, v8str(isolate, name), fn));
}

void throwTypeError(v8::Isolate* isolate, const char* message) {
  isolate->ThrowException(v8::Exception::TypeError(v8str(isolate, message)));
}

void throwRangeError(v8::Isolate* isolate, const char* message) {
  isolate->ThrowException(v8::Exception::RangeError(v8str(isolate, message)));
}

void throwError(v8::Isolate* isolate, const std::string& message) {
  isolate->ThrowException(v8::Exception::Error(v8str(isolate, message)));
}

bool viewBytes(v8::Isolate* isolate, v8::Local<v8::Value> v, const uint8_t** data, size_t* size,
               const char* what) {
  if (!v->IsArrayBufferView()) {
    std::string m = std::string("The \"") + what + "\" argument must be a TypedArray";
    throwTypeError(isolate, m.c_str());
    return false;
  }
  v8::Local<v8::ArrayBufferView> view = v.As<v8::ArrayBufferView>();
  *size = view->ByteLength();
  auto* base = static_cast<const uint8_t*>(view->Buffer()->GetBackingStore()->Data());
  *data = base ? base + view->ByteOffset() : reinterpret_cast<const uint8_t*>("");
  return true;
}

}  // namespace parley::runtime::bindings
