// Test support: a small HTTP/1.1 server on a free local port that records every POST it gets
// (keep-alive, one thread per connection) — the receiving end of the result webhook. It
// answers 200 unless `statusFor` says otherwise, and verifies X-Parley-Signature with the
// shared secret the way a receiver would.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace parley::testing {

struct SinkRequest {
  std::string path;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  bool signatureValid = false;  // v1 matches HMAC-SHA256(secret, t + "." + body)
};

class WebhookSink {
 public:
  explicit WebhookSink(std::string secret = {});
  ~WebhookSink();
  WebhookSink(const WebhookSink&) = delete;
  WebhookSink& operator=(const WebhookSink&) = delete;

  std::string url() const;  // http://127.0.0.1:<port>/hook
  std::vector<SinkRequest> requests() const;
  size_t count() const;
  // The requests after the first `from` ones.
  std::vector<SinkRequest> requestsSince(size_t from) const;
  // The bodies as JSON, in arrival order.
  std::vector<nlohmann::json> bodies() const;
  // Waits (polling, up to `timeoutMs`) until `done(requests)` holds; returns whether it did.
  bool waitFor(const std::function<bool(const std::vector<SinkRequest>&)>& done,
               int timeoutMs = 60'000) const;
  // The status to answer a request with (default 200).
  void setStatusFor(std::function<int(const SinkRequest&)> statusFor);

  static bool verifySignature(const std::string& secret, const std::string& header,
                              const std::string& body);

 private:
  void acceptLoop();
  void serve(int fd);

  std::string secret_;
  int listenFd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  mutable std::mutex mu_;
  std::vector<SinkRequest> requests_;                // Guarded by mu_
  std::function<int(const SinkRequest&)> statusFor_;  // Guarded by mu_
  std::vector<std::thread> connections_;             // Guarded by mu_
  std::vector<int> fds_;                             // Guarded by mu_
};

}  // namespace parley::testing
