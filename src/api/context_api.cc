// Routes: the account's context store (SPEC §8), for bots and external systems. Reads need
// kReadContext (Admin, Developer, Invoker; clients with context.read or context.write), writes
// kWriteContext (Admin, Developer, Invoker; clients with context.write). Viewers see nothing.
//
//   GET    /api/v1/accounts/{acct}/context/namespaces
//   POST   /api/v1/accounts/{acct}/context/namespaces                    {name, ttl?}
//   DELETE /api/v1/accounts/{acct}/context/namespaces/{ns}
//   GET    …/namespaces/{ns}/sessions
//   DELETE …/namespaces/{ns}/sessions/{session}
//   GET    …/namespaces/{ns}/sessions/{session}/properties[?names=a,b]
//   PATCH  …/namespaces/{ns}/sessions/{session}/properties               {name: value, …} merge
//   PUT    …/namespaces/{ns}/sessions/{session}/properties               replaces the session
//   GET    …/namespaces/{ns}/sessions/{session}/properties/{name}        the value
//   DELETE …/namespaces/{ns}/sessions/{session}/properties/{name}
// The default session is "__default__". A missing namespace, session or property is 404.
#include "api/api.h"
#include "api/support.h"

namespace parley::api {

namespace {

using control::Action;
using http::Request;
using http::Respond;

const std::string kBase = "/api/v1/accounts/{acct}/context/namespaces";

json namespaceJson(const control::ContextNamespaceInfo& ns) {
  json j = {{"name", ns.name}, {"createdAt", isoTime(ns.createdAt)}};
  j["ttl"] = ns.ttlSeconds ? json(*ns.ttlSeconds) : json(nullptr);
  return j;
}

// Splits "a,b,c" (empty parts dropped).
std::vector<std::string> splitNames(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    if (comma > start) out.push_back(s.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

Error noProperty(Request& r) {
  return Error::notFound("No property '" + r.param("name") + "' in session '" +
                         r.param("session") + "' of namespace '" + r.param("ns") + "'");
}

// Answers a delete: 200 {deleted: true}, 404 (`missing`) when there was nothing, or the error.
void answerDelete(Result<bool> deleted, const Error& missing, const Respond& respond) {
  if (!deleted.ok()) return respond(errorResponse(deleted.error()));
  if (!*deleted) return respond(errorResponse(missing));
  respond(jsonResponse(200, {{"deleted", true}}));
}

}  // namespace

void addContextRoutes(http::Router& router, ApiContext& ctx) {
  if (ctx.context == nullptr) return;
  control::ContextService& svc = *ctx.context;

  router.add(
      "GET", kBase,
      [&ctx, &svc](Request& r, Respond respond) {
        if (!allow(ctx.identity, r, Action::kReadContext, respond)) return;
        auto list = svc.listNamespaces(r.param("acct"));
        if (!list.ok()) return respond(errorResponse(list.error()));
        json out = json::array();
        for (const auto& ns : *list) out.push_back(namespaceJson(ns));
        respond(jsonResponse(200, out));
      },
      "The account's context namespaces {name, createdAt, ttl}");

  router.add(
      "POST", kBase,
      [&ctx, &svc](Request& r, Respond respond) {
        auto p = allow(ctx.identity, r, Action::kWriteContext, respond);
        if (!p) return;
        auto body = jsonBody(r);
        if (!body.ok()) return respond(errorResponse(body.error()));
        auto name = stringField(*body, "name", true);
        if (!name.ok()) return respond(errorResponse(name.error()));
        std::optional<int64_t> ttl;
        if (body->contains("ttl") && !(*body)["ttl"].is_null()) {
          if (!(*body)["ttl"].is_number_integer()) {
            return respond(errorResponse(
                Error::invalidArgument("'ttl' must be a whole number of seconds")));
          }
          ttl = (*body)["ttl"].get<int64_t>();
        }
        auto ns = svc.createNamespace(r.param("acct"), *name, ttl, actorOf(*p));
        if (!ns.ok()) return respond(errorResponse(ns.error()));
        respond(jsonResponse(ns->created ? 201 : 200, namespaceJson(*ns)));
      },
      "Create a context namespace {name, ttl?: seconds each session lives after its last "
      "write}; 200 with the existing one if the name is taken");

  router.add(
      "DELETE", kBase + "/{ns}",
      [&ctx, &svc](Request& r, Respond respond) {
        auto p = allow(ctx.identity, r, Action::kWriteContext, respond);
        if (!p) return;
        answerDelete(svc.deleteNamespace(r.param("acct"), r.param("ns"), actorOf(*p)),
                     Error::notFound("No context namespace '" + r.param("ns") + "'"), respond);
      },
      "Delete a context namespace with all its sessions");

  router.add(
      "GET", kBase + "/{ns}/sessions",
      [&ctx, &svc](Request& r, Respond respond) {
        if (!allow(ctx.identity, r, Action::kReadContext, respond)) return;
        auto list = svc.listSessions(r.param("acct"), r.param("ns"));
        if (!list.ok()) return respond(errorResponse(list.error()));
        respond(jsonResponse(200, *list));
      },
      "The live session ids of a context namespace");

  router.add(
      "DELETE", kBase + "/{ns}/sessions/{session}",
      [&ctx, &svc](Request& r, Respond respond) {
        if (!allow(ctx.identity, r, Action::kWriteContext, respond)) return;
        answerDelete(svc.deleteSession(r.param("acct"), r.param("ns"), r.param("session")),
                     Error::notFound("No session '" + r.param("session") + "' in namespace '" +
                                     r.param("ns") + "'"),
                     respond);
      },
      "Delete a session with its properties");

  router.add(
      "GET", kBase + "/{ns}/sessions/{session}/properties",
      [&ctx, &svc](Request& r, Respond respond) {
        if (!allow(ctx.identity, r, Action::kReadContext, respond)) return;
        std::vector<std::string> names;
        std::optional<std::string> selected = r.queryParam("names");
        if (selected) names = splitNames(*selected);
        auto props = svc.getProperties(r.param("acct"), r.param("ns"), r.param("session"),
                                       selected ? &names : nullptr);
        if (!props.ok()) return respond(errorResponse(props.error()));
        respond(jsonResponse(200, *props));
      },
      "A session's properties as one JSON object; ?names=a,b selects some");

  auto write = [&ctx, &svc](control::ContextWrite mode) {
    return [&ctx, &svc, mode](Request& r, Respond respond) {
      if (!allow(ctx.identity, r, Action::kWriteContext, respond)) return;
      auto body = jsonBody(r);
      if (!body.ok()) return respond(errorResponse(body.error()));
      auto props =
          svc.setProperties(r.param("acct"), r.param("ns"), *body, r.param("session"), mode);
      if (!props.ok()) return respond(errorResponse(props.error()));
      auto all = svc.getProperties(r.param("acct"), r.param("ns"), r.param("session"), nullptr);
      if (!all.ok()) return respond(errorResponse(all.error()));
      respond(jsonResponse(200, *all));
    };
  };
  router.add("PATCH", kBase + "/{ns}/sessions/{session}/properties",
             write(control::ContextWrite::kMerge),
             "Merge properties {name: JSON value, …} into a session (created if missing); "
             "answers the session's properties");
  router.add("PUT", kBase + "/{ns}/sessions/{session}/properties",
             write(control::ContextWrite::kReplace),
             "Replace all of a session's properties with {name: JSON value, …}");

  router.add(
      "GET", kBase + "/{ns}/sessions/{session}/properties/{name}",
      [&ctx, &svc](Request& r, Respond respond) {
        if (!allow(ctx.identity, r, Action::kReadContext, respond)) return;
        auto v = svc.getProperty(r.param("acct"), r.param("ns"), r.param("session"),
                                 r.param("name"));
        if (!v.ok()) return respond(errorResponse(v.error()));
        if (!v->has_value()) return respond(errorResponse(noProperty(r)));
        respond(jsonResponse(200, **v));
      },
      "One property's JSON value");

  router.add(
      "DELETE", kBase + "/{ns}/sessions/{session}/properties/{name}",
      [&ctx, &svc](Request& r, Respond respond) {
        if (!allow(ctx.identity, r, Action::kWriteContext, respond)) return;
        answerDelete(svc.deleteProperty(r.param("acct"), r.param("ns"), r.param("session"),
                                        r.param("name")),
                     noProperty(r), respond);
      },
      "Delete one property");
}

}  // namespace parley::api
