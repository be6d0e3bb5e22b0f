#include "vault/key_store.h"

#include <cstdint>
#include <set>

namespace parley::vault {

Result<std::optional<WrappedKey>> InMemoryKeyStore::current(const std::string& accountId) {
  std::lock_guard lock(mutex_);
  // Past this account's last version; the entry before it is that version, if the account has any.
  auto it = keys_.upper_bound({accountId, UINT32_MAX});
  if (it == keys_.begin()) return std::optional<WrappedKey>();
  --it;
  if (it->first.first != accountId) return std::optional<WrappedKey>();
  return std::optional<WrappedKey>(it->second);
}

Result<WrappedKey> InMemoryKeyStore::get(const std::string& accountId, uint32_t version) {
  std::lock_guard lock(mutex_);
  auto it = keys_.find({accountId, version});
  if (it == keys_.end()) {
    return Error::notFound("Account '" + accountId + "' has no data key version " +
                           std::to_string(version));
  }
  return it->second;
}

Status InMemoryKeyStore::put(const WrappedKey& key) {
  std::lock_guard lock(mutex_);
  if (!keys_.emplace(std::make_pair(key.accountId, key.version), key).second) {
    return Error::alreadyExists("Account '" + key.accountId + "' already has data key version " +
                                std::to_string(key.version));
  }
  return okStatus();
}

Result<std::vector<WrappedKey>> InMemoryKeyStore::list() {
  std::lock_guard lock(mutex_);
  std::vector<WrappedKey> out;
  out.reserve(keys_.size());
  for (const auto& [id, key] : keys_) out.push_back(key);
  return out;
}

Status InMemoryKeyStore::replaceAll(const std::vector<WrappedKey>& keys) {
  std::lock_guard lock(mutex_);
  std::set<std::pair<std::string, uint32_t>> given;
  for (const WrappedKey& k : keys) given.emplace(k.accountId, k.version);
  bool same = given.size() == keys.size() && given.size() == keys_.size();
  for (auto it = given.begin(); same && it != given.end(); ++it) same = keys_.count(*it) == 1;
  if (!same) {
    return Error::failedPrecondition(
        "The stored data keys changed during the replacement; list them again");
  }
  for (const WrappedKey& k : keys) keys_[{k.accountId, k.version}] = k;
  return okStatus();
}

}  // namespace parley::vault
