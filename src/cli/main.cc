// `parley`: the server and the CLI in one binary. The CLI commands live one group per file
// (see common.h); they reach a server only through its public HTTP API (api_client.h).
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/common.h"
#include "cli/keys_command.h"
#include "cli/run_command.h"
#include "runtime/worker_process.h"
#include "server/server.h"

int main(int argc, char** argv) {
  CLI::App app{"Parley: functions for conversational platforms", "parley"};
  app.require_subcommand(1);
  app.fallthrough();  // the global options may follow the command too
  int exitCode = 0;
  parley::cli::Globals globals;
  app.add_option("--server", globals.server, "Parley server URL (default: the last login's)")
      ->envname("PARLEY_SERVER");
  app.add_option("--account", globals.account, "Account ID (default: the login's)")
      ->envname("PARLEY_ACCOUNT");
  app.add_option("-o,--output", globals.output, "Output format: table (default), json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  parley::cli::CommandContext context{app, globals, exitCode};
  parley::cli::addAuthCommands(context);
  parley::cli::addProjectCommands(context);
  parley::cli::addDeployCommands(context);
  parley::cli::addInvokeCommands(context);
  parley::cli::addObserveCommands(context);
  parley::cli::addGetCommands(context);
  parley::cli::addAccountCommands(context);
  parley::cli::addRunCommand(app, exitCode);
  parley::cli::addCompletionCommand(context);
  parley::cli::addKeysCommand(app, exitCode);
  app.add_subcommand("version", "Print the version")->callback([] {
    std::cout << "parley " << PARLEY_VERSION << "\n";
  });

  parley::server::Config serverConfig;
  std::string serverConfigFile;
  CLI::App* server = app.add_subcommand("server", "Run the Parley server");
  parley::server::addServerFlags(*server, serverConfig, serverConfigFile);
  server->callback([&] {
    if (parley::Status s = parley::server::resolveConfig(*server, serverConfig, serverConfigFile);
        !s.ok()) {
      std::cerr << "parley server: " << s.error().message() << "\n";
      exitCode = 2;
      return;
    }
    parley::server::blockShutdownSignals();
    exitCode = parley::server::runServer(serverConfig);
  });

  // Internal: a runtime worker process, started by the server (see runtime/worker_process.h).
  CLI::App* worker = app.add_subcommand("runtime-worker", "");
  worker->group("");  // hidden
  int workerFd = -1;
  parley::runtime::InvokerOptions workerOptions;
  worker->add_option("--fd", workerFd)->required();
  worker->add_option("--memory-budget", workerOptions.instanceMemoryBudgetBytes);
  worker->add_option("--idle-ttl-ms", workerOptions.idleInstanceTtlMs);
  worker->add_option("--spares", workerOptions.sparePerWorker);
  worker->callback([&] { exitCode = parley::runtime::runWorkerProcess(workerFd, workerOptions); });
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : parley::cli::kExitUsage;
  }
  return exitCode;
}
