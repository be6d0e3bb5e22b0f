// DomainService: the account allowlist of outbound hosts (SPEC §7).
//
// - Entries are exact hosts or one leading wildcard ("*.example.com": every host below
//   example.com, never example.com itself); egress/allowlist.h has the rules. Invalid entries are
//   kInvalidArgument naming the problem; entries are stored in canonical form (lower case, no
//   trailing dot), so "API.example.com" and "api.example.com" are the same entry (kAlreadyExists).
// - remove() takes the entry in any spelling that canonicalises to it; kNotFound otherwise.
// - allowlist() is what outbound requests are checked against: served from a per-account cache
//   that add/remove here invalidate at once; entries also expire after `cacheTtlMs`, so changes
//   made through another node are seen within that time. A miss reads the store (one indexed
//   query) on the calling thread.
// Thread-safety: thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "control/activity.h"
#include "egress/allowlist.h"
#include "store/store.h"

namespace parley::control {

class DomainService {
 public:
  DomainService(store::Store& store, const Clock& clock, int64_t cacheTtlMs = 30'000);

  // add and remove are recorded in the activity stream when a sink is set.
  void setActivitySink(ActivitySink* sink) { activity_ = sink; }

  Result<store::DomainRecord> add(const std::string& accountId, const std::string& domain,
                                  const Actor& actor);
  Status remove(const std::string& accountId, const std::string& domain, const Actor& actor);
  Result<std::vector<store::DomainRecord>> list(const std::string& accountId);

  Result<std::shared_ptr<const egress::Allowlist>> allowlist(const std::string& accountId);

 private:
  void invalidate(const std::string& accountId);

  store::Store& store_;
  const Clock& clock_;
  const int64_t cacheTtlMs_;
  ActivitySink* activity_ = nullptr;

  struct Cached {
    std::shared_ptr<const egress::Allowlist> list;
    int64_t loadedAtMs = 0;
  };
  std::mutex mu_;
  std::map<std::string, Cached> cache_;  // Guarded by mu_
  uint64_t generation_ = 0;              // Guarded by mu_; bumped by every write
};

}  // namespace parley::control
