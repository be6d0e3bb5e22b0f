#include "control/event_service.h"

#include <algorithm>
#include <memory>
#include <mutex>

namespace parley::control {

EventService::EventService(FunctionService& functions, InvocationService& invocations,
                           const Clock& clock, const EventCatalogue& events)
    : functions_(functions), invocations_(invocations), clock_(clock), events_(events) {}

std::vector<store::FunctionRecord> boundFunctions(std::vector<store::FunctionRecord> bound,
                                                  const std::optional<std::string>& skillId) {
  std::vector<store::FunctionRecord> out;
  for (auto& f : bound) {
    if (f.deployedVersion == 0) continue;
    bool takesSkill = f.skills.empty() || !skillId ||
                      std::find(f.skills.begin(), f.skills.end(), *skillId) != f.skills.end();
    if (takesSkill) out.push_back(std::move(f));
  }
  return out;
}

Result<std::vector<store::FunctionRecord>> EventService::targets(
    const std::string& accountId, const std::string& eventId,
    const std::optional<std::string>& skillId) {
  bool known = events_.find(eventId) != nullptr;
  if (!known && accountCatalogue_) {
    auto catalogue = accountCatalogue_->catalogueFor(accountId);
    if (!catalogue.ok()) return catalogue.error();
    known = catalogue->find(eventId) != nullptr;
  }
  if (!known || eventId == kNoEvent) {
    return Error::notFound("No event '" + eventId + "' (GET /api/v1/events lists them)");
  }
  auto bound = functions_.listBoundTo(accountId, eventId);
  if (!bound.ok()) return bound.error();
  return boundFunctions(std::move(bound).value(), skillId);
}

Result<bool> EventService::isImplemented(const std::string& accountId, const std::string& eventId,
                                         const std::optional<std::string>& skillId) {
  auto t = targets(accountId, eventId, skillId);
  if (!t.ok()) return t.error();
  return !t->empty();
}

void EventService::invoke(const std::string& accountId, const std::string& eventId,
                          std::string inputJson, const std::optional<std::string>& skillId,
                          Done done) {
  auto t = targets(accountId, eventId, skillId);
  if (!t.ok()) return done(t.error());
  if (t->empty()) return done(std::vector<EventInvocationResult>{});

  struct Gather {
    std::mutex mu;
    std::vector<EventInvocationResult> results;  // in the order of the functions
    size_t remaining;
    Done done;
  };
  auto gather = std::make_shared<Gather>();
  gather->results.resize(t->size());
  gather->remaining = t->size();
  gather->done = std::move(done);
  for (size_t i = 0; i < t->size(); ++i) {
    const store::FunctionRecord& f = (*t)[i];
    gather->results[i].functionUuid = f.uuid;
    invocations_.invoke(
        accountId, f.uuid, inputJson, runtime::Trigger::kEvent,
        [this, gather, i](Result<InvocationOutcome> r) {
          std::unique_lock lock(gather->mu);
          EventInvocationResult& slot = gather->results[i];
          slot.timestampMs = clock_.nowMs();
          if (r.ok()) {
            slot.outcome = std::move(*r);
          } else {  // it never ran (quota, undeployed meanwhile): report it like a failure
            slot.outcome.result.outcome = runtime::Outcome::kPlatformFailure;
            slot.outcome.result.errorCode = runtime::codes::kPlatformGeneral;
            slot.outcome.result.errorMessage = r.error().message();
          }
          if (--gather->remaining > 0) return;
          lock.unlock();
          gather->done(std::move(gather->results));
        });
  }
}

}  // namespace parley::control
