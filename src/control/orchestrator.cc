#include "control/orchestrator.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "base/strings.h"

namespace parley::control {

namespace {

using nlohmann::json;
using runtime::HostResponse;

HostResponse status(int code, const std::string& errorCode, const std::string& message) {
  HostResponse r;
  r.resultJson =
      json{{"statusCode", code}, {"errorCode", errorCode}, {"errorMessage", message}}.dump();
  return r;
}

int statusOf(ErrorCode code) {
  switch (code) {
    case ErrorCode::kNotFound:
    case ErrorCode::kFailedPrecondition: return 404;
    case ErrorCode::kResourceExhausted: return 429;
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kTooLarge: return 400;
    default: return 500;
  }
}

constexpr const char* kGeneral = "com.liveperson.faas.orchestrator-fn-general";
constexpr const char* kStatusError = "com.liveperson.faas.orchestrator-fn.invoke.status-code-error";

}  // namespace

Orchestrator::Orchestrator(FunctionService& functions, InvocationService& invocations,
                           OrchestratorOptions options)
    : functions_(functions), invocations_(invocations), options_(options) {}

std::vector<std::string> Orchestrator::chainOf(const runtime::InvocationContext& caller) const {
  std::lock_guard lock(mu_);
  auto it = chains_.find(caller.invocationId);
  if (it != chains_.end()) return it->second;
  return {caller.functionUuid};  // the root of a chain
}

size_t Orchestrator::runningChains() const {
  std::lock_guard lock(mu_);
  return chains_.size();
}

void Orchestrator::call(const runtime::InvocationContext& caller, runtime::HostRequest request,
                        runtime::HostServices::Completion done) {
  json args = json::parse(request.argsJson, nullptr, false);
  if (!args.is_object() || !args.contains("function") || !args["function"].is_string() ||
      args["function"].get<std::string>().empty()) {
    return done(status(400, kGeneral, "An invocation needs the function's uuid (or name)"));
  }
  std::string ref = args["function"].get<std::string>();
  auto callee = functions_.runnable(caller.accountId, ref, FunctionService::Which::kDeployed);
  if (!callee.ok()) {
    return done(status(statusOf(callee.error().code()), kStatusError, callee.error().message()));
  }
  std::vector<std::string> chain = chainOf(caller);
  const std::string& uuid = callee->function.uuid;
  if (std::find(chain.begin(), chain.end(), uuid) != chain.end() ||
      chain.size() >= options_.maxDepth) {
    std::vector<std::string> names;
    for (const std::string& u : chain) {
      auto f = functions_.runnable(caller.accountId, u, FunctionService::Which::kDeployed);
      names.push_back(f.ok() ? f->function.name : u);
    }
    names.push_back(callee->function.name);
    bool loop = std::find(chain.begin(), chain.end(), uuid) != chain.end();
    std::string why = loop ? "Call loop refused: " + join(names, " → ") +
                                 " (a function may not be invoked again by a call it started)"
                           : "Orchestration depth limit of " + std::to_string(options_.maxDepth) +
                                 " functions reached: " + join(names, " → ");
    return done(status(508, kStatusError, why));
  }
  chain.push_back(uuid);

  json input = {{"timestamp", args.value("timestamp", json(0))},
                {"headers", args.contains("headers") && !args["headers"].is_null()
                                ? args["headers"]
                                : json::array()},
                {"payload", args.contains("payload") ? args["payload"] : json(nullptr)}};
  std::string id = randomUuid();
  {
    std::lock_guard lock(mu_);
    chains_[id] = std::move(chain);
  }
  invocations_.invokeWithId(
      caller.accountId, uuid, input.dump(), runtime::Trigger::kOrchestrator, id,
      [this, id, done = std::move(done)](Result<InvocationOutcome> outcome) {
        {
          std::lock_guard lock(mu_);
          chains_.erase(id);
        }
        if (!outcome.ok()) {
          return done(status(statusOf(outcome.error().code()), kStatusError,
                             outcome.error().message()));
        }
        const runtime::InvocationResult& r = outcome->result;
        if (r.ok()) {
          HostResponse ok;
          ok.resultJson = "{\"statusCode\":200,\"invocationId\":" + json(id).dump() +
                          ",\"result\":" + r.resultJson + "}";
          return done(std::move(ok));
        }
        int code = r.outcome == runtime::Outcome::kPlatformFailure ? 500 : 901;
        done(status(code, r.errorCode, r.errorMessage));
      });
}

}  // namespace parley::control
