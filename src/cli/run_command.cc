#include "cli/run_command.h"

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/common.h"
#include "cli/local_run.h"

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

int run(const RunOptions& o) {
  LocalRun r;
  r.code = readFileOrThrow(o.file);
  r.name = o.file.substr(o.file.find_last_of('/') + 1);
  r.input = invocationInput(payloadArg(o.payload, o.payloadFile, json::object()));
  if (o.timeoutSeconds <= 0) throw usageError("--timeout must be positive");
  r.timeoutMs = static_cast<int64_t>(o.timeoutSeconds * 1000);
  r.memoryBytes = static_cast<int64_t>(o.memoryMb) << 20;
  for (const std::string& kv : o.env) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) throw usageError("--env takes KEY=VALUE, got '" + kv + "'");
    r.env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  runtime::NoHostServices host;
  runtime::InvocationResult result = runLocally(r, host);
  std::cout << localResultJson(result).dump(2, ' ', false, json::error_handler_t::replace) << "\n";
  return result.ok() ? 0 : kExitFailure;
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
  cmd->callback([opts, &exitCode] { runGuarded("run", exitCode, [&] { return run(*opts); }); });
}

}  // namespace parley::cli
