// SecretService: the account's secrets (SPEC §6), encrypted with the vault.
//
// - Names match ^[A-Za-z0-9_-]{1,100}$; values are at most 16,384 characters (code points);
//   type "plaintext" or "json" (a JSON value must parse). Violations: kInvalidArgument.
// - Values are encrypted under the account's data key with associated data
//   "<account>/secret/<name>", so a blob moved to another row does not decrypt. The store only
//   ever sees blobs. Values are never logged and never returned by the management methods.
// - Management (API): create (kAlreadyExists if taken), replace (create or overwrite), remove
//   (kNotFound), list (names, types and audit fields only).
// - Functions (host services): read and update. System secrets (names starting with
//   LIVEPERSON_DEFAULT_ or PARLEY_) are read-only to functions: update is kPermissionDenied.
//   Unknown names are kNotFound, for update too (LivePerson: secrets are created only in the UI).
// Thread-safety: thread-safe.
#pragma once

#include <string>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "control/activity.h"
#include "store/store.h"
#include "vault/vault.h"

namespace parley::control {

inline constexpr size_t kMaxSecretValueChars = 16384;

struct SecretInfo {
  std::string name;
  std::string type;  // "plaintext" | "json"
  int64_t createdAt = 0;
  std::string createdBy;
  int64_t updatedAt = 0;
  std::string updatedBy;
};

struct SecretValue {
  std::string name;
  std::string type;
  std::string value;  // as stored: JSON text for "json" secrets
};

class SecretService {
 public:
  SecretService(store::Store& store, vault::Vault& vault, const Clock& clock);

  static bool validName(const std::string& name);
  // LIVEPERSON_DEFAULT_* and PARLEY_*.
  static bool isSystemName(const std::string& name);

  // create, replace and remove are recorded in the activity stream (the name, never the value)
  // when a sink is set.
  void setActivitySink(ActivitySink* sink) { activity_ = sink; }

  Result<SecretInfo> create(const std::string& accountId, const std::string& name,
                            const std::string& type, const std::string& value,
                            const Actor& actor);
  // Creates or overwrites; `created` (optional) says which.
  Result<SecretInfo> replace(const std::string& accountId, const std::string& name,
                             const std::string& type, const std::string& value,
                             const Actor& actor, bool* created = nullptr);
  Status remove(const std::string& accountId, const std::string& name, const Actor& actor);
  Result<std::vector<SecretInfo>> list(const std::string& accountId);

  // For functions only.
  Result<SecretValue> read(const std::string& accountId, const std::string& name);
  // Keeps the secret's type; `actor` names the function in the audit fields.
  Result<SecretValue> update(const std::string& accountId, const std::string& name,
                             const std::string& value, const std::string& actor);

 private:
  Status check(const std::string& name, const std::string& type, const std::string& value) const;
  Result<store::SecretRecord> seal(const std::string& accountId, const std::string& name,
                                   const std::string& type, const std::string& value,
                                   const std::string& actor);

  store::Store& store_;
  vault::Vault& vault_;
  const Clock& clock_;
  ActivitySink* activity_ = nullptr;
};

}  // namespace parley::control
