// JSON views of the control layer's records, as the native API returns them.
#pragma once

#include <nlohmann/json.hpp>

#include "control/event_catalogue.h"
#include "control/function_service.h"
#include "control/invocation_service.h"

namespace parley::api {

nlohmann::json functionSummaryJson(const store::FunctionRecord& f);  // without code/environment
nlohmann::json functionJson(const control::FunctionView& f);
nlohmann::json versionJson(const store::VersionRecord& v);
nlohmann::json deploymentJson(const store::DeploymentRecord& d);
// [{level, message, extras, timestamp}] as LivePerson's test-invoke and log export show them.
nlohmann::json logsJson(const std::vector<store::LogRecord>& logs);
nlohmann::json invocationJson(const store::InvocationRecord& r);
// {result, logs, durationMs, invocationId} or {error: {code, message, stack}, logs, ...}
nlohmann::json testResultJson(const control::InvocationOutcome& o);
// {eventId, eventName, description, category, lambdaLimit, skillsSupported, samplePayload}
nlohmann::json eventTypeJson(const control::EventType& e);

}  // namespace parley::api
