// EventTypeService: event types an account defines for its own systems (SPEC §3), e.g.
// "crm.ticket_updated", beside the built-in catalogue.
//
// - ids match ^[A-Za-z0-9._:-]{1,60}$ and must not be a built-in event id (kAlreadyExists, as
//   for a taken id); name 1..100 characters (defaults to the id); description at most 1000;
//   samplePayload any JSON (stored as the test input's payload); lambdaLimit >= 0 (0: unlimited).
//   Violations: kInvalidArgument naming the field (details.fields as for functions).
// - remove(): kFailedPrecondition (409) naming the functions bound to it; kNotFound if none.
// - catalogueFor(): built-in + the account's types, read from the store (binding rules);
//   find(): the same for one id through a cache dropped on every write here (hot paths).
// Thread-safety: thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "control/activity.h"
#include "control/event_catalogue.h"
#include "store/store.h"

namespace parley::control {

struct EventTypeInput {
  std::string id;
  std::string name;
  std::string description;
  std::string samplePayloadJson = "{}";
  int64_t lambdaLimit = 0;
};

class EventTypeService final : public AccountCatalogue {
 public:
  EventTypeService(store::Store& store, const Clock& clock,
                   const EventCatalogue& builtin = EventCatalogue::builtin());

  // create and remove are recorded in the activity stream when a sink is set.
  void setActivitySink(ActivitySink* sink) { activity_ = sink; }

  Result<EventType> create(const std::string& accountId, const EventTypeInput& in,
                           const Actor& actor);
  Status remove(const std::string& accountId, const std::string& id, const Actor& actor);
  // The account's own types, ordered by id.
  Result<std::vector<EventType>> list(const std::string& accountId);
  Result<EventCatalogue> catalogueFor(const std::string& accountId) override;
  // A built-in or account type by id (cached); nullopt when unknown.
  Result<std::optional<EventType>> find(const std::string& accountId, const std::string& id);

  static constexpr const char* kCategory = "Account";

 private:
  static EventType typeOf(const store::EventTypeRecord& r);

  store::Store& store_;
  const Clock& clock_;
  const EventCatalogue& builtin_;
  ActivitySink* activity_ = nullptr;
  std::mutex mu_;
  std::map<std::string, std::vector<EventType>> cache_;  // per account; Guarded by mu_
  std::map<std::string, uint64_t> generations_;          // per account; Guarded by mu_
};

}  // namespace parley::control
