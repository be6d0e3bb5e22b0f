// Test support: a real local HTTP server (the project's own, on a free port) for outbound
// requests to reach. Routes:
//   /hello                 200 "hello" with X-Test: yes
//   /echo                  200 JSON {method, path, query (raw), headers: {lower-case name: value},
//                          body}
//   /json                  200 {"ok": true, "n": 42} as application/json
//   /status?code=N         N with body "status N"
//   /redirect?to=URL[&status=N]   N (default 302) with Location: URL
//   /loop                  302 to itself
//   /big?n=BYTES           200 with BYTES 'x'
//   /slow?ms=MS            200 "slow" after MS milliseconds (a thread sleeps; joined at the end)
//   /count                 200 with the number of requests /count has had so far
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace parley::http {
class Server;
}

namespace parley::testing {

class TargetServer {
 public:
  TargetServer();
  ~TargetServer();
  // "http://<host>:<port>"
  std::string base(const std::string& host = "127.0.0.1") const;
  uint16_t port() const;
  int requests() const { return requests_; }

 private:
  std::mutex mu_;
  std::vector<std::thread> sleepers_;  // Guarded by mu_
  std::atomic<int> requests_{0};
  std::atomic<int> counted_{0};
  std::unique_ptr<http::Server> server_;
};

}  // namespace parley::testing
