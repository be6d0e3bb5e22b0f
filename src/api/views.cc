#include "api/views.h"

#include "api/support.h"

namespace parley::api {

namespace {

json parsedOr(const std::string& text, json fallback) {
  if (text.empty()) return fallback;
  json j = json::parse(text, nullptr, false);
  return j.is_discarded() ? fallback : j;
}

}  // namespace

json functionSummaryJson(const store::FunctionRecord& f) {
  return {{"uuid", f.uuid},
          {"name", f.name},
          {"description", f.description},
          {"eventId", f.eventId},
          {"skills", f.skills},
          {"state", store::functionStateName(f.state)},
          {"version", f.latestVersion},
          {"deployedVersion", f.deployedVersion == 0 ? json(nullptr) : json(f.deployedVersion)},
          {"lastError", parsedOr(f.lastError, nullptr)},
          {"createdAt", isoTime(f.createdAt)},
          {"createdBy", f.createdBy},
          {"updatedAt", isoTime(f.updatedAt)},
          {"updatedBy", f.updatedBy}};
}

json functionJson(const control::FunctionView& v) {
  json j = functionSummaryJson(v.function);
  j["code"] = v.latest.code;
  j["environment"] = v.latest.environment;
  j["settings"] = {{"timeoutSeconds", v.latest.settings.timeoutSeconds},
                   {"memoryMb", v.latest.settings.memoryMb}};
  return j;
}

json versionJson(const store::VersionRecord& v) {
  return {{"version", v.version},
          {"code", v.code},
          {"environment", v.environment},
          {"settings", {{"timeoutSeconds", v.settings.timeoutSeconds},
                        {"memoryMb", v.settings.memoryMb}}},
          {"createdAt", isoTime(v.createdAt)},
          {"createdBy", v.createdBy}};
}

json deploymentJson(const store::DeploymentRecord& d) {
  return {{"id", d.id},
          {"action", d.action},
          {"version", d.version},
          {"deploymentState", d.state},
          {"error", parsedOr(d.error, nullptr)},
          {"createdAt", isoTime(d.createdAt)},
          {"createdBy", d.createdBy}};
}

json logsJson(const std::vector<store::LogRecord>& logs) {
  json out = json::array();
  for (const auto& l : logs) {
    out.push_back({{"level", l.level},
                   {"message", l.message},
                   {"extras", parsedOr(l.extrasJson, json::array())},
                   {"timestamp", l.timestamp}});
  }
  return out;
}

json invocationJson(const store::InvocationRecord& r) {
  json j = {{"id", r.id},
            {"functionUuid", r.functionUuid},
            {"version", r.version},
            {"trigger", r.trigger},
            {"status", r.status},
            {"outcome", r.outcome.empty() ? json(nullptr) : json(r.outcome)},
            {"durationMs", static_cast<double>(r.durationUs) / 1000.0},
            {"coldStart", r.coldStart},
            {"startedAt", isoTime(r.startedAt)},
            {"finishedAt", r.finishedAt ? json(isoTime(r.finishedAt)) : json(nullptr)},
            {"logs", logsJson(r.logs)}};
  if (!r.errorCode.empty() || !r.errorMessage.empty()) {
    j["error"] = {{"code", r.errorCode}, {"message", r.errorMessage}};
  } else if (r.status == "done" && !r.resultJson.empty()) {
    // Absent for synchronous HTTP and orchestrator calls, whose callers got it (not kept).
    j["result"] = parsedOr(r.resultJson, nullptr);
  }
  return j;
}

json testResultJson(const control::InvocationOutcome& o) {
  const runtime::InvocationResult& r = o.result;
  json j = {{"logs", logsJson(o.record.logs)},
            {"durationMs", static_cast<double>(r.durationUs) / 1000.0},
            {"invocationId", o.record.id},
            {"version", o.record.version}};
  if (r.ok()) {
    j["result"] = parsedOr(r.resultJson, nullptr);
  } else {
    j["error"] = {{"code", r.errorCode}, {"message", r.errorMessage}, {"stack", r.errorStack},
                  {"outcome", runtime::outcomeName(r.outcome)}};
  }
  return j;
}

nlohmann::json eventTypeJson(const control::EventType& e) {
  return {{"eventId", e.id},
          {"eventName", e.name},
          {"description", e.description},
          {"category", e.category},
          {"lambdaLimit", e.lambdaLimit},
          {"skillsSupported", e.skillsSupported},
          {"samplePayload", nlohmann::json::parse(e.samplePayloadJson, nullptr, false)}};
}

}  // namespace parley::api
