// DeadLetterService: the account's dead letters (events whose delivery ran out of attempts):
// list (newest first), inspect, replay (back to the end of the queue, owed to the functions that
// did not get it, attempts from 0) and delete. Replays and deletes are recorded in the activity
// stream when a sink is set. Unknown ids (or another account's) are kNotFound.
// Thread-safety: thread-safe.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "control/activity.h"
#include "store/store.h"

namespace parley::control {

class DeadLetterService {
 public:
  // `onReplay` runs after a replay is stored (wakes the delivery loop).
  DeadLetterService(store::Store& store, const Clock& clock, std::function<void()> onReplay = {})
      : store_(store), clock_(clock), onReplay_(std::move(onReplay)) {}

  Result<std::vector<store::DeadLetterRecord>> list(const std::string& accountId,
                                                    int64_t limit = 100) {
    return store_.eventQueue().deadLetters(accountId, limit);
  }
  Result<store::DeadLetterRecord> get(const std::string& accountId, const std::string& id) {
    return store_.eventQueue().deadLetter(accountId, id);
  }
  void setActivitySink(ActivitySink* sink) { activity_ = sink; }

  Status replay(const std::string& accountId, const std::string& id, const Actor& actor) {
    Status s = store_.transaction([&]() -> Status {
      if (Status r = store_.eventQueue().replayDeadLetter(accountId, id, clock_.nowMs()); !r.ok()) {
        return r;
      }
      return record(accountId, actor, "replayed", id);
    });
    if (s.ok() && onReplay_) onReplay_();
    return s;
  }
  Status remove(const std::string& accountId, const std::string& id, const Actor& actor) {
    return store_.transaction([&]() -> Status {
      if (Status r = store_.eventQueue().removeDeadLetter(accountId, id); !r.ok()) return r;
      return record(accountId, actor, "deleted", id);
    });
  }

 private:
  store::Store& store_;
  const Clock& clock_;
  std::function<void()> onReplay_;
  ActivitySink* activity_ = nullptr;

  Status record(const std::string& accountId, const Actor& actor, const std::string& verb,
                const std::string& id) {
    return recordActivity(activity_, accountId, actor,
                          {"dead_letter." + verb, "dead_letter", id, "",
                           "Dead letter '" + id + "' " + verb, ""});
  }
};

}  // namespace parley::control
