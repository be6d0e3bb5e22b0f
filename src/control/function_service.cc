#include "control/function_service.h"

#include <optional>

#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "control/unified_diff.h"
#include "runtime/platform_env.h"

namespace parley::control {

namespace {

using store::FunctionRecord;
using store::FunctionState;
using store::VersionRecord;

constexpr size_t kMaxCachedSources = 10'000;

bool looksLikeUuid(const std::string& s) {
  return s.size() == 36 && s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-';
}

bool isLive(FunctionState s) {
  return s == FunctionState::kProductive || s == FunctionState::kModified;
}

// The message, line and column of a failed deploy, as stored in FunctionRecord::lastError.
std::string errorJson(const Error& e) {
  nlohmann::json j = {{"message", e.message()}};
  nlohmann::json details = nlohmann::json::parse(e.details(), nullptr, false);
  if (details.is_object()) {
    if (details.contains("line")) j["line"] = details["line"];
    if (details.contains("column")) j["column"] = details["column"];
  }
  return j.dump();
}

// The activity entry of an update: which fields changed (environment keys, never values) and
// the code diff against the previous version.
Change updateChange(const FunctionRecord& before, const VersionRecord& beforeVersion,
                    const FunctionRecord& after, const VersionRecord& afterVersion) {
  std::vector<std::string> parts;
  if (before.name != after.name) parts.push_back("renamed from '" + before.name + "'");
  if (before.description != after.description) parts.push_back("description");
  if (before.eventId != after.eventId) parts.push_back("event " + after.eventId);
  if (before.skills != after.skills) parts.push_back("skills");
  if (beforeVersion.code != afterVersion.code) parts.push_back("code");
  if (beforeVersion.environment != afterVersion.environment) {
    std::vector<std::string> keys;
    for (const auto& [k, v] : afterVersion.environment) {
      auto it = beforeVersion.environment.find(k);
      if (it == beforeVersion.environment.end()) {
        keys.push_back("+" + k);
      } else if (it->second != v) {
        keys.push_back("~" + k);
      }
    }
    for (const auto& [k, v] : beforeVersion.environment) {
      if (!afterVersion.environment.count(k)) keys.push_back("-" + k);
    }
    parts.push_back("environment (" + join(keys, ", ") + ")");
  }
  if (beforeVersion.settings.timeoutSeconds != afterVersion.settings.timeoutSeconds ||
      beforeVersion.settings.memoryMb != afterVersion.settings.memoryMb) {
    parts.push_back("settings");
  }
  std::string description = "Changed " + (parts.empty() ? std::string("nothing") : join(parts, ", "));
  if (afterVersion.version != beforeVersion.version) {
    description += " (version " + std::to_string(afterVersion.version) + ")";
  }
  Change change{beforeVersion.code != afterVersion.code ? "function.codeChanged" : "function.updated",
                "function", after.uuid, after.name, description, ""};
  change.diff = unifiedDiff(beforeVersion.code, afterVersion.code,
                            after.name + "/index.js (version " +
                                std::to_string(beforeVersion.version) + ")",
                            after.name + "/index.js (version " +
                                std::to_string(afterVersion.version) + ")");
  return change;
}

}  // namespace

FunctionService::FunctionService(store::Store& store, runtime::Invoker& invoker,
                                 const Clock& clock, FunctionLimits limits,
                                 const EventCatalogue& events)
    : store_(store), invoker_(invoker), clock_(clock), limits_(limits), events_(events) {}

Status FunctionService::checkBindingInStore(const FunctionRecord& candidate) {
  std::optional<EventCatalogue> accountEvents;
  if (accountCatalogue_) {
    auto catalogue = accountCatalogue_->catalogueFor(candidate.accountId);
    if (!catalogue.ok()) return catalogue.error();
    accountEvents = std::move(catalogue).value();
  }
  const EventCatalogue& events = accountEvents ? *accountEvents : events_;
  // Only the functions sharing the event matter, and only on an event with a limit or skills:
  // most functions are on "No Event", which has neither.
  std::vector<FunctionRecord> peers;
  if (bindingNeedsPeers(events, candidate.eventId)) {
    auto bound = store_.functions().listBoundTo(candidate.accountId, candidate.eventId);
    if (!bound.ok()) return bound.error();
    peers = std::move(bound).value();
  }
  std::vector<FieldError> errors;
  checkBinding(events, candidate, peers, errors);
  if (!errors.empty()) return validationError(errors);
  return okStatus();
}

std::string FunctionService::runtimeKey(const FunctionRecord& f, int64_t version) {
  return f.accountId + "/" + f.uuid + "@" + std::to_string(version);
}

Result<FunctionRecord> FunctionService::find(const std::string& accountId,
                                             const std::string& ref) {
  uint64_t generation;
  {
    std::lock_guard lock(cacheMu_);
    auto account = records_.find(accountId);
    if (account != records_.end()) {
      auto it = account->second.find(ref);
      if (it != account->second.end()) return it->second;
    }
    generation = generations_[accountId];
  }
  Result<FunctionRecord> found = Error::notFound("");
  if (looksLikeUuid(ref)) found = store_.functions().get(accountId, ref);
  if (!found.ok() && found.error().code() == ErrorCode::kNotFound) {
    found = store_.functions().getByName(accountId, ref);
  }
  if (!found.ok()) {
    if (found.error().code() == ErrorCode::kNotFound) {
      return Error::notFound("No function '" + ref + "' in account '" + accountId + "'");
    }
    return found;
  }
  std::lock_guard lock(cacheMu_);
  if (generations_[accountId] != generation) return found;  // a write raced this read
  auto& cache = records_[accountId];
  if (cache.size() > 4 * 500) cache.clear();  // uuid and name keys of up to 500+ functions
  cache[ref] = *found;
  return found;
}

void FunctionService::changed(const std::string& accountId) {
  std::lock_guard lock(cacheMu_);
  ++generations_[accountId];
  records_.erase(accountId);
}

Result<FunctionView> FunctionService::create(const std::string& accountId,
                                             const FunctionChanges& changes, const Actor& actor) {
  std::vector<FieldError> errors;
  FunctionRecord f;
  f.accountId = accountId;
  f.name = changes.name.value_or("");
  f.description = changes.description.value_or("");
  f.eventId = changes.eventId.value_or("No Event");
  f.skills = changes.skills.value_or(std::vector<std::string>{});
  VersionRecord v;
  v.code = changes.code.value_or("");
  v.environment = changes.environment.value_or(std::map<std::string, std::string>{});
  v.settings = changes.settings.value_or(store::FunctionSettings{});
  checkName(f.name, errors);
  checkDescription(f.description, errors);
  checkEventId(f.eventId, errors);
  checkSkills(f.skills, errors);
  checkCode(v.code, errors);
  checkEnvironment(v.environment, errors);
  checkSettings(v.settings, limits_, errors);
  if (!errors.empty()) return validationError(errors);

  int64_t now = clock_.nowMs();
  f.uuid = randomUuid();
  f.state = FunctionState::kDraft;
  f.latestVersion = 1;
  f.createdAt = f.updatedAt = now;
  f.createdBy = f.updatedBy = actor.username;
  v.functionUuid = f.uuid;
  v.version = 1;
  v.createdAt = now;
  v.createdBy = actor.username;
  Status s = store_.transaction([&]() -> Status {
    auto count = store_.functions().count(accountId);
    if (!count.ok()) return count.error();
    if (*count >= limits_.maxFunctionsPerAccount) {
      return Error::resourceExhausted("Account '" + accountId + "' has reached its limit of " +
                                      std::to_string(limits_.maxFunctionsPerAccount) +
                                      " functions");
    }
    if (Status b = checkBindingInStore(f); !b.ok()) return b;
    if (Status c = store_.functions().create(f); !c.ok()) return c;
    if (Status a = store_.functions().addVersion(v); !a.ok()) return a;
    return recordActivity(activity_, accountId, actor,
                          {"function.created", "function", f.uuid, f.name,
                           "Created function '" + f.name + "' (version 1)",
                           unifiedDiff("", v.code, "/dev/null", f.name + "/index.js (version 1)")});
  });
  changed(accountId);
  if (!s.ok()) return s.error();
  return FunctionView{f, v};
}

Result<FunctionView> FunctionService::get(const std::string& accountId, const std::string& ref) {
  auto f = find(accountId, ref);
  if (!f.ok()) return f.error();
  auto v = store_.functions().version(f->uuid, f->latestVersion);
  if (!v.ok()) return v.error();
  return FunctionView{std::move(*f), std::move(*v)};
}

Result<std::vector<FunctionRecord>> FunctionService::list(const std::string& accountId) {
  return store_.functions().list(accountId);
}

Result<std::vector<FunctionRecord>> FunctionService::listBoundTo(const std::string& accountId,
                                                                 const std::string& eventId) {
  return store_.functions().listBoundTo(accountId, eventId);
}

Result<FunctionView> FunctionService::update(const std::string& accountId, const std::string& ref,
                                             const FunctionChanges& changes, const Actor& actor) {
  auto current = get(accountId, ref);
  if (!current.ok()) return current.error();
  FunctionRecord f = current->function;
  VersionRecord v = current->latest;
  std::vector<FieldError> errors;
  if (changes.name) checkName(f.name = *changes.name, errors);
  if (changes.description) checkDescription(f.description = *changes.description, errors);
  if (changes.skills) checkSkills(f.skills = *changes.skills, errors);
  if (changes.eventId && *changes.eventId != f.eventId) {
    if (isLive(f.state)) {
      errors.push_back({"eventId", "cannot change while the function is deployed: undeploy it "
                                   "first"});
    } else {
      checkEventId(f.eventId = *changes.eventId, errors);
    }
  }
  bool newVersion = false;
  if (changes.code && *changes.code != v.code) {
    checkCode(v.code = *changes.code, errors);
    newVersion = true;
  }
  if (changes.environment && *changes.environment != v.environment) {
    checkEnvironment(v.environment = *changes.environment, errors);
    newVersion = true;
  }
  if (changes.settings && (changes.settings->timeoutSeconds != v.settings.timeoutSeconds ||
                           changes.settings->memoryMb != v.settings.memoryMb)) {
    checkSettings(v.settings = *changes.settings, limits_, errors);
    newVersion = true;
  }
  if (!errors.empty()) return validationError(errors);

  int64_t now = clock_.nowMs();
  f.updatedAt = now;
  f.updatedBy = actor.username;
  if (newVersion) {
    v.version = f.latestVersion + 1;
    v.createdAt = now;
    v.createdBy = actor.username;
    f.latestVersion = v.version;
    if (f.state == FunctionState::kProductive) f.state = FunctionState::kModified;
  }
  bool rebinding = (changes.eventId && *changes.eventId != current->function.eventId) ||
                   (changes.skills && *changes.skills != current->function.skills);
  Status s = store_.transaction([&]() -> Status {
    if (rebinding) {
      if (Status b = checkBindingInStore(f); !b.ok()) return b;
    }
    if (newVersion) {
      if (Status a = store_.functions().addVersion(v); !a.ok()) return a;
      if (Status p = store_.functions().pruneVersions(f.uuid, limits_.maxVersionsKept,
                                                      f.deployedVersion);
          !p.ok()) {
        return p;
      }
    }
    if (Status u = store_.functions().update(f); !u.ok()) return u;
    return recordActivity(activity_, accountId, actor, updateChange(current->function,
                                                                    current->latest, f, v));
  });
  changed(accountId);
  if (!s.ok()) return s.error();
  return FunctionView{f, v};
}

Status FunctionService::remove(const std::string& accountId, const std::string& ref,
                               const Actor& actor) {
  auto f = find(accountId, ref);
  if (!f.ok()) return f.error();
  if (isLive(f->state)) {
    return Error::failedPrecondition("Function '" + f->name +
                                     "' is deployed: undeploy it before deleting it");
  }
  Status s = store_.transaction([&]() -> Status {
    if (Status r = store_.functions().remove(accountId, f->uuid); !r.ok()) return r;
    return recordActivity(activity_, accountId, actor,
                          {"function.deleted", "function", f->uuid, f->name,
                           "Deleted function '" + f->name + "'", ""});
  });
  changed(accountId);
  return s;
}

Result<FunctionView> FunctionService::deploy(const std::string& accountId, const std::string& ref,
                                             std::optional<int64_t> version, const Actor& actor) {
  auto found = find(accountId, ref);
  if (!found.ok()) return found.error();
  FunctionRecord f = *found;
  int64_t target = version.value_or(f.latestVersion);
  auto v = store_.functions().version(f.uuid, target);
  if (!v.ok()) {
    if (v.error().code() == ErrorCode::kNotFound) {
      return Error::notFound("Function '" + f.name + "' has no version " + std::to_string(target) +
                             " (the newest " + std::to_string(limits_.maxVersionsKept) +
                             " are kept)");
    }
    return v.error();
  }
  auto source = sourceOf(f, *v);
  Status built = invoker_.validateSync(*source);

  store::DeploymentRecord d;
  d.functionUuid = f.uuid;
  d.action = version && *version != f.latestVersion ? "rollback" : "deploy";
  d.version = target;
  d.createdAt = clock_.nowMs();
  d.createdBy = actor.username;
  int64_t previous = f.deployedVersion;
  f.updatedAt = d.createdAt;
  f.updatedBy = actor.username;
  if (built.ok()) {
    d.state = "successful";
    f.deployedVersion = target;
    f.state = target == f.latestVersion ? FunctionState::kProductive : FunctionState::kModified;
    f.lastError.clear();
  } else {
    d.state = "failed";
    d.error = errorJson(built.error());
    f.state = built.error().code() == ErrorCode::kInternal ? FunctionState::kDeployError
                                                           : FunctionState::kBuildError;
    f.lastError = d.error;
  }
  Status s = store_.transaction([&]() -> Status {
    if (auto id = store_.functions().addDeployment(d); !id.ok()) return id.error();
    Status updated = store_.functions().update(f);
    if (!updated.ok()) return updated;
    Change change{"function." + (d.action == "rollback" ? std::string("rolledBack") : "deployed"),
                  "function", f.uuid, f.name, "", ""};
    if (built.ok()) {
      change.description = (d.action == "rollback" ? "Rolled back to version " : "Deployed version ") +
                           std::to_string(target);
      if (previous != 0 && previous != target) {
        change.description += " (was version " + std::to_string(previous) + ")";
      }
    } else {
      change.action = "function.deployFailed";
      change.description = "Deploy of version " + std::to_string(target) +
                           " failed: " + built.error().message();
    }
    if (Status a = recordActivity(activity_, accountId, actor, change); !a.ok()) return a;
    if (listener_ == nullptr || !built.ok()) return okStatus();
    return listener_->onDeployed(f, d.createdAt);
  });
  changed(accountId);
  if (!s.ok()) return s.error();
  if (built.ok() && previous != 0 && previous != target) {
    invoker_.evict(runtimeKey(f, previous));  // in-flight invocations finish on it
  }
  if (!built.ok()) {
    // The build error is reported to the caller; the function keeps its state (Build Error) and
    // whatever version was live stays live.
    return Error(built.error().code() == ErrorCode::kInternal ? ErrorCode::kInternal
                                                              : ErrorCode::kInvalidArgument,
                 "Deploy failed (" + std::string(store::functionStateName(f.state)) +
                     "): " + built.error().message())
        .withDetails(d.error);
  }
  if (target == f.latestVersion) return FunctionView{f, *v};
  auto latest = store_.functions().version(f.uuid, f.latestVersion);
  if (!latest.ok()) return latest.error();
  return FunctionView{f, *latest};
}

Result<FunctionView> FunctionService::undeploy(const std::string& accountId,
                                               const std::string& ref, const Actor& actor) {
  auto found = find(accountId, ref);
  if (!found.ok()) return found.error();
  FunctionRecord f = *found;
  int64_t previous = f.deployedVersion;
  store::DeploymentRecord d;
  d.functionUuid = f.uuid;
  d.action = "undeploy";
  d.version = previous;
  d.state = "successful";
  d.createdAt = clock_.nowMs();
  d.createdBy = actor.username;
  f.deployedVersion = 0;
  f.state = FunctionState::kUndeployed;
  f.updatedAt = d.createdAt;
  f.updatedBy = actor.username;
  Status s = store_.transaction([&]() -> Status {
    if (auto id = store_.functions().addDeployment(d); !id.ok()) return id.error();
    Status updated = store_.functions().update(f);
    if (!updated.ok()) return updated;
    if (Status a = recordActivity(activity_, accountId, actor,
                                  {"function.undeployed", "function", f.uuid, f.name,
                                   "Undeployed" + (previous ? " version " + std::to_string(previous)
                                                            : std::string()),
                                   ""});
        !a.ok()) {
      return a;
    }
    if (listener_ == nullptr) return okStatus();
    return listener_->onUndeployed(f, d.createdAt);
  });
  changed(accountId);
  if (!s.ok()) return s.error();
  if (previous != 0) invoker_.evict(runtimeKey(f, previous));
  auto v = store_.functions().version(f.uuid, f.latestVersion);
  if (!v.ok()) return v.error();
  return FunctionView{f, *v};
}

Result<Status> FunctionService::validate(const std::string& accountId, const std::string& ref,
                                         const std::string& code) {
  std::vector<FieldError> errors;
  checkCode(code, errors);
  if (!errors.empty()) return validationError(errors);
  auto f = find(accountId, ref);
  if (!f.ok()) return f.error();
  auto v = store_.functions().version(f->uuid, f->latestVersion);
  if (!v.ok()) return v.error();
  VersionRecord draft = *v;
  draft.code = code;
  // A key of its own, so that the check neither reuses nor replaces a real version's instance.
  auto source = buildSource(*f, draft);
  source->key += "#check" + std::to_string(++checks_);
  Status built = invoker_.validateSync(*source);
  invoker_.evict(source->key);
  if (!built.ok() && built.error().code() == ErrorCode::kInternal) return built.error();
  return built;
}

Result<std::vector<VersionRecord>> FunctionService::versions(const std::string& accountId,
                                                             const std::string& ref) {
  auto f = find(accountId, ref);
  if (!f.ok()) return f.error();
  return store_.functions().versions(f->uuid);
}

Result<std::vector<store::DeploymentRecord>> FunctionService::deployments(
    const std::string& accountId, const std::string& ref) {
  auto f = find(accountId, ref);
  if (!f.ok()) return f.error();
  return store_.functions().deployments(f->uuid);
}

Result<FunctionService::Runnable> FunctionService::runnable(const std::string& accountId,
                                                            const std::string& ref, Which which) {
  auto f = find(accountId, ref);
  if (!f.ok()) return f.error();
  int64_t version = which == Which::kDeployed ? f->deployedVersion : f->latestVersion;
  if (version == 0) {
    return Error::failedPrecondition("Function '" + f->name + "' is not deployed (state " +
                                     store::functionStateName(f->state) + ")");
  }
  std::string key = runtimeKey(*f, version);
  {
    std::lock_guard lock(cacheMu_);
    auto it = sources_.find(key);
    if (it != sources_.end()) return Runnable{*f, version, it->second};
  }
  auto v = store_.functions().version(f->uuid, version);
  if (!v.ok()) return v.error();
  return Runnable{*f, version, sourceOf(*f, *v)};
}

std::shared_ptr<runtime::FunctionSource> FunctionService::buildSource(const FunctionRecord& f,
                                                                     const VersionRecord& v) {
  auto s = std::make_shared<runtime::FunctionSource>();
  s->key = runtimeKey(f, v.version);
  s->name = f.name + ".js";
  s->code = v.code;
  s->env = v.environment;
  for (auto& [k, value] : runtime::platformEnvironment(f.accountId, f.uuid)) s->env[k] = value;
  s->limits.timeoutMs = v.settings.timeoutSeconds * 1000;
  s->limits.memoryBytes = v.settings.memoryMb << 20;
  return s;
}

std::shared_ptr<const runtime::FunctionSource> FunctionService::sourceOf(
    const FunctionRecord& f, const VersionRecord& v) {
  std::shared_ptr<const runtime::FunctionSource> s = buildSource(f, v);
  std::lock_guard lock(cacheMu_);
  if (sources_.size() >= kMaxCachedSources) sources_.clear();
  sources_[s->key] = s;
  return s;
}

}  // namespace parley::control
