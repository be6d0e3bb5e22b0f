// Route: check a function's code as a deploy would, without saving or deploying it. The console's
// editor calls it on save to put build errors at their line.
#include "api/api.h"
#include "api/support.h"

namespace parley::api {

using control::Action;
using http::Request;
using http::Respond;

void addValidateRoutes(http::Router& router, ApiContext& ctx) {
  router.add("POST", "/api/v1/accounts/{acct}/functions/{fn}/validate", [&ctx](Request& r, Respond respond) {
    if (!allow(ctx.identity, r, Action::kManageFunctions, respond)) return;
    auto body = jsonBody(r);
    if (!body.ok()) return respond(errorResponse(body.error()));
    auto code = stringField(*body, "code", false);
    if (!code.ok()) return respond(errorResponse(code.error()));
    std::string source = *code;
    if (!body->contains("code")) {  // the newest saved code
      auto f = ctx.functions.get(r.param("acct"), r.param("fn"));
      if (!f.ok()) return respond(errorResponse(f.error()));
      source = f->latest.code;
    }
    // Validating runs the code's top level in the runtime (up to its timeout): not on this thread.
    offload(ctx, [&ctx, &r, respond, source = std::move(source)] {
      auto verdict = ctx.functions.validate(r.param("acct"), r.param("fn"), source);
      if (!verdict.ok()) return respond(errorResponse(verdict.error()));
      if (verdict->ok()) return respond(jsonResponse(200, {{"valid", true}, {"error", nullptr}}));
      json error = {{"message", verdict->error().message()}, {"line", nullptr}, {"column", nullptr}};
      json details = json::parse(verdict->error().details(), nullptr, false);
      if (details.is_object()) {
        if (details.contains("line")) error["line"] = details["line"];
        if (details.contains("column")) error["column"] = details["column"];
      }
      respond(jsonResponse(200, {{"valid", false}, {"error", error}}));
    });
  }, "Check code as a deploy would ({code}, default the newest saved), without saving: {valid, error: {message, line, column}}");
}

}  // namespace parley::api
