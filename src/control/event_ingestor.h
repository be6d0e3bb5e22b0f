// EventIngestor: durable acceptance of CloudEvents with group commit (SPEC §3: 202 only after
// the event is durably stored, without one commit per request).
//
// submit() queues a request's events and returns; one writer thread takes everything queued,
// stores it in ONE transaction (EventQueueRepository::enqueue, deduplicating source+id within
// the window) and only then calls each request's `done` with which events were stored (false:
// a duplicate). While a commit is in progress new requests accumulate for the next one, so
// commits grow with load instead of queueing behind each other. After stop(), submit() answers
// kUnavailable; stop() first commits what was submitted.
// `onStored` runs on the writer thread after each commit that stored something (the delivery
// loop's wake-up). Thread-safety: thread-safe.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/loop_thread.h"
#include "control/cloud_events.h"
#include "store/store.h"

namespace parley::control {

struct IngestOptions {
  int64_t dedupeWindowMs = 24LL * 3600 * 1000;
  size_t maxEventsPerCommit = 10000;
};

class EventIngestor {
 public:
  using Done = std::function<void(Result<std::vector<bool>>)>;

  EventIngestor(store::Store& store, const Clock& clock, IngestOptions options,
                std::function<void()> onStored = {});
  ~EventIngestor();  // stop()
  EventIngestor(const EventIngestor&) = delete;
  EventIngestor& operator=(const EventIngestor&) = delete;

  void submit(const std::string& accountId, std::vector<CloudEvent> events, Done done);
  void start();
  void stop();

  // Commits made so far (for tests and the benchmark's report).
  int64_t commits() const;

 private:
  struct Pending {
    std::string accountId;
    std::vector<CloudEvent> events;
    Done done;
  };
  void run();
  void commit(std::vector<Pending>& batch);

  store::Store& store_;
  const Clock& clock_;
  const IngestOptions options_;
  const std::function<void()> onStored_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Pending> pending_;  // Guarded by mu_
  size_t pendingEvents_ = 0;      // Guarded by mu_
  int64_t commits_ = 0;           // Guarded by mu_
  LoopThread thread_{mu_, cv_};
};

}  // namespace parley::control
