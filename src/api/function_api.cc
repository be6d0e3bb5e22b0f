// Routes: functions (CRUD, versions, deployments, deploy/undeploy), invoke, test, invocations.
#include "api/api.h"
#include "api/invocation_input.h"
#include "api/support.h"
#include "api/views.h"

namespace parley::api {

namespace {

using control::Action;
using http::Request;
using http::Respond;

// The body of POST/PUT /functions as FunctionChanges; type errors name the field.
Result<control::FunctionChanges> changesFrom(const json& body) {
  control::FunctionChanges c;
  auto str = [&](const char* name, std::optional<std::string>& out) -> Status {
    auto it = body.find(name);
    if (it == body.end()) return okStatus();
    if (!it->is_string()) return Error::invalidArgument(std::string("'") + name + "' must be a string");
    out = it->get<std::string>();
    return okStatus();
  };
  for (auto [name, field] : {std::pair{"name", &c.name}, {"description", &c.description},
                             {"eventId", &c.eventId}, {"code", &c.code}}) {
    if (Status s = str(name, *field); !s.ok()) return s.error();
  }
  if (auto it = body.find("skills"); it != body.end()) {
    if (!it->is_array()) return Error::invalidArgument("'skills' must be an array of strings");
    std::vector<std::string> skills;
    for (const json& s : *it) {
      if (s.is_string()) {
        skills.push_back(s.get<std::string>());
      } else if (s.is_number_integer()) {
        skills.push_back(std::to_string(s.get<int64_t>()));  // LivePerson skill ids are numbers
      } else {
        return Error::invalidArgument("'skills' must be an array of strings");
      }
    }
    c.skills = std::move(skills);
  }
  if (auto it = body.find("environment"); it != body.end()) {
    std::map<std::string, std::string> env;
    if (it->is_object()) {
      for (auto& [k, v] : it->items()) {
        if (!v.is_string()) {
          return Error::invalidArgument("'environment." + k + "' must be a string");
        }
        env[k] = v.get<std::string>();
      }
    } else if (it->is_array()) {  // LivePerson V1: [{key, value}]
      for (const json& kv : *it) {
        if (!kv.is_object() || !kv.value("key", json()).is_string() ||
            !kv.value("value", json()).is_string()) {
          return Error::invalidArgument("'environment' entries must be {key, value} strings");
        }
        if (kv["key"].get<std::string>().empty()) continue;  // the CLI's placeholder entry
        env[kv["key"].get<std::string>()] = kv["value"].get<std::string>();
      }
    } else {
      return Error::invalidArgument("'environment' must be an object of strings");
    }
    c.environment = std::move(env);
  }
  if (auto it = body.find("settings"); it != body.end()) {
    if (!it->is_object()) return Error::invalidArgument("'settings' must be an object");
    store::FunctionSettings s;
    for (auto [name, field] : {std::pair{"timeoutSeconds", &s.timeoutSeconds},
                               {"memoryMb", &s.memoryMb}}) {
      auto f = it->find(name);
      if (f == it->end()) continue;
      if (!f->is_number_integer()) {
        return Error::invalidArgument(std::string("'settings.") + name + "' must be an integer");
      }
      *field = f->get<int64_t>();
    }
    c.settings = s;
  }
  return c;
}

// ?deploy=true on POST/PUT /functions: deploy the newest version once it is saved, in the same
// request (new code to live in one call). Absent means false; any other value is refused.
Result<bool> deployParam(const Request& r) {
  auto v = r.queryParam("deploy");
  if (!v || *v == "false") return false;
  if (*v == "true") return true;
  return Error::invalidArgument("'deploy' must be true or false, not '" + *v + "'");
}

// Answers `status` with the saved function, after deploying its newest version when asked.
// Deploying runs the code's top level in the runtime (up to its timeout): not on this thread.
void respondSaved(ApiContext& ctx, Request& r, Respond respond, int status,
                  const control::FunctionView& saved, bool deploy, control::Actor actor) {
  if (!deploy) return respond(jsonResponse(status, functionJson(saved)));
  offload(ctx, [&ctx, &r, respond, status, uuid = saved.function.uuid,
                version = saved.latest.version, actor] {
    auto f = ctx.functions.deploy(r.param("acct"), uuid, std::nullopt, actor);
    if (!f.ok()) {
      // The save stands (the function keeps the new version, in Build Error): say so.
      const Error& e = f.error();
      return respond(errorResponse(Error(
          e.code(), "Version " + std::to_string(version) + " was saved but not deployed. " + e.message(),
          e.details())));
    }
    respond(jsonResponse(status, functionJson(*f)));
  });
}

void respondToInvocation(const Respond& respond, Result<control::InvocationOutcome> r) {
  if (!r.ok()) return respond(errorResponse(r.error()));
  const runtime::InvocationResult& res = r->result;
  if (res.ok()) {
    http::Response resp = http::Response::json(200, res.resultJson.empty() ? "null" : res.resultJson);
    resp.headers.emplace("X-Parley-Invocation-Id", r->record.id);
    return respond(std::move(resp));
  }
  json body = {{"error", {{"code", res.errorCode},
                          {"message", res.errorMessage},
                          {"details", {{"outcome", runtime::outcomeName(res.outcome)},
                                       {"invocationId", r->record.id},
                                       {"stack", res.errorStack},
                                       {"logs", logsJson(r->record.logs)}}}}}};
  http::Response resp = jsonResponse(res.outcome == runtime::Outcome::kTimeout ? 504 : 500, body);
  resp.headers.emplace("X-Parley-Invocation-Id", r->record.id);
  respond(std::move(resp));
}

}  // namespace

void addFunctionRoutes(http::Router& router, ApiContext& ctx) {
  const std::string base = "/api/v1/accounts/{acct}/functions";

  router.add("GET", base, [&ctx](Request& r, Respond respond) {
    if (!allow(ctx.identity, r, Action::kRead, respond)) return;
    auto list = ctx.functions.list(r.param("acct"));
    if (!list.ok()) return respond(errorResponse(list.error()));
    json out = json::array();
    for (const auto& f : *list) out.push_back(functionSummaryJson(f));
    respond(jsonResponse(200, out));
  }, "List the account's functions");

  router.add("POST", base, [&ctx](Request& r, Respond respond) {
    auto p = allow(ctx.identity, r, Action::kManageFunctions, respond);
    if (!p) return;
    auto body = jsonBody(r);
    if (!body.ok()) return respond(errorResponse(body.error()));
    auto changes = changesFrom(*body);
    if (!changes.ok()) return respond(errorResponse(changes.error()));
    auto deploy = deployParam(r);
    if (!deploy.ok()) return respond(errorResponse(deploy.error()));
    auto f = ctx.functions.create(r.param("acct"), *changes, actorOf(*p));
    if (!f.ok()) return respond(errorResponse(f.error()));
    respondSaved(ctx, r, respond, 201, *f, *deploy, actorOf(*p));
  }, "Create a function (Draft, version 1); ?deploy=true deploys it in the same request");

  router.add("GET", base + "/{fn}", [&ctx](Request& r, Respond respond) {
    if (!allow(ctx.identity, r, Action::kRead, respond)) return;
    auto f = ctx.functions.get(r.param("acct"), r.param("fn"));
    if (!f.ok()) return respond(errorResponse(f.error()));
    respond(jsonResponse(200, functionJson(*f)));
  }, "Get a function by UUID or name");

  router.add("PUT", base + "/{fn}", [&ctx](Request& r, Respond respond) {
    auto p = allow(ctx.identity, r, Action::kManageFunctions, respond);
    if (!p) return;
    auto body = jsonBody(r);
    if (!body.ok()) return respond(errorResponse(body.error()));
    auto changes = changesFrom(*body);
    if (!changes.ok()) return respond(errorResponse(changes.error()));
    auto deploy = deployParam(r);
    if (!deploy.ok()) return respond(errorResponse(deploy.error()));
    auto f = ctx.functions.update(r.param("acct"), r.param("fn"), *changes, actorOf(*p));
    if (!f.ok()) return respond(errorResponse(f.error()));
    respondSaved(ctx, r, respond, 200, *f, *deploy, actorOf(*p));
  }, "Change a function; new code, environment or settings make a new version; ?deploy=true "
     "deploys the newest version in the same request");

  router.add("DELETE", base + "/{fn}", [&ctx](Request& r, Respond respond) {
    auto p = allow(ctx.identity, r, Action::kManageFunctions, respond);
    if (!p) return;
    if (Status s = ctx.functions.remove(r.param("acct"), r.param("fn"), actorOf(*p)); !s.ok()) {
      return respond(errorResponse(s.error()));
    }
    respond(jsonResponse(200, {{"deleted", true}}));
  }, "Delete a function that is not deployed");

  router.add("GET", base + "/{fn}/versions", [&ctx](Request& r, Respond respond) {
    if (!allow(ctx.identity, r, Action::kRead, respond)) return;
    auto versions = ctx.functions.versions(r.param("acct"), r.param("fn"));
    if (!versions.ok()) return respond(errorResponse(versions.error()));
    json out = json::array();
    for (const auto& v : *versions) out.push_back(versionJson(v));
    respond(jsonResponse(200, out));
  }, "The kept versions of a function, newest first");

  router.add("GET", base + "/{fn}/deployments", [&ctx](Request& r, Respond respond) {
    if (!allow(ctx.identity, r, Action::kRead, respond)) return;
    auto list = ctx.functions.deployments(r.param("acct"), r.param("fn"));
    if (!list.ok()) return respond(errorResponse(list.error()));
    json out = json::array();
    for (const auto& d : *list) out.push_back(deploymentJson(d));
    respond(jsonResponse(200, out));
  }, "Deployment history, newest first");

  router.add("POST", base + "/{fn}/deploy", [&ctx](Request& r, Respond respond) {
    auto p = allow(ctx.identity, r, Action::kManageFunctions, respond);
    if (!p) return;
    auto body = jsonBody(r);
    if (!body.ok()) return respond(errorResponse(body.error()));
    std::optional<int64_t> version;
    if (auto it = body->find("version"); it != body->end() && !it->is_null()) {
      if (!it->is_number_integer() || it->get<int64_t>() < 1) {
        return respond(errorResponse(Error::invalidArgument("'version' must be a positive integer")));
      }
      version = it->get<int64_t>();
    }
    // Deploying runs the code's top level in the runtime (up to its timeout): not on this thread.
    offload(ctx, [&ctx, &r, respond, version, actor = actorOf(*p)] {
      auto f = ctx.functions.deploy(r.param("acct"), r.param("fn"), version, actor);
      if (!f.ok()) return respond(errorResponse(f.error()));
      respond(jsonResponse(200, functionJson(*f)));
    });
  }, "Deploy the newest version, or roll back to {version}");

  router.add("POST", base + "/{fn}/undeploy", [&ctx](Request& r, Respond respond) {
    auto p = allow(ctx.identity, r, Action::kManageFunctions, respond);
    if (!p) return;
    auto f = ctx.functions.undeploy(r.param("acct"), r.param("fn"), actorOf(*p));
    if (!f.ok()) return respond(errorResponse(f.error()));
    respond(jsonResponse(200, functionJson(*f)));
  }, "Stop serving a function");

  router.add("POST", base + "/{fn}/invoke", [&ctx](Request& r, Respond respond) {
    if (!allow(ctx.identity, r, Action::kInvoke, respond)) return;
    auto input = invocationInput(r);
    if (!input.ok()) return respond(errorResponse(input.error()));
    if (r.queryParam("async").value_or("") == "true") {
      auto id = ctx.invocations.invokeAsync(r.param("acct"), r.param("fn"), std::move(*input),
                                            runtime::Trigger::kHttp);
      if (!id.ok()) return respond(errorResponse(id.error()));
      return respond(jsonResponse(202, {{"invocationId", *id}}));
    }
    ctx.invocations.invoke(r.param("acct"), r.param("fn"), std::move(*input),
                           runtime::Trigger::kHttp,
                           [respond](Result<control::InvocationOutcome> o) {
                             respondToInvocation(respond, std::move(o));
                           });
  }, "Invoke the deployed version; ?async=true answers 202 with an invocation id");

  router.add("POST", base + "/{fn}/test", [&ctx](Request& r, Respond respond) {
    if (!allow(ctx.identity, r, Action::kInvoke, respond)) return;
    auto input = invocationInput(r);
    if (!input.ok()) return respond(errorResponse(input.error()));
    ctx.invocations.invoke(
        r.param("acct"), r.param("fn"), std::move(*input), runtime::Trigger::kTest,
        [respond](Result<control::InvocationOutcome> o) {
          if (!o.ok()) return respond(errorResponse(o.error()));
          respond(jsonResponse(200, testResultJson(*o)));
        });
  }, "Run the newest saved code in any state; answers {result, logs, durationMs} or the error");

  router.add("GET", "/api/v1/accounts/{acct}/invocations/{id}", [&ctx](Request& r, Respond respond) {
    if (!allow(ctx.identity, r, Action::kRead, respond)) return;
    auto rec = ctx.invocations.get(r.param("acct"), r.param("id"));
    if (!rec.ok()) return respond(errorResponse(rec.error()));
    respond(jsonResponse(200, invocationJson(*rec)));
  }, "An invocation record with its logs");
}

}  // namespace parley::api
