// Server configuration: defaults, then a TOML config file (--config), then environment
// variables (PARLEY_*), then flags — later sources win.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

#include "base/result.h"

namespace parley::server {

struct Config {
  std::string listen = "127.0.0.1:8080";  // HOST:PORT; port 0 picks a free one
  std::string dataDir = "./data";
  std::string tlsCert;
  std::string tlsKey;
  std::string publicUrl;  // how clients reach this server; default derived from listen
  std::string adminPassword;  // PARLEY_ADMIN_PASSWORD (environment only)
  int workers = 0;            // runtime worker processes; 0: one per usable CPU
  int spareSandboxes = 1;     // per worker, built ahead of time for cold starts (0–16)
  int64_t maxBodyBytes = 8LL << 20;
  int64_t maxFunctionsPerAccount = 500;
  int64_t maxSchedulesPerAccount = 50;
  int64_t maxConcurrentInvocationsPerAccount = 100;
  int64_t maxInvocationsPerSecondPerAccount = 1000;
  int64_t maxTimeoutSeconds = 60;
  int64_t maxMemoryMb = 512;
  // Outbound network (SPEC §7).
  bool egressAllowPrivate = false;  // loopback/private/link-local targets (tests, local setups)
  int64_t egressRequestsPerSecond = 20;  // per function; 0: unlimited
  int64_t egressTimeoutSeconds = 30;     // default per request (a request may ask up to 120)
  int64_t egressMaxResponseBytes = 10LL << 20;
  int64_t logRetentionDays = 30;  // invocation records and their logs
  std::string metricsToken;       // bearer token for GET /metrics besides operators' ("": none)
  // Async event delivery (SPEC §3): attempts per event, backoff base and cap, dedupe window.
  int64_t eventMaxAttempts = 5;
  int64_t eventRetryBaseMs = 1000;
  int64_t eventRetryCapMs = 300'000;
  int64_t eventDedupeWindowSeconds = 24 * 3600;
  // The conversational platform the toolbelt's LpClient/CsdsClient talk to (its CSDS answers at
  // {platformUrl}/api/account/{acct}/service/baseURI.json); empty: those clients fail saying so.
  std::string platformUrl;
};

// Registers the flags on `cmd`; `configFile` receives --config.
void addServerFlags(CLI::App& cmd, Config& config, std::string& configFile);
// Applies the config file (if any) and the environment beneath what flags set explicitly.
Status resolveConfig(CLI::App& cmd, Config& config, const std::string& configFile);

// "127.0.0.1:8080" / "[::1]:0" → host and port.
Result<std::pair<std::string, uint16_t>> parseListen(const std::string& listen);

}  // namespace parley::server
