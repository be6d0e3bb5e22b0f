// The sandbox snapshot is made (a failure would silently fall back to building each context the
// slow way), and a sandbox made from it has the prelude's globals and hooks.
#include "runtime/snapshot.h"

#include <gtest/gtest.h>

#include "runtime/bindings/bindings.h"
#include "runtime/v8_process.h"

namespace parley::runtime {
namespace {

TEST(PreludeSnapshot, IsMadeAndHoldsThePreludesContext) {
  v8::StartupData* blob = preludeSnapshot();
  ASSERT_NE(blob, nullptr) << preludeSnapshotError();
  EXPECT_TRUE(preludeSnapshotError().empty());
  EXPECT_GT(blob->raw_size, 0);

  std::unique_ptr<v8::ArrayBuffer::Allocator> allocator(
      v8::ArrayBuffer::Allocator::NewDefaultAllocator());
  v8::Isolate::CreateParams params;
  params.array_buffer_allocator = allocator.get();
  params.snapshot_blob = blob;
  params.external_references = bindings::externalReferences();
  v8::Isolate* isolate = v8::Isolate::New(params);
  {
    v8::Isolate::Scope isolateScope(isolate);
    v8::HandleScope handles(isolate);
    v8::Local<v8::Context> context = v8::Context::New(isolate);
    v8::Context::Scope contextScope(context);
    v8::Local<v8::Object> hooks;
    ASSERT_TRUE(context->GetDataFromSnapshotOnce<v8::Object>(kHooksIndex).ToLocal(&hooks));
    // The prelude's globals are there without running it again.
    const char* probe = "typeof require + ' ' + typeof structuredClone + ' ' + typeof performance.now";
    v8::Local<v8::String> source =
        v8::String::NewFromUtf8(isolate, probe).ToLocalChecked();
    v8::Local<v8::Value> out =
        v8::Script::Compile(context, source).ToLocalChecked()->Run(context).ToLocalChecked();
    EXPECT_EQ(*v8::String::Utf8Value(isolate, out), std::string("function function function"));
  }
  isolate->Dispose();
}

}  // namespace
}  // namespace parley::runtime
