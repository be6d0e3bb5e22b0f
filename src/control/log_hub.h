// LogHub: live tail of function logs (SPEC §10). Fed with every invocation record as it is
// recorded (RecordObserver::onRecord, before the batched write), it hands each log line to the
// subscribers of that function at once, so a client subscribed before a line is written
// receives it.
//
// - Events are numbered 1, 2, … for the life of the process; `bootId` tells processes apart,
//   so a client resuming with an id from another process gets no replay instead of a wrong one.
// - The last lines (at most 10,000 / 16 MiB) are kept so that a subscriber can resume after the
//   event it saw last (SSE Last-Event-ID); older ones come from the log query API.
// - Every `keepAliveMs` each subscriber is called with nullptr (SSE keep-alive comment).
// - A subscriber's callback returns false to unsubscribe (its client is gone). Callbacks run
//   under the hub's lock on the recording thread or the keep-alive thread: they must be quick
//   and must not call the hub.
// Thread-safety: thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "control/invocation_recorder.h"

namespace parley::control {

struct LogEvent {
  uint64_t id = 0;
  std::string accountId;
  std::string functionUuid;
  std::string invocationId;
  std::string trigger;
  store::LogRecord log;
};

class LogHub final : public RecordObserver {
 public:
  using Callback = std::function<bool(const LogEvent* event)>;  // nullptr: keep-alive

  explicit LogHub(int64_t keepAliveMs = 15'000, size_t maxKept = 10'000,
                  size_t maxKeptBytes = 16 << 20);
  ~LogHub() override;
  LogHub(const LogHub&) = delete;
  LogHub& operator=(const LogHub&) = delete;

  const std::string& bootId() const { return bootId_; }

  struct Filter {
    std::string accountId;
    std::string functionUuid;
    std::vector<std::string> levels;  // empty: all
  };
  // Subscribes; when `afterId` is set, first replays the kept events after it that match.
  // Returns the subscription id.
  uint64_t subscribe(Filter filter, std::optional<uint64_t> afterId, Callback callback);
  void unsubscribe(uint64_t subscription);
  size_t subscribers() const;

  void onRecord(const store::InvocationRecord& r) override;

 private:
  struct Subscriber {
    Filter filter;
    Callback callback;
  };
  static bool matches(const Filter& f, const LogEvent& e);
  void keepAliveLoop();

  const std::string bootId_;
  const int64_t keepAliveMs_;
  const size_t maxKept_;
  const size_t maxKeptBytes_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  uint64_t nextEvent_ = 1;                       // Guarded by mu_
  uint64_t nextSubscriber_ = 1;                  // Guarded by mu_
  std::deque<LogEvent> kept_;                    // Guarded by mu_
  size_t keptBytes_ = 0;                         // Guarded by mu_
  std::map<uint64_t, Subscriber> subscribers_;   // Guarded by mu_
  bool stop_ = false;                            // Guarded by mu_
  std::thread keepAlive_;
};

}  // namespace parley::control
