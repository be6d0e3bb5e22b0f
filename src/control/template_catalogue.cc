#include "control/template_catalogue.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

namespace parley::control {

Result<TemplateCatalogue> TemplateCatalogue::parse(const std::string& text,
                                                   const EventCatalogue& events) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_array()) return Error::invalidArgument("the templates must be a JSON array");
  TemplateCatalogue c;
  for (const auto& t : j) {
    if (!t.is_object()) return Error::invalidArgument("every template must be an object");
    FunctionTemplate ft;
    for (auto [name, field] : {std::pair{"id", &ft.id}, {"name", &ft.name},
                               {"description", &ft.description}, {"code", &ft.code}}) {
      auto it = t.find(name);
      if (it == t.end() || !it->is_string() || it->get<std::string>().empty()) {
        return Error::invalidArgument(std::string("template '") + ft.id + "': '" + name +
                                      "' must be a non-empty string");
      }
      *field = it->get<std::string>();
    }
    auto ids = t.find("eventIds");
    if (ids == t.end() || !ids->is_array() || ids->empty()) {
      return Error::invalidArgument("template '" + ft.id + "': 'eventIds' must be a non-empty array");
    }
    for (const auto& e : *ids) {
      if (!e.is_string() || !events.find(e.get<std::string>())) {
        return Error::invalidArgument("template '" + ft.id + "': unknown event id " + e.dump());
      }
      ft.eventIds.push_back(e.get<std::string>());
    }
    if (c.find(ft.id)) return Error::invalidArgument("duplicate template id '" + ft.id + "'");
    c.templates_.push_back(std::move(ft));
  }
  return c;
}

const TemplateCatalogue& TemplateCatalogue::builtin() {
  static const TemplateCatalogue catalogue = [] {
    auto parsed = parse(kBuiltinTemplatesJson, EventCatalogue::builtin());
    if (!parsed.ok()) {  // generated at build time; a unit test keeps it valid
      std::cerr << "parley: the built-in templates are invalid: " << parsed.error().message()
                << "\n";
      std::abort();
    }
    return std::move(parsed).value();
  }();
  return catalogue;
}

std::vector<const FunctionTemplate*> TemplateCatalogue::forEvent(const std::string& eventId) const {
  std::vector<const FunctionTemplate*> out;
  for (const FunctionTemplate& t : templates_) {
    if (std::find(t.eventIds.begin(), t.eventIds.end(), eventId) != t.eventIds.end()) {
      out.push_back(&t);
    }
  }
  return out;
}

const FunctionTemplate* TemplateCatalogue::find(const std::string& id) const {
  for (const FunctionTemplate& t : templates_) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

}  // namespace parley::control
