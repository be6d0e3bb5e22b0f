// The vault: envelope encryption of secret values.
//
//   master key ──wraps──▶ per-account data keys (versioned) ──encrypt──▶ secret values (blobs)
//
// Both layers use XChaCha20-Poly1305 (libsodium crypto_aead_xchacha20poly1305_ietf_*) with
// random 24-byte nonces, which are safe to draw at random for any number of messages per key.
//
// Blob format (binary; callers store it as a BLOB, or base64 it), version 1:
//   offset 0      1 byte    format version, 0x01
//   offset 1      4 bytes   data key version, unsigned big-endian (>= 1)
//   offset 5      24 bytes  nonce
//   offset 29     n + 16    ciphertext of the n-byte plaintext, then the Poly1305 tag
// 45 bytes of overhead. The AEAD's additional data is
//   blob[0..5) || u32be(len(accountId)) || accountId || associatedData
// so the header, the account and the caller's context are all authenticated: a blob copied to
// another row (different associatedData, e.g. "acme/secret/API_KEY" vs ".../DB_PASSWORD") or to
// another account fails to decrypt, as does any change to any byte.
//
// Data keys are wrapped with additional data "parley-vault-dk-v1" || u32be(len(accountId)) ||
// accountId || u32be(version): a wrapped key moved to another account or version does not unwrap.
//
// Errors from decrypt, each distinct:
// - kInvalidArgument: not a blob at all (too short, unknown format byte, version 0).
// - kPermissionDenied: the blob does not verify — tampered with, or presented with another
//   account or associatedData than it was encrypted with. Deliberately one error: telling these
//   apart would need a decryption oracle. (PermissionDenied rather than InvalidArgument: the
//   caller asked for a value it is not entitled to read in this context.)
// - kNotFound: the account has no data key of the blob's version.
// - kFailedPrecondition: the data key was wrapped by another master key; the message names both
//   ids ("wrapped by master key <id>, the server has <id>").
// - kInternal: a wrapped key that should unwrap does not (corrupt or moved row), or the KeyStore
//   failed (its error is passed through unchanged).
// No message contains plaintext or key bytes.
//
// Caching: unwrapped data keys are kept in memory for the vault's lifetime (32 bytes per account
// and version used), in mlock'd memory where RLIMIT_MEMLOCK allows, wiped with sodium_memzero when
// the vault is destroyed. Each account's current version is cached too: after another node
// rotates an account's data key, this one keeps encrypting with the previous version (still valid)
// until it restarts.
//
// Thread-safety: every method may be called concurrently. encrypt/decrypt on cached keys share a
// reader lock and run in parallel; cache misses, rotations and key creation are serialised.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "vault/key_store.h"
#include "vault/master_key.h"
#include "vault/secure_memory.h"

namespace parley::vault {

inline constexpr uint8_t kBlobFormatVersion = 1;
inline constexpr size_t kBlobOverhead = 1 + 4 + 24 + 16;

class Vault {
 public:
  // `store` must outlive the vault.
  Vault(MasterKey masterKey, KeyStore& store);
  ~Vault();
  Vault(const Vault&) = delete;
  Vault& operator=(const Vault&) = delete;

  // Encrypts under the account's current data key, creating version 1 on the account's first
  // use. `associatedData` is not stored in the blob; decrypt must be given the same bytes.
  Result<std::string> encrypt(std::string_view accountId, std::string_view plaintext,
                              std::string_view associatedData);
  Result<std::string> decrypt(std::string_view accountId, std::string_view blob,
                              std::string_view associatedData);

  // Makes a new data key version the account's current one: later encryptions use it, blobs
  // under older versions still decrypt (old versions are kept). Re-encrypting old blobs, if
  // wanted, is the caller's job (decrypt + encrypt); dataKeyVersionOf tells which are old.
  Status rotateDataKey(std::string_view accountId);

  // Re-wraps every stored data key under `newMasterKey` in one KeyStore::replaceAll, then uses
  // the new key. Data keys do not change, so existing blobs stay decryptable without being
  // re-encrypted, and no secret value is touched. `parley keys rotate` calls this; the old master
  // key (the one this vault holds) is needed only while it runs — afterwards the server must be
  // given the new key (file or PARLEY_MASTER_KEY) and the old one can be destroyed. Keys already
  // wrapped by the new key are kept as they are, so an interrupted or repeated rotation can be
  // run again. Fails (kFailedPrecondition), changing nothing, if some stored key was wrapped by a
  // third master key. Retries a few times if data keys are added concurrently by another process.
  Status rotateMasterKey(MasterKey newMasterKey);

  std::string masterKeyId() const;

  // Master key rotation while serving (`parley keys rotate` from another process; see
  // key_rotation.h). `source` answers the master keys this vault should know now: the current
  // one first (wraps new data keys), then any others that may still wrap stored data keys (a
  // rotation's pending key). The vault asks it (under its key lock, so it must not call back
  // into the vault) when it meets a data key wrapped by a master key it does not know, and before
  // it wraps a new data key. Keys it no longer holds as current stay known for unwrapping. With a
  // source, creating a data key is refused (kFailedPrecondition) while stored keys are wrapped
  // by a master key the source does not know (the key was rotated elsewhere).
  using MasterKeySource = std::function<Result<std::vector<MasterKey>>()>;
  void setMasterKeySource(MasterKeySource source);
  // Asks the source now (SIGHUP) and re-wraps any stored data key still wrapped by an older
  // master key under the current one.
  Status reloadMasterKey();

  // The data key version a blob was encrypted with (format checks only; nothing is decrypted).
  static Result<uint32_t> dataKeyVersionOf(std::string_view blob);

 private:
  struct AccountKeys {
    uint32_t current = 0;                     // 0: not known yet
    std::map<uint32_t, unsigned char*> keys;  // version -> slot in pool_
  };

  // Under keyMutex_: makes the account's current key cached (loading or creating it).
  Status loadCurrent(const std::string& accountId);
  // Under keyMutex_: caches one version.
  Status loadVersion(const std::string& accountId, uint32_t version);
  // Under keyMutex_: a new version `version` stored and cached; kAlreadyExists if taken.
  Status createVersion(const std::string& accountId, uint32_t version);
  // Under keyMutex_: unwraps into a pool slot and caches it.
  Status cacheUnwrapped(const WrappedKey& wrapped);
  // Under keyMutex_: unwraps with whichever known master key wrapped it; asks the source once
  // when none did.
  Status unwrapKnown(const WrappedKey& wrapped, unsigned char* out);
  // Under keyMutex_: asks the source and adopts its answer; true when something changed.
  Result<bool> refreshLocked();
  // Under keyMutex_: re-wraps every stored key not wrapped by master_ (rotateMasterKey's loop).
  Status rewrapLocked();
  const MasterKey* knownKey(const std::string& id) const;

  KeyStore& store_;

  mutable std::mutex keyMutex_;  // guards master_ and every store write; taken before cacheMutex_
  MasterKey master_;
  std::vector<MasterKey> retired_;  // guarded by keyMutex_: older or pending keys, for unwrapping
  MasterKeySource source_;          // guarded by keyMutex_

  mutable std::shared_mutex cacheMutex_;  // guards accounts_ and pool_
  std::map<std::string, AccountKeys, std::less<>> accounts_;
  LockedKeyPool pool_;
};

}  // namespace parley::vault
