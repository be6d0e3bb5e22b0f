// Routes: the account allowlist of outbound hosts (SPEC §7). Admins and Developers (and clients
// with functions.manage) add and remove entries; every role that reads the account lists them.
#include "api/api.h"
#include "api/support.h"

namespace parley::api {

namespace {

using control::Action;
using http::Request;
using http::Respond;

json domainJson(const store::DomainRecord& d) {
  return {{"domain", d.domain}, {"createdAt", isoTime(d.createdAt)}, {"createdBy", d.createdBy}};
}

}  // namespace

void addDomainRoutes(http::Router& router, ApiContext& ctx) {
  router.add(
      "GET", "/api/v1/accounts/{acct}/domains",
      [&ctx](Request& r, Respond respond) {
        if (!allow(ctx.identity, r, Action::kRead, respond)) return;
        auto list = ctx.domains->list(r.param("acct"));
        if (!list.ok()) return respond(errorResponse(list.error()));
        json out = json::array();
        for (const auto& d : *list) out.push_back(domainJson(d));
        respond(jsonResponse(200, out));
      },
      "The account's allowlist of outbound hosts");

  router.add(
      "POST", "/api/v1/accounts/{acct}/domains",
      [&ctx](Request& r, Respond respond) {
        auto p = allow(ctx.identity, r, Action::kManageFunctions, respond);
        if (!p) return;
        auto body = jsonBody(r);
        if (!body.ok()) return respond(errorResponse(body.error()));
        auto domain = stringField(*body, "domain", true);
        if (!domain.ok()) return respond(errorResponse(domain.error()));
        auto d = ctx.domains->add(r.param("acct"), *domain, actorOf(*p));
        if (!d.ok()) return respond(errorResponse(d.error()));
        respond(jsonResponse(201, domainJson(*d)));
      },
      "Add {domain}: an exact host or one leading wildcard '*.example.com' (not the apex); "
      "409 if present");

  router.add(
      "DELETE", "/api/v1/accounts/{acct}/domains/{domain}",
      [&ctx](Request& r, Respond respond) {
        auto p = allow(ctx.identity, r, Action::kManageFunctions, respond);
        if (!p) return;
        if (Status s = ctx.domains->remove(r.param("acct"), r.param("domain"), actorOf(*p));
            !s.ok()) {
          return respond(errorResponse(s.error()));
        }
        respond(jsonResponse(200, {{"deleted", true}}));
      },
      "Remove a domain from the allowlist (immediate effect)");
}

}  // namespace parley::api
