// The composition root of `parley server`: opens the data directory, wires store, runtime,
// control, API and HTTP server, bootstraps the operator and the default account, serves until
// SIGTERM/SIGINT, then shuts down gracefully (in-flight requests and invocations finish).
#pragma once

#include "server/config.h"

namespace parley::server {

// Blocks SIGTERM/SIGINT in the calling thread (call before any thread starts, so every thread
// inherits the mask and the signals are taken by sigwait in runServer).
void blockShutdownSignals();
// Returns the process exit code.
int runServer(const Config& config);

}  // namespace parley::server
