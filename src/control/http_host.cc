#include "control/http_host.h"

#include <nlohmann/json.hpp>
#include <vector>

namespace parley::control {

namespace {

using nlohmann::json;
using runtime::HostResponse;

HostResponse failure(const std::string& reason, const std::string& message) {
  return HostResponse{false, "null", {}, "egress." + reason, message};
}

HostResponse invalid(const std::string& message) {
  return failure(egress::failureName(egress::Failure::kInvalidRequest), message);
}

std::string str(const json& args, const char* name, const std::string& fallback = "") {
  auto it = args.find(name);
  return it != args.end() && it->is_string() ? it->get<std::string>() : fallback;
}

}  // namespace

HttpHost::HttpHost(egress::EgressClient& egress, DomainService& domains)
    : egress_(egress), domains_(domains) {}

void HttpHost::call(const runtime::InvocationContext& context, runtime::HostRequest request,
                    runtime::HostServices::Completion done) {
  if (request.service == "http.fetch") return fetch(context, std::move(request), std::move(done));
  if (request.service == "http.cancel") {
    json args = json::parse(request.argsJson, nullptr, false);
    std::string key = context.invocationId + "/" + (args.is_object() ? str(args, "id") : "");
    std::optional<uint64_t> id;
    {
      std::lock_guard lock(mu_);
      auto it = inFlight_.find(key);
      if (it != inFlight_.end()) id = it->second;
    }
    if (id) egress_.cancel(*id);
    return done(HostResponse{});
  }
  done(HostResponse{false, "null", {}, "com.liveperson.faas.fm.unavailable",
                    "The service '" + request.service + "' is not available here"});
}

void HttpHost::invocationEnded(const std::string& invocationId) {
  const std::string prefix = invocationId + "/";
  std::vector<uint64_t> ids;
  {
    std::lock_guard lock(mu_);
    for (auto it = inFlight_.lower_bound(prefix);
         it != inFlight_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
      ids.push_back(it->second);
    }
  }
  for (uint64_t id : ids) egress_.cancel(id);  // each completes (aborted) on the egress thread
}

void HttpHost::fetch(const runtime::InvocationContext& context, runtime::HostRequest request,
                     runtime::HostServices::Completion done) {
  json args = json::parse(request.argsJson, nullptr, false);
  if (!args.is_object()) return done(invalid("http.fetch expects a JSON object"));
  egress::Request r;
  r.method = str(args, "method", "GET");
  r.url = str(args, "url");
  r.body = std::move(request.body);
  if (r.url.empty()) return done(invalid("no URL given"));
  if (auto h = args.find("headers"); h != args.end() && h->is_array()) {
    for (const json& pair : *h) {
      if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string()) {
        return done(invalid("headers must be [name, value] pairs of strings"));
      }
      r.headers.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
    }
  }
  std::string redirect = str(args, "redirect", "follow");
  if (redirect == "manual") {
    r.redirect = egress::RedirectMode::kManual;
  } else if (redirect == "error") {
    r.redirect = egress::RedirectMode::kError;
  } else if (redirect != "follow") {
    return done(invalid("redirect must be 'follow', 'manual' or 'error'"));
  }
  if (auto t = args.find("timeoutMs"); t != args.end() && t->is_number() && t->get<double>() > 0) {
    r.timeoutMs = static_cast<int64_t>(t->get<double>());
  }
  if (auto tls = args.find("tls"); tls != args.end() && tls->is_object()) {
    r.clientCertPem = str(*tls, "cert");
    r.clientKeyPem = str(*tls, "key");
    r.caPem = str(*tls, "ca");
    auto insecure = tls->find("insecure");
    r.insecure = insecure != tls->end() && insecure->is_boolean() && insecure->get<bool>();
  }

  auto allowlist = domains_.allowlist(context.accountId);
  if (!allowlist.ok()) {
    return done(failure("failed", "cannot read the account's allowlist: " +
                                      allowlist.error().message()));
  }
  egress::Policy policy{*allowlist, context.functionUuid.empty() ? context.functionName
                                                                 : context.functionUuid};
  std::string key = context.invocationId + "/" + str(args, "id");
  std::lock_guard lock(mu_);  // held across submit so the completion cannot erase first
  uint64_t id = egress_.submit(std::move(r), std::move(policy),
                               [this, key, done = std::move(done)](egress::Outcome o) {
    {
      std::lock_guard inner(mu_);
      inFlight_.erase(key);
    }
    if (o.failure != egress::Failure::kNone) {
      return done(failure(egress::failureName(o.failure), o.message));
    }
    json headers = json::array();
    for (auto& [name, value] : o.response.headers) headers.push_back({name, value});
    HostResponse out;
    out.resultJson = json{{"status", o.response.status},
                          {"statusText", o.response.statusText},
                          {"headers", std::move(headers)},
                          {"url", o.response.url},
                          {"redirected", o.response.redirected}}
                         .dump(-1, ' ', false, json::error_handler_t::replace);
    out.body = std::move(o.response.body);
    done(std::move(out));
  });
  inFlight_[key] = id;
}

}  // namespace parley::control
