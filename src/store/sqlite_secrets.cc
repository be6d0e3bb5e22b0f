// Secrets (values as vault blobs) and the vault's wrapped data keys.
#include <algorithm>

#include "store/sqlite_store_impl.h"

namespace parley::store::sqlite {
namespace {

constexpr const char* kSecretColumns =
    "account_id, name, type, blob, created_at, created_by, updated_at, updated_by";

Result<SecretRecord> decodeSecret(Statement& row) {
  SecretRecord s;
  s.accountId = row.text(0);
  s.name = row.text(1);
  s.type = row.text(2);
  s.blob = row.blob(3);
  s.createdAt = row.integer(4);
  s.createdBy = row.text(5);
  s.updatedAt = row.integer(6);
  s.updatedBy = row.text(7);
  return s;
}

std::string secretName(const std::string& accountId, const std::string& name) {
  return "secret " + quoted(name) + " in account " + quoted(accountId);
}

constexpr const char* kKeyColumns = "account_id, version, master_key_id, nonce, ciphertext";

Result<vault::WrappedKey> decodeKey(Statement& row) {
  vault::WrappedKey k;
  k.accountId = row.text(0);
  int64_t version = row.integer(1);
  if (version < 1 || version > 0xffffffffLL) {
    return Error::invalidArgument("data key of account " + quoted(k.accountId) +
                                  " has an invalid version " + std::to_string(version));
  }
  k.version = static_cast<uint32_t>(version);
  k.masterKeyId = row.text(2);
  k.nonce = row.blob(3);
  k.ciphertext = row.blob(4);
  return k;
}

Status insertKey(Connection& c, const vault::WrappedKey& key) {
  Result<int64_t> r =
      c.prepare(
           "INSERT INTO data_keys (account_id, version, master_key_id, nonce, ciphertext) "
           "VALUES (?, ?, ?, ?, ?)")
          .bind(key.accountId, static_cast<int64_t>(key.version), key.masterKeyId)
          .bindBlobAt(4, key.nonce)
          .bindBlobAt(5, key.ciphertext)
          .run();
  if (!r.ok()) {
    return nameConstraintError(std::move(r).takeError(),
                               "data key version " + std::to_string(key.version) + " of account " +
                                   quoted(key.accountId) + " already exists");
  }
  return okStatus();
}

}  // namespace

// ---- secrets ----

namespace {

// INSERT of a secret; `upsert` replaces the type, blob and updated fields of an existing one
// (created fields kept), otherwise an existing name is kAlreadyExists.
Status insertSecret(SqliteStore& store, const SecretRecord& s, bool upsert) {
  return store.write([&](Connection& c) -> Status {
    std::string sql =
        "INSERT INTO secrets (account_id, name, type, blob, created_at, created_by, "
        "updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    if (upsert) {
      sql += " ON CONFLICT (account_id, name) DO UPDATE SET type = excluded.type, "
             "blob = excluded.blob, updated_at = excluded.updated_at, "
             "updated_by = excluded.updated_by";
    }
    Result<int64_t> r = c.prepare(sql)
                            .bind(s.accountId, s.name, s.type)
                            .bindBlobAt(4, s.blob)
                            .bindAt(5, s.createdAt)
                            .bindAt(6, s.createdBy)
                            .bindAt(7, s.updatedAt)
                            .bindAt(8, s.updatedBy)
                            .run();
    if (!r.ok()) {
      return nameConstraintError(std::move(r).takeError(),
                                 upsert ? "" : secretName(s.accountId, s.name) + " already exists",
                                 "account " + quoted(s.accountId) + " not found");
    }
    return okStatus();
  });
}

}  // namespace

Status SqliteSecrets::create(const SecretRecord& s) { return insertSecret(store_, s, false); }

Status SqliteSecrets::put(const SecretRecord& s) { return insertSecret(store_, s, true); }

Result<SecretRecord> SqliteSecrets::get(const std::string& accountId, const std::string& name) {
  return store_.read([&](Connection& c) -> Result<SecretRecord> {
    return foundOr(c.prepare(std::string("SELECT ") + kSecretColumns +
                             " FROM secrets WHERE account_id = ? AND name = ?")
                       .bind(accountId, name)
                       .first<SecretRecord>(decodeSecret),
                   "No " + secretName(accountId, name));
  });
}

Result<std::vector<SecretRecord>> SqliteSecrets::list(const std::string& accountId) {
  return store_.read([&](Connection& c) -> Result<std::vector<SecretRecord>> {
    // The blob column is not even read.
    return c
        .prepare(
            "SELECT account_id, name, type, X'', created_at, created_by, updated_at, "
            "updated_by FROM secrets WHERE account_id = ? ORDER BY name")
        .bind(accountId)
        .all<SecretRecord>(decodeSecret);
  });
}

Status SqliteSecrets::remove(const std::string& accountId, const std::string& name) {
  return store_.write([&](Connection& c) -> Status {
    Result<int64_t> r = c.prepare("DELETE FROM secrets WHERE account_id = ? AND name = ?")
                            .bind(accountId, name)
                            .run();
    if (!r.ok()) return std::move(r).takeError();
    if (*r == 0) return Error::notFound("No " + secretName(accountId, name));
    return okStatus();
  });
}

// ---- data keys ----

Result<std::optional<vault::WrappedKey>> SqliteKeyStore::current(const std::string& accountId) {
  return store_.read([&](Connection& c) -> Result<std::optional<vault::WrappedKey>> {
    return c
        .prepare(std::string("SELECT ") + kKeyColumns +
                 " FROM data_keys WHERE account_id = ? ORDER BY version DESC LIMIT 1")
        .bind(accountId)
        .first<vault::WrappedKey>(decodeKey);
  });
}

Result<vault::WrappedKey> SqliteKeyStore::get(const std::string& accountId, uint32_t version) {
  return store_.read([&](Connection& c) -> Result<vault::WrappedKey> {
    return foundOr(
        c.prepare(std::string("SELECT ") + kKeyColumns +
                  " FROM data_keys WHERE account_id = ? AND version = ?")
            .bind(accountId, static_cast<int64_t>(version))
            .first<vault::WrappedKey>(decodeKey),
        "account " + quoted(accountId) + " has no data key version " + std::to_string(version));
  });
}

Status SqliteKeyStore::put(const vault::WrappedKey& key) {
  return store_.write([&](Connection& c) -> Status { return insertKey(c, key); });
}

Result<std::vector<vault::WrappedKey>> SqliteKeyStore::list() {
  return store_.read([&](Connection& c) -> Result<std::vector<vault::WrappedKey>> {
    return c
        .prepare(std::string("SELECT ") + kKeyColumns +
                 " FROM data_keys ORDER BY account_id, version")
        .all<vault::WrappedKey>(decodeKey);
  });
}

Status SqliteKeyStore::replaceAll(const std::vector<vault::WrappedKey>& keys) {
  return store_.write([&](Connection& c) -> Status {
    Result<std::vector<std::pair<std::string, int64_t>>> stored =
        c.prepare("SELECT account_id, version FROM data_keys ORDER BY account_id, version")
            .all<std::pair<std::string, int64_t>>(
                [](Statement& row) -> Result<std::pair<std::string, int64_t>> {
                  return std::make_pair(row.text(0), row.integer(1));
                });
    if (!stored.ok()) return std::move(stored).takeError();
    std::vector<std::pair<std::string, int64_t>> given;
    given.reserve(keys.size());
    for (const auto& k : keys) given.emplace_back(k.accountId, static_cast<int64_t>(k.version));
    std::sort(given.begin(), given.end());
    if (std::adjacent_find(given.begin(), given.end()) != given.end() || given != *stored) {
      return Error::failedPrecondition(
          "the stored data keys changed while they were being re-wrapped; list them again");
    }
    for (const auto& k : keys) {
      Result<int64_t> r = c.prepare(
                               "UPDATE data_keys SET master_key_id = ?, nonce = ?, ciphertext = ? "
                               "WHERE account_id = ? AND version = ?")
                              .bind(k.masterKeyId)
                              .bindBlobAt(2, k.nonce)
                              .bindBlobAt(3, k.ciphertext)
                              .bindAt(4, k.accountId)
                              .bindAt(5, static_cast<int64_t>(k.version))
                              .run();
      if (!r.ok()) return std::move(r).takeError();
    }
    return okStatus();
  });
}

}  // namespace parley::store::sqlite
