#include "server/server.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iostream>

#include "api/api.h"
#include "api/support.h"
#include "base/clock.h"
#include "control/context_host.h"
#include "control/context_service.h"
#include "control/domain_service.h"
#include "control/activity.h"
#include "control/dead_letter_service.h"
#include "control/delivery_loop.h"
#include "control/event_ingestor.h"
#include "control/event_type_service.h"
#include "control/function_service.h"
#include "control/http_host.h"
#include "control/identity.h"
#include "control/invocation_service.h"
#include "control/orchestrator.h"
#include "control/log_hub.h"
#include "control/metrics_service.h"
#include "control/platform_host.h"
#include "control/retention.h"
#include "control/schedule_service.h"
#include "control/scheduler_loop.h"
#include "control/secret_service.h"
#include "control/settings_service.h"
#include "control/webhook_sender.h"
#include "control/tokens.h"
#include "http/router.h"
#include "http/server.h"
#include "runtime/invoker.h"
#include "egress/client.h"
#include "store/sqlite_store.h"
#include "vault/key_rotation.h"
#include "vault/master_key.h"
#include "vault/vault.h"

namespace parley::server {

namespace {

int fail(const std::string& message) {
  std::cerr << "parley server: " << message << "\n";
  return 1;
}

bool writePrivateFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::trunc);
  if (!out) return false;
  out << content;
  out.close();
  return chmod(path.c_str(), 0600) == 0;
}

}  // namespace

void blockShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);  // re-read the master key (keys rotate)
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

int runServer(const Config& config) {
  const Clock& clock = SystemClock::instance();
  auto listen = parseListen(config.listen);
  if (!listen.ok()) return fail(listen.error().message());

  if (mkdir(config.dataDir.c_str(), 0700) != 0 && errno != EEXIST) {
    return fail("cannot create the data directory '" + config.dataDir + "'");
  }
  auto store = store::openSqliteStore(config.dataDir + "/parley.db", clock);
  if (!store.ok()) return fail(store.error().message());
  auto key = control::loadOrCreateKey(config.dataDir + "/token.key");
  if (!key.ok()) return fail(key.error().message());
  control::TokenSigner signer(*key, clock);

  // The master key never enters the database: PARLEY_MASTER_KEY, else <data-dir>/master.key
  // (generated 0600 on first start).
  auto masterKey = vault::loadMasterKey(config.dataDir + "/master.key");
  if (!masterKey.ok()) return fail(masterKey.error().message());
  bool keyFromFile = masterKey->source != vault::MasterKeySource::kEnvironment;
  vault::Vault vault(vault::copyMasterKey(masterKey->key), (*store)->dataKeys());
  // `parley keys rotate` may replace the key file while we run: the vault re-reads it when it
  // meets a data key wrapped by a key it does not know, and on SIGHUP (vault/key_rotation.h).
  // With PARLEY_MASTER_KEY it cannot learn a new key: it refuses to create data keys after a
  // rotation rather than wrap them under the retired key.
  vault.setMasterKeySource(keyFromFile
                               ? vault::masterKeyFileSource(config.dataDir + "/master.key")
                               : vault::fixedMasterKeySource(masterKey->key));
  control::SecretService secrets(**store, vault, clock);
  // Host calls from functions (secrets today); other services answer fm.unavailable.
  control::PlatformHostServices host(secrets, clock);
  control::ContextService contextStore(**store, clock);
  host.addService("context.", [&contextStore](const runtime::InvocationContext& c,
                                              const runtime::HostRequest& r) {
    return control::callContextService(contextStore, c, r);
  });
  // The platform's base URL for the toolbelt's LpClient/CsdsClient (--platform-url).
  host.addService("platform.config", [&config](const runtime::InvocationContext& c,
                                               const runtime::HostRequest&) {
    runtime::HostResponse r;
    r.resultJson = nlohmann::json{{"baseUrl", config.platformUrl}, {"accountId", c.accountId}}.dump();
    return r;
  });
  control::ContextPurger contextPurger(contextStore);  // expired sessions, every minute
  // Outbound requests from functions: the account allowlist, SSRF checks, limits (SPEC §7).
  control::DomainService domains(**store, clock);
  egress::EgressOptions egressOptions;
  egressOptions.allowPrivate = config.egressAllowPrivate;
  egressOptions.requestsPerSecond = static_cast<double>(config.egressRequestsPerSecond);
  egressOptions.burst = static_cast<double>(config.egressRequestsPerSecond);
  egressOptions.defaultTimeoutMs = config.egressTimeoutSeconds * 1000;
  egressOptions.maxResponseBytes = config.egressMaxResponseBytes;
  egress::EgressClient egress(egressOptions, clock);
  control::HttpHost http(egress, domains);
  host.addAsyncService("http.", [&http](const runtime::InvocationContext& c,
                                        runtime::HostRequest r,
                                        runtime::HostServices::Completion done) {
    http.call(c, std::move(r), std::move(done));
  });
  runtime::InvokerOptions invokerOptions;
  invokerOptions.isolation = runtime::Isolation::kProcess;
  invokerOptions.workers = config.workers;
  invokerOptions.sparePerWorker = config.spareSandboxes;
  auto invoker = runtime::Invoker::create(invokerOptions, &host);

  control::FunctionLimits limits;
  limits.maxFunctionsPerAccount = config.maxFunctionsPerAccount;
  limits.maxTimeoutSeconds = config.maxTimeoutSeconds;
  limits.maxMemoryMb = config.maxMemoryMb;
  control::IdentityService identity(**store, signer, clock);
  control::FunctionService functions(**store, *invoker, clock, limits);
  control::InvocationOptions invocationOptions;
  invocationOptions.maxConcurrentPerAccount = config.maxConcurrentInvocationsPerAccount;
  invocationOptions.maxPerSecondPerAccount = config.maxInvocationsPerSecondPerAccount;
  invocationOptions.takeSecretValues = [&host](const std::string& invocationId) {
    return host.takeSecretValues(invocationId);
  };
  invocationOptions.invocationEnded = [&http](const std::string& invocationId) {
    http.invocationEnded(invocationId);  // its outbound requests end with it
  };
  invocationOptions.retentionDays = config.logRetentionDays;
  control::InvocationService invocations(**store, *invoker, functions, clock, invocationOptions);
  // Observability: live tail and metrics see every recorded invocation; the activity stream
  // hears of every change.
  control::LogHub logHub;
  control::MetricsService metrics(**store, functions, clock, config.logRetentionDays);
  control::ActivityLog activity(**store, clock);
  invocations.addRecordObserver(&logHub);
  invocations.addRecordObserver(&metrics);
  functions.setActivitySink(&activity);
  secrets.setActivitySink(&activity);
  domains.setActivitySink(&activity);
  identity.setActivitySink(&activity);
  contextStore.setActivitySink(&activity);
  control::RetentionLoop retention(invocations, metrics, activity);
  control::EventService events(functions, invocations, clock);
  // Toolbelt.OrchestratorClient: functions invoking functions (loops refused).
  control::Orchestrator orchestrator(functions, invocations);
  host.addAsyncService("functions.invoke", [&orchestrator](const runtime::InvocationContext& c,
                                                           runtime::HostRequest r,
                                                           runtime::HostServices::Completion d) {
    orchestrator.call(c, std::move(r), std::move(d));
  });
  control::ScheduleOptions scheduleOptions;
  scheduleOptions.maxPerAccount = config.maxSchedulesPerAccount;
  control::ScheduleService schedules(**store, clock, scheduleOptions);
  schedules.setActivitySink(&activity);
  functions.setDeployListener(&schedules);
  control::SchedulerLoop scheduler(**store, clock, control::SchedulerLoop::through(invocations));

  // Async events: account event types, group-commit ingestion, the delivery loop, dead letters,
  // settings and the result webhook (SPEC §3).
  control::EventTypeService eventTypes(**store, clock);
  eventTypes.setActivitySink(&activity);
  functions.setAccountCatalogue(&eventTypes);
  events.setAccountCatalogue(&eventTypes);
  control::SettingsService settings(**store, vault, clock);
  settings.setActivitySink(&activity);
  control::WebhookSender webhooks(**store, settings, clock);
  control::DeliveryOptions deliveryOptions;
  deliveryOptions.retry.maxAttempts = config.eventMaxAttempts;
  deliveryOptions.retry.baseMs = config.eventRetryBaseMs;
  deliveryOptions.retry.capMs = config.eventRetryCapMs;
  deliveryOptions.dedupeWindowMs = config.eventDedupeWindowSeconds * 1000;
  deliveryOptions.leaseMs = std::max<int64_t>(10 * 60'000, (config.maxTimeoutSeconds + 60) * 1000);
  deliveryOptions.onSettled = [&webhooks] { webhooks.wake(); };
  control::DeliveryLoop delivery(**store, functions, eventTypes, clock,
                                 control::DeliveryLoop::through(invocations), deliveryOptions);
  control::IngestOptions ingestOptions;
  ingestOptions.dedupeWindowMs = config.eventDedupeWindowSeconds * 1000;
  control::EventIngestor ingestor(**store, clock, ingestOptions, [&delivery] { delivery.wake(); });
  control::DeadLetterService deadLetters(**store, clock, [&delivery] { delivery.wake(); });
  deadLetters.setActivitySink(&activity);

  std::string generated;
  if (Status s = identity.bootstrap(config.adminPassword, &generated); !s.ok()) {
    return fail(s.error().message());
  }
  std::string passwordFile = config.dataDir + "/admin-password";
  if (!generated.empty() && !writePrivateFile(passwordFile, generated + "\n")) {
    return fail("cannot write '" + passwordFile + "'");
  }

  bool tls = !config.tlsCert.empty();
  http::ServerOptions httpOptions;
  httpOptions.host = listen->first;
  httpOptions.port = listen->second;
  httpOptions.tlsCertFile = config.tlsCert;
  httpOptions.tlsKeyFile = config.tlsKey;
  httpOptions.maxBodyBytes = config.maxBodyBytes;

  http::Router router;
  api::BlockingWork blocking;  // deploys and validations, off the HTTP threads
  api::ApiContext context{identity, functions, invocations, events, secrets, schedules, "", tls};
  context.blocking = &blocking;
  api::addIdentityRoutes(router, context);
  api::addFunctionRoutes(router, context);
  api::addLivePersonRoutes(router, context);
  api::addEventRoutes(router, context);
  api::addSecretRoutes(router, context);
  api::addScheduleRoutes(router, context);
  api::addTemplateRoutes(router, context, control::TemplateCatalogue::builtin());
  context.context = &contextStore;
  api::addContextRoutes(router, context);
  api::addValidateRoutes(router, context);
  context.domains = &domains;
  api::addDomainRoutes(router, context);
  context.logHub = &logHub;
  context.metrics = &metrics;
  context.activity = &activity;
  context.metricsToken = config.metricsToken;
  api::addObserveRoutes(router, context);
  context.eventTypes = &eventTypes;
  context.ingestor = &ingestor;
  context.deadLetters = &deadLetters;
  context.settings = &settings;
  api::addIngestRoutes(router, context);
  api::addSettingsRoutes(router, context);
  api::addMetaRoutes(router, context);

  // The router answers unknown paths (404) and methods (405, with Allow) itself; the HTTP layer
  // turns a handler that throws into a 500. The web console answers GETs no route matches.
  http::Handler handler = api::withConsole(router);
  auto server = http::Server::start(httpOptions, handler);
  if (!server.ok()) return fail(server.error().message());
  scheduler.start();
  contextPurger.start();
  retention.start();
  ingestor.start();
  delivery.start();
  webhooks.start();

  std::string hostForUrl = listen->first.find(':') != std::string::npos
                               ? "[" + listen->first + "]"
                               : listen->first;
  std::string url = (tls ? "https://" : "http://") + hostForUrl + ":" +
                    std::to_string((*server)->port());
  std::string publicUrl = config.publicUrl.empty() ? url : config.publicUrl;
  context.publicHost = publicUrl.substr(publicUrl.find("://") + 3);

  writePrivateFile(config.dataDir + "/server.json",
                   "{\"url\":\"" + url + "\",\"pid\":" + std::to_string(getpid()) + "}\n");
  std::cout << "Parley " << PARLEY_VERSION << " is listening on " << url << "\n"
            << "  Console: " << url << "/\n"
            << "  API:     " << url << "/api/v1   (OpenAPI: " << url << "/api/v1/openapi.json)\n"
            << "  Log in:  user 'admin', ";
  if (!generated.empty()) {
    std::cout << "password " << generated << "  (generated; also in " << passwordFile << ")\n";
  } else if (!config.adminPassword.empty()) {
    std::cout << "password from PARLEY_ADMIN_PASSWORD\n";
  } else {
    std::cout << "password in " << passwordFile << " (generated on first start)\n";
  }
  std::cout << "  e.g.     curl -s " << url
            << "/api/v1/auth/login -d '{\"username\":\"admin\",\"password\":\"…\"}'\n"
            << std::flush;

  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  int sig = 0;
  for (;;) {
    sigwait(&set, &sig);
    if (sig != SIGHUP) break;
    Status reloaded = vault.reloadMasterKey();
    std::cout << "parley server: SIGHUP: master key " << vault.masterKeyId()
              << (reloaded.ok() ? "" : " (" + reloaded.error().message() + ")") << "\n"
              << std::flush;
  }
  std::cout << "parley server: shutting down (signal " << sig << "), finishing in-flight work\n"
            << std::flush;
  (*server)->stop();
  blocking.stop();  // deploys under way finish (their answers are dropped): they use the invoker
  contextPurger.stop();
  scheduler.stop();  // before the invoker: no run starts after this
  ingestor.stop();   // commits what was submitted (the server no longer takes requests)
  delivery.stop();   // before the invoker: claims nothing more, settles deliveries in flight
  webhooks.stop();
  retention.stop();
  host.stop();  // finishes queued host calls while the invoker can still take their answers
  egress.stop();  // fails outbound requests still in flight; their answers reach the invoker
  invoker.reset();
  return 0;
}

}  // namespace parley::server
