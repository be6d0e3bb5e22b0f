// `parley run FILE`: runs a function file once with the real runtime, in-process, and prints
// {"result", "logs"} or the LivePerson error object {"errorCode", "errorMsg", "errorLogs"} as
// JSON on stdout. Exit status: 0 success, 1 function error, 2 bad usage.
// `parley invoke --local` runs a project function the same way (cli/local_run.h).
#pragma once

#include <CLI/CLI.hpp>

namespace parley::cli {

void addRunCommand(CLI::App& app, int& exitCode);

}  // namespace parley::cli
