// Master key rotation (`parley keys rotate`): a new master key wraps every account's data keys,
// without downtime for a server running on the same data directory.
//
// With a key file (<data-dir>/master.key), rotateMasterKeyFile:
//   1. reads the current key from the file;
//   2. makes the new key and writes it to "<file>.next" (0600, created atomically) — or, if that
//      file exists, takes the key in it: an interrupted rotation is resumed, never re-started
//      with a third key;
//   3. re-wraps every stored data key under the new key in one transaction (data keys and
//      secret blobs do not change);
//   4. renames "<file>.next" over the file (atomic) and syncs the directory;
//   5. sweeps: data keys a running server created under the old key meanwhile are re-wrapped.
// A crash at any step leaves the old key file, the ".next" file, or both, and every data key
// wrapped by one of them; running the command again finishes the job.
//
// A running server (Vault::setMasterKeySource with masterKeyFileSource below) keeps decrypting
// throughout: unwrapped data keys are cached, a data key wrapped by a key it does not know makes
// it re-read the file and "<file>.next", it re-reads them before wrapping a new data key, and
// SIGHUP makes it re-read them and re-wrap stragglers.
//
// With PARLEY_MASTER_KEY (rotateMasterKeyFromEnvironment) there is no file to swap: the new key
// is returned (printed once by the CLI before anything changes), the data keys are re-wrapped,
// and servers must be restarted with the new value. Until then a running server keeps serving
// the accounts whose data keys it has cached and refuses to create new data keys (it cannot
// learn the new key); other accounts' secrets fail with a message naming both key ids.
//
// Errors: those of the key file (master_key.h) and the vault; kFailedPrecondition when a stored
// data key is wrapped by a master key that is neither the old nor the new one.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "vault/key_store.h"
#include "vault/master_key.h"
#include "vault/vault.h"

namespace parley::vault {

struct RotationReport {
  std::string oldKeyId;
  std::string newKeyId;
  size_t dataKeys = 0;  // data keys now wrapped by the new key
  bool resumed = false; // an earlier, interrupted rotation's ".next" key was used
};

// The pending key file of a rotation.
std::string pendingKeyFilePath(const std::string& keyFilePath);

Result<RotationReport> rotateMasterKeyFile(KeyStore& store, const std::string& keyFilePath);

// `announce` is called with the new key (base64) before any data key changes.
Result<RotationReport> rotateMasterKeyFromEnvironment(
    KeyStore& store, std::string_view envValue,
    const std::function<void(const std::string& newKeyBase64)>& announce);

// For Vault::setMasterKeySource in a server using `keyFilePath`: the file's key, then the
// pending one if a rotation is under way.
Vault::MasterKeySource masterKeyFileSource(std::string keyFilePath);
// For a server using PARLEY_MASTER_KEY: always that key (so the vault knows it cannot learn a
// rotated one).
Vault::MasterKeySource fixedMasterKeySource(const MasterKey& key);

}  // namespace parley::vault
