// Native functions the prelude and the runtime's JS modules call, grouped by concern. They are
// installed on one plain object that only the prelude's closure (and runtime modules, as their
// sixth wrapper argument) can reach; user code never sees it.
//
// Contract for every binding: it validates its arguments and throws a JS TypeError/RangeError
// for bad ones; it never lets a C++ exception escape; it finds its Instance via
// Instance::from(isolate).
#pragma once

#include <v8.h>

#include <cstdint>
#include <span>

namespace parley::runtime::bindings {

v8::Local<v8::Object> createNativeObject(v8::Isolate* isolate, v8::Local<v8::Context> context);

// Every native callback, null-terminated: the external references a startup snapshot holding
// the native object needs (runtime/snapshot.h). The same array for its creator and its users.
const intptr_t* externalReferences();

// The groups of functions on the native object.
struct Method {
  const char* name;
  v8::FunctionCallback callback;
};
std::span<const Method> coreMethods();
std::span<const Method> encodingMethods();
std::span<const Method> cryptoMethods();

// Shared helpers for the binding files.
void setMethod(v8::Isolate* isolate, v8::Local<v8::Context> context, v8::Local<v8::Object> target,
               const char* name, v8::FunctionCallback callback);
void throwTypeError(v8::Isolate* isolate, const char* message);
void throwRangeError(v8::Isolate* isolate, const char* message);
void throwError(v8::Isolate* isolate, const std::string& message);
// The bytes of a Uint8Array/ArrayBufferView argument; false (and a TypeError) otherwise.
bool viewBytes(v8::Isolate* isolate, v8::Local<v8::Value> v, const uint8_t** data, size_t* size,
               const char* what);

}  // namespace parley::runtime::bindings
