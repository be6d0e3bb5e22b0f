// Memory accounting for one isolate: an ArrayBuffer allocator that counts every backing store
// against the function's memory limit (V8's heap limit does not see ArrayBuffer memory).
//
// When an allocation would take the isolate over its limit the allocator refuses it (V8 then
// throws a RangeError), raises `exceeded()` and asks V8 to terminate the running JavaScript, so
// the invocation ends with memory-exceeded even if the function catches the RangeError.
// Thread-safety: Allocate/Free may be called from V8's background threads; counters are atomic.
#pragma once

#include <v8.h>

#include <atomic>
#include <cstdint>

namespace parley::runtime {

class CountingAllocator final : public v8::ArrayBuffer::Allocator {
 public:
  explicit CountingAllocator(int64_t limitBytes) : limit_(limitBytes) {}

  // Must be called once the isolate exists, before any JavaScript runs.
  void attach(v8::Isolate* isolate) { isolate_.store(isolate); }

  void* Allocate(size_t length) override;
  void* AllocateUninitialized(size_t length) override;
  void Free(void* data, size_t length) override;

  int64_t used() const { return used_.load(std::memory_order_relaxed); }
  int64_t limit() const { return limit_; }
  bool exceeded() const { return exceeded_.load(); }
  // Heap bytes in use, refreshed by the owner after each task (read by Allocate).
  void setHeapUsed(int64_t bytes) { heapUsed_.store(bytes, std::memory_order_relaxed); }

 private:
  bool reserve(size_t length);

  const int64_t limit_;
  std::atomic<v8::Isolate*> isolate_{nullptr};
  std::atomic<int64_t> used_{0};
  std::atomic<int64_t> heapUsed_{0};
  std::atomic<bool> exceeded_{false};
};

}  // namespace parley::runtime
