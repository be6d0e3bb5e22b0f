// MetricsService: invocation metrics (SPEC §10).
//
// - Per function: counts by outcome, cold starts and a duration histogram in 5-minute buckets,
//   added to the store with each batch of invocation records (RecordObserver::onBatch), so a
//   query reads at most one row per 5 minutes of its range and never scans invocation records.
//   Test invocations are not counted. Coarser buckets (1 h, 1 d) are sums of 5-minute ones.
//   Duration percentiles come from the histogram: log-scale buckets, 4 per doubling (a
//   percentile is within ~10% of the exact value).
// - Per account: functions, deployed functions, invocations this (UTC) month.
// - For operators: process-wide counters in Prometheus text format, with bounded labels only
//   (trigger × outcome, log level): no per-account or per-function series, whose number the
//   operator does not control.
// Buckets are kept max(retention, 35) days, so "this month" is always complete.
// Thread-safety: thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "base/clock.h"
#include "control/function_service.h"
#include "control/invocation_recorder.h"
#include "store/store.h"

namespace parley::control {

inline constexpr int64_t kMetricsBucketMs = 5 * 60 * 1000;
// The histogram bucket of a duration: floor(4 * log2(us)), clamped to [0, 127].
int durationBucket(int64_t durationUs);
// A representative duration (ms) of a histogram bucket: its geometric middle.
double durationBucketMs(int bucket);
// The p-quantile (0 < p <= 1) in ms of a histogram; 0 when empty.
double histogramQuantileMs(const std::map<int, int64_t>& histogram, double p);

struct MetricsPoint {
  int64_t start = 0;  // ms
  int64_t succeeded = 0;
  int64_t codingFailure = 0;
  int64_t platformFailure = 0;
  int64_t timeout = 0;
  int64_t coldStarts = 0;
  double avgMs = 0;
  double p50Ms = 0;
  double p95Ms = 0;
  double p99Ms = 0;
  int64_t total() const { return succeeded + codingFailure + platformFailure + timeout; }
};

struct FunctionMetrics {
  int64_t from = 0;
  int64_t to = 0;
  int64_t bucketMs = 0;
  std::vector<MetricsPoint> points;  // one per bucket from `from` (aligned down), zeros included
  MetricsPoint totals;               // over the whole range
};

struct AccountMetrics {
  int64_t functions = 0;
  int64_t deployed = 0;  // Productive or Modified
  int64_t monthStart = 0;
  int64_t invocationsThisMonth = 0;
  int64_t succeededThisMonth = 0;
  int64_t failedThisMonth = 0;
};

class MetricsService final : public RecordObserver {
 public:
  MetricsService(store::Store& store, FunctionService& functions, const Clock& clock,
                 int64_t retentionDays = 30);

  // [from, to) in buckets of bucketMs (5 min, 1 h or 1 d; kInvalidArgument otherwise, naming
  // 'bucket'); the range is at most 31 days (kInvalidArgument naming 'from').
  Result<FunctionMetrics> function(const std::string& accountId, const std::string& functionUuid,
                                   int64_t from, int64_t to, int64_t bucketMs);
  Result<AccountMetrics> account(const std::string& accountId);

  // Prometheus text exposition (version 0.0.4) of the counters, plus `gauges` (name → {help,
  // value}) given by the caller.
  struct Gauge {
    std::string name;
    std::string help;
    double value = 0;
  };
  std::string prometheus(const std::vector<Gauge>& gauges) const;

  Status purge();

  void onRecord(const store::InvocationRecord& r) override;
  Status onBatch(const std::vector<store::InvocationRecord>& batch) override;

 private:
  store::Store& store_;
  FunctionService& functions_;
  const Clock& clock_;
  const int64_t keepDays_;
  const int64_t startedAtMs_;
  // Prometheus counters. Guarded by mu_.
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, int64_t> invocations_;  // (trigger, outcome)
  std::map<std::string, int64_t> logLines_;                           // by level
  int64_t coldStarts_ = 0;
  std::vector<int64_t> durationCounts_;  // per kPromBuckets entry, then +Inf
  double durationSumSeconds_ = 0;
};

}  // namespace parley::control
