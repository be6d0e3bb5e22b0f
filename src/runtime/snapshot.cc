#include "runtime/snapshot.h"

#include <mutex>

#include "runtime/bindings/bindings.h"
#include "runtime/embedded_js.h"
#include "runtime/instance_internal.h"
#include "runtime/v8_process.h"

namespace parley::runtime {

v8::MaybeLocal<v8::Object> runPrelude(v8::Isolate* isolate, v8::Local<v8::Context> context) {
  v8::EscapableHandleScope scope(isolate);
  v8::Local<v8::Object> native = bindings::createNativeObject(isolate, context);
  const EmbeddedScript* prelude = findEmbeddedScript("internal/prelude");
  if (!prelude) {
    isolate->ThrowException(v8str(isolate, "the prelude is not embedded"));
    return {};
  }
  const char* const params[] = {"native", "global"};
  v8::Local<v8::Function> fn;
  if (!compileEmbedded(isolate, context, *prelude, params, 2).ToLocal(&fn)) return {};
  v8::Local<v8::Value> args[] = {native, context->Global()};
  v8::Local<v8::Value> hooks;
  if (!fn->Call(context, context->Global(), 2, args).ToLocal(&hooks)) return {};
  if (!hooks->IsObject()) {
    isolate->ThrowException(v8str(isolate, "the prelude did not return its hooks"));
    return {};
  }
  isolate->PerformMicrotaskCheckpoint();
  return scope.Escape(hooks.As<v8::Object>());
}

namespace {

std::once_flag once;
v8::StartupData blob{nullptr, 0};
std::string error;

void build() {
  v8::SnapshotCreator creator(bindings::externalReferences());
  v8::Isolate* isolate = creator.GetIsolate();
  {
    v8::HandleScope handles(isolate);
    v8::Local<v8::Context> context = v8::Context::New(isolate);
    v8::Context::Scope contextScope(context);
    v8::TryCatch tc(isolate);
    v8::Local<v8::Object> hooks;
    if (!runPrelude(isolate, context).ToLocal(&hooks)) {
      error = "the prelude failed: " + exceptionMessage(isolate, tc);
      return;  // the creator discards its isolate without a blob
    }
    if (creator.AddData(context, hooks) != kHooksIndex) {
      error = "unexpected snapshot data index";
      return;
    }
    creator.SetDefaultContext(context);
  }
  // kKeep: the prelude's compiled functions travel in the blob, so no sandbox compiles them.
  v8::StartupData made = creator.CreateBlob(v8::SnapshotCreator::FunctionCodeHandling::kKeep);
  if (made.data == nullptr || made.raw_size <= 0) {
    error = "V8 produced no snapshot";
    return;
  }
  blob = made;  // kept until exit
}

}  // namespace

v8::StartupData* preludeSnapshot() {
  std::call_once(once, [] {
    ensureV8();
    build();
  });
  return blob.data ? &blob : nullptr;
}

std::string preludeSnapshotError() {
  preludeSnapshot();
  return error;
}

}  // namespace parley::runtime
