#include "server/config.h"

#include <cstdlib>
#include <toml++/toml.h>

namespace parley::server {

void addServerFlags(CLI::App& cmd, Config& c, std::string& configFile) {
  cmd.add_option("--config", configFile, "TOML config file");
  cmd.add_option("--listen", c.listen, "HOST:PORT to listen on (default 127.0.0.1:8080)");
  cmd.add_option("--data-dir", c.dataDir, "Data directory (SQLite, keys); default ./data");
  cmd.add_option("--tls-cert", c.tlsCert, "TLS certificate (PEM)");
  cmd.add_option("--tls-key", c.tlsKey, "TLS private key (PEM)");
  cmd.add_option("--public-url", c.publicUrl, "URL clients use to reach this server");
  cmd.add_option("--workers", c.workers,
                 "Runtime worker processes (default: one per CPU this process may use)");
  cmd.add_option("--spare-sandboxes", c.spareSandboxes,
                 "Sandboxes each runtime worker keeps built ahead of time, so that a cold start "
                 "only loads the function (default 1; 0 to 16, about 1 MiB each)");
  cmd.add_option("--max-body-bytes", c.maxBodyBytes, "Largest request body");
  cmd.add_option("--max-functions-per-account", c.maxFunctionsPerAccount);
  cmd.add_option("--max-schedules-per-account", c.maxSchedulesPerAccount);
  cmd.add_option("--max-concurrent-invocations", c.maxConcurrentInvocationsPerAccount,
                 "Per account");
  cmd.add_option("--max-invocations-per-second", c.maxInvocationsPerSecondPerAccount,
                 "Per account (token bucket)");
  cmd.add_option("--max-timeout-seconds", c.maxTimeoutSeconds, "Account maximum for functions");
  cmd.add_option("--max-memory-mb", c.maxMemoryMb, "Account maximum for functions");
  cmd.add_flag("--egress-allow-private", c.egressAllowPrivate,
               "Let functions reach loopback, private and link-local addresses (tests only)");
  cmd.add_option("--egress-requests-per-second", c.egressRequestsPerSecond,
                 "Outbound requests per second per function (0: unlimited)");
  cmd.add_option("--egress-timeout-seconds", c.egressTimeoutSeconds,
                 "Default timeout of an outbound request");
  cmd.add_option("--egress-max-response-bytes", c.egressMaxResponseBytes,
                 "Largest outbound response body");
  cmd.add_option("--log-retention-days", c.logRetentionDays,
                 "Days invocation records and logs are kept (default 30)");
  cmd.add_option("--metrics-token", c.metricsToken,
                 "Bearer token a Prometheus scraper may use for GET /metrics");
  cmd.add_option("--event-max-attempts", c.eventMaxAttempts,
                 "Deliveries tried per event before it is dead-lettered (default 5)");
  cmd.add_option("--event-retry-base-ms", c.eventRetryBaseMs,
                 "Backoff base: retry n waits up to base*2^(n-1) ms (full jitter)");
  cmd.add_option("--event-retry-cap-ms", c.eventRetryCapMs, "Backoff cap in ms");
  cmd.add_option("--event-dedupe-window-seconds", c.eventDedupeWindowSeconds,
                 "Duplicate source+id within this window are ignored (default 24 h)");
  cmd.add_option("--platform-url", c.platformUrl,
                 "Base URL of the LivePerson platform (CSDS) used by Toolbelt.LpClient/CsdsClient");
}

namespace {

template <typename T>
void apply(CLI::App& cmd, const char* flag, T& field, std::optional<T> value) {
  if (value && cmd.count(flag) == 0) field = *value;
}

std::optional<std::string> env(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) return std::nullopt;
  return std::string(v);
}

std::optional<int64_t> envInt(const char* name) {
  auto v = env(name);
  if (!v) return std::nullopt;
  try {
    return std::stoll(*v);
  } catch (...) {
    return std::nullopt;
  }
}

}  // namespace

Status resolveConfig(CLI::App& cmd, Config& c, const std::string& configFile) {
  if (!configFile.empty()) {
    toml::table t;
    try {
      t = toml::parse_file(configFile);
    } catch (const toml::parse_error& e) {
      return Error::invalidArgument("Cannot read config file '" + configFile +
                                    "': " + std::string(e.description()));
    }
    apply(cmd, "--listen", c.listen, t["listen"].value<std::string>());
    apply(cmd, "--data-dir", c.dataDir, t["data_dir"].value<std::string>());
    apply(cmd, "--tls-cert", c.tlsCert, t["tls_cert"].value<std::string>());
    apply(cmd, "--tls-key", c.tlsKey, t["tls_key"].value<std::string>());
    apply(cmd, "--public-url", c.publicUrl, t["public_url"].value<std::string>());
    apply(cmd, "--workers", c.workers, t["workers"].value<int>());
    apply(cmd, "--spare-sandboxes", c.spareSandboxes, t["spare_sandboxes"].value<int>());
    apply(cmd, "--max-body-bytes", c.maxBodyBytes, t["limits"]["max_body_bytes"].value<int64_t>());
    apply(cmd, "--max-functions-per-account", c.maxFunctionsPerAccount,
          t["limits"]["max_functions_per_account"].value<int64_t>());
    apply(cmd, "--max-schedules-per-account", c.maxSchedulesPerAccount,
          t["limits"]["max_schedules_per_account"].value<int64_t>());
    apply(cmd, "--max-concurrent-invocations", c.maxConcurrentInvocationsPerAccount,
          t["limits"]["max_concurrent_invocations"].value<int64_t>());
    apply(cmd, "--max-invocations-per-second", c.maxInvocationsPerSecondPerAccount,
          t["limits"]["max_invocations_per_second"].value<int64_t>());
    apply(cmd, "--max-timeout-seconds", c.maxTimeoutSeconds,
          t["limits"]["max_timeout_seconds"].value<int64_t>());
    apply(cmd, "--max-memory-mb", c.maxMemoryMb, t["limits"]["max_memory_mb"].value<int64_t>());
    apply(cmd, "--egress-allow-private", c.egressAllowPrivate,
          t["egress"]["allow_private"].value<bool>());
    apply(cmd, "--egress-requests-per-second", c.egressRequestsPerSecond,
          t["egress"]["requests_per_second"].value<int64_t>());
    apply(cmd, "--egress-timeout-seconds", c.egressTimeoutSeconds,
          t["egress"]["timeout_seconds"].value<int64_t>());
    apply(cmd, "--egress-max-response-bytes", c.egressMaxResponseBytes,
          t["egress"]["max_response_bytes"].value<int64_t>());
    apply(cmd, "--log-retention-days", c.logRetentionDays,
          t["log_retention_days"].value<int64_t>());
    apply(cmd, "--metrics-token", c.metricsToken, t["metrics_token"].value<std::string>());
    apply(cmd, "--event-max-attempts", c.eventMaxAttempts,
          t["events"]["max_attempts"].value<int64_t>());
    apply(cmd, "--event-retry-base-ms", c.eventRetryBaseMs,
          t["events"]["retry_base_ms"].value<int64_t>());
    apply(cmd, "--event-retry-cap-ms", c.eventRetryCapMs,
          t["events"]["retry_cap_ms"].value<int64_t>());
    apply(cmd, "--event-dedupe-window-seconds", c.eventDedupeWindowSeconds,
          t["events"]["dedupe_window_seconds"].value<int64_t>());
    apply(cmd, "--platform-url", c.platformUrl, t["platform_url"].value<std::string>());
  }
  apply(cmd, "--listen", c.listen, env("PARLEY_LISTEN"));
  apply(cmd, "--data-dir", c.dataDir, env("PARLEY_DATA_DIR"));
  apply(cmd, "--tls-cert", c.tlsCert, env("PARLEY_TLS_CERT"));
  apply(cmd, "--tls-key", c.tlsKey, env("PARLEY_TLS_KEY"));
  apply(cmd, "--public-url", c.publicUrl, env("PARLEY_PUBLIC_URL"));
  apply(cmd, "--max-concurrent-invocations", c.maxConcurrentInvocationsPerAccount,
        envInt("PARLEY_MAX_CONCURRENT_INVOCATIONS"));
  apply(cmd, "--max-invocations-per-second", c.maxInvocationsPerSecondPerAccount,
        envInt("PARLEY_MAX_INVOCATIONS_PER_SECOND"));
  if (auto v = env("PARLEY_EGRESS_ALLOW_PRIVATE")) {
    apply(cmd, "--egress-allow-private", c.egressAllowPrivate,
          std::optional<bool>(*v == "1" || *v == "true" || *v == "yes"));
  }
  apply(cmd, "--egress-requests-per-second", c.egressRequestsPerSecond,
        envInt("PARLEY_EGRESS_REQUESTS_PER_SECOND"));
  apply(cmd, "--log-retention-days", c.logRetentionDays, envInt("PARLEY_LOG_RETENTION_DAYS"));
  apply(cmd, "--metrics-token", c.metricsToken, env("PARLEY_METRICS_TOKEN"));
  if (c.logRetentionDays < 1) {
    return Error::invalidArgument("--log-retention-days must be at least 1");
  }
  apply(cmd, "--event-max-attempts", c.eventMaxAttempts, envInt("PARLEY_EVENT_MAX_ATTEMPTS"));
  apply(cmd, "--event-retry-base-ms", c.eventRetryBaseMs, envInt("PARLEY_EVENT_RETRY_BASE_MS"));
  apply(cmd, "--event-retry-cap-ms", c.eventRetryCapMs, envInt("PARLEY_EVENT_RETRY_CAP_MS"));
  apply(cmd, "--event-dedupe-window-seconds", c.eventDedupeWindowSeconds,
        envInt("PARLEY_EVENT_DEDUPE_WINDOW_SECONDS"));
  apply(cmd, "--platform-url", c.platformUrl, env("PARLEY_PLATFORM_URL"));
  while (c.platformUrl.ends_with('/')) c.platformUrl.pop_back();
  if (!c.platformUrl.empty() && !c.platformUrl.starts_with("http://") &&
      !c.platformUrl.starts_with("https://")) {
    return Error::invalidArgument("--platform-url must start with http:// or https://");
  }
  c.adminPassword = env("PARLEY_ADMIN_PASSWORD").value_or("");
  if (c.eventMaxAttempts < 1 || c.eventRetryBaseMs < 0 || c.eventRetryCapMs < c.eventRetryBaseMs ||
      c.eventDedupeWindowSeconds < 0) {
    return Error::invalidArgument(
        "--event-max-attempts must be at least 1, --event-retry-base-ms at least 0 and at most "
        "--event-retry-cap-ms, --event-dedupe-window-seconds at least 0");
  }
  if (c.spareSandboxes < 0 || c.spareSandboxes > 16) {
    return Error::invalidArgument("--spare-sandboxes must be between 0 and 16, got " +
                                  std::to_string(c.spareSandboxes));
  }
  if (c.tlsCert.empty() != c.tlsKey.empty()) {
    return Error::invalidArgument("--tls-cert and --tls-key go together");
  }
  if (auto l = parseListen(c.listen); !l.ok()) return l.error();
  if (c.egressRequestsPerSecond < 0 || c.egressTimeoutSeconds < 1 ||
      c.egressMaxResponseBytes < 1) {
    return Error::invalidArgument(
        "--egress-requests-per-second must be >= 0, --egress-timeout-seconds and "
        "--egress-max-response-bytes >= 1");
  }
  return okStatus();
}

Result<std::pair<std::string, uint16_t>> parseListen(const std::string& listen) {
  std::string host;
  std::string port;
  if (!listen.empty() && listen[0] == '[') {
    size_t close = listen.find(']');
    if (close == std::string::npos || close + 1 >= listen.size() || listen[close + 1] != ':') {
      return Error::invalidArgument("--listen must be HOST:PORT, got '" + listen + "'");
    }
    host = listen.substr(1, close - 1);
    port = listen.substr(close + 2);
  } else {
    size_t colon = listen.rfind(':');
    if (colon == std::string::npos) {
      return Error::invalidArgument("--listen must be HOST:PORT, got '" + listen + "'");
    }
    host = listen.substr(0, colon);
    port = listen.substr(colon + 1);
  }
  char* end = nullptr;
  long p = std::strtol(port.c_str(), &end, 10);
  if (host.empty() || port.empty() || *end != '\0' || p < 0 || p > 65535) {
    return Error::invalidArgument("--listen must be HOST:PORT with a port 0-65535, got '" +
                                  listen + "'");
  }
  return std::pair{host, static_cast<uint16_t>(p)};
}

}  // namespace parley::server
