// Orchestrator: the "functions.invoke" host service behind Toolbelt.OrchestratorClient — a
// function invokes another function of its own account (by uuid or name) through
// InvocationService with Trigger::kOrchestrator, so the callee is recorded, quota'd and redacted
// like any invocation.
//
//   functions.invoke {function, headers?, payload?}
//     -> {statusCode, result?}                      always ok at the host-call level; the JS
//        {statusCode, errorCode, errorMessage}      client decides on retries and errors
//   statusCode: 200 success; 400 bad arguments or input too large; 404 no such function or not
//   deployed; 429 the account's quota; 508 a call loop or the depth limit; 901 the callee failed
//   (threw, timed out, ran out of memory); 500 a platform failure.
//
// Loop detection: each orchestrated invocation's call chain (function uuids from the root) is
// kept in memory under its invocation id until it completes. A call whose callee is already on
// the caller's chain (A → B → A, or A → A) is refused with 508 and a message showing the chain;
// so is a call that would make the chain longer than `maxDepth` functions. The chain lives on the
// server side, keyed by server-made invocation ids, so a function cannot reset it.
//
// Deadlines and retries are the JS client's (≤ 25 s per OrchestratorClient.invoke). A callee
// the client stopped waiting for runs to its own timeout; its result is then dropped.
//
// Threading: call() does not block; the completion runs on a runtime thread (or at once for
// calls refused before anything ran). Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "control/function_service.h"
#include "control/invocation_service.h"
#include "runtime/host_services.h"

namespace parley::control {

struct OrchestratorOptions {
  size_t maxDepth = 5;  // functions on one chain, the root included
};

class Orchestrator {
 public:
  Orchestrator(FunctionService& functions, InvocationService& invocations,
               OrchestratorOptions options = {});

  void call(const runtime::InvocationContext& caller, runtime::HostRequest request,
            runtime::HostServices::Completion done);

  // Chains of orchestrated invocations still running (for tests).
  size_t runningChains() const;

 private:
  std::vector<std::string> chainOf(const runtime::InvocationContext& caller) const;

  FunctionService& functions_;
  InvocationService& invocations_;
  const OrchestratorOptions options_;
  mutable std::mutex mu_;
  std::map<std::string, std::vector<std::string>> chains_;  // by invocation id; Guarded by mu_
};

}  // namespace parley::control
