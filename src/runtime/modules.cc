// ES module support: the function's code as a module, and `import` of the built-in modules.
//
// Built-in modules are CommonJS (embedded bundles). An `import` of one becomes a synthetic module
// whose exports are the CommonJS exports' own keys plus `default` (= module.exports), which is
// what Node does for CommonJS modules imported from ESM.
#include "runtime/code_shape.h"
#include "runtime/instance.h"
#include "runtime/instance_internal.h"

namespace parley::runtime {

namespace {

constexpr const char* kLambdaAlias = "__parleyLambda";

v8::MaybeLocal<v8::Module> resolve(v8::Local<v8::Context> context, v8::Local<v8::String> specifier,
                                   v8::Local<v8::FixedArray>, v8::Local<v8::Module>) {
  v8::Isolate* isolate = context->GetIsolate();
  Instance* self = Instance::from(isolate);
  // An outer TryCatch would swallow require's exception; V8 needs it pending when we fail.
  v8::TryCatch tc(isolate);
  v8::MaybeLocal<v8::Module> module = self->syntheticModule(context, toUtf8(isolate, specifier));
  if (module.IsEmpty() && tc.HasCaught() && !tc.HasTerminated()) tc.ReThrow();
  return module;
}

v8::MaybeLocal<v8::Value> evaluateSynthetic(v8::Local<v8::Context> context,
                                            v8::Local<v8::Module> module) {
  v8::Isolate* isolate = context->GetIsolate();
  Instance* self = Instance::from(isolate);
  if (!self->setSyntheticExports(context, module)) return {};
  v8::Local<v8::Promise::Resolver> done;
  if (!v8::Promise::Resolver::New(context).ToLocal(&done)) return {};
  ignoreResult(done->Resolve(context, v8::Undefined(isolate)));
  return done->GetPromise();
}

}  // namespace

v8::MaybeLocal<v8::Module> Instance::syntheticModule(v8::Local<v8::Context> context,
                                                     const std::string& specifier) {
  auto cached = syntheticByName_.find(specifier);
  if (cached != syntheticByName_.end()) return cached->second.module.Get(isolate_);

  v8::Local<v8::Object> hooks = hooks_.Get(isolate_);
  v8::Local<v8::Function> require = get(context, hooks, "require").As<v8::Function>();
  v8::Local<v8::Value> args[] = {v8str(isolate_, specifier)};
  v8::Local<v8::Value> exports;
  if (!require->Call(context, hooks, 1, args).ToLocal(&exports)) return {};

  std::vector<v8::Local<v8::String>> names{v8str(isolate_, "default")};
  if (exports->IsObject()) {
    v8::Local<v8::Array> keys;
    if (exports.As<v8::Object>()->GetOwnPropertyNames(context).ToLocal(&keys)) {
      for (uint32_t i = 0; i < keys->Length(); ++i) {
        v8::Local<v8::Value> k;
        if (!keys->Get(context, i).ToLocal(&k) || !k->IsString()) continue;
        if (toUtf8(isolate_, k) == "default") continue;
        names.push_back(k.As<v8::String>());
      }
    }
  }
  v8::Local<v8::Module> module = v8::Module::CreateSyntheticModule(
      isolate_, v8str(isolate_, specifier), names, &evaluateSynthetic);
  Synthetic entry;
  entry.module.Reset(isolate_, module);
  entry.exports.Reset(isolate_, exports);
  syntheticByHash_[module->GetIdentityHash()] = specifier;
  syntheticByName_.emplace(specifier, std::move(entry));
  return module;
}

bool Instance::setSyntheticExports(v8::Local<v8::Context> context, v8::Local<v8::Module> module) {
  auto byHash = syntheticByHash_.find(module->GetIdentityHash());
  if (byHash == syntheticByHash_.end()) return false;
  Synthetic& entry = syntheticByName_.at(byHash->second);
  v8::Local<v8::Value> exports = entry.exports.Get(isolate_);
  if (module->SetSyntheticModuleExport(isolate_, v8str(isolate_, "default"), exports).IsNothing()) {
    return false;
  }
  if (!exports->IsObject()) return true;
  v8::Local<v8::Array> keys;
  if (!exports.As<v8::Object>()->GetOwnPropertyNames(context).ToLocal(&keys)) return false;
  for (uint32_t i = 0; i < keys->Length(); ++i) {
    v8::Local<v8::Value> k, v;
    if (!keys->Get(context, i).ToLocal(&k) || !k->IsString()) continue;
    if (toUtf8(isolate_, k) == "default") continue;
    if (!exports.As<v8::Object>()->Get(context, k).ToLocal(&v)) return false;
    if (module->SetSyntheticModuleExport(isolate_, k.As<v8::String>(), v).IsNothing()) return false;
  }
  return true;
}

Status Instance::loadModuleSource(v8::Local<v8::Context> context) {
  // A module's top-level `lambda` is not visible from outside unless exported: export it under
  // an alias as well (harmless when it is exported already).
  std::string code = function_->code;
  bool aliased = declaresLambda(code);
  if (aliased) code += std::string("\n;export { lambda as ") + kLambdaAlias + " };";

  v8::Local<v8::Module> module;
  for (int attempt = 0; attempt < 2; ++attempt) {
    v8::TryCatch tc(isolate_);
    v8::ScriptOrigin origin(isolate_, v8str(isolate_, function_->name), 0, 0, false, -1,
                            v8::Local<v8::Value>(), false, false, /*is_module=*/true);
    v8::ScriptCompiler::Source source(v8str(isolate_, code), origin);
    if (v8::ScriptCompiler::CompileModule(isolate_, &source).ToLocal(&module)) break;
    if (aliased && attempt == 0) {  // the heuristic was wrong: compile the code as written
      code = function_->code;
      aliased = false;
      continue;
    }
    return compileError(isolate_, context, tc);
  }

  v8::TryCatch tc(isolate_);
  if (module->InstantiateModule(context, &resolve).IsNothing()) {
    return topLevelError(isolate_, context, tc, function_->name);
  }
  v8::Local<v8::Value> evaluated;
  if (!module->Evaluate(context).ToLocal(&evaluated)) {
    return topLevelError(isolate_, context, tc, function_->name);
  }
  isolate_->PerformMicrotaskCheckpoint();
  if (module->GetStatus() == v8::Module::kErrored) {
    v8::Local<v8::Value> e = module->GetException();
    return Error::invalidArgument("The function's top-level code threw: " + toUtf8(isolate_, e));
  }
  if (evaluated->IsPromise() &&
      evaluated.As<v8::Promise>()->State() == v8::Promise::kPending) {
    return Error::invalidArgument(
        "The function's top-level await did not settle: top-level code cannot wait for timers "
        "or requests");
  }
  v8::Local<v8::Object> ns = module->GetModuleNamespace().As<v8::Object>();
  return pickLambda(context, {get(context, ns, kLambdaAlias), get(context, ns, "lambda"),
                              get(context, ns, "default"), ns});
}

namespace modules {

v8::MaybeLocal<v8::Promise> importDynamically(v8::Local<v8::Context> context, v8::Local<v8::Data>,
                                              v8::Local<v8::Value>,
                                              v8::Local<v8::String> specifier,
                                              v8::Local<v8::FixedArray>) {
  v8::Isolate* isolate = context->GetIsolate();
  Instance* self = Instance::from(isolate);
  v8::Local<v8::Promise::Resolver> resolver;
  if (!v8::Promise::Resolver::New(context).ToLocal(&resolver)) return {};
  v8::TryCatch tc(isolate);
  v8::Local<v8::Module> module;
  if (self->syntheticModule(context, toUtf8(isolate, specifier)).ToLocal(&module) &&
      module->InstantiateModule(context, &resolve).FromMaybe(false) &&
      !module->Evaluate(context).IsEmpty()) {
    ignoreResult(resolver->Resolve(context, module->GetModuleNamespace()));
  } else if (tc.HasCaught() && !tc.HasTerminated()) {
    ignoreResult(resolver->Reject(context, tc.Exception()));
  } else {
    return {};
  }
  return resolver->GetPromise();
}

}  // namespace modules

}  // namespace parley::runtime
