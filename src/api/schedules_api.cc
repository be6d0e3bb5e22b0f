// Routes: the account's cron schedules (SPEC §5, §14). Developers and Admins (and clients with
// functions.manage) change them; every role that reads lists them.
#include "api/api.h"
#include "api/support.h"
#include "control/function_rules.h"

namespace parley::api {

namespace {

using control::Action;
using http::Request;
using http::Respond;

json optionalTime(const std::optional<int64_t>& ms) {
  return ms ? json(isoTime(*ms)) : json(nullptr);
}

json scheduleJson(const store::ScheduleRecord& s) {
  json payload = json::parse(s.payloadJson, nullptr, false);
  return {{"id", s.id},
          {"function", s.functionUuid},
          {"cronExpression", s.cron},
          {"timeZone", s.timeZone.empty() ? "UTC" : s.timeZone},
          {"headers", s.headers},
          {"payload", payload.is_discarded() ? json(nullptr) : payload},
          {"description", s.description},
          {"isActive", s.isActive},
          {"pausedByUndeploy", s.pausedByUndeploy},
          {"nextExecution", optionalTime(s.nextFireMs)},
          {"lastExecution", optionalTime(s.lastFireMs)},
          {"lastOutcome", s.lastOutcome.empty() ? json(nullptr) : json(s.lastOutcome)},
          {"lastInvocationId",
           s.lastInvocationId.empty() ? json(nullptr) : json(s.lastInvocationId)},
          {"createdAt", isoTime(s.createdAt)},
          {"createdBy", s.createdBy},
          {"updatedAt", isoTime(s.updatedAt)},
          {"updatedBy", s.updatedBy}};
}

Error fieldError(const std::string& field, const std::string& message) {
  return control::validationError({{field, message}});
}

// {function, cronExpression, timeZone, headers ({k: v} or [{key, value}]), payload (any JSON),
// description, isActive}; absent fields stay absent.
Result<control::ScheduleChanges> scheduleChanges(const json& body) {
  control::ScheduleChanges c;
  for (const char* name : {"function", "cronExpression", "timeZone", "description"}) {
    if (!body.contains(name) || body[name].is_null()) continue;
    if (!body[name].is_string()) return fieldError(name, "must be a string");
    std::string v = body[name].get<std::string>();
    std::string n = name;
    if (n == "function") c.function = v;
    if (n == "cronExpression") c.cronExpression = v;
    if (n == "timeZone") c.timeZone = v;
    if (n == "description") c.description = v;
  }
  if (body.contains("isActive") && !body["isActive"].is_null()) {
    if (!body["isActive"].is_boolean()) return fieldError("isActive", "must be a boolean");
    c.isActive = body["isActive"].get<bool>();
  }
  if (body.contains("headers") && !body["headers"].is_null()) {
    const json& h = body["headers"];
    std::map<std::string, std::string> headers;
    if (h.is_object()) {
      for (auto it = h.begin(); it != h.end(); ++it) {
        if (!it.value().is_string()) {
          return fieldError("headers." + it.key(), "must be a string");
        }
        headers[it.key()] = it.value().get<std::string>();
      }
    } else if (h.is_array()) {
      for (const json& e : h) {
        if (!e.is_object() || !e.contains("key") || !e["key"].is_string() ||
            !e.contains("value") || !e["value"].is_string()) {
          return fieldError("headers", "must be an object of strings or a list of {key, value}");
        }
        headers[e["key"].get<std::string>()] = e["value"].get<std::string>();
      }
    } else {
      return fieldError("headers", "must be an object of strings or a list of {key, value}");
    }
    c.headers = std::move(headers);
  }
  if (body.contains("payload")) c.payloadJson = body["payload"].dump();
  return c;
}

}  // namespace

void addScheduleRoutes(http::Router& router, ApiContext& ctx) {
  router.add(
      "GET", "/api/v1/accounts/{acct}/schedules",
      [&ctx](Request& r, Respond respond) {
        if (!allow(ctx.identity, r, Action::kRead, respond)) return;
        auto list = ctx.schedules.list(r.param("acct"));
        if (!list.ok()) return respond(errorResponse(list.error()));
        json out = json::array();
        for (const auto& s : *list) out.push_back(scheduleJson(s));
        respond(jsonResponse(200, out));
      },
      "The account's schedules with next and last execution and last outcome");

  router.add(
      "POST", "/api/v1/accounts/{acct}/schedules",
      [&ctx](Request& r, Respond respond) {
        auto p = allow(ctx.identity, r, Action::kManageFunctions, respond);
        if (!p) return;
        auto body = jsonBody(r);
        if (!body.ok()) return respond(errorResponse(body.error()));
        auto changes = scheduleChanges(*body);
        if (!changes.ok()) return respond(errorResponse(changes.error()));
        auto s = ctx.schedules.create(r.param("acct"), *changes, actorOf(*p));
        if (!s.ok()) return respond(errorResponse(s.error()));
        respond(jsonResponse(201, scheduleJson(*s)));
      },
      "Create a schedule {function, cronExpression, timeZone, headers, payload, description, "
      "isActive}");

  router.add(
      "GET", "/api/v1/accounts/{acct}/schedules/{id}",
      [&ctx](Request& r, Respond respond) {
        if (!allow(ctx.identity, r, Action::kRead, respond)) return;
        auto s = ctx.schedules.get(r.param("acct"), r.param("id"));
        if (!s.ok()) return respond(errorResponse(s.error()));
        respond(jsonResponse(200, scheduleJson(*s)));
      },
      "One schedule");

  router.add(
      "PUT", "/api/v1/accounts/{acct}/schedules/{id}",
      [&ctx](Request& r, Respond respond) {
        auto p = allow(ctx.identity, r, Action::kManageFunctions, respond);
        if (!p) return;
        auto body = jsonBody(r);
        if (!body.ok()) return respond(errorResponse(body.error()));
        auto changes = scheduleChanges(*body);
        if (!changes.ok()) return respond(errorResponse(changes.error()));
        auto s = ctx.schedules.update(r.param("acct"), r.param("id"), *changes, actorOf(*p));
        if (!s.ok()) return respond(errorResponse(s.error()));
        respond(jsonResponse(200, scheduleJson(*s)));
      },
      "Change a schedule (fields as for create; absent fields are kept)");

  router.add(
      "DELETE", "/api/v1/accounts/{acct}/schedules/{id}",
      [&ctx](Request& r, Respond respond) {
        auto p = allow(ctx.identity, r, Action::kManageFunctions, respond);
        if (!p) return;
        if (Status s = ctx.schedules.remove(r.param("acct"), r.param("id"), actorOf(*p));
            !s.ok()) {
          return respond(errorResponse(s.error()));
        }
        respond(jsonResponse(200, {{"deleted", true}}));
      },
      "Delete a schedule");
}

}  // namespace parley::api
