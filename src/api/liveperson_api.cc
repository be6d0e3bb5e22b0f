// LivePerson Functions-compatible routes (fact sheet §1.3, §4.2, §10.3): V1 and V2 invoke,
// lambda/function listings and CSDS-style service discovery, with LivePerson's bodies and codes
// (901 for function failures).
#include "api/api.h"
#include "api/support.h"
#include "api/views.h"

namespace parley::api {

namespace {

using control::Action;
using http::Request;
using http::Respond;

constexpr int kLambdaFailure = 901;

enum class Generation { kV1, kV2 };

// LivePerson's code for a failure that happened before the function ran.
http::Response gatewayError(Generation g, const Error& e) {
  int status = httpStatus(e.code());
  std::string v1, v2;
  switch (e.code()) {
    case ErrorCode::kNotFound:
      v1 = "com.liveperson.faas.es.missinglambda";
      v2 = "com.liveperson.faas.function.not-found";
      break;
    case ErrorCode::kFailedPrecondition:  // not deployed
      v1 = "com.liveperson.faas.es.notdeployed";
      v2 = "com.liveperson.faas.function.not-found";
      status = 404;  // "404 can also mean it was not deployed"
      break;
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kTooLarge:
      v1 = "com.liveperson.faas.es.badinput";
      v2 = "com.liveperson.faas.evg.invalid";
      break;
    case ErrorCode::kUnavailable:
      v1 = "com.liveperson.faas.es.unavailable";
      v2 = "com.liveperson.faas.evg.general";
      break;
    default:
      v1 = "com.liveperson.faas.es.general";
      v2 = "com.liveperson.faas.evg.general";
  }
  http::Response r = g == Generation::kV1
                         ? jsonResponse(status, {{"errorCode", v1}, {"errorMsg", e.message()}})
                         : jsonResponse(status, {{"code", v2}, {"message", e.message()}});
  if (e.code() == ErrorCode::kResourceExhausted) r.headers.emplace("Retry-After", "1");
  if (e.code() == ErrorCode::kUnauthenticated) {
    r.headers.emplace("WWW-Authenticate", "Bearer realm=\"parley\"");
  }
  return r;
}

std::string v2Code(const std::string& v1) {
  if (v1 == runtime::codes::kCustomFailure) return "com.customer.faas.function.threw-error";
  if (v1 == runtime::codes::kRuntimeException) return "com.customer.faas.function.js-runtime-error";
  if (v1 == runtime::codes::kExecutionTimeExceeded) {
    return "com.customer.faas.function.execution-exceeded";
  }
  if (v1 == runtime::codes::kLogLimitReached || v1 == runtime::codes::kMemoryExceeded ||
      v1 == runtime::codes::kResultTooLarge) {
    return "com.liveperson.faas.function.runtime.limit-reached";
  }
  return "com.liveperson.faas.evg.general";
}

void invoke(ApiContext& ctx, Generation g, Request& r, const Respond& respond) {
  auto p = authenticate(ctx.identity, r);
  if (!p.ok()) return respond(gatewayError(g, p.error()));
  if (Status s = ctx.identity.authorize(*p, r.param("acct"), Action::kInvoke); !s.ok()) {
    return respond(gatewayError(g, s.error()));
  }
  json body = json::parse(r.body.empty() ? "{}" : r.body, nullptr, false);
  if (!body.is_object()) {
    return respond(gatewayError(g, Error::invalidArgument(
                                       "The body must be {timestamp, headers, payload}")));
  }
  ctx.invocations.invoke(
      r.param("acct"), r.param("uuid"), body.dump(), runtime::Trigger::kHttp,
      [respond, g](Result<control::InvocationOutcome> o) {
        if (!o.ok()) return respond(gatewayError(g, o.error()));
        const runtime::InvocationResult& res = o->result;
        if (res.ok()) return respond(http::Response::json(200, res.resultJson));
        if (res.outcome == runtime::Outcome::kPlatformFailure) {
          return respond(gatewayError(g, Error::internal(res.errorMessage)));
        }
        if (g == Generation::kV1) {
          respond(jsonResponse(kLambdaFailure, {{"errorCode", res.errorCode},
                                                {"errorMsg", res.errorMessage},
                                                {"errorLogs", logsJson(o->record.logs)}}));
        } else {
          respond(jsonResponse(kLambdaFailure,
                               {{"code", v2Code(res.errorCode)}, {"message", res.errorMessage}}));
        }
      });
}

json envList(const std::map<std::string, std::string>& env) {
  json out = json::array();
  for (const auto& [k, v] : env) out.push_back({{"key", k}, {"value", v}});
  return out;
}

}  // namespace

void addLivePersonRoutes(http::Router& router, ApiContext& ctx) {
  router.add("POST", "/api/account/{acct}/lambdas/{uuid}/invoke", [&ctx](Request& r, Respond respond) {
    invoke(ctx, Generation::kV1, r, respond);
  }, "LivePerson V1 invoke (901 with {errorCode, errorMsg, errorLogs} when the function fails)");

  router.add("POST", "/api/account/{acct}/functions/{uuid}/invoke", [&ctx](Request& r, Respond respond) {
    invoke(ctx, Generation::kV2, r, respond);
  }, "LivePerson V2 invoke (901 with {code, message} when the function fails)");

  router.add("GET", "/api/account/{acct}/lambdas", [&ctx](Request& r, Respond respond) {
    auto p = authenticate(ctx.identity, r);
    if (!p.ok()) return respond(gatewayError(Generation::kV1, p.error()));
    if (Status s = ctx.identity.authorize(*p, r.param("acct"), Action::kRead); !s.ok()) {
      return respond(gatewayError(Generation::kV1, s.error()));
    }
    auto list = ctx.functions.list(r.param("acct"));
    if (!list.ok()) return respond(gatewayError(Generation::kV1, list.error()));
    auto name = r.queryParam("name");
    json out = json::array();
    for (const auto& f : *list) {
      if (name && f.name != *name) continue;
      auto view = ctx.functions.get(r.param("acct"), f.uuid);
      if (!view.ok()) continue;
      out.push_back({{"uuid", f.uuid},
                     {"version", f.latestVersion},
                     {"name", f.name},
                     {"description", f.description},
                     {"eventId", f.eventId},
                     {"state", store::functionStateName(f.state)},
                     {"runtime", {{"uuid", "parley-v8"}, {"name", "Parley (V8 10.2)"},
                                  {"baseImageName", "parley"}}},
                     {"createdBy", f.createdBy},
                     {"updatedBy", f.updatedBy},
                     {"createdAt", isoTime(f.createdAt)},
                     {"updatedAt", isoTime(f.updatedAt)},
                     {"skills", f.skills},
                     {"implementation", {{"code", view->latest.code},
                                         {"dependencies", json::array()},
                                         {"environmentVariables", envList(view->latest.environment)}}}});
    }
    respond(jsonResponse(200, out));
  }, "LivePerson V1 lambda listing");

  router.add("GET", "/api/account/{acct}/functions", [&ctx](Request& r, Respond respond) {
    auto p = authenticate(ctx.identity, r);
    if (!p.ok()) return respond(gatewayError(Generation::kV2, p.error()));
    if (Status s = ctx.identity.authorize(*p, r.param("acct"), Action::kRead); !s.ok()) {
      return respond(gatewayError(Generation::kV2, s.error()));
    }
    auto list = ctx.functions.list(r.param("acct"));
    if (!list.ok()) return respond(gatewayError(Generation::kV2, list.error()));
    json out = json::array();
    for (const auto& f : *list) {
      out.push_back({{"uuid", f.uuid},
                     {"name", f.name},
                     {"description", f.description},
                     {"eventId", f.eventId},
                     {"skills", f.skills},
                     {"state", store::functionStateName(f.state)},
                     {"isCompV1", false},
                     {"createdBy", f.createdBy},
                     {"updatedBy", f.updatedBy},
                     {"createdAt", isoTime(f.createdAt)},
                     {"updatedAt", isoTime(f.updatedAt)}});
    }
    respond(jsonResponse(200, out));
  }, "LivePerson V2 function listing");

  router.add("GET", "/api/account/{acct}/service/baseURI.json", [&ctx](Request& r, Respond respond) {
    const std::string& acct = r.param("acct");
    json list = json::array();
    for (const char* service : {"faasGW", "faasUI", "sentinel"}) {
      list.push_back({{"account", acct}, {"baseURI", ctx.publicHost}, {"service", service}});
    }
    respond(jsonResponse(200, {{"baseURIs", list}}));
  }, "Service discovery (CSDS): faasGW, faasUI and sentinel are this server");
}

}  // namespace parley::api
