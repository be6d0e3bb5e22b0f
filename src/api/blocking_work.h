// BlockingWork: a few threads of their own for route handlers whose work waits on something slow
// that a client controls, so the HTTP I/O threads never wait on it. Deploy and validate run the
// function's top-level code in the runtime, up to the function's timeout (30 s by default): on
// an I/O thread, two such deploys at once stalled every other request of the server for that
// long. A handler posts the work and returns; the work calls Respond when done (Respond may be
// called from any thread, and the Request stays valid until then).
//
// Work queues when all threads are busy, in order. stop() runs what is queued, then joins; post()
// after stop() runs the work on the caller's thread. Thread-safety: thread-safe.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace parley::api {

class BlockingWork {
 public:
  explicit BlockingWork(int threads = 4);
  ~BlockingWork();
  BlockingWork(const BlockingWork&) = delete;
  BlockingWork& operator=(const BlockingWork&) = delete;

  void post(std::function<void()> work);
  void stop();

 private:
  void run();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;  // Guarded by mu_
  bool stopping_ = false;                    // Guarded by mu_
  std::vector<std::thread> threads_;
};

// Runs `work` on ctx's BlockingWork when it has one, else at once on this thread.
struct ApiContext;
void offload(ApiContext& ctx, std::function<void()> work);

}  // namespace parley::api
