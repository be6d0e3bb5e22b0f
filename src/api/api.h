// The HTTP API: native /api/v1 routes, LivePerson-compatible routes, health and the OpenAPI
// document. Handlers authenticate, authorise, call the control layer and turn its results into
// JSON; errors go through support.h's errorResponse (the one mapping).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "control/context_service.h"
#include "control/domain_service.h"
#include "control/dead_letter_service.h"
#include "control/event_ingestor.h"
#include "control/event_service.h"
#include "control/activity.h"
#include "control/event_type_service.h"
#include "control/function_service.h"
#include "control/identity.h"
#include "control/invocation_service.h"
#include "control/log_hub.h"
#include "control/metrics_service.h"
#include "control/schedule_service.h"
#include "control/secret_service.h"
#include "control/template_catalogue.h"
#include "control/settings_service.h"
#include "api/blocking_work.h"
#include "http/router.h"

namespace parley::api {

struct ApiContext {
  control::IdentityService& identity;
  control::FunctionService& functions;
  control::InvocationService& invocations;
  control::EventService& events;
  control::SecretService& secrets;
  control::ScheduleService& schedules;
  std::string publicHost;  // host[:port] clients reach this server at (service discovery)
  bool secure = false;     // served over TLS (cookies get Secure)
  control::ContextService* context = nullptr;  // the context store; no routes when unset
  control::DomainService* domains = nullptr;  // required by addDomainRoutes
  // Observability (observe_api.cc). Unset: those routes answer 503.
  control::LogHub* logHub = nullptr;
  control::MetricsService* metrics = nullptr;
  control::ActivityLog* activity = nullptr;
  std::string metricsToken = {};  // also accepted as a bearer token by GET /metrics ("" = none)
  // Async events (set after construction; must be set before the routes serve requests).
  control::EventTypeService* eventTypes = nullptr;
  control::EventIngestor* ingestor = nullptr;
  control::DeadLetterService* deadLetters = nullptr;
  control::SettingsService* settings = nullptr;
  // Where deploy and validate run (they wait on the runtime); unset: on the I/O thread.
  BlockingWork* blocking = nullptr;
};

void addIdentityRoutes(http::Router& router, ApiContext& ctx);
void addFunctionRoutes(http::Router& router, ApiContext& ctx);
void addLivePersonRoutes(http::Router& router, ApiContext& ctx);
void addEventRoutes(http::Router& router, ApiContext& ctx);
void addSecretRoutes(http::Router& router, ApiContext& ctx);
void addScheduleRoutes(http::Router& router, ApiContext& ctx);
// GET /api/v1/templates[?eventId=], GET /api/v1/templates/{id} (any logged-in user).
void addTemplateRoutes(http::Router& router, ApiContext& ctx,
                       const control::TemplateCatalogue& templates);
void addContextRoutes(http::Router& router, ApiContext& ctx);
void addValidateRoutes(http::Router& router, ApiContext& ctx);
void addDomainRoutes(http::Router& router, ApiContext& ctx);
// Logs (query, CSV export, live tail), invocation lists, metrics, activity, GET /metrics.
void addObserveRoutes(http::Router& router, ApiContext& ctx);
// CloudEvents ingestion, account event types, dead letters (ingest_api.cc).
void addIngestRoutes(http::Router& router, ApiContext& ctx);
// Account settings (settings_api.cc).
void addSettingsRoutes(http::Router& router, ApiContext& ctx);
// /healthz, /readyz and /api/v1/openapi.json (generated from the router's routes; add last).
void addMetaRoutes(http::Router& router, ApiContext& ctx);

// The server's handler: `router`'s routes, and the embedded web console (console/, built by Vite)
// for GET and HEAD requests no route matches outside /api/, /sentinel/, /healthz, /readyz and
// /metrics: its files (hashed assets cached as immutable, index.html revalidated, gzip when
// accepted, ETag/304) and index.html for any other extension-less path (client-side routes).
// Console responses carry the security headers (CSP with frame-ancestors 'none', nosniff).
http::Handler withConsole(const http::Router& router);

// The OpenAPI 3 document of every route in `router`.
nlohmann::json openApiDocument(const http::Router& router);

}  // namespace parley::api
