// The context store's repository (SPEC §8): per-account namespaces, each with sessions of JSON
// properties. Included by store.h; implemented on SQLite in sqlite_context.cc (migration 6).
//
// Model: a namespace (optional TTL in seconds) holds sessions; a session holds properties (name →
// JSON text). A session's `expires_at` is set by the writer (the service computes it from the
// namespace's TTL) and refreshed by every write to it. An expired session is invisible: reads,
// listings and usage treat it as absent, the next write to it starts it empty, and
// purgeExpired() deletes it for good. Deleting a namespace deletes its sessions and properties.
//
// Contracts as in store.h: kNotFound when the namespace (or, for createNamespace, the account)
// does not exist, kAlreadyExists when a namespace name is taken, kInternal when SQLite fails.
// Values are stored as given: validation (JSON, sizes) is the caller's job.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"

namespace parley::store {

struct ContextNamespace {
  std::string accountId;
  std::string name;
  std::optional<int64_t> ttlSeconds;  // none: sessions never expire
  int64_t createdAt = 0;
};

struct ContextProperty {
  std::string name;
  std::string valueJson;
};

// What a session and its namespace hold now (live sessions only), for the size limits.
struct ContextUsage {
  int64_t sessionBytes = 0;       // sum of name + value bytes of the session's properties
  int64_t namespaceBytes = 0;     // the same over every live session of the namespace
  int64_t namespaceCount = 0;     // namespaces of the account
};

// Where a write goes and until when the session lives.
struct ContextSessionKey {
  std::string accountId;
  std::string ns;
  std::string session;
};

class ContextRepository {
 public:
  virtual ~ContextRepository() = default;

  virtual Status createNamespace(const ContextNamespace& ns) = 0;
  virtual Result<ContextNamespace> getNamespace(const std::string& accountId,
                                                const std::string& name) = 0;
  // Ordered by name.
  virtual Result<std::vector<ContextNamespace>> listNamespaces(const std::string& accountId) = 0;
  // False when there was no such namespace.
  virtual Result<bool> deleteNamespace(const std::string& accountId, const std::string& name) = 0;

  // Live session ids of the namespace, ordered by id.
  virtual Result<std::vector<std::string>> listSessions(const std::string& accountId,
                                                        const std::string& ns, int64_t nowMs) = 0;
  // False when there was no such session (or it had expired).
  virtual Result<bool> deleteSession(const ContextSessionKey& key, int64_t nowMs) = 0;

  // Writes properties into the session, creating it if needed (an expired one is emptied
  // first). `replace`: the session's other properties are removed. Sets the session's
  // updated_at to nowMs and expires_at to `expiresAtMs` (none: never).
  virtual Status putProperties(const ContextSessionKey& key,
                               const std::vector<ContextProperty>& properties, bool replace,
                               int64_t nowMs, std::optional<int64_t> expiresAtMs) = 0;
  // The session's properties ordered by name; `names` (when given) selects, missing ones are
  // left out. An absent or expired session has none.
  virtual Result<std::vector<ContextProperty>> getProperties(
      const ContextSessionKey& key, const std::vector<std::string>* names, int64_t nowMs) = 0;
  // False when there was no such property.
  virtual Result<bool> deleteProperty(const ContextSessionKey& key, const std::string& name,
                                      int64_t nowMs) = 0;

  virtual Result<ContextUsage> usage(const ContextSessionKey& key, int64_t nowMs) = 0;

  // Deletes every session (with its properties) that expired at or before nowMs; returns how
  // many.
  virtual Result<int64_t> purgeExpired(int64_t nowMs) = 0;
};

}  // namespace parley::store
