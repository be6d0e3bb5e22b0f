// The master key: 32 random bytes that wrap (encrypt) every account's data keys. It never
// encrypts secrets itself, and it is never stored in the database.
//
// Where it comes from, in order (loadMasterKey):
//   1. the environment variable PARLEY_MASTER_KEY: base64 of 32 bytes (standard or URL-safe
//      alphabet, padding optional). Set but empty is an error, not "absent": an operator who meant
//      to pass a key must not silently get a freshly generated one.
//   2. the key file the caller names (normally <data-dir>/master.key): exactly 32 raw bytes, or
//      base64 text of 32 bytes (surrounding whitespace ignored). The file must not be accessible
//      to group or others (mode 0600 or stricter); a looser file is refused with the chmod to run.
//   3. neither: 32 random bytes are generated and written to that file as base64 text with mode
//      0600. The file appears atomically: written and fsync'd under a temporary name created with
//      O_EXCL, then link()ed to its name (which fails if it exists, so two processes starting at
//      once agree on one key) and the directory fsync'd. A crash leaves either no key file or a
//      complete one, never a truncated one.
//
// The key id (`MasterKey::id()`) is the hex of the first 8 bytes of BLAKE2b-256 of the key. It is
// stored next to every wrapped data key so a mismatch is reported as such ("wrapped by master key
// 1a2b…, the server has 9f8e…") instead of as a decryption failure. It reveals nothing usable
// about the key.
//
// Errors: kInvalidArgument (bad base64, wrong length, empty), kFailedPrecondition (key file
// permissions too loose, or not a regular file), kInternal (I/O failure, with the path and errno
// text). Messages never contain key material.
//
// Thread-safety: a MasterKey is immutable after construction; const methods may be called from any
// thread. loadMasterKey may run concurrently in several processes against the same file.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "vault/secure_memory.h"

namespace parley::vault {

inline constexpr const char* kMasterKeyEnvVar = "PARLEY_MASTER_KEY";

class MasterKey {
 public:
  // Exactly 32 raw bytes.
  static Result<MasterKey> fromBytes(std::string_view raw);
  // Base64 (standard or URL-safe, padded or not, whitespace ignored) of exactly 32 bytes.
  static Result<MasterKey> fromBase64(std::string_view text);
  // 32 bytes from libsodium's CSPRNG.
  static MasterKey generate();

  MasterKey(MasterKey&&) noexcept = default;
  MasterKey& operator=(MasterKey&&) noexcept = default;

  // The 32 key bytes (locked memory). Valid while this object lives.
  const unsigned char* data() const { return key_.data(); }
  // 16 lower-case hex characters.
  const std::string& id() const { return id_; }
  // Base64 (standard, padded) of the key: what the key file holds, for `parley keys` output.
  std::string toBase64() const;

 private:
  MasterKey();
  void computeId();

  LockedKey key_;
  std::string id_;
};

enum class MasterKeySource { kEnvironment, kFile, kGenerated };
const char* masterKeySourceName(MasterKeySource source);

struct LoadedMasterKey {
  MasterKey key;
  MasterKeySource source;
};

// Reads PARLEY_MASTER_KEY from the environment, then falls back to `keyFilePath` as described
// above.
Result<LoadedMasterKey> loadMasterKey(const std::string& keyFilePath);
// The same with the environment variable's value passed in (nullopt = unset); for tests and for
// callers that read configuration elsewhere.
Result<LoadedMasterKey> loadMasterKey(std::optional<std::string_view> envValue,
                                      const std::string& keyFilePath);

// Key files, for rotation (key_rotation.h) and for a server re-reading its key.
// The key in `path`, or nullopt when there is no such file (format and mode rules as above).
Result<std::optional<MasterKey>> readMasterKeyFile(const std::string& path);
// Creates `path` holding `key` atomically (as for a generated key); kAlreadyExists if it exists.
Status createMasterKeyFile(const std::string& path, const MasterKey& key);
// A copy of `key` (MasterKey is move-only so that copies are deliberate).
MasterKey copyMasterKey(const MasterKey& key);

}  // namespace parley::vault
