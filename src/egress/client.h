// EgressClient: outbound HTTP(S) for functions, on one thread that drives libcurl's multi
// interface (curl_multi_poll / curl_multi_wakeup), so any number of requests wait concurrently
// and nothing else waits for them.
//
// Contract:
// - submit() never blocks: it takes a rate token, queues the request and wakes the thread. The
//   completion runs on the egress thread, exactly once, with a response or a refusal/failure
//   whose message says why (it must not block: hand the result on).
// - Every hop is checked before it is sent: the scheme is http or https, the URL's canonical
//   host (allowlist.h; curl's URL parser has already turned numeric IPv4 spellings into dotted
//   decimal, and the same parsed URL handle is what curl connects to) is on the policy's
//   allowlist. Redirects are followed here, not by curl, so the allowlist is checked at every
//   hop; at most `maxRedirects`. 303 (and 301/302 after POST) turn into a GET without body;
//   Authorization, Cookie and Proxy-Authorization are dropped when a redirect leaves the origin.
// - Every connection is checked after DNS resolution (CURLOPT_OPENSOCKETFUNCTION): an address
//   that is not public (address.h) is refused unless `allowPrivate`. DNS rebinding therefore
//   fails too: the address checked is the address connected to. Proxies from the environment
//   are ignored.
// - The whole request, redirects included, must finish within its timeout; a response body
//   (after content decoding) over `maxResponseBytes` aborts the transfer.
// - Requests are counted (stats()), whatever their outcome.
// Thread-safety: submit, cancel and stats from any thread. stop() (also the destructor) fails
// what is in flight with kShuttingDown and joins the thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "egress/allowlist.h"
#include "egress/rate_limiter.h"

namespace parley::egress {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

enum class RedirectMode { kFollow, kManual, kError };

struct Request {
  std::string method = "GET";
  std::string url;
  HeaderList headers;
  std::string body;
  RedirectMode redirect = RedirectMode::kFollow;
  int64_t timeoutMs = 0;  // 0: the client's default; capped at the client's maximum
  // mTLS: client certificate and key (PEM). `caPem` replaces the system CAs for verifying the
  // server; `insecure` skips verifying the server's certificate.
  std::string clientCertPem;
  std::string clientKeyPem;
  std::string caPem;
  bool insecure = false;
};

struct Policy {
  std::shared_ptr<const Allowlist> allowlist;  // null: nothing allowed
  std::string rateKey;                         // empty: not rate limited
};

struct Response {
  int status = 0;
  std::string statusText;
  HeaderList headers;  // as received, in order; names in the case the server sent
  std::string body;    // decoded (gzip, deflate, br)
  std::string url;     // of the last hop
  bool redirected = false;
};

enum class Failure {
  kNone,
  kNotAllowlisted,
  kPrivateAddress,
  kTooLarge,
  kTimeout,
  kRateLimited,
  kTooManyRedirects,
  kRedirectRefused,  // redirect mode "error"
  kAborted,
  kInvalidRequest,
  kDnsFailed,
  kConnectFailed,
  kTlsFailed,
  kClientCertificate,
  kFailed,
  kShuttingDown,
};
const char* failureName(Failure f);  // "not-allowlisted", "private-address", ...

struct Outcome {
  Failure failure = Failure::kNone;
  std::string message;  // when failed: why, naming the host/address/limit
  Response response;    // when not failed
};

struct EgressOptions {
  bool allowPrivate = false;
  int64_t defaultTimeoutMs = 30'000;
  int64_t maxTimeoutMs = 120'000;
  int64_t maxResponseBytes = 10LL << 20;
  int maxRedirects = 20;
  double requestsPerSecond = 20;  // per rate key; <= 0: unlimited
  double burst = 20;
};

struct EgressStats {
  uint64_t requests = 0;  // submitted
  uint64_t hops = 0;      // HTTP requests sent (a redirect is one more)
  uint64_t succeeded = 0;
  uint64_t notAllowlisted = 0;
  uint64_t privateAddress = 0;
  uint64_t tooLarge = 0;
  uint64_t timeouts = 0;
  uint64_t rateLimited = 0;
  uint64_t otherFailures = 0;
  uint64_t bytesReceived = 0;
  uint64_t inFlight = 0;
};

class EgressClient {
 public:
  using Completion = std::function<void(Outcome)>;

  EgressClient(EgressOptions options, const Clock& clock);
  ~EgressClient();
  EgressClient(const EgressClient&) = delete;
  EgressClient& operator=(const EgressClient&) = delete;

  // Returns the request's id (for cancel).
  uint64_t submit(Request request, Policy policy, Completion done);
  // Aborts the request (its completion gets kAborted) if it has not completed yet.
  void cancel(uint64_t id);
  EgressStats stats() const;
  const EgressOptions& options() const { return options_; }
  void stop();

  struct Transfer;

 private:
  void run();
  void startOrFinish(std::unique_ptr<Transfer> t);
  // Takes `t` by rvalue reference so that arguments may still read it (t->host).
  void finish(std::unique_ptr<Transfer>&& t, Failure failure, std::string message);
  void onDone(Transfer* t, int curlCode);
  void count(Failure f);

  const EgressOptions options_;
  const Clock& clock_;
  RateLimiter limiter_;
  void* multi_ = nullptr;  // CURLM*; used only on the egress thread after construction

  std::mutex mu_;
  std::deque<std::unique_ptr<Transfer>> incoming_;  // Guarded by mu_
  std::vector<uint64_t> cancels_;                   // Guarded by mu_
  bool stopping_ = false;                           // Guarded by mu_
  std::atomic<uint64_t> nextId_{1};
  std::map<uint64_t, std::unique_ptr<Transfer>> active_;  // egress thread only

  struct Counters {
    std::atomic<uint64_t> requests{0}, hops{0}, succeeded{0}, notAllowlisted{0},
        privateAddress{0}, tooLarge{0}, timeouts{0}, rateLimited{0}, otherFailures{0},
        bytesReceived{0}, inFlight{0};
  };
  Counters counters_;
  std::thread thread_;
};

}  // namespace parley::egress
