// FunctionService: the use cases of SPEC §2 — create, read, update, delete functions, their
// versions, and deploys (deploy, rollback, undeploy) with the state machine
//   Draft → Productive ⇄ Modified, Undeployed, Build Error, Deploy Error.
//
// - Every save of code, environment or settings creates an immutable version (the newest
//   `maxVersionsKept` are kept, never the deployed one). Saving moves Productive to Modified.
// - Deploy loads the version in the runtime (compile, top level, a `lambda`); failure → Build
//   Error with message, line and column, and the previously deployed version (if any) stays live.
//   Success → Productive, and new invocations use the new version at once (its runtime key
//   changes); invocations in flight finish on the old one.
// - Delete is allowed unless a version is live (Productive or Modified): undeploy first.
// - `ref` is a function's UUID or its name. Another account's function is kNotFound.
// Thread-safety: thread-safe (the store serialises writes; per-function operations are ordered
// by the store's transactions). Function records are cached; every write goes through this
// service, which drops the cache of that account.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "control/activity.h"
#include "control/function_rules.h"
#include "runtime/invoker.h"
#include "store/store.h"

namespace parley::control {

// Fields to set; absent fields are left as they are (update) or defaulted (create).
struct FunctionChanges {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> eventId;
  std::optional<std::vector<std::string>> skills;
  std::optional<std::string> code;
  std::optional<std::map<std::string, std::string>> environment;
  std::optional<store::FunctionSettings> settings;
};

// A function with the version its code comes from.
struct FunctionView {
  store::FunctionRecord function;
  store::VersionRecord latest;  // the newest saved version
};

// Told of deploys and undeploys, inside the store transaction that records them (so its writes
// are atomic with the deploy): an error rolls the deploy back. ScheduleService implements it to
// pause and resume schedules.
class DeployListener {
 public:
  virtual ~DeployListener() = default;
  virtual Status onDeployed(const store::FunctionRecord& f, int64_t nowMs) = 0;
  virtual Status onUndeployed(const store::FunctionRecord& f, int64_t nowMs) = 0;
};

class FunctionService {
 public:
  FunctionService(store::Store& store, runtime::Invoker& invoker, const Clock& clock,
                  FunctionLimits limits = {},
                  const EventCatalogue& events = EventCatalogue::builtin());

  Result<FunctionView> create(const std::string& accountId, const FunctionChanges& changes,
                              const Actor& actor);
  Result<FunctionView> get(const std::string& accountId, const std::string& ref);
  Result<std::vector<store::FunctionRecord>> list(const std::string& accountId);
  // The account's functions bound to `eventId` (deployed or not), by name; one index range.
  Result<std::vector<store::FunctionRecord>> listBoundTo(const std::string& accountId,
                                                         const std::string& eventId);
  Result<FunctionView> update(const std::string& accountId, const std::string& ref,
                              const FunctionChanges& changes, const Actor& actor);
  Status remove(const std::string& accountId, const std::string& ref, const Actor& actor);

  // version: empty for the newest saved version; an older one for a rollback.
  Result<FunctionView> deploy(const std::string& accountId, const std::string& ref,
                              std::optional<int64_t> version, const Actor& actor);
  Result<FunctionView> undeploy(const std::string& accountId, const std::string& ref,
                                const Actor& actor);

  // Checks `code` as a deploy would (compile, run the top level under the limits, find
  // `lambda`), with the function's saved environment and settings, without saving or deploying
  // anything (the console's editor lints with it); the instance is discarded. The outer error is
  // a bad request (code empty or too long, unknown function) or a platform failure; the inner
  // Status is the verdict on the code: a build error carries {line, column} in its details
  // when the runtime knows them.
  Result<Status> validate(const std::string& accountId, const std::string& ref,
                          const std::string& code);

  Result<std::vector<store::VersionRecord>> versions(const std::string& accountId,
                                                     const std::string& ref);
  Result<std::vector<store::DeploymentRecord>> deployments(const std::string& accountId,
                                                           const std::string& ref);

  // What the runtime runs. `deployed`: the live version (kFailedPrecondition when none is live);
  // `latest`: the newest saved version, in any state (test invocations).
  enum class Which { kDeployed, kLatest };
  struct Runnable {
    store::FunctionRecord function;
    int64_t version = 0;
    std::shared_ptr<const runtime::FunctionSource> source;
  };
  Result<Runnable> runnable(const std::string& accountId, const std::string& ref, Which which);

  // Set once at wiring time, before requests are served (not synchronised); nullptr for none.
  // Must outlive this service.
  void setDeployListener(DeployListener* listener) { listener_ = listener; }
  // Where changes are reported (create, update with a code diff, delete, deploy, rollback,
  // undeploy), inside their transactions. Set once at wiring time, like the deploy listener.
  void setActivitySink(ActivitySink* sink) { activity_ = sink; }
  // Set once at wiring time: binding rules then also accept the account's own event types.
  void setAccountCatalogue(AccountCatalogue* catalogue) { accountCatalogue_ = catalogue; }

  // The runtime key of a version: instances are cached under it.
  static std::string runtimeKey(const store::FunctionRecord& f, int64_t version);

 private:
  Result<store::FunctionRecord> find(const std::string& accountId, const std::string& ref);
  // The binding rules, read inside the caller's transaction.
  Status checkBindingInStore(const store::FunctionRecord& candidate);
  // Every write to a function goes through this service: it drops the account's cached records.
  void changed(const std::string& accountId);
  // Builds (and caches) the runtime's view of a version.
  std::shared_ptr<const runtime::FunctionSource> sourceOf(const store::FunctionRecord& f,
                                                          const store::VersionRecord& v);
  // The same, not cached.
  static std::shared_ptr<runtime::FunctionSource> buildSource(const store::FunctionRecord& f,
                                                              const store::VersionRecord& v);

  store::Store& store_;
  runtime::Invoker& invoker_;
  const Clock& clock_;
  const FunctionLimits limits_;
  const EventCatalogue& events_;
  DeployListener* listener_ = nullptr;
  ActivitySink* activity_ = nullptr;
  AccountCatalogue* accountCatalogue_ = nullptr;
  // Compiled FunctionSources by runtime key, so a hot function does not rebuild its source
  // (code + env copy) per invocation. Guarded by cacheMu_.
  std::mutex cacheMu_;
  std::map<std::string, std::shared_ptr<const runtime::FunctionSource>> sources_;
  // Function records by (account, uuid or name): the invoke path reads one per request.
  // Dropped per account on every write made here. Guarded by cacheMu_.
  std::map<std::string, std::map<std::string, store::FunctionRecord>> records_;
  // Per account, bumped by every write: a record read while a write happened is not cached.
  std::map<std::string, uint64_t> generations_;
  std::atomic<uint64_t> checks_{0};  // makes each validate()'s runtime key unique
};

}  // namespace parley::control
