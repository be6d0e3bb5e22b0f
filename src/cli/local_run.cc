#include "cli/local_run.h"

#include "base/strings.h"
#include "runtime/invoker.h"
#include "runtime/platform_env.h"

namespace parley::cli {

namespace {

using nlohmann::json;

json logsJson(const std::vector<runtime::LogEntry>& logs) {
  json out = json::array();
  for (const auto& l : logs) {
    json extras = json::parse(l.extrasJson, nullptr, false);
    if (extras.is_discarded()) extras = json::array();
    out.push_back({{"level", runtime::logLevelName(l.level)},
                   {"message", l.message},
                   {"extras", extras},
                   {"timestamp", l.timestampMs}});
  }
  return out;
}

}  // namespace

json invocationInput(const json& payload) {
  if (payload.is_object() && payload.contains("payload") &&
      (payload.contains("headers") || payload.contains("timestamp"))) {
    return payload;
  }
  return {{"headers", json::array()}, {"payload", payload}};
}

runtime::InvocationResult runLocally(const LocalRun& run, runtime::HostServices& host) {
  auto fn = std::make_shared<runtime::FunctionSource>();
  fn->key = "local/" + run.name;
  fn->name = run.name;
  fn->code = run.code;
  fn->limits.timeoutMs = run.timeoutMs;
  fn->limits.memoryBytes = run.memoryBytes;
  std::string uuid = randomUuid();
  fn->env = runtime::platformEnvironment("local", uuid);
  for (const auto& [k, v] : run.env) fn->env[k] = v;

  runtime::InvokerOptions options;
  options.isolation = runtime::Isolation::kProcess;  // a fatal V8 OOM must not kill the CLI
  options.workers = 1;
  options.sparePerWorker = 0;
  auto invoker = runtime::Invoker::create(options, &host);
  runtime::InvocationRequest request;
  request.function = fn;
  request.inputJson = run.input.dump();
  request.keepDebugLogs = true;
  request.context.invocationId = randomUuid();
  request.context.functionUuid = uuid;
  request.context.functionName = run.name;
  request.context.accountId = "local";
  return invoker->invokeSync(std::move(request));
}

json localResultJson(const runtime::InvocationResult& r) {
  if (r.ok()) {
    json result = json::parse(r.resultJson, nullptr, false);
    return {{"result", result.is_discarded() ? json(nullptr) : result}, {"logs", logsJson(r.logs)}};
  }
  json out = {{"errorCode", r.errorCode}, {"errorMsg", r.errorMessage},
              {"errorLogs", logsJson(r.logs)}};
  if (!r.errorStack.empty()) out["stack"] = r.errorStack;
  return out;
}

}  // namespace parley::cli
