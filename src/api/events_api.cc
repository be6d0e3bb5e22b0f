// Routes: the event catalogue, synchronous invocation by event and isImplemented, native and
// LivePerson-compatible.
#include "api/api.h"
#include "api/support.h"
#include "api/views.h"

namespace parley::api {

namespace {

using control::Action;
using http::Request;
using http::Respond;

// [{uuid, timestamp, result}] (LivePerson's shape); a failed function carries
// error {errorCode, errorMsg} instead of a result.
json resultsJson(const std::vector<control::EventInvocationResult>& results) {
  json out = json::array();
  for (const auto& r : results) {
    const runtime::InvocationResult& res = r.outcome.result;
    json entry = {{"uuid", r.functionUuid}, {"timestamp", r.timestampMs}};
    if (res.ok()) {
      entry["result"] = json::parse(res.resultJson.empty() ? "null" : res.resultJson, nullptr, false);
    } else {
      entry["result"] = nullptr;
      entry["error"] = {{"errorCode", res.errorCode}, {"errorMsg", res.errorMessage}};
    }
    out.push_back(std::move(entry));
  }
  return out;
}

std::optional<std::string> skillOf(const Request& r) {
  auto s = r.queryParam("skillId");
  if (s && s->empty()) return std::nullopt;
  return s;
}

// Authenticates; with ?account=, also authorises reading that account and returns its own event
// types (else none). On failure answers and returns nullopt.
std::optional<std::vector<control::EventType>> accountTypes(ApiContext& ctx, Request& r,
                                                            const Respond& respond) {
  auto account = r.queryParam("account");
  if (!account || account->empty() || !ctx.eventTypes) {
    auto p = authenticate(ctx.identity, r);
    if (!p.ok()) {
      respond(errorResponse(p.error()));
      return std::nullopt;
    }
    return std::vector<control::EventType>{};
  }
  r.params["acct"] = *account;
  if (!allow(ctx.identity, r, Action::kRead, respond)) return std::nullopt;
  auto own = ctx.eventTypes->list(*account);
  if (!own.ok()) {
    respond(errorResponse(own.error()));
    return std::nullopt;
  }
  return std::move(own).value();
}

void invokeEvent(ApiContext& ctx, Request& r, const Respond& respond, bool livePerson) {
  auto body = jsonBody(r);
  if (!body.ok()) return respond(errorResponse(body.error()));
  ctx.events.invoke(r.param("acct"), r.param("eventId"), body->dump(), skillOf(r),
                    [respond, livePerson](Result<std::vector<control::EventInvocationResult>> res) {
                      if (!res.ok()) {
                        if (livePerson) {
                          return respond(jsonResponse(httpStatus(res.error().code()),
                                                      {{"errorCode", "com.liveperson.faas.es.badinput"},
                                                       {"errorMsg", res.error().message()}}));
                        }
                        return respond(errorResponse(res.error()));
                      }
                      respond(jsonResponse(200, resultsJson(*res)));
                    });
}

}  // namespace

void addEventRoutes(http::Router& router, ApiContext& ctx) {
  router.add("GET", "/api/v1/events", [&ctx](Request& r, Respond respond) {
    auto own = accountTypes(ctx, r, respond);
    if (!own) return;
    json out = json::array();
    for (const auto& e : ctx.events.catalogue().all()) out.push_back(eventTypeJson(e));
    for (const auto& e : *own) out.push_back(eventTypeJson(e));
    respond(jsonResponse(200, out));
  }, "The event catalogue: ids, names, limits, skills, sample payloads (?account= adds its own types)");

  router.add("GET", "/api/v1/events/{eventId}", [&ctx](Request& r, Respond respond) {
    auto own = accountTypes(ctx, r, respond);
    if (!own) return;
    const control::EventType* e = ctx.events.catalogue().find(r.param("eventId"));
    for (const auto& t : *own) {
      if (!e && t.id == r.param("eventId")) e = &t;
    }
    if (!e) return respond(errorResponse(Error::notFound("No event '" + r.param("eventId") + "'")));
    respond(jsonResponse(200, eventTypeJson(*e)));
  }, "One event type with its sample payload (?account= also finds its own types)");

  router.add("POST", "/api/v1/accounts/{acct}/events/{eventId}/invoke", [&ctx](Request& r, Respond respond) {
    if (!allow(ctx.identity, r, Action::kInvoke, respond)) return;
    invokeEvent(ctx, r, respond, false);
  }, "Invoke every deployed function bound to the event (?skillId= filters); [{uuid, timestamp, result}]");

  router.add("GET", "/api/v1/accounts/{acct}/events/{eventId}/isImplemented", [&ctx](Request& r, Respond respond) {
    if (!allow(ctx.identity, r, Action::kRead, respond)) return;
    auto yes = ctx.events.isImplemented(r.param("acct"), r.param("eventId"), skillOf(r));
    if (!yes.ok()) return respond(errorResponse(yes.error()));
    respond(jsonResponse(200, {{"implemented", *yes}}));
  }, "Whether a deployed function is bound to the event");

  router.add("POST", "/api/account/{acct}/events/{eventId}/invoke", [&ctx](Request& r, Respond respond) {
    if (!allow(ctx.identity, r, Action::kInvoke, respond)) return;
    invokeEvent(ctx, r, respond, true);
  }, "LivePerson invoke by event");

  router.add("GET", "/api/account/{acct}/events/{eventId}/isImplemented", [&ctx](Request& r, Respond respond) {
    if (!allow(ctx.identity, r, Action::kRead, respond)) return;
    auto yes = ctx.events.isImplemented(r.param("acct"), r.param("eventId"), skillOf(r));
    if (!yes.ok()) return respond(errorResponse(yes.error()));
    respond(jsonResponse(200, {{"implemented", *yes}}));
  }, "LivePerson isImplemented");
}

}  // namespace parley::api
