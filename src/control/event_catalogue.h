// The event catalogue (SPEC §3): LivePerson's events with their per-event function limit,
// whether skills apply, and a sample payload the console and CLI prefill tests with.
// Immutable after construction; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"

namespace parley::control {

struct EventType {
  std::string id;
  std::string name;
  std::string description;
  std::string category;
  int64_t lambdaLimit = 0;  // functions bound per account; 0: unlimited
  bool skillsSupported = false;
  std::string samplePayloadJson;  // the whole invocation input {timestamp, headers, payload}
};

inline constexpr const char* kNoEvent = "No Event";

// The built-in catalogue as JSON (event_catalogue_data.cc).
extern const char* const kBuiltinEventCatalogueJson;

class EventCatalogue {
 public:
  static Result<EventCatalogue> parse(const std::string& json);
  // The built-in catalogue (parsed once; the data is compiled in and tested).
  static const EventCatalogue& builtin();

  const EventType* find(const std::string& id) const;  // nullptr when unknown
  const std::vector<EventType>& all() const { return events_; }
  // This catalogue followed by `extra` (an account's own types; ids must not clash).
  EventCatalogue withExtra(std::vector<EventType> extra) const;

 private:
  std::vector<EventType> events_;
};

// The catalogue one account sees: the built-in events and the types it defined itself
// (EventTypeService). Thread-safe implementations.
class AccountCatalogue {
 public:
  virtual ~AccountCatalogue() = default;
  // Read from the store (inside the caller's transaction when there is one), not a cache.
  virtual Result<EventCatalogue> catalogueFor(const std::string& accountId) = 0;
};

}  // namespace parley::control
