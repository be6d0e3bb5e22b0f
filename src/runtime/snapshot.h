// The sandbox snapshot: a V8 startup snapshot whose default context has already run the
// runtime's prelude (globals, require, the invocation hooks) with the native object installed.
// An isolate created from it gets that context by deserialising it, instead of building a fresh
// context and compiling and running the prelude: the part of a new sandbox that is the
// runtime's own work (measured before: 0.3 ms for the context, 0.3 ms for the prelude, next to
// 0.5–1.4 ms for the isolate itself).
//
// Built once per process, on first use, from the same flags and external references every
// isolate uses (V8 refuses a blob made under other flags). If building it fails, sandboxes are
// built the old way (preludeSnapshot() returns nullptr, and the reason is kept for diagnostics).
//
// Contract of a sandbox made from it (Instance::init):
//   CreateParams::snapshot_blob = preludeSnapshot(), external_references =
//   bindings::externalReferences(); v8::Context::New(isolate) is the prelude's context; its
//   data slot kHooksIndex holds the hooks object the prelude returned (take it once).
//   Per-isolate settings (callbacks, code generation from strings) are not in a snapshot: the
//   caller sets them on each isolate and context as before.
//
// Thread-safety: thread-safe (built under std::call_once); the blob lives until exit.
#pragma once

#include <v8.h>

#include <string>

namespace parley::runtime {

// Non-const because CreateParams::snapshot_blob is (V8 only reads it).
v8::StartupData* preludeSnapshot();
// Why the snapshot could not be built (empty when it was, or has not been tried).
std::string preludeSnapshotError();

constexpr size_t kHooksIndex = 0;

// Compiles and runs the prelude in `context` with a new native object: the hooks object it
// returns, or empty with an exception pending in the caller's TryCatch. Used to build the
// snapshot, and for sandboxes when there is none.
v8::MaybeLocal<v8::Object> runPrelude(v8::Isolate* isolate, v8::Local<v8::Context> context);

}  // namespace parley::runtime
