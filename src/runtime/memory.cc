#include "runtime/memory.h"

#include <cstdlib>
#include <cstring>

namespace parley::runtime {

bool CountingAllocator::reserve(size_t length) {
  const auto n = static_cast<int64_t>(length);
  int64_t before = used_.fetch_add(n, std::memory_order_relaxed);
  if (before + n + heapUsed_.load(std::memory_order_relaxed) > limit_) {
    used_.fetch_sub(n, std::memory_order_relaxed);
    exceeded_.store(true);
    if (v8::Isolate* isolate = isolate_.load()) isolate->TerminateExecution();
    return false;
  }
  return true;
}

void* CountingAllocator::Allocate(size_t length) {
  if (!reserve(length)) return nullptr;
  void* p = std::calloc(length ? length : 1, 1);
  if (!p) used_.fetch_sub(static_cast<int64_t>(length), std::memory_order_relaxed);
  return p;
}

void* CountingAllocator::AllocateUninitialized(size_t length) {
  if (!reserve(length)) return nullptr;
  void* p = std::malloc(length ? length : 1);
  if (!p) used_.fetch_sub(static_cast<int64_t>(length), std::memory_order_relaxed);
  return p;
}

void CountingAllocator::Free(void* data, size_t length) {
  if (!data) return;
  std::free(data);
  used_.fetch_sub(static_cast<int64_t>(length), std::memory_order_relaxed);
}

}  // namespace parley::runtime
