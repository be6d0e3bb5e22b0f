// `parley`: the server and the CLI in one binary.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/run_command.h"

int main(int argc, char** argv) {
  CLI::App app{"Parley: functions for conversational platforms", "parley"};
  app.require_subcommand(1);
  int exitCode = 0;
  parley::cli::addRunCommand(app, exitCode);
  app.add_subcommand("version", "Print the version")->callback([] {
    std::cout << "parley " << PARLEY_VERSION << "\n";
  });
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  return exitCode;
}
