// Key material in locked memory: never swapped out (where the OS allows mlock), wiped on release.
//
// - `LockedKey`: one 32-byte key in its own sodium_malloc region (guard pages, mlock'd when the
//   RLIMIT_MEMLOCK budget allows, zeroed by sodium_free). Used for master keys: few per process.
// - `LockedKeyPool`: many 32-byte slots carved from sodium_allocarray slabs, so thousands of data
//   keys do not each cost a guarded, locked allocation of their own (mlock is page-granular, and
//   the lock budget is often only a few pages).
//
// Thread-safety: neither class is synchronised; their owners (MasterKey, Vault) guard them.
#pragma once

#include <cstddef>
#include <vector>

namespace parley::vault {

inline constexpr size_t kKeyBytes = 32;

// Initialises libsodium once per process; false if it cannot (no usable randomness source).
bool ensureSodium();

class LockedKey {
 public:
  LockedKey();  // 32 zero bytes; aborts if the allocation fails (out of memory)
  ~LockedKey();
  LockedKey(LockedKey&& other) noexcept;
  LockedKey& operator=(LockedKey&& other) noexcept;
  LockedKey(const LockedKey&) = delete;
  LockedKey& operator=(const LockedKey&) = delete;

  unsigned char* data() { return bytes_; }
  const unsigned char* data() const { return bytes_; }

 private:
  unsigned char* bytes_;
};

class LockedKeyPool {
 public:
  LockedKeyPool() = default;
  ~LockedKeyPool();  // wipes and frees every slab
  LockedKeyPool(const LockedKeyPool&) = delete;
  LockedKeyPool& operator=(const LockedKeyPool&) = delete;

  // A zeroed 32-byte slot, valid until release() or the pool's destruction.
  unsigned char* acquire();
  // Wipes the slot and makes it available again.
  void release(unsigned char* slot);

 private:
  static constexpr size_t kSlotsPerSlab = 120;  // 3840 bytes: one page with libsodium's canary
  std::vector<void*> slabs_;
  std::vector<unsigned char*> free_;
};

}  // namespace parley::vault
