// Routes: asynchronous events (SPEC §3) — CloudEvents ingestion (202 once durably stored), the
// account's own event types, and the dead letters of deliveries that ran out of attempts.
#include <cctype>

#include "api/api.h"
#include "api/support.h"
#include "api/views.h"
#include "control/event_catalogue.h"

namespace parley::api {

namespace {

using control::Action;
using http::Request;
using http::Respond;

json deadLetterJson(const store::DeadLetterRecord& d) {
  json event = json::parse(d.eventJson, nullptr, false);
  return {{"id", d.id},
          {"eventId", d.eventId},
          {"source", d.source},
          {"type", d.type},
          {"subject", d.subject.empty() ? json(nullptr) : json(d.subject)},
          {"functions", d.functions},
          {"attempts", d.attempts},
          {"lastError", d.lastError},
          {"acceptedAt", isoTime(d.acceptedAt)},
          {"deadAt", isoTime(d.deadAt)},
          {"event", event.is_discarded() ? json(nullptr) : event}};
}

Result<control::EventTypeInput> eventTypeInput(const json& body) {
  control::EventTypeInput in;
  auto id = stringField(body, "id", true);
  if (!id.ok()) return id.error();
  in.id = *id;
  auto name = stringField(body, "name", false);
  if (!name.ok()) return name.error();
  in.name = *name;
  auto description = stringField(body, "description", false);
  if (!description.ok()) return description.error();
  in.description = *description;
  if (body.contains("samplePayload")) in.samplePayloadJson = body["samplePayload"].dump();
  if (body.contains("lambdaLimit")) {
    if (!body["lambdaLimit"].is_number_integer()) {
      return Error::invalidArgument("'lambdaLimit' must be an integer");
    }
    in.lambdaLimit = body["lambdaLimit"].get<int64_t>();
  }
  return in;
}

void publish(ApiContext& ctx, Request& r, const Respond& respond) {
  std::string account = r.param("acct");
  std::map<std::string, std::string> headers;
  for (const auto& [name, value] : r.headers) {
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    headers.emplace(lower, value);
  }
  control::EventTypeService* types = ctx.eventTypes;
  auto known = [types, &account](const std::string& type) {
    if (type == control::kNoEvent) return false;
    auto t = types->find(account, type);
    return t.ok() && t->has_value();
  };
  auto events = control::parseCloudEvents(r.header("Content-Type").value_or(""), headers, r.body,
                                          known);
  if (!events.ok()) return respond(errorResponse(events.error()));
  std::vector<std::string> ids;
  for (const auto& e : *events) ids.push_back(e.id);
  ctx.ingestor->submit(account, std::move(events).value(),
                       [respond, ids](Result<std::vector<bool>> stored) {
                         if (!stored.ok()) return respond(errorResponse(stored.error()));
                         json duplicates = json::array();
                         for (size_t i = 0; i < ids.size(); ++i) {
                           if (!(*stored)[i]) duplicates.push_back(ids[i]);
                         }
                         respond(jsonResponse(202, {{"accepted", ids}, {"duplicates", duplicates}}));
                       });
}

}  // namespace

void addIngestRoutes(http::Router& router, ApiContext& ctx) {
  router.add(
      "POST", "/api/v1/accounts/{acct}/events",
      [&ctx](Request& r, Respond respond) {
        if (!allow(ctx.identity, r, Action::kPublishEvents, respond)) return;
        publish(ctx, r, respond);
      },
      "Publish CloudEvents 1.0 (structured, batch or binary mode); 202 {accepted, duplicates} "
      "once durably stored");

  router.add(
      "GET", "/api/v1/accounts/{acct}/event-types",
      [&ctx](Request& r, Respond respond) {
        if (!allow(ctx.identity, r, Action::kRead, respond)) return;
        auto list = ctx.eventTypes->list(r.param("acct"));
        if (!list.ok()) return respond(errorResponse(list.error()));
        json out = json::array();
        for (const auto& e : *list) out.push_back(eventTypeJson(e));
        respond(jsonResponse(200, out));
      },
      "The event types the account defined itself");

  router.add(
      "POST", "/api/v1/accounts/{acct}/event-types",
      [&ctx](Request& r, Respond respond) {
        auto p = allow(ctx.identity, r, Action::kManageFunctions, respond);
        if (!p) return;
        auto body = jsonBody(r);
        if (!body.ok()) return respond(errorResponse(body.error()));
        auto in = eventTypeInput(*body);
        if (!in.ok()) return respond(errorResponse(in.error()));
        auto t = ctx.eventTypes->create(r.param("acct"), *in, actorOf(*p));
        if (!t.ok()) return respond(errorResponse(t.error()));
        respond(jsonResponse(201, eventTypeJson(*t)));
      },
      "Define an event type {id, name, description, samplePayload, lambdaLimit}");

  router.add(
      "DELETE", "/api/v1/accounts/{acct}/event-types/{id}",
      [&ctx](Request& r, Respond respond) {
        auto p = allow(ctx.identity, r, Action::kManageFunctions, respond);
        if (!p) return;
        if (Status s = ctx.eventTypes->remove(r.param("acct"), r.param("id"), actorOf(*p)); !s.ok()) {
          return respond(errorResponse(s.error()));
        }
        respond(jsonResponse(200, {{"deleted", true}}));
      },
      "Delete an event type; 409 naming the functions still bound to it");

  router.add(
      "GET", "/api/v1/accounts/{acct}/dead-letters",
      [&ctx](Request& r, Respond respond) {
        if (!allow(ctx.identity, r, Action::kRead, respond)) return;
        int64_t limit = 100;
        if (auto l = r.queryParam("limit")) {
          try {
            limit = std::stoll(*l);
          } catch (...) {
            limit = 0;
          }
          if (limit < 1 || limit > 1000) {
            return respond(errorResponse(
                Error::invalidArgument("'limit' must be an integer from 1 to 1000")));
          }
        }
        auto list = ctx.deadLetters->list(r.param("acct"), limit);
        if (!list.ok()) return respond(errorResponse(list.error()));
        json out = json::array();
        for (const auto& d : *list) out.push_back(deadLetterJson(d));
        respond(jsonResponse(200, out));
      },
      "Events whose delivery ran out of attempts, newest first (?limit=, default 100)");

  router.add(
      "GET", "/api/v1/accounts/{acct}/dead-letters/{id}",
      [&ctx](Request& r, Respond respond) {
        if (!allow(ctx.identity, r, Action::kRead, respond)) return;
        auto d = ctx.deadLetters->get(r.param("acct"), r.param("id"));
        if (!d.ok()) return respond(errorResponse(d.error()));
        respond(jsonResponse(200, deadLetterJson(*d)));
      },
      "One dead letter with its event, the functions it missed and the last error");

  router.add(
      "POST", "/api/v1/accounts/{acct}/dead-letters/{id}/replay",
      [&ctx](Request& r, Respond respond) {
        auto p = allow(ctx.identity, r, Action::kManageFunctions, respond);
        if (!p) return;
        if (Status s = ctx.deadLetters->replay(r.param("acct"), r.param("id"), actorOf(*p)); !s.ok()) {
          return respond(errorResponse(s.error()));
        }
        respond(jsonResponse(202, {{"replayed", true}}));
      },
      "Queue a dead letter for delivery again (to the functions it missed)");

  router.add(
      "DELETE", "/api/v1/accounts/{acct}/dead-letters/{id}",
      [&ctx](Request& r, Respond respond) {
        auto p = allow(ctx.identity, r, Action::kManageFunctions, respond);
        if (!p) return;
        if (Status s = ctx.deadLetters->remove(r.param("acct"), r.param("id"), actorOf(*p)); !s.ok()) {
          return respond(errorResponse(s.error()));
        }
        respond(jsonResponse(200, {{"deleted", true}}));
      },
      "Delete a dead letter");
}

}  // namespace parley::api
