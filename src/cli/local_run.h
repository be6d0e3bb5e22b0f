// Runs a function once with the real runtime, in-process (no server): what `parley run` and
// `parley invoke --local` share. The runtime runs in a `runtime-worker` child process, so a
// fatal V8 out-of-memory cannot take the CLI down.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "runtime/host_services.h"
#include "runtime/types.h"

namespace parley::cli {

struct LocalRun {
  std::string name;  // for messages and the cache key
  std::string code;
  std::map<std::string, std::string> env;  // added to the platform variables
  int64_t timeoutMs = 30000;
  int64_t memoryBytes = int64_t{128} << 20;
  nlohmann::json input;  // the whole invocation input {headers, payload[, timestamp]}
};

// The invocation input for `payload`: taken as the whole input when it already has that shape
// ({payload} with headers or timestamp), else wrapped as {headers: [], payload}.
nlohmann::json invocationInput(const nlohmann::json& payload);

// Runs `run` with `host` answering host calls (secrets …).
runtime::InvocationResult runLocally(const LocalRun& run, runtime::HostServices& host);

// {result, logs} on success; LivePerson's {errorCode, errorMsg, errorLogs[, stack]} on failure.
nlohmann::json localResultJson(const runtime::InvocationResult& r);

}  // namespace parley::cli
