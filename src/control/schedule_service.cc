#include "control/schedule_service.h"

#include "base/strings.h"
#include "control/function_rules.h"
#include "scheduler/firing.h"
#include "scheduler/schedule_time.h"

namespace parley::control {

using store::ScheduleRecord;

namespace {

// Schedules of a function with no live version are paused until it is deployed.
bool isLive(const store::FunctionRecord& f) { return f.deployedVersion != 0; }

}  // namespace

ScheduleService::ScheduleService(store::Store& store, const Clock& clock, ScheduleOptions options)
    : store_(store), clock_(clock), options_(options) {}

Result<store::FunctionRecord> ScheduleService::findFunction(const std::string& accountId,
                                                            const std::string& ref) {
  auto f = store_.functions().get(accountId, ref);
  if (f.ok() || f.error().code() != ErrorCode::kNotFound) return f;
  return store_.functions().getByName(accountId, ref);
}

Status ScheduleService::check(ScheduleRecord& s, bool recompute, int64_t nowMs) {
  std::vector<FieldError> errors;
  Status valid = scheduler::validateSchedule(s.cron, s.timeZone);
  if (!valid.ok()) {
    // The scheduler's message names the zone when the zone is the problem.
    Status zone = scheduler::validateTimeZone(s.timeZone);
    errors.push_back({zone.ok() ? "cronExpression" : "timeZone", valid.error().message()});
  }
  if (s.payloadJson.size() > kMaxSchedulePayloadChars) {
    errors.push_back({"payload", "must be at most 15,000 characters as JSON (got " +
                                     std::to_string(s.payloadJson.size()) + ")"});
  }
  if (s.description.size() > kMaxScheduleDescriptionChars) {
    errors.push_back({"description", "must be at most 200 characters"});
  }
  if (!errors.empty()) return validationError(errors);
  if (recompute) {
    if (s.isActive && !s.pausedByUndeploy) {
      auto cron = scheduler::parseCron(s.cron);
      if (!cron.ok()) return cron.error();
      auto next = scheduler::nextFireMs(*cron, s.timeZone, nowMs);
      if (!next.ok()) return validationError({{"cronExpression", next.error().message()}});
      s.nextFireMs = *next;
    } else {
      s.nextFireMs.reset();
    }
  }
  return okStatus();
}

Result<ScheduleRecord> ScheduleService::create(const std::string& accountId,
                                               const ScheduleChanges& changes,
                                               const Actor& actor) {
  std::vector<FieldError> missing;
  if (!changes.function || changes.function->empty()) missing.push_back({"function", "is required"});
  if (!changes.cronExpression || changes.cronExpression->empty()) {
    missing.push_back({"cronExpression", "is required"});
  }
  if (!missing.empty()) return validationError(missing);
  auto f = findFunction(accountId, *changes.function);
  if (!f.ok()) {
    if (f.error().code() == ErrorCode::kNotFound) {
      return validationError({{"function", "no function '" + *changes.function +
                                               "' in account '" + accountId + "'"}});
    }
    return f.error();
  }
  int64_t now = clock_.nowMs();
  ScheduleRecord s;
  s.id = randomUuid();
  s.accountId = accountId;
  s.functionUuid = f->uuid;
  s.cron = *changes.cronExpression;
  s.timeZone = changes.timeZone.value_or("");
  if (changes.headers) s.headers = *changes.headers;
  if (changes.payloadJson) s.payloadJson = *changes.payloadJson;
  if (changes.description) s.description = *changes.description;
  s.isActive = changes.isActive.value_or(true);
  s.pausedByUndeploy = !isLive(*f);
  s.createdAt = s.updatedAt = now;
  s.createdBy = s.updatedBy = actor.username;
  Status ok = check(s, true, now);
  if (!ok.ok()) return ok.error();
  Status stored = store_.transaction([&]() -> Status {
    auto n = store_.schedules().count(accountId);
    if (!n.ok()) return n.error();
    if (*n >= options_.maxPerAccount) {
      return Error(ErrorCode::kResourceExhausted,
                   "Account '" + accountId + "' has reached its limit of " +
                       std::to_string(options_.maxPerAccount) + " schedules");
    }
    if (Status c = store_.schedules().create(s); !c.ok()) return c;
    return recordActivity(activity_, accountId, actor,
                          {"schedule.created", "schedule", s.id, "",
                           "Created schedule '" + s.cron + "'", ""});
  });
  if (!stored.ok()) return stored.error();
  return s;
}

Result<ScheduleRecord> ScheduleService::update(const std::string& accountId,
                                               const std::string& id,
                                               const ScheduleChanges& changes,
                                               const Actor& actor) {
  auto found = store_.schedules().get(accountId, id);
  if (!found.ok()) return found.error();
  ScheduleRecord s = *found;
  bool recompute = false;
  if (changes.function) {
    auto f = findFunction(accountId, *changes.function);
    if (!f.ok()) {
      if (f.error().code() == ErrorCode::kNotFound) {
        return validationError({{"function", "no function '" + *changes.function +
                                                 "' in account '" + accountId + "'"}});
      }
      return f.error();
    }
    if (f->uuid != s.functionUuid) {
      s.functionUuid = f->uuid;
      s.pausedByUndeploy = !isLive(*f);
      recompute = true;
    }
  }
  if (changes.cronExpression && *changes.cronExpression != s.cron) {
    s.cron = *changes.cronExpression;
    recompute = true;
  }
  if (changes.timeZone && *changes.timeZone != s.timeZone) {
    s.timeZone = *changes.timeZone;
    recompute = true;
  }
  if (changes.isActive && *changes.isActive != s.isActive) {
    s.isActive = *changes.isActive;
    recompute = true;
  }
  if (changes.headers) s.headers = *changes.headers;
  if (changes.payloadJson) s.payloadJson = *changes.payloadJson;
  if (changes.description) s.description = *changes.description;
  int64_t now = clock_.nowMs();
  s.updatedAt = now;
  s.updatedBy = actor.username;
  Status ok = check(s, recompute, now);
  if (!ok.ok()) return ok.error();
  // Firing state (last_fire_ms) may have moved since the read: update only what the user set,
  // keeping the claim state, by re-reading inside the transaction.
  Status stored = store_.transaction([&]() -> Status {
    auto current = store_.schedules().get(accountId, id);
    if (!current.ok()) return current.error();
    s.lastFireMs = current->lastFireMs;
    s.lastOutcome = current->lastOutcome;
    s.lastInvocationId = current->lastInvocationId;
    if (!recompute) s.nextFireMs = current->nextFireMs;
    if (Status u = store_.schedules().update(s); !u.ok()) return u;
    return recordActivity(activity_, accountId, actor,
                          {"schedule.updated", "schedule", s.id, "",
                           "Updated schedule '" + s.cron + "'", ""});
  });
  if (!stored.ok()) return stored.error();
  return s;
}

Status ScheduleService::remove(const std::string& accountId, const std::string& id,
                              const Actor& actor) {
  return store_.transaction([&]() -> Status {
    if (Status r = store_.schedules().remove(accountId, id); !r.ok()) return r;
    return recordActivity(activity_, accountId, actor,
                          {"schedule.deleted", "schedule", id, "", "Deleted schedule", ""});
  });
}

Result<ScheduleRecord> ScheduleService::get(const std::string& accountId, const std::string& id) {
  return store_.schedules().get(accountId, id);
}

Result<std::vector<ScheduleRecord>> ScheduleService::list(const std::string& accountId) {
  return store_.schedules().list(accountId);
}

Status ScheduleService::onDeployed(const store::FunctionRecord& f, int64_t nowMs) {
  auto all = store_.schedules().listForFunction(f.accountId, f.uuid);
  if (!all.ok()) return all.error();
  for (ScheduleRecord s : *all) {
    if (!s.pausedByUndeploy) continue;
    s.pausedByUndeploy = false;
    if (s.isActive) {
      auto cron = scheduler::parseCron(s.cron);
      auto next = cron.ok() ? scheduler::nextFireMs(*cron, s.timeZone, nowMs)
                            : Result<int64_t>(cron.error());
      if (next.ok()) {
        s.nextFireMs = *next;
      } else {
        s.nextFireMs.reset();
      }
    }
    Status st = store_.schedules().update(s);
    if (!st.ok()) return st;
  }
  return okStatus();
}

Status ScheduleService::onUndeployed(const store::FunctionRecord& f, int64_t) {
  auto all = store_.schedules().listForFunction(f.accountId, f.uuid);
  if (!all.ok()) return all.error();
  for (ScheduleRecord s : *all) {
    if (s.pausedByUndeploy) continue;
    s.pausedByUndeploy = true;
    s.nextFireMs.reset();
    Status st = store_.schedules().update(s);
    if (!st.ok()) return st;
  }
  return okStatus();
}

}  // namespace parley::control
