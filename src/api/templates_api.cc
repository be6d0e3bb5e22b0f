// Routes: the function templates (SPEC §11), for the console's create wizard and `parley init`.
#include "api/api.h"
#include "api/support.h"

namespace parley::api {

namespace {

json templateJson(const control::FunctionTemplate& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"description", t.description},
          {"eventIds", t.eventIds},
          {"code", t.code}};
}

}  // namespace

void addTemplateRoutes(http::Router& router, ApiContext& ctx,
                       const control::TemplateCatalogue& templates) {
  router.add("GET", "/api/v1/templates", [&ctx, &templates](http::Request& r, http::Respond respond) {
    auto p = authenticate(ctx.identity, r);
    if (!p.ok()) return respond(errorResponse(p.error()));
    json out = json::array();
    if (auto eventId = r.queryParam("eventId"); eventId && !eventId->empty()) {
      if (!ctx.events.catalogue().find(*eventId)) {
        return respond(errorResponse(Error::invalidArgument("'eventId': no event '" + *eventId + "'")));
      }
      for (const auto* t : templates.forEvent(*eventId)) out.push_back(templateJson(*t));
    } else {
      for (const auto& t : templates.all()) out.push_back(templateJson(t));
    }
    respond(jsonResponse(200, out));
  }, "Function templates [{id, name, description, eventIds, code}]; ?eventId= keeps those for one event");

  router.add("GET", "/api/v1/templates/{id}", [&ctx, &templates](http::Request& r, http::Respond respond) {
    auto p = authenticate(ctx.identity, r);
    if (!p.ok()) return respond(errorResponse(p.error()));
    const control::FunctionTemplate* t = templates.find(r.param("id"));
    if (!t) return respond(errorResponse(Error::notFound("No template '" + r.param("id") + "'")));
    respond(jsonResponse(200, templateJson(*t)));
  }, "One function template");
}

}  // namespace parley::api
