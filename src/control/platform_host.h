// PlatformHostServices: the server's answers to host calls from functions
// (runtime/host_services.h).
//
// Services:
//   "secrets.read"   {key}         -> {key, value, type}   (value as stored: JSON text for json)
//   "secrets.update" {key, value}  -> {key, value, type}   (value: a string, ≤ 16,384 chars)
//   "secrets.used"   {key}         -> null  (the toolbelt served `key` from its cache: noted for
//                                            redaction only, nothing is read)
// Errors carry the toolbelt's codes: com.liveperson.faas.secret.not-found, .forbidden (system
// secrets are read-only), .invalid-format (bad name, value or arguments), .op-failed (anything
// else). Services added with addService / addAsyncService are routed by name prefix; every
// other service: com.liveperson.faas.fm.unavailable.
//
// The account is always the invocation's (InvocationContext::accountId), never an argument.
//
// Redaction: the secret names each invocation touched are noted synchronously in call(), and the
// values this server has read or written for each secret in the last 10 minutes are kept in
// memory (in redaction form, vault::redactionValues); takeSecretValues(invocationId) returns the
// values to mask in that invocation's logs and forgets the invocation. Entries nobody takes
// (invocations that did not go through InvocationService) are dropped after 10 minutes. A secret
// an invocation used but whose value is no longer remembered is read again at take time.
//
// Threading: call() never blocks: the work runs on one worker thread of this object, which calls
// the completion. stop() finishes the queued work and joins; call it before the invoker goes.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "control/secret_service.h"
#include "runtime/host_services.h"

namespace parley::control {

class PlatformHostServices final : public runtime::HostServices {
 public:
  PlatformHostServices(SecretService& secrets, const Clock& clock);
  ~PlatformHostServices() override;

  void call(const runtime::InvocationContext& context, runtime::HostRequest request,
            Completion done) override;

  // More services, routed by name prefix (e.g. "context."). Call these before the first
  // invocation (not thread-safe with call()). A Handler runs on this object's worker thread (it
  // may block briefly, e.g. on the store); an AsyncHandler is called on the caller's thread, must
  // not block, and completes `done` exactly once on any thread.
  using Handler = std::function<runtime::HostResponse(const runtime::InvocationContext&,
                                                      const runtime::HostRequest&)>;
  using AsyncHandler =
      std::function<void(const runtime::InvocationContext&, runtime::HostRequest, Completion)>;
  void addService(std::string prefix, Handler handler);
  void addAsyncService(std::string prefix, AsyncHandler handler);

  // The values to redact from that invocation's logs; forgets the invocation.
  std::vector<std::string> takeSecretValues(const std::string& invocationId);

  void stop();

 private:
  using SecretKey = std::pair<std::string, std::string>;  // account, name
  runtime::HostResponse handle(const runtime::InvocationContext& context,
                               const runtime::HostRequest& request);
  void noteUse(const std::string& invocationId, const SecretKey& key);
  void noteValue(const SecretKey& key, const std::string& value, bool isJson);
  // Under ledgerMu_: drops entries older than 10 minutes (at most once a minute).
  void pruneLocked(int64_t now);
  void run();
  // Queues `task` on the worker thread; false when stopping.
  bool enqueue(std::function<void()> task);

  SecretService& secrets_;
  std::vector<std::pair<std::string, Handler>> services_;        // Immutable once serving
  std::vector<std::pair<std::string, AsyncHandler>> asyncServices_;  // Immutable once serving
  const Clock& clock_;

  std::mutex queueMu_;
  std::condition_variable queueCv_;
  std::deque<std::function<void()>> queue_;  // Guarded by queueMu_
  bool stopping_ = false;                    // Guarded by queueMu_
  std::thread worker_;

  struct Used {
    int64_t atMs = 0;
    std::set<SecretKey> keys;
  };
  struct Seen {
    int64_t atMs = 0;
    std::vector<std::string> values;
  };
  std::mutex ledgerMu_;
  std::map<std::string, Used> used_;  // by invocation id; Guarded by ledgerMu_
  std::map<SecretKey, std::map<std::string, Seen>>
      seen_;                 // by secret, then value; Guarded by ledgerMu_
  int64_t lastPruneMs_ = 0;  // Guarded by ledgerMu_
};

}  // namespace parley::control
