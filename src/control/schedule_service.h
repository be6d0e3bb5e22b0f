// ScheduleService: cron schedules of functions (SPEC §5) — create, update, delete, list, get —
// and the pause/resume that follows undeploy/redeploy (as FunctionService's DeployListener).
//
// Rules: the cron expression and time zone must be valid and fire (scheduler::validateSchedule,
// whose message is passed on); the payload, as JSON text, is at most 15,000 characters; the
// description at most 200; headers are a string map; the function must exist in the account; at
// most `maxPerAccount` schedules per account (kResourceExhausted). Validation errors are
// kInvalidArgument with details {"fields": [{field, message}]}.
// Creating, activating, resuming, or changing the cron or zone sets nextFire from now, so runs
// due while a schedule was inactive or paused never fire.
//
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "control/function_service.h"
#include "store/store.h"

namespace parley::control {

struct ScheduleOptions {
  int64_t maxPerAccount = 50;
};

inline constexpr size_t kMaxSchedulePayloadChars = 15'000;
inline constexpr size_t kMaxScheduleDescriptionChars = 200;

// Fields to set; absent ones are kept (update) or defaulted (create). `function` (uuid or name)
// and `cronExpression` are required on create.
struct ScheduleChanges {
  std::optional<std::string> function;
  std::optional<std::string> cronExpression;
  std::optional<std::string> timeZone;
  std::optional<std::map<std::string, std::string>> headers;
  std::optional<std::string> payloadJson;  // JSON text
  std::optional<std::string> description;
  std::optional<bool> isActive;
};

class ScheduleService final : public DeployListener {
 public:
  ScheduleService(store::Store& store, const Clock& clock, ScheduleOptions options = {});

  Result<store::ScheduleRecord> create(const std::string& accountId,
                                       const ScheduleChanges& changes, const Actor& actor);
  Result<store::ScheduleRecord> update(const std::string& accountId, const std::string& id,
                                       const ScheduleChanges& changes, const Actor& actor);
  Status remove(const std::string& accountId, const std::string& id, const Actor& actor);
  Result<store::ScheduleRecord> get(const std::string& accountId, const std::string& id);
  Result<std::vector<store::ScheduleRecord>> list(const std::string& accountId);

  // DeployListener: pauses a function's schedules on undeploy, resumes them (nextFire from now)
  // on deploy.
  Status onDeployed(const store::FunctionRecord& f, int64_t nowMs) override;
  // Every create/update/remove is recorded in the activity stream when a sink is set.
  void setActivitySink(ActivitySink* sink) { activity_ = sink; }
  Status onUndeployed(const store::FunctionRecord& f, int64_t nowMs) override;

 private:
  // Validates `s` (the merged record) and computes its nextFireMs when `recompute`.
  Status check(store::ScheduleRecord& s, bool recompute, int64_t nowMs);
  Result<store::FunctionRecord> findFunction(const std::string& accountId, const std::string& ref);

  store::Store& store_;
  const Clock& clock_;
  const ScheduleOptions options_;
  ActivitySink* activity_ = nullptr;
};

}  // namespace parley::control
