// EventService: synchronous invocation by event (SPEC §3): every function bound to the event
// with a live version, filtered by skill, invoked in parallel; the answer lists one entry per
// function. Also isImplemented. (Asynchronous ingestion with a durable queue is separate.)
// Thread-safety: thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "control/event_catalogue.h"
#include "control/function_service.h"
#include "control/invocation_service.h"

namespace parley::control {

struct EventInvocationResult {
  std::string functionUuid;
  int64_t timestampMs = 0;  // when the function finished
  InvocationOutcome outcome;
};

class EventService {
 public:
  using Done = std::function<void(Result<std::vector<EventInvocationResult>>)>;

  EventService(FunctionService& functions, InvocationService& invocations, const Clock& clock,
               const EventCatalogue& events = EventCatalogue::builtin());

  // Unknown event: kNotFound. No function bound: an empty list. `done` runs once, on a runtime
  // thread (or here, when nothing runs). A function that fails appears with its error.
  void invoke(const std::string& accountId, const std::string& eventId, std::string inputJson,
              const std::optional<std::string>& skillId, Done done);
  Result<bool> isImplemented(const std::string& accountId, const std::string& eventId,
                             const std::optional<std::string>& skillId);
  const EventCatalogue& catalogue() const { return events_; }
  // Set once at wiring time: events then also include the account's own types.
  void setAccountCatalogue(AccountCatalogue* catalogue) { accountCatalogue_ = catalogue; }

 private:
  // Functions bound to the event with a live version that take this skill.
  Result<std::vector<store::FunctionRecord>> targets(const std::string& accountId,
                                                     const std::string& eventId,
                                                     const std::optional<std::string>& skillId);

  FunctionService& functions_;
  InvocationService& invocations_;
  const Clock& clock_;
  const EventCatalogue& events_;
  AccountCatalogue* accountCatalogue_ = nullptr;
};

// Of `bound`, the functions bound to one event (FunctionService::listBoundTo), those with a live
// version that take `skillId` (a function without skills takes every skill; no skill given:
// every bound function).
std::vector<store::FunctionRecord> boundFunctions(std::vector<store::FunctionRecord> bound,
                                                  const std::optional<std::string>& skillId);

}  // namespace parley::control
