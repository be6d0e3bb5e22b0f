// Small V8 helpers used across the runtime.
#include <mutex>
#include <set>

#include "runtime/instance_internal.h"
#include "runtime/json_text.h"
#include "runtime/v8_process.h"

namespace parley::runtime {

v8::Local<v8::String> v8str(v8::Isolate* isolate, std::string_view s) {
  return v8::String::NewFromUtf8(isolate, s.data(), v8::NewStringType::kNormal,
                                 static_cast<int>(s.size()))
      .ToLocalChecked();
}

std::string toUtf8(v8::Isolate* isolate, v8::Local<v8::Value> value) {
  if (value.IsEmpty()) return {};
  if (value->IsString()) return utf8Of(isolate, value.As<v8::String>());  // one copy if ASCII
  v8::String::Utf8Value utf8(isolate, value);
  return *utf8 ? std::string(*utf8, utf8.length()) : std::string();
}

v8::Local<v8::Value> get(v8::Local<v8::Context> context, v8::Local<v8::Object> object,
                         const char* key) {
  v8::Local<v8::Value> v;
  if (!object->Get(context, v8str(context->GetIsolate(), key)).ToLocal(&v)) {
    return v8::Undefined(context->GetIsolate());
  }
  return v;
}

v8::Local<v8::ArrayBuffer> newArrayBuffer(v8::Isolate* isolate, std::string_view bytes) {
  v8::Local<v8::ArrayBuffer> ab = v8::ArrayBuffer::New(isolate, bytes.size());
  if (!bytes.empty()) memcpy(ab->GetBackingStore()->Data(), bytes.data(), bytes.size());
  return ab;
}

std::string exceptionMessage(v8::Isolate* isolate, const v8::TryCatch& tc) {
  if (!tc.HasCaught()) return "unknown error";
  v8::Local<v8::Message> message = tc.Message();
  std::string text = toUtf8(isolate, message.IsEmpty() ? tc.Exception() : message->Get().As<v8::Value>());
  constexpr std::string_view kUncaught = "Uncaught ";
  if (text.rfind(kUncaught, 0) == 0) text.erase(0, kUncaught.size());
  return text;
}

namespace {
// "<text> (line L, column C)" with details {"line", "column"} (0 when unknown).
Error located(const std::string& text, int line, int column) {
  std::string where =
      line ? " (line " + std::to_string(line) + ", column " + std::to_string(column) + ")" : "";
  return Error::invalidArgument(text + where).withDetails(
      "{\"line\":" + std::to_string(line) + ",\"column\":" + std::to_string(column) + "}");
}
}  // namespace

Error compileError(v8::Isolate* isolate, v8::Local<v8::Context> context, const v8::TryCatch& tc) {
  std::string text = exceptionMessage(isolate, tc);
  int line = 0, column = 0;
  v8::Local<v8::Message> message = tc.Message();
  if (!message.IsEmpty()) {
    line = message->GetLineNumber(context).FromMaybe(0);
    column = message->GetStartColumn(context).FromMaybe(-1) + 1;
  }
  return located(text, line, column);
}

Error topLevelError(v8::Isolate* isolate, v8::Local<v8::Context> context, const v8::TryCatch& tc,
                    const std::string& scriptName) {
  std::string text = exceptionMessage(isolate, tc);
  int line = 0, column = 0;
  v8::Local<v8::Message> message = tc.Message();
  if (!message.IsEmpty()) {
    line = message->GetLineNumber(context).FromMaybe(0);
    column = message->GetStartColumn(context).FromMaybe(-1) + 1;
    if (toUtf8(isolate, message->GetScriptResourceName()) != scriptName) {
      line = column = 0;
      v8::Local<v8::StackTrace> trace = message->GetStackTrace();
      for (int i = 0; !trace.IsEmpty() && i < trace->GetFrameCount(); ++i) {
        v8::Local<v8::StackFrame> frame = trace->GetFrame(isolate, i);
        if (toUtf8(isolate, frame->GetScriptName()) == scriptName) {
          line = frame->GetLineNumber();
          column = frame->GetColumn();
          break;
        }
      }
    }
  }
  return located("The function's top-level code threw: " + text, line, column);
}

namespace {

// Embedded scripts are static and (as bundled) ASCII: expose them to V8 without copying them
// into every isolate's heap.
class StaticOneByteResource final : public v8::String::ExternalOneByteStringResource {
 public:
  StaticOneByteResource(const char* data, size_t size) : data_(data), size_(size) {}
  const char* data() const override { return data_; }
  size_t length() const override { return size_; }
  void Dispose() override { delete this; }

 private:
  const char* data_;
  size_t size_;
};

bool isAscii(const EmbeddedScript& script) {
  static std::mutex mu;
  static std::set<const char*> ascii, nonAscii;
  std::lock_guard lock(mu);
  if (ascii.count(script.name)) return true;
  if (nonAscii.count(script.name)) return false;
  for (size_t i = 0; i < script.size; ++i) {
    if (static_cast<unsigned char>(script.source[i]) >= 0x80) {
      nonAscii.insert(script.name);
      return false;
    }
  }
  ascii.insert(script.name);
  return true;
}

}  // namespace

v8::MaybeLocal<v8::Function> compileEmbedded(v8::Isolate* isolate, v8::Local<v8::Context> context,
                                             const EmbeddedScript& script, const char* const* params,
                                             int paramCount) {
  v8::Local<v8::String> text;
  if (isAscii(script)) {
    if (!v8::String::NewExternalOneByte(isolate,
                                        new StaticOneByteResource(script.source, script.size))
             .ToLocal(&text)) {
      return {};
    }
  } else {
    text = v8::String::NewFromUtf8(isolate, script.source, v8::NewStringType::kNormal,
                                   static_cast<int>(script.size))
               .ToLocalChecked();
  }
  std::string name = std::string(script.name);
  bool internal = name.rfind("internal/", 0) == 0;
  v8::ScriptOrigin origin(isolate, v8str(isolate, (internal ? "parley:" : "node_modules/") + name));
  std::string cacheKey = "module:" + name;
  auto cached = CodeCacheStore::shared().find(cacheKey);
  v8::ScriptCompiler::CachedData* data = nullptr;
  if (cached) {
    data = new v8::ScriptCompiler::CachedData(cached->data(), static_cast<int>(cached->size()),
                                              v8::ScriptCompiler::CachedData::BufferNotOwned);
  }
  v8::ScriptCompiler::Source source(text, origin, data);  // takes ownership of data
  std::vector<v8::Local<v8::String>> args;
  for (int i = 0; i < paramCount; ++i) args.push_back(v8str(isolate, params[i]));
  v8::Local<v8::Function> fn;
  // The runtime's own scripts are compiled eagerly the first time, so the code cache made from
  // them holds every function: later isolates deserialise it instead of compiling lazily on
  // their first invocation (measured: 40% of a cold start). Bundles stay lazy: most of lodash
  // is never called.
  v8::ScriptCompiler::CompileOptions options =
      data ? v8::ScriptCompiler::kConsumeCodeCache
           : (internal || name == "crypto" ? v8::ScriptCompiler::kEagerCompile
                                           : v8::ScriptCompiler::kNoCompileOptions);
  if (!v8::ScriptCompiler::CompileFunction(context, &source, args.size(), args.data(), 0, nullptr,
                                           options)
           .ToLocal(&fn)) {
    return {};
  }
  if (!cached || source.GetCachedData()->rejected) {
    std::unique_ptr<v8::ScriptCompiler::CachedData> fresh(
        v8::ScriptCompiler::CreateCodeCacheForFunction(fn));
    if (fresh) {
      CodeCacheStore::shared().put(
          cacheKey, std::vector<uint8_t>(fresh->data, fresh->data + fresh->length));
    }
  }
  return fn;
}

}  // namespace parley::runtime
