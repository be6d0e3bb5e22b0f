#include "vault/key_rotation.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace parley::vault {

namespace {

constexpr int kSweeps = 5;

Status syncDirectoryOf(const std::string& path) {
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    int err = errno;
    if (fd >= 0) ::close(fd);
    return Error::internal("Cannot sync the directory '" + dir + "': " + std::strerror(err));
  }
  ::close(fd);
  return okStatus();
}

// Data keys not wrapped by `id`.
Result<size_t> countNotWrappedBy(KeyStore& store, const std::string& id, size_t* total) {
  auto all = store.list();
  if (!all.ok()) return std::move(all).takeError();
  size_t n = 0;
  for (const WrappedKey& w : *all) n += w.masterKeyId == id ? 0 : 1;
  if (total != nullptr) *total = all->size();
  return n;
}

}  // namespace

std::string pendingKeyFilePath(const std::string& keyFilePath) {
  return keyFilePath + ".next";
}

Result<RotationReport> rotateMasterKeyFile(KeyStore& store, const std::string& keyFilePath) {
  auto current = readMasterKeyFile(keyFilePath);
  if (!current.ok()) return std::move(current).takeError();
  if (!current->has_value()) {
    return Error::failedPrecondition("There is no master key file '" + keyFilePath +
                                     "' to rotate (has the server ever started on this data "
                                     "directory?)");
  }
  MasterKey old = std::move(**current);
  RotationReport report;
  report.oldKeyId = old.id();

  const std::string next = pendingKeyFilePath(keyFilePath);
  auto pending = readMasterKeyFile(next);
  if (!pending.ok()) return std::move(pending).takeError();
  std::optional<MasterKey> fresh;
  if (pending->has_value()) {
    fresh = std::move(**pending);
    report.resumed = true;
  } else {
    fresh = MasterKey::generate();
    if (Status s = createMasterKeyFile(next, *fresh); !s.ok()) return std::move(s).takeError();
  }
  report.newKeyId = fresh->id();

  Vault vault(std::move(old), store);
  if (Status s = vault.rotateMasterKey(copyMasterKey(*fresh)); !s.ok()) {
    return std::move(s).takeError();
  }
  if (::rename(next.c_str(), keyFilePath.c_str()) != 0) {
    return Error::internal("Cannot move '" + next + "' to '" + keyFilePath +
                           "': " + std::strerror(errno) + " (run the rotation again)");
  }
  if (Status s = syncDirectoryOf(keyFilePath); !s.ok()) return std::move(s).takeError();

  // A server that wrapped a new data key with the old key during the swap: move it over.
  for (int sweep = 0; sweep < kSweeps; ++sweep) {
    auto left = countNotWrappedBy(store, report.newKeyId, &report.dataKeys);
    if (!left.ok()) return std::move(left).takeError();
    if (*left == 0) return report;
    if (Status s = vault.rotateMasterKey(copyMasterKey(*fresh)); !s.ok()) {
      return std::move(s).takeError();
    }
  }
  return Error::unavailable("Data keys kept being added under the old master key; run the "
                            "rotation again");
}

Result<RotationReport> rotateMasterKeyFromEnvironment(
    KeyStore& store, std::string_view envValue,
    const std::function<void(const std::string& newKeyBase64)>& announce) {
  auto old = MasterKey::fromBase64(envValue);
  if (!old.ok()) return std::move(old).takeError();
  RotationReport report;
  report.oldKeyId = old->id();
  MasterKey fresh = MasterKey::generate();
  report.newKeyId = fresh.id();
  announce(fresh.toBase64());
  Vault vault(std::move(old).value(), store);
  if (Status s = vault.rotateMasterKey(copyMasterKey(fresh)); !s.ok()) {
    return std::move(s).takeError();
  }
  auto left = countNotWrappedBy(store, report.newKeyId, &report.dataKeys);
  if (!left.ok()) return std::move(left).takeError();
  return report;
}

Vault::MasterKeySource masterKeyFileSource(std::string keyFilePath) {
  return [path = std::move(keyFilePath)]() -> Result<std::vector<MasterKey>> {
    std::vector<MasterKey> keys;
    auto current = readMasterKeyFile(path);
    if (!current.ok()) return std::move(current).takeError();
    if (current->has_value()) keys.push_back(std::move(**current));
    auto pending = readMasterKeyFile(pendingKeyFilePath(path));
    if (!pending.ok()) return std::move(pending).takeError();
    if (pending->has_value()) keys.push_back(std::move(**pending));
    if (keys.empty()) {
      return Error::failedPrecondition("The master key file '" + path + "' is gone");
    }
    return keys;
  };
}

Vault::MasterKeySource fixedMasterKeySource(const MasterKey& key) {
  auto shared = std::make_shared<MasterKey>(copyMasterKey(key));
  return [shared]() -> Result<std::vector<MasterKey>> {
    std::vector<MasterKey> keys;
    keys.push_back(copyMasterKey(*shared));
    return keys;
  };
}

}  // namespace parley::vault
