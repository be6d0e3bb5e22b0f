// HostServices: the only way the runtime reaches the world outside the isolate (secrets, the
// context store, outbound HTTP, other functions, the conversational platform).
//
// Every host call is a request/response message: a service name ("secrets.read", "http.fetch",
// ...), JSON arguments and optional binary body; the answer is JSON (and optional bytes) or an
// error with a code and message that becomes a JS error in the function. Messages are plain data
// so the runtime can later move into sandboxed worker processes without changing this contract.
//
// Threading: call() is invoked on a runtime worker thread and must not block; the implementation
// may complete on any thread, exactly once. The runtime takes care of getting back onto the
// isolate's thread.
#pragma once

#include <functional>
#include <string>

#include "runtime/types.h"

namespace parley::runtime {

struct HostRequest {
  std::string service;   // e.g. "secrets.read"
  std::string argsJson;  // JSON object
  std::string body;      // raw bytes (request bodies), may be empty
};

struct HostResponse {
  bool ok = true;
  std::string resultJson = "null";  // when ok
  std::string body;                 // raw bytes (response bodies), may be empty
  std::string errorCode;            // when !ok: e.g. "com.liveperson.faas.secret.not-found"
  std::string errorMessage;
};

class HostServices {
 public:
  using Completion = std::function<void(HostResponse)>;
  virtual ~HostServices() = default;
  virtual void call(const InvocationContext& context, HostRequest request, Completion done) = 0;
};

// Answers every call with "service unavailable". Used where no host is wired (pure runtime tests).
class NoHostServices final : public HostServices {
 public:
  void call(const InvocationContext&, HostRequest request, Completion done) override {
    done(HostResponse{false, "null", {}, "com.liveperson.faas.fm.unavailable",
                      "The service '" + request.service + "' is not available here"});
  }
};

}  // namespace parley::runtime
