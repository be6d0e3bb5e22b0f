#include "cli/run_command.h"

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/strings.h"
#include "runtime/invoker.h"
#include "runtime/platform_env.h"

namespace parley::cli {

namespace {

using nlohmann::json;

struct RunOptions {
  std::string file;
  std::string payload;
  std::string payloadFile;
  std::vector<std::string> env;
  double timeoutSeconds = 30;
  int memoryMb = 128;
};

bool readFile(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

int usageError(const std::string& message) {
  std::cerr << "parley run: " << message << "\n";
  return 2;
}

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

int run(const RunOptions& o) {
  std::string code;
  if (!readFile(o.file, code)) return usageError("cannot read '" + o.file + "'");
  if (!o.payload.empty() && !o.payloadFile.empty()) {
    return usageError("give --payload or --payload-file, not both");
  }
  std::string payloadText = o.payload;
  if (!o.payloadFile.empty() && !readFile(o.payloadFile, payloadText)) {
    return usageError("cannot read '" + o.payloadFile + "'");
  }
  json payload = json::object();
  if (!payloadText.empty()) {
    payload = json::parse(payloadText, nullptr, false);
    if (payload.is_discarded()) return usageError("the payload is not valid JSON");
  }
  if (o.timeoutSeconds <= 0) return usageError("--timeout must be positive");

  auto fn = std::make_shared<runtime::FunctionSource>();
  std::string base = o.file.substr(o.file.find_last_of('/') + 1);
  fn->key = "local/" + base;
  fn->name = base;
  fn->code = std::move(code);
  fn->limits.timeoutMs = static_cast<int64_t>(o.timeoutSeconds * 1000);
  fn->limits.memoryBytes = static_cast<int64_t>(o.memoryMb) << 20;
  std::string uuid = randomUuid();
  fn->env = runtime::platformEnvironment("local", uuid);
  for (const std::string& kv : o.env) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) return usageError("--env takes KEY=VALUE, got '" + kv + "'");
    fn->env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }

  // A payload that already has the invocation shape is taken as the whole input.
  json input;
  if (payload.is_object() && payload.contains("payload") &&
      (payload.contains("headers") || payload.contains("timestamp"))) {
    input = payload;
  } else {
    input = {{"headers", json::array()}, {"payload", payload}};
  }

  runtime::NoHostServices host;
  runtime::InvokerOptions options;
  options.isolation = runtime::Isolation::kProcess;  // a fatal V8 OOM must not kill the CLI
  options.workers = 1;
  options.sparePerWorker = 0;
  auto invoker = runtime::Invoker::create(options, &host);
  runtime::InvocationRequest request;
  request.function = fn;
  request.inputJson = input.dump();
  request.keepDebugLogs = true;
  request.context.invocationId = randomUuid();
  request.context.functionUuid = uuid;
  request.context.accountId = "local";
  runtime::InvocationResult r = invoker->invokeSync(std::move(request));

  json out;
  if (r.ok()) {
    json result = json::parse(r.resultJson, nullptr, false);
    out = {{"result", result.is_discarded() ? json(nullptr) : result}, {"logs", logsJson(r.logs)}};
  } else {
    out = {{"errorCode", r.errorCode}, {"errorMsg", r.errorMessage},
           {"errorLogs", logsJson(r.logs)}};
    if (!r.errorStack.empty()) out["stack"] = r.errorStack;
  }
  std::cout << out.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
  return r.ok() ? 0 : 1;
}

}  // namespace

void addRunCommand(CLI::App& app, int& exitCode) {
  auto opts = std::make_shared<RunOptions>();
  CLI::App* cmd = app.add_subcommand("run", "Run a function file once, locally, and print the result");
  cmd->add_option("file", opts->file, "The function's JavaScript file")->required();
  cmd->add_option("--payload", opts->payload, "The payload, as JSON");
  cmd->add_option("--payload-file", opts->payloadFile, "A file holding the payload as JSON");
  cmd->add_option("--env", opts->env, "An environment variable KEY=VALUE (repeatable)");
  cmd->add_option("--timeout", opts->timeoutSeconds, "Timeout in seconds (default 30)");
  cmd->add_option("--memory", opts->memoryMb, "Memory limit in MiB (default 128)");
  cmd->callback([opts, &exitCode] { exitCode = run(*opts); });
}

}  // namespace parley::cli
