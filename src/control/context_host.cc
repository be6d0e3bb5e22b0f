#include "control/context_host.h"

#include <nlohmann/json.hpp>

namespace parley::control {

namespace {

using nlohmann::json;
using runtime::HostResponse;

constexpr const char* kInvalid = "com.liveperson.faas.context.invalid-format";

HostResponse failure(const std::string& code, const std::string& message) {
  return HostResponse{false, "null", {}, code, message};
}

HostResponse failure(const Error& e) {
  switch (e.code()) {
    case ErrorCode::kInvalidArgument: return failure(kInvalid, e.message());
    case ErrorCode::kNotFound: return failure("com.liveperson.faas.context.not-found", e.message());
    case ErrorCode::kTooLarge:
    case ErrorCode::kFailedPrecondition:
      return failure("com.liveperson.faas.context.limit-exceeded", e.message());
    default: return failure("com.liveperson.faas.context.op-failed", e.message());
  }
}

HostResponse answer(const json& j) {
  HostResponse r;
  r.resultJson = j.dump();
  return r;
}

json namespaceJson(const ContextNamespaceInfo& ns) {
  json j = {{"name", ns.name}, {"createdAt", ns.createdAt}};
  if (ns.ttlSeconds) j["ttlSecond"] = *ns.ttlSeconds;
  return j;
}

// A string argument; `optional` ones may be absent or null (→ "").
bool stringArg(const json& args, const char* name, bool optional, std::string* out,
               HostResponse* error) {
  auto it = args.find(name);
  if (it == args.end() || it->is_null()) {
    if (optional) return true;
    *error = failure(kInvalid, std::string("'") + name + "' is required");
    return false;
  }
  if (!it->is_string()) {
    *error = failure(kInvalid, std::string("'") + name + "' must be a string");
    return false;
  }
  *out = it->get<std::string>();
  return true;
}

// A function's changes name the function as their actor.
Actor functionActor(const runtime::InvocationContext& context) {
  return {"", "function " + context.functionName};
}

}  // namespace

HostResponse callContextService(ContextService& service, const runtime::InvocationContext& context,
                                const runtime::HostRequest& request) {
  const std::string& acct = context.accountId;
  std::string method = request.service.substr(std::string("context.").size());
  json args = json::parse(request.argsJson, nullptr, false);
  if (!args.is_object()) return failure(kInvalid, "The arguments must be a JSON object");
  HostResponse bad;
  if (method == "getListOfNamespaces") {
    auto list = service.listNamespaces(acct);
    if (!list.ok()) return failure(list.error());
    json out = json::array();
    for (const auto& ns : *list) out.push_back(namespaceJson(ns));
    return answer(out);
  }
  std::string ns, session, name;
  if (!stringArg(args, "namespace", false, &ns, &bad)) return bad;
  if (!stringArg(args, "sessionId", true, &session, &bad)) return bad;
  if (method == "createNamespace") {
    std::optional<int64_t> ttl;
    if (args.contains("ttl") && !args["ttl"].is_null()) {
      if (!args["ttl"].is_number_integer()) {
        return failure(kInvalid, "'ttl' must be a whole number of seconds");
      }
      ttl = args["ttl"].get<int64_t>();
    }
    auto created = service.createNamespace(acct, ns, ttl, functionActor(context));
    if (!created.ok()) return failure(created.error());
    return answer(namespaceJson(*created));
  }
  if (method == "deleteNamespace") {
    auto r = service.deleteNamespace(acct, ns, functionActor(context));
    return r.ok() ? answer(nullptr) : failure(r.error());
  }
  if (method == "setProperties") {
    if (!args.contains("properties")) return failure(kInvalid, "'properties' is required");
    auto r = service.setProperties(acct, ns, args["properties"], session, ContextWrite::kMerge);
    return r.ok() ? answer(*r) : failure(r.error());
  }
  if (method == "getProperties") {
    std::vector<std::string> names;
    bool selected = args.contains("names") && !args["names"].is_null();
    if (selected) {
      if (!args["names"].is_array()) return failure(kInvalid, "'propertyNames' must be an array");
      for (const json& n : args["names"]) {
        if (!n.is_string()) return failure(kInvalid, "'propertyNames' must hold strings");
        names.push_back(n.get<std::string>());
      }
    }
    auto r = service.getProperties(acct, ns, session, selected ? &names : nullptr);
    return r.ok() ? answer(*r) : failure(r.error());
  }
  if (!stringArg(args, "name", true, &name, &bad)) return bad;
  if (method == "getProperty") {
    auto r = service.getProperty(acct, ns, session, name);
    if (!r.ok()) return failure(r.error());
    if (!r->has_value()) return answer(json{{"found", false}});
    return answer(json{{"found", true}, {"value", **r}});
  }
  if (method == "deleteProperty") {
    auto r = service.deleteProperty(acct, ns, session, name);
    return r.ok() ? answer(nullptr) : failure(r.error());
  }
  if (method == "deleteSession") {
    if (session.empty()) return failure(kInvalid, "'sessionId' is required");
    auto r = service.deleteSession(acct, ns, session);
    return r.ok() ? answer(nullptr) : failure(r.error());
  }
  if (method == "getListOfSessions") {
    auto r = service.listSessions(acct, ns);
    return r.ok() ? answer(*r) : failure(r.error());
  }
  return failure("com.liveperson.faas.fm.unavailable",
                 "The service '" + request.service + "' is not available here");
}

}  // namespace parley::control
