// `parley`: the server and the CLI in one binary.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/run_command.h"
#include "runtime/worker_process.h"
#include "server/server.h"

int main(int argc, char** argv) {
  CLI::App app{"Parley: functions for conversational platforms", "parley"};
  app.require_subcommand(1);
  int exitCode = 0;
  parley::cli::addRunCommand(app, exitCode);
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
    return rc == 0 ? 0 : 2;
  }
  return exitCode;
}
