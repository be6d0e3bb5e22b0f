// The activity stream (SPEC §10): every change made in an account — who, when, what — kept 90
// days. The control services that mutate (functions, deploys, secrets, schedules, users, API
// clients, …) report each change through ActivitySink, inside the store transaction that makes
// it when there is one, so a change and its entry are committed together.
//
// Entries never hold secret values: secret changes name the secret only.
// Thread-safety: implementations are thread-safe.
#pragma once

#include <string>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "store/store.h"

namespace parley::control {

// Who made a change (a user, or an API client by its id and name).
struct Actor {
  std::string userId;    // or client id
  std::string username;  // shown in audit fields
};

// What changed.
struct Change {
  std::string action;       // "<type>.<verb>": function.created, function.deployed, secret.deleted
  std::string targetType;   // function, secret, schedule, user, client, account, ...
  std::string targetId;     // uuid, name or id of the object
  std::string targetName;   // its name for people ("" when the id is the name)
  std::string description;  // one line, e.g. "Deployed version 3"
  std::string diff;         // unified diff of code changes (control/unified_diff.h), else ""
};

class ActivitySink {
 public:
  virtual ~ActivitySink() = default;
  // Records `change` by `actor` in `accountId`, now. An error is returned to the caller, which
  // rolls its transaction back (an unrecorded change is not made).
  virtual Status record(const std::string& accountId, const Actor& actor, const Change& change) = 0;
};

// The store-backed activity stream.
class ActivityLog final : public ActivitySink {
 public:
  static constexpr int64_t kRetentionDays = 90;

  ActivityLog(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  Status record(const std::string& accountId, const Actor& actor, const Change& change) override;
  // Newest first; only the last 90 days.
  Result<std::vector<store::ActivityRecord>> list(store::ActivityQuery q);
  // Deletes entries older than 90 days.
  Status purge();

 private:
  store::Store& store_;
  const Clock& clock_;
};

// Records `change` when `sink` is set; ok otherwise. For services whose sink is optional.
inline Status recordActivity(ActivitySink* sink, const std::string& accountId, const Actor& actor,
                             const Change& change) {
  return sink ? sink->record(accountId, actor, change) : okStatus();
}

}  // namespace parley::control
