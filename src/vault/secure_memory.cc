#include "vault/secure_memory.h"

#include <sodium.h>

#include <cstdlib>
#include <utility>

namespace parley::vault {

bool ensureSodium() {
  static const bool ok = sodium_init() >= 0;
  return ok;
}

namespace {

void* lockedAlloc(size_t count, size_t size) {
  if (!ensureSodium()) std::abort();
  // sodium_allocarray mlocks the region when it can and carries on when it cannot (a low
  // RLIMIT_MEMLOCK): "locked where possible".
  void* p = sodium_allocarray(count, size);
  if (p == nullptr) std::abort();  // out of memory, as operator new would throw
  sodium_memzero(p, count * size);
  return p;
}

}  // namespace

LockedKey::LockedKey() : bytes_(static_cast<unsigned char*>(lockedAlloc(1, kKeyBytes))) {}

LockedKey::~LockedKey() {
  if (bytes_ != nullptr) sodium_free(bytes_);  // zeroes, unlocks, unmaps
}

LockedKey::LockedKey(LockedKey&& other) noexcept : bytes_(std::exchange(other.bytes_, nullptr)) {}

LockedKey& LockedKey::operator=(LockedKey&& other) noexcept {
  if (this != &other) {
    if (bytes_ != nullptr) sodium_free(bytes_);
    bytes_ = std::exchange(other.bytes_, nullptr);
  }
  return *this;
}

LockedKeyPool::~LockedKeyPool() {
  for (void* slab : slabs_) sodium_free(slab);
}

unsigned char* LockedKeyPool::acquire() {
  if (free_.empty()) {
    auto* slab = static_cast<unsigned char*>(lockedAlloc(kSlotsPerSlab, kKeyBytes));
    slabs_.push_back(slab);
    for (size_t i = kSlotsPerSlab; i-- > 0;) free_.push_back(slab + i * kKeyBytes);
  }
  unsigned char* slot = free_.back();
  free_.pop_back();
  return slot;
}

void LockedKeyPool::release(unsigned char* slot) {
  sodium_memzero(slot, kKeyBytes);
  free_.push_back(slot);
}

}  // namespace parley::vault
