// Routes: account settings (SPEC §14). Every role that reads sees them; only Admins change them.
// resultWebhookSecret is write-only: answers say whether one is set, never its value.
#include "api/api.h"
#include "api/support.h"

namespace parley::api {

namespace {

using control::Action;
using http::Request;
using http::Respond;

json settingsJson(const control::SettingsView& v) {
  return {{"resultWebhookUrl", v.resultWebhookUrl.empty() ? json(nullptr) : json(v.resultWebhookUrl)},
          {"resultWebhookSecretSet", v.resultWebhookSecretSet},
          {"updatedAt", v.updatedAt == 0 ? json(nullptr) : json(isoTime(v.updatedAt))},
          {"updatedBy", v.updatedBy.empty() ? json(nullptr) : json(v.updatedBy)}};
}

// A string field that may also be null ("" = clear); absent: unchanged.
Result<std::optional<std::string>> optionalString(const json& body, const char* name) {
  if (!body.contains(name)) return std::optional<std::string>();
  const json& v = body[name];
  if (v.is_null()) return std::optional<std::string>("");
  if (!v.is_string()) return Error::invalidArgument(std::string("'") + name + "' must be a string or null");
  return std::optional<std::string>(v.get<std::string>());
}

}  // namespace

void addSettingsRoutes(http::Router& router, ApiContext& ctx) {
  router.add(
      "GET", "/api/v1/accounts/{acct}/settings",
      [&ctx](Request& r, Respond respond) {
        if (!allow(ctx.identity, r, Action::kRead, respond)) return;
        auto v = ctx.settings->get(r.param("acct"));
        if (!v.ok()) return respond(errorResponse(v.error()));
        respond(jsonResponse(200, settingsJson(*v)));
      },
      "The account's settings (resultWebhookUrl; whether a webhook secret is set)");

  router.add(
      "PUT", "/api/v1/accounts/{acct}/settings",
      [&ctx](Request& r, Respond respond) {
        auto p = allow(ctx.identity, r, Action::kManageSecrets, respond);
        if (!p) return;
        auto body = jsonBody(r);
        if (!body.ok()) return respond(errorResponse(body.error()));
        control::SettingsChanges changes;
        for (auto& [key, _] : body->items()) {
          if (key != "resultWebhookUrl" && key != "resultWebhookSecret") {
            return respond(errorResponse(Error::invalidArgument(
                "'" + key + "' is not a setting (resultWebhookUrl, resultWebhookSecret)")));
          }
        }
        auto url = optionalString(*body, "resultWebhookUrl");
        if (!url.ok()) return respond(errorResponse(url.error()));
        auto secret = optionalString(*body, "resultWebhookSecret");
        if (!secret.ok()) return respond(errorResponse(secret.error()));
        changes.resultWebhookUrl = *url;
        changes.resultWebhookSecret = *secret;
        auto v = ctx.settings->update(r.param("acct"), changes, actorOf(*p));
        if (!v.ok()) return respond(errorResponse(v.error()));
        respond(jsonResponse(200, settingsJson(*v)));
      },
      "Change settings {resultWebhookUrl, resultWebhookSecret (write-only)}; Admin only");
}

}  // namespace parley::api
