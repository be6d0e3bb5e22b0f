// Where wrapped data keys live. The vault owns no storage: it is given a KeyStore. The SQLite
// implementation will live in src/store; InMemoryKeyStore here serves tests and tools.
//
// A WrappedKey is one version of one account's data key, encrypted (XChaCha20-Poly1305) by the
// master key whose id it carries. Its bytes are safe to store anywhere: without the master key
// they are random noise. The plaintext data key never reaches a KeyStore.
//
// Contracts for every implementation:
// - get: kNotFound when the account has no such version. current: nullopt when the account has
//   no data key yet; otherwise its highest version.
// - put adds a version; kAlreadyExists when (accountId, version) is taken (two nodes raced:
//   the caller re-reads). Stored keys are never deleted by the vault: old versions must keep
//   decrypting old blobs.
// - replaceAll swaps the wrapped form of every stored key in one atomic step (master key
//   rotation). `keys` must name exactly the (accountId, version) pairs stored now; if a key was
//   added or removed meanwhile, nothing changes and kFailedPrecondition is returned, so a
//   concurrent put is never lost (the caller lists again and retries).
// - Other failures: kInternal (the storage failed), kInvalidArgument (malformed stored data).
// - Thread-safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"

namespace parley::vault {

struct WrappedKey {
  std::string accountId;
  uint32_t version = 0;     // 1, 2, ... per account
  std::string masterKeyId;  // MasterKey::id() of the key that wrapped it (16 hex chars)
  std::string nonce;        // 24 random bytes
  std::string ciphertext;   // 32-byte data key + 16-byte Poly1305 tag

  bool operator==(const WrappedKey&) const = default;
};

class KeyStore {
 public:
  virtual ~KeyStore() = default;
  virtual Result<std::optional<WrappedKey>> current(const std::string& accountId) = 0;
  virtual Result<WrappedKey> get(const std::string& accountId, uint32_t version) = 0;
  virtual Status put(const WrappedKey& key) = 0;
  // Every stored key, ordered by account then version.
  virtual Result<std::vector<WrappedKey>> list() = 0;
  virtual Status replaceAll(const std::vector<WrappedKey>& keys) = 0;
};

class InMemoryKeyStore final : public KeyStore {
 public:
  Result<std::optional<WrappedKey>> current(const std::string& accountId) override;
  Result<WrappedKey> get(const std::string& accountId, uint32_t version) override;
  Status put(const WrappedKey& key) override;
  Result<std::vector<WrappedKey>> list() override;
  Status replaceAll(const std::vector<WrappedKey>& keys) override;

 private:
  std::mutex mutex_;
  std::map<std::pair<std::string, uint32_t>, WrappedKey> keys_;
};

}  // namespace parley::vault
