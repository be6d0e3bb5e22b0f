// Routes: the account's secrets. Admins create, replace and delete; Developers (and clients with
// functions.manage) list names and types. No answer ever contains a value.
#include "api/api.h"
#include "api/support.h"

namespace parley::api {

namespace {

using control::Action;
using http::Request;
using http::Respond;

json secretJson(const control::SecretInfo& s) {
  return {{"name", s.name},
          {"type", s.type},
          {"createdAt", isoTime(s.createdAt)},
          {"createdBy", s.createdBy},
          {"updatedAt", isoTime(s.updatedAt)},
          {"updatedBy", s.updatedBy}};
}

struct SecretInput {
  std::string type;
  std::string value;
};

// {type?: "plaintext"|"json" (default plaintext), value}. A JSON secret's value may be given as
// JSON (object, array, …) or as its text.
Result<SecretInput> secretInput(const json& body) {
  auto type = stringField(body, "type", false);
  if (!type.ok()) return type.error();
  SecretInput in{type->empty() ? "plaintext" : *type, ""};
  if (!body.contains("value")) return Error::invalidArgument("'value' is required");
  const json& v = body["value"];
  if (v.is_string()) {
    in.value = v.get<std::string>();
  } else if (in.type == "json") {
    in.value = v.dump();
  } else {
    return Error::invalidArgument("'value' must be a string for a plaintext secret");
  }
  return in;
}

}  // namespace

void addSecretRoutes(http::Router& router, ApiContext& ctx) {
  router.add(
      "GET", "/api/v1/accounts/{acct}/secrets",
      [&ctx](Request& r, Respond respond) {
        if (!allow(ctx.identity, r, Action::kReadSecretNames, respond)) return;
        auto list = ctx.secrets.list(r.param("acct"));
        if (!list.ok()) return respond(errorResponse(list.error()));
        json out = json::array();
        for (const auto& s : *list) out.push_back(secretJson(s));
        respond(jsonResponse(200, out));
      },
      "The account's secrets: names, types and audit fields, never values");

  router.add(
      "POST", "/api/v1/accounts/{acct}/secrets",
      [&ctx](Request& r, Respond respond) {
        auto p = allow(ctx.identity, r, Action::kManageSecrets, respond);
        if (!p) return;
        auto body = jsonBody(r);
        if (!body.ok()) return respond(errorResponse(body.error()));
        auto name = stringField(*body, "name", true);
        if (!name.ok()) return respond(errorResponse(name.error()));
        auto in = secretInput(*body);
        if (!in.ok()) return respond(errorResponse(in.error()));
        auto s = ctx.secrets.create(r.param("acct"), *name, in->type, in->value, actorOf(*p));
        if (!s.ok()) return respond(errorResponse(s.error()));
        respond(jsonResponse(201, secretJson(*s)));
      },
      "Create a secret {name, type: plaintext|json, value}; 409 if the name is taken");

  router.add(
      "PUT", "/api/v1/accounts/{acct}/secrets/{name}",
      [&ctx](Request& r, Respond respond) {
        auto p = allow(ctx.identity, r, Action::kManageSecrets, respond);
        if (!p) return;
        auto body = jsonBody(r);
        if (!body.ok()) return respond(errorResponse(body.error()));
        auto in = secretInput(*body);
        if (!in.ok()) return respond(errorResponse(in.error()));
        bool created = false;
        auto s = ctx.secrets.replace(r.param("acct"), r.param("name"), in->type, in->value,
                                     actorOf(*p), &created);
        if (!s.ok()) return respond(errorResponse(s.error()));
        respond(jsonResponse(created ? 201 : 200, secretJson(*s)));
      },
      "Create or replace a secret's value and type {type, value}");

  router.add(
      "DELETE", "/api/v1/accounts/{acct}/secrets/{name}",
      [&ctx](Request& r, Respond respond) {
        auto p = allow(ctx.identity, r, Action::kManageSecrets, respond);
        if (!p) return;
        if (Status s = ctx.secrets.remove(r.param("acct"), r.param("name"), actorOf(*p));
            !s.ok()) {
          return respond(errorResponse(s.error()));
        }
        respond(jsonResponse(200, {{"deleted", true}}));
      },
      "Delete a secret (immediate effect)");
}

}  // namespace parley::api
