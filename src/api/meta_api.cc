// Routes: health, readiness and the OpenAPI document.
#include <set>

#include "api/api.h"
#include "api/support.h"

namespace parley::api {

json openApiDocument(const http::Router& router) {
  json paths = json::object();
  for (const http::Route& route : router.routes()) {
    json parameters = json::array();
    size_t pos = 0;
    while ((pos = route.pattern.find('{', pos)) != std::string::npos) {
      size_t end = route.pattern.find('}', pos);
      parameters.push_back({{"name", route.pattern.substr(pos + 1, end - pos - 1)},
                            {"in", "path"},
                            {"required", true},
                            {"schema", {{"type", "string"}}}});
      pos = end;
    }
    std::string method = route.method;
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    json errorContent = {{"application/json",
                          {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}};
    json op = {{"summary", route.summary},
               {"operationId", method + route.pattern},
               {"parameters", parameters},
               {"responses", {{"200", {{"description", "Success"}}},
                              {"default", {{"description", "Error"}, {"content", errorContent}}}}}};
    bool open = route.pattern == "/healthz" || route.pattern == "/readyz" ||
                route.pattern == "/api/v1/auth/login" || route.pattern == "/api/v1/openapi.json" ||
                route.pattern.find("/oauth/token") != std::string::npos ||
                route.pattern.find("/app/token") != std::string::npos ||
                route.pattern.find("baseURI.json") != std::string::npos;
    if (open) op["security"] = json::array();
    paths[route.pattern][method] = op;
  }
  return {{"openapi", "3.0.3"},
          {"info", {{"title", "Parley API"}, {"version", PARLEY_VERSION}}},
          {"paths", paths},
          {"security", json::array({{{"bearer", json::array()}}})},
          {"components",
           {{"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}},
            {"schemas",
             {{"Error",
               {{"type", "object"},
                {"properties",
                 {{"error", {{"type", "object"},
                             {"properties", {{"code", {{"type", "string"}}},
                                             {"message", {{"type", "string"}}},
                                             {"details", {{"type", "object"}}}}}}}}}}}}}}}};
}

void addMetaRoutes(http::Router& router, ApiContext& ctx) {
  router.add("GET", "/healthz", [](http::Request&, http::Respond respond) {
    respond(jsonResponse(200, {{"status", "ok"}}));
  }, "Liveness");
  router.add("GET", "/readyz", [&ctx](http::Request&, http::Respond respond) {
    // Ready when the store answers.
    auto accounts = ctx.identity.accountsVisibleTo(control::Principal{
        control::Principal::Kind::kUser, "", "", true, {}, {}, {}, 0});
    if (!accounts.ok()) return respond(errorResponse(Error::unavailable(accounts.error().message())));
    respond(jsonResponse(200, {{"status", "ready"}}));
  }, "Readiness: the store is reachable");
  router.add("GET", "/api/v1/openapi.json", [&router](http::Request&, http::Respond respond) {
    respond(jsonResponse(200, openApiDocument(router)));
  }, "This document");
}

}  // namespace parley::api
