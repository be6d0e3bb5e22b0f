// HttpHost: the "http.*" host services — outbound requests from functions (fetch, HTTPClient,
// MTLSClient in the runtime's JavaScript) through the egress client, checked against the
// invocation's account allowlist and rate limited per function.
//
// Services:
//   "http.fetch"  {id, method, url, headers: [[name, value], ...], redirect: follow|manual|error,
//                  timeoutMs?, tls?: {cert, key, ca?, insecure?}} + body bytes
//                 -> {status, statusText, headers: [[name, value], ...], url, redirected}
//                    + response body bytes
//   "http.cancel" {id}  -> null; aborts that request of the same invocation (its fetch fails
//                          with egress.aborted)
// Errors: code "egress.<reason>" (egress::failureName: not-allowlisted, private-address,
// too-large, timeout, rate-limited, too-many-redirects, redirect-refused, aborted,
// invalid-request, dns-failed, connect-failed, tls-failed, client-certificate, failed,
// shutting-down) and a message that says why, naming the host, address or limit.
//
// The account is the invocation's (InvocationContext::accountId), never an argument; the rate
// limit key is the function's uuid.
//
// An invocation's requests end with it: invocationEnded(id) cancels every request of that
// invocation still in flight (a function that returned without awaiting a fetch, or timed out
// while waiting on one). Each fails with egress.aborted; the runtime has already moved on and
// drops the answer. Without this a request ran to its own timeout (30 s by default), holding a
// connection and the egress thread's attention for nobody.
// Threading: call() never blocks on the network (a cache miss of the allowlist reads the store);
// completions run on the egress thread.
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "control/domain_service.h"
#include "egress/client.h"
#include "runtime/host_services.h"

namespace parley::control {

class HttpHost {
 public:
  HttpHost(egress::EgressClient& egress, DomainService& domains);

  void call(const runtime::InvocationContext& context, runtime::HostRequest request,
            runtime::HostServices::Completion done);
  // Cancels the invocation's requests still in flight. Thread-safe; never blocks on the network.
  void invocationEnded(const std::string& invocationId);

 private:
  void fetch(const runtime::InvocationContext& context, runtime::HostRequest request,
             runtime::HostServices::Completion done);

  egress::EgressClient& egress_;
  DomainService& domains_;
  std::mutex mu_;
  std::map<std::string, uint64_t> inFlight_;  // "<invocation>/<id>" -> egress id; Guarded by mu_
};

}  // namespace parley::control
