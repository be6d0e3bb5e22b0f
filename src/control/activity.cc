#include "control/activity.h"

#include <algorithm>

namespace parley::control {

namespace {
constexpr int64_t kDayMs = 24LL * 3600 * 1000;
}

Status ActivityLog::record(const std::string& accountId, const Actor& actor,
                           const Change& change) {
  store::ActivityRecord r;
  r.accountId = accountId;
  r.at = clock_.nowMs();
  r.actorId = actor.userId;
  r.actorName = actor.username;
  r.action = change.action;
  r.targetType = change.targetType;
  r.targetId = change.targetId;
  r.targetName = change.targetName;
  r.description = change.description;
  r.diff = change.diff;
  auto id = store_.activity().append(r);
  if (!id.ok()) return id.error();
  return okStatus();
}

Result<std::vector<store::ActivityRecord>> ActivityLog::list(store::ActivityQuery q) {
  q.from = std::max(q.from, clock_.nowMs() - kRetentionDays * kDayMs);
  return store_.activity().list(q);
}

Status ActivityLog::purge() {
  return store_.activity().purgeBefore(clock_.nowMs() - kRetentionDays * kDayMs);
}

}  // namespace parley::control
