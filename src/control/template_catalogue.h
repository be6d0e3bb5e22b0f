// Function templates (SPEC §11): ready-to-run LivePerson-style functions for every event of the
// catalogue (hello world, HTTP, secrets, logging, keyword scanner, routing, CSAT alert, bot
// integration, and a default for each event). The console's create wizard and `parley init`
// start from them. The sources live in templates/<id>/{meta.json,index.js} and are embedded
// into the binary at build time (js/embed_templates.mjs).
// Immutable after construction; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "control/event_catalogue.h"

namespace parley::control {

struct FunctionTemplate {
  std::string id;
  std::string name;
  std::string description;
  std::vector<std::string> eventIds;  // the events it is written for ("No Event" included)
  std::string code;                   // index.js
};

// The built-in templates as JSON (generated at build time).
extern const char* const kBuiltinTemplatesJson;

class TemplateCatalogue {
 public:
  // Parses [{id, name, description, eventIds, code}]; every event id must be in `events`.
  static Result<TemplateCatalogue> parse(const std::string& json, const EventCatalogue& events);
  // The built-in templates, checked against the built-in event catalogue (parsed once).
  static const TemplateCatalogue& builtin();

  const std::vector<FunctionTemplate>& all() const { return templates_; }
  // The templates written for `eventId`, in catalogue order (empty when none).
  std::vector<const FunctionTemplate*> forEvent(const std::string& eventId) const;
  const FunctionTemplate* find(const std::string& id) const;  // nullptr when unknown

 private:
  std::vector<FunctionTemplate> templates_;
};

}  // namespace parley::control
