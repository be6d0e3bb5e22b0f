#include "vault/vault.h"

#include <sodium.h>

#include <cstring>

namespace parley::vault {
namespace {

constexpr size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr size_t kHeaderBytes = 1 + 4;
constexpr int kMaxAttempts = 3;
constexpr std::string_view kWrapLabel = "parley-vault-dk-v1";

static_assert(kNonceBytes == 24 && kTagBytes == 16 && kKeyBytes == 32);
static_assert(kBlobOverhead == kHeaderBytes + kNonceBytes + kTagBytes);

void appendU32(std::string& out, uint32_t v) {
  const char b[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                     static_cast<char>(v >> 8), static_cast<char>(v)};
  out.append(b, 4);
}

uint32_t readU32(std::string_view s) {
  auto b = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(s[i])); };
  return b(0) << 24 | b(1) << 16 | b(2) << 8 | b(3);
}

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* bytes(std::string& s) {
  return reinterpret_cast<unsigned char*>(s.data());
}

std::string blobAd(std::string_view header, std::string_view accountId, std::string_view ad) {
  std::string out(header);
  appendU32(out, static_cast<uint32_t>(accountId.size()));
  out.append(accountId);
  out.append(ad);
  return out;
}

std::string wrapAd(std::string_view accountId, uint32_t version) {
  std::string out(kWrapLabel);
  appendU32(out, static_cast<uint32_t>(accountId.size()));
  out.append(accountId);
  appendU32(out, version);
  return out;
}

WrappedKey wrapKey(const MasterKey& master, const std::string& accountId, uint32_t version,
                   const unsigned char* dataKey) {
  WrappedKey w{accountId, version, master.id(), std::string(kNonceBytes, '\0'),
               std::string(kKeyBytes + kTagBytes, '\0')};
  randombytes_buf(bytes(w.nonce), kNonceBytes);
  std::string ad = wrapAd(accountId, version);
  crypto_aead_xchacha20poly1305_ietf_encrypt(bytes(w.ciphertext), nullptr, dataKey, kKeyBytes,
                                             bytes(ad), ad.size(), nullptr, bytes(w.nonce),
                                             master.data());
  return w;
}

std::string describe(const WrappedKey& w) {
  return "data key version " + std::to_string(w.version) + " of account '" + w.accountId + "'";
}

// Unwraps into `out` (32 bytes); see vault.h for the error codes.
Status unwrapKey(const MasterKey& master, const WrappedKey& w, unsigned char* out) {
  if (w.masterKeyId != master.id()) {
    return Error::failedPrecondition("Cannot unwrap " + describe(w) +
                                     ": the data key was wrapped by master key " + w.masterKeyId +
                                     ", the server has master key " + master.id() +
                                     " (start it with the key that wrapped it, or rotate from "
                                     "that key with `parley keys rotate`)");
  }
  if (w.nonce.size() != kNonceBytes || w.ciphertext.size() != kKeyBytes + kTagBytes) {
    return Error::internal("The stored " + describe(w) + " is malformed");
  }
  std::string ad = wrapAd(w.accountId, w.version);
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(out, nullptr, nullptr, bytes(w.ciphertext),
                                                 w.ciphertext.size(), bytes(ad), ad.size(),
                                                 bytes(w.nonce), master.data()) != 0) {
    sodium_memzero(out, kKeyBytes);
    return Error::internal("The stored " + describe(w) +
                           " does not verify under its master key (corrupt, or moved from "
                           "another account or version)");
  }
  return okStatus();
}

Status checkAccount(std::string_view accountId) {
  if (accountId.empty()) return Error::invalidArgument("The account id is empty");
  return okStatus();
}

std::string sealBlob(const unsigned char* key, uint32_t version, std::string_view accountId,
                     std::string_view plaintext, std::string_view associatedData) {
  std::string blob(1, static_cast<char>(kBlobFormatVersion));
  appendU32(blob, version);
  std::string ad = blobAd(blob, accountId, associatedData);
  blob.resize(kBlobOverhead + plaintext.size());
  unsigned char* nonce = bytes(blob) + kHeaderBytes;
  randombytes_buf(nonce, kNonceBytes);
  crypto_aead_xchacha20poly1305_ietf_encrypt(nonce + kNonceBytes, nullptr, bytes(plaintext),
                                             plaintext.size(), bytes(ad), ad.size(), nullptr, nonce,
                                             key);
  return blob;
}

// `blob` has passed Vault::dataKeyVersionOf.
Result<std::string> openBlob(const unsigned char* key, std::string_view accountId,
                             std::string_view blob, std::string_view associatedData) {
  std::string ad = blobAd(blob.substr(0, kHeaderBytes), accountId, associatedData);
  const unsigned char* nonce = bytes(blob) + kHeaderBytes;
  const unsigned char* ciphertext = nonce + kNonceBytes;
  size_t ciphertextSize = blob.size() - kHeaderBytes - kNonceBytes;
  std::string plaintext(ciphertextSize - kTagBytes, '\0');
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(bytes(plaintext), nullptr, nullptr, ciphertext,
                                                 ciphertextSize, bytes(ad), ad.size(), nonce,
                                                 key) != 0) {
    return Error::permissionDenied(
        "The encrypted value does not verify: it was tampered with, or it belongs to another "
        "account or context");
  }
  return plaintext;
}

}  // namespace

Vault::Vault(MasterKey masterKey, KeyStore& store) : store_(store), master_(std::move(masterKey)) {}

Vault::~Vault() = default;  // pool_ wipes every cached data key

std::string Vault::masterKeyId() const {
  std::lock_guard lock(keyMutex_);
  return master_.id();
}

Result<uint32_t> Vault::dataKeyVersionOf(std::string_view blob) {
  if (blob.size() < kBlobOverhead) {
    return Error::invalidArgument("Not an encrypted value: " + std::to_string(blob.size()) +
                                  " bytes is shorter than any blob");
  }
  if (static_cast<uint8_t>(blob[0]) != kBlobFormatVersion) {
    return Error::invalidArgument("Unknown encrypted value format " +
                                  std::to_string(static_cast<uint8_t>(blob[0])));
  }
  uint32_t version = readU32(blob.substr(1));
  if (version == 0) return Error::invalidArgument("Not an encrypted value: data key version 0");
  return version;
}

Result<std::string> Vault::encrypt(std::string_view accountId, std::string_view plaintext,
                                   std::string_view associatedData) {
  if (Status s = checkAccount(accountId); !s.ok()) return std::move(s).takeError();
  for (int attempt = 0; attempt < 2; ++attempt) {
    {
      std::shared_lock lock(cacheMutex_);
      auto acct = accounts_.find(accountId);
      if (acct != accounts_.end() && acct->second.current != 0) {
        uint32_t version = acct->second.current;
        return sealBlob(acct->second.keys.at(version), version, accountId, plaintext,
                        associatedData);
      }
    }
    std::lock_guard lock(keyMutex_);
    if (Status s = loadCurrent(std::string(accountId)); !s.ok()) return std::move(s).takeError();
  }
  return Error::internal("The data key of account '" + std::string(accountId) +
                         "' could not be cached");
}

Result<std::string> Vault::decrypt(std::string_view accountId, std::string_view blob,
                                   std::string_view associatedData) {
  if (Status s = checkAccount(accountId); !s.ok()) return std::move(s).takeError();
  auto version = dataKeyVersionOf(blob);
  if (!version.ok()) return std::move(version).takeError();
  for (int attempt = 0; attempt < 2; ++attempt) {
    {
      std::shared_lock lock(cacheMutex_);
      auto acct = accounts_.find(accountId);
      if (acct != accounts_.end()) {
        auto key = acct->second.keys.find(*version);
        if (key != acct->second.keys.end()) {
          return openBlob(key->second, accountId, blob, associatedData);
        }
      }
    }
    std::lock_guard lock(keyMutex_);
    if (Status s = loadVersion(std::string(accountId), *version); !s.ok()) {
      return std::move(s).takeError();
    }
  }
  return Error::internal("The data key of account '" + std::string(accountId) +
                         "' could not be cached");
}

Status Vault::cacheUnwrapped(const WrappedKey& wrapped) {
  std::unique_lock lock(cacheMutex_);
  AccountKeys& acct = accounts_[wrapped.accountId];
  if (acct.keys.count(wrapped.version) != 0) return okStatus();
  unsigned char* slot = pool_.acquire();
  lock.unlock();  // unwrapping may ask the key source; the key lock is held
  Status unwrapped = unwrapKnown(wrapped, slot);
  lock.lock();
  if (acct.keys.count(wrapped.version) != 0) {  // cannot happen: loads are under keyMutex_
    pool_.release(slot);
    return okStatus();
  }
  if (Status s = unwrapped; !s.ok()) {
    pool_.release(slot);
    return s;
  }
  acct.keys.emplace(wrapped.version, slot);
  return okStatus();
}

Status Vault::loadVersion(const std::string& accountId, uint32_t version) {
  {
    std::shared_lock lock(cacheMutex_);
    auto acct = accounts_.find(accountId);
    if (acct != accounts_.end() && acct->second.keys.count(version) != 0) return okStatus();
  }
  auto wrapped = store_.get(accountId, version);
  if (!wrapped.ok() && wrapped.error().code() == ErrorCode::kNotFound) {
    return Error::notFound("Account '" + accountId + "' has no data key version " +
                           std::to_string(version) + " (unknown data key version)");
  }
  if (!wrapped.ok()) return std::move(wrapped).takeError();
  if (wrapped->accountId != accountId || wrapped->version != version) {
    return Error::internal("The key store returned " + describe(*wrapped) + " when asked for " +
                           "version " + std::to_string(version) + " of account '" + accountId +
                           "'");
  }
  return cacheUnwrapped(*wrapped);
}

Status Vault::createVersion(const std::string& accountId, uint32_t version) {
  // Wrap with the newest master key: a rotation may have happened since this vault started.
  if (auto refreshed = refreshLocked(); !refreshed.ok()) return std::move(refreshed).takeError();
  if (source_ != nullptr) {
    // Still behind after asking (PARLEY_MASTER_KEY cannot change under us): refuse rather than
    // wrap a new key under a master key the stored ones have left behind.
    auto all = store_.list();
    if (!all.ok()) return std::move(all).takeError();
    for (const WrappedKey& w : *all) {
      if (knownKey(w.masterKeyId) == nullptr) {
        return Error::failedPrecondition(
            "The master key was rotated (stored data keys are wrapped by master key " +
            w.masterKeyId + ", this server has " + master_.id() +
            "): restart the server with the new key");
      }
    }
  }
  LockedKey dataKey;
  randombytes_buf(dataKey.data(), kKeyBytes);
  WrappedKey wrapped = wrapKey(master_, accountId, version, dataKey.data());
  if (Status s = store_.put(wrapped); !s.ok()) return s;
  // A rotation that finished between the refresh and the put left this key under the old master
  // key: adopt the new one and re-wrap it now, while the old one is still known.
  if (auto changed = refreshLocked(); changed.ok() && *changed) (void)rewrapLocked();
  std::unique_lock lock(cacheMutex_);
  AccountKeys& acct = accounts_[accountId];
  unsigned char* slot = pool_.acquire();
  std::memcpy(slot, dataKey.data(), kKeyBytes);
  acct.keys[version] = slot;
  acct.current = version;
  return okStatus();
}

Status Vault::loadCurrent(const std::string& accountId) {
  {
    std::shared_lock lock(cacheMutex_);
    auto acct = accounts_.find(accountId);
    if (acct != accounts_.end() && acct->second.current != 0) return okStatus();
  }
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    auto current = store_.current(accountId);
    if (!current.ok()) return std::move(current).takeError();
    if (current->has_value()) {
      const WrappedKey& wrapped = **current;
      if (wrapped.accountId != accountId) {
        return Error::internal("The key store returned " + describe(wrapped) +
                               " as the current key of account '" + accountId + "'");
      }
      if (Status s = cacheUnwrapped(wrapped); !s.ok()) return s;
      std::unique_lock lock(cacheMutex_);
      accounts_[accountId].current = wrapped.version;
      return okStatus();
    }
    Status created = createVersion(accountId, 1);
    if (created.ok() || created.error().code() != ErrorCode::kAlreadyExists) return created;
    // Another process created it first: read theirs.
  }
  return Error::unavailable("The data key of account '" + accountId +
                            "' keeps changing; try again");
}

Status Vault::rotateDataKey(std::string_view accountId) {
  if (Status s = checkAccount(accountId); !s.ok()) return s;
  std::string account(accountId);
  std::lock_guard lock(keyMutex_);
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    auto current = store_.current(account);
    if (!current.ok()) return std::move(current).takeError();
    uint32_t next = current->has_value() ? (*current)->version + 1 : 1;
    if (next == 0) {
      return Error::resourceExhausted("Account '" + account + "' has no versions left");
    }
    Status created = createVersion(account, next);
    if (created.ok() || created.error().code() != ErrorCode::kAlreadyExists) return created;
  }
  return Error::unavailable("The data keys of account '" + account + "' keep changing; try again");
}

Status Vault::rotateMasterKey(MasterKey newMasterKey) {
  std::lock_guard lock(keyMutex_);
  if (newMasterKey.id() == master_.id()) return rewrapLocked();  // a repeated run
  // The old key stays known: data keys another process adds under it meanwhile still unwrap,
  // and a second pass (rewrapLocked) can move them over.
  retired_.push_back(std::move(master_));
  master_ = std::move(newMasterKey);  // cached data keys are unchanged and stay valid
  Status s = rewrapLocked();
  if (!s.ok()) {  // nothing changed in the store: keep the old key
    master_ = std::move(retired_.back());
    retired_.pop_back();
  }
  return s;
}

Status Vault::rewrapLocked() {
  LockedKey dataKey;
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    auto all = store_.list();
    if (!all.ok()) return std::move(all).takeError();
    std::vector<WrappedKey> rewrapped;
    rewrapped.reserve(all->size());
    bool changed = false;
    for (const WrappedKey& w : *all) {
      if (w.masterKeyId == master_.id()) {
        rewrapped.push_back(w);  // already done by an earlier, interrupted rotation
        continue;
      }
      if (Status s = unwrapKnown(w, dataKey.data()); !s.ok()) return s;
      rewrapped.push_back(wrapKey(master_, w.accountId, w.version, dataKey.data()));
      changed = true;
    }
    if (!changed) return okStatus();
    Status replaced = store_.replaceAll(rewrapped);
    if (replaced.ok()) return okStatus();
    if (replaced.error().code() != ErrorCode::kFailedPrecondition) return replaced;
  }
  return Error::unavailable(
      "Data keys kept being added during the master key rotation; run it again");
}

const MasterKey* Vault::knownKey(const std::string& id) const {
  if (master_.id() == id) return &master_;
  for (const MasterKey& k : retired_) {
    if (k.id() == id) return &k;
  }
  return nullptr;
}

Status Vault::unwrapKnown(const WrappedKey& wrapped, unsigned char* out) {
  const MasterKey* key = knownKey(wrapped.masterKeyId);
  if (key == nullptr && source_ != nullptr) {
    if (auto refreshed = refreshLocked(); !refreshed.ok()) return std::move(refreshed).takeError();
    key = knownKey(wrapped.masterKeyId);
  }
  // Unknown: unwrapKey explains the mismatch against the current key.
  return unwrapKey(key != nullptr ? *key : master_, wrapped, out);
}

Result<bool> Vault::refreshLocked() {
  if (source_ == nullptr) return false;
  auto keys = source_();
  if (!keys.ok()) return std::move(keys).takeError();
  bool changed = false;
  for (size_t i = 0; i < keys->size(); ++i) {
    MasterKey& k = (*keys)[i];
    if (i == 0 && k.id() != master_.id()) {
      std::erase_if(retired_, [&](const MasterKey& r) { return r.id() == k.id(); });
      retired_.push_back(std::move(master_));
      master_ = std::move(k);
      changed = true;
    } else if (knownKey(k.id()) == nullptr) {
      retired_.push_back(std::move(k));
    }
  }
  return changed;
}

void Vault::setMasterKeySource(MasterKeySource source) {
  std::lock_guard lock(keyMutex_);
  source_ = std::move(source);
}

Status Vault::reloadMasterKey() {
  std::lock_guard lock(keyMutex_);
  if (auto refreshed = refreshLocked(); !refreshed.ok()) return std::move(refreshed).takeError();
  return rewrapLocked();
}

}  // namespace parley::vault
