#include "control/event_catalogue.h"

#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

namespace parley::control {

Result<EventCatalogue> EventCatalogue::parse(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_array()) return Error::invalidArgument("the event catalogue must be a JSON array");
  EventCatalogue c;
  for (const auto& e : j) {
    if (!e.is_object() || !e.value("eventId", nlohmann::json()).is_string()) {
      return Error::invalidArgument("every event needs an eventId");
    }
    EventType t;
    t.id = e["eventId"];
    t.name = e.value("eventName", t.id);
    t.description = e.value("description", "");
    t.category = e.value("category", "");
    t.lambdaLimit = e.value("lambdaLimit", int64_t{0});
    t.skillsSupported = e.value("skillsSupported", false);
    t.samplePayloadJson = e.value("samplePayload", nlohmann::json::object()).dump();
    if (c.find(t.id)) return Error::invalidArgument("duplicate event id '" + t.id + "'");
    c.events_.push_back(std::move(t));
  }
  return c;
}

const EventCatalogue& EventCatalogue::builtin() {
  static const EventCatalogue catalogue = [] {
    auto parsed = parse(kBuiltinEventCatalogueJson);
    if (!parsed.ok()) {  // compiled-in data; a unit test keeps it valid
      std::cerr << "parley: the built-in event catalogue is invalid: " << parsed.error().message()
                << "\n";
      std::abort();
    }
    return std::move(parsed).value();
  }();
  return catalogue;
}

const EventType* EventCatalogue::find(const std::string& id) const {
  for (const EventType& e : events_) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

EventCatalogue EventCatalogue::withExtra(std::vector<EventType> extra) const {
  EventCatalogue c = *this;
  for (EventType& e : extra) c.events_.push_back(std::move(e));
  return c;
}

}  // namespace parley::control
