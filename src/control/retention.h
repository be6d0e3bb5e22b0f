// RetentionLoop: deletes what is past its retention — invocation records with their logs
// (InvocationService::retentionDays, default 30, `--log-retention-days`), metric buckets
// (MetricsService) and activity entries (90 days) — once at start() and then every `periodMs`.
// Purges run in short batches, so invocations recorded meanwhile wait for one batch at most.
// Thread-safety: runOnce() may be called from any thread; start()/stop() from one.
#pragma once

#include <condition_variable>
#include <mutex>

#include "base/loop_thread.h"
#include "control/activity.h"
#include "control/invocation_service.h"
#include "control/metrics_service.h"

namespace parley::control {

class RetentionLoop {
 public:
  RetentionLoop(InvocationService& invocations, MetricsService& metrics, ActivityLog& activity,
                int64_t periodMs = 3600 * 1000)
      : invocations_(invocations), metrics_(metrics), activity_(activity), periodMs_(periodMs) {}
  ~RetentionLoop() { stop(); }

  // One pass; the first error is returned after every purge was tried.
  Status runOnce();
  void start();
  void stop();

 private:
  InvocationService& invocations_;
  MetricsService& metrics_;
  ActivityLog& activity_;
  const int64_t periodMs_;
  std::mutex mu_;
  std::condition_variable cv_;
  LoopThread thread_{mu_, cv_};
};

}  // namespace parley::control
