// ContextService: the account's context store (SPEC §8) — namespaces with an optional TTL,
// sessions (default "__default__") and JSON properties — for functions (host services
// "context.*", Toolbelt.ContextServiceClient) and for bots and external systems (REST).
//
// Names:
// - namespace: ^[A-Za-z0-9_-]{1,64}$
// - session id: 1..256 characters, no control characters ("/" allowed only via the JS client;
//   REST path segments are decoded by the router)
// - property name: 1..256 characters, no control characters
// Violations: kInvalidArgument naming the field.
//
// Limits (ContextLimits; documented in the README): a property's value is at most 64 KiB of
// JSON text; a session holds at most 1 MiB (names + values); a namespace at most 32 MiB; an
// account has at most 100 namespaces; one write carries at most 1,000 properties. Over a size
// limit: kTooLarge; over the namespace count: kFailedPrecondition. Each message names the
// limit.
//
// TTL: a namespace created with `ttlSeconds` makes each of its sessions expire that long after
// its last write (set/update refresh it). An expired session is gone at once for every reader
// (lazy), and purgeExpired() — run every minute by ContextPurger — deletes it from the database.
//
// Semantics follow LivePerson's Context Session Store client: createNamespace is idempotent (an
// existing namespace is returned unchanged, `created` false); deletes of missing things report
// false rather than failing (the JS client ignores it; REST answers 404); writes to a namespace
// that does not exist are kNotFound. Values are any JSON; a write of `undefined` is not possible
// (the JS client drops such keys as JSON.stringify does).
//
// Thread-safety: thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/loop_thread.h"
#include "base/result.h"
#include "control/activity.h"
#include "store/store.h"

namespace parley::control {

inline constexpr const char* kDefaultContextSession = "__default__";

struct ContextLimits {
  int64_t maxValueBytes = 64 << 10;
  int64_t maxSessionBytes = 1 << 20;
  int64_t maxNamespaceBytes = 32 << 20;
  int64_t maxNamespacesPerAccount = 100;
  int64_t maxPropertiesPerWrite = 1000;
  int64_t maxTtlSeconds = 10LL * 365 * 24 * 3600;
};

struct ContextNamespaceInfo {
  std::string name;
  std::optional<int64_t> ttlSeconds;
  int64_t createdAt = 0;
  bool created = false;  // createNamespace: made by this call
};

enum class ContextWrite { kMerge, kReplace };

class ContextService {
 public:
  ContextService(store::Store& store, const Clock& clock, ContextLimits limits = {});

  // Creating (when new) and deleting (when it existed) a namespace are recorded in the activity
  // stream when a sink is set.
  void setActivitySink(ActivitySink* sink) { activity_ = sink; }

  Result<ContextNamespaceInfo> createNamespace(const std::string& accountId,
                                               const std::string& ns,
                                               std::optional<int64_t> ttlSeconds,
                                               const Actor& actor);
  Result<bool> deleteNamespace(const std::string& accountId, const std::string& ns,
                               const Actor& actor);
  Result<std::vector<ContextNamespaceInfo>> listNamespaces(const std::string& accountId);

  // `properties` must be a JSON object; an empty session id means the default session.
  // Returns the properties written.
  Result<nlohmann::json> setProperties(const std::string& accountId, const std::string& ns,
                                       const nlohmann::json& properties,
                                       const std::string& session, ContextWrite mode);
  // All properties (names null) or the named ones that exist, as a JSON object.
  Result<nlohmann::json> getProperties(const std::string& accountId, const std::string& ns,
                                       const std::string& session,
                                       const std::vector<std::string>* names);
  // nullopt when the property does not exist.
  Result<std::optional<nlohmann::json>> getProperty(const std::string& accountId,
                                                    const std::string& ns,
                                                    const std::string& session,
                                                    const std::string& name);
  Result<bool> deleteProperty(const std::string& accountId, const std::string& ns,
                              const std::string& session, const std::string& name);
  Result<bool> deleteSession(const std::string& accountId, const std::string& ns,
                             const std::string& session);
  Result<std::vector<std::string>> listSessions(const std::string& accountId,
                                                const std::string& ns);

  // Deletes expired sessions; returns how many.
  Result<int64_t> purgeExpired();

  const ContextLimits& limits() const { return limits_; }

 private:
  Result<store::ContextSessionKey> key(const std::string& accountId, const std::string& ns,
                                       const std::string& session) const;

  store::Store& store_;
  const Clock& clock_;
  const ContextLimits limits_;
  ActivitySink* activity_ = nullptr;
};

// Calls ContextService::purgeExpired every `intervalMs` on its own thread until stopped.
class ContextPurger {
 public:
  ContextPurger(ContextService& service, int64_t intervalMs = 60'000);
  ~ContextPurger();
  void start();
  void stop();

 private:
  ContextService& service_;
  const int64_t intervalMs_;
  std::mutex mu_;
  std::condition_variable cv_;
  LoopThread thread_{mu_, cv_};
};

}  // namespace parley::control
