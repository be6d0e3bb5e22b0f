#include "control/metrics_service.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <sstream>

namespace parley::control {

namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;
constexpr int kMaxBucket = 127;
// Upper bounds (seconds) of the Prometheus duration histogram.
constexpr double kPromBuckets[] = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                   0.5,   1,     2.5,  5,     10,   30,  60};
constexpr const char* kTriggers[] = {"http", "event", "schedule", "test", "orchestrator"};
constexpr const char* kOutcomes[] = {"SUCCEEDED", "CODING_FAILURE", "PLATFORM_FAILURE", "TIMEOUT"};
constexpr const char* kLevels[] = {"Debug", "Info", "Warn", "Error"};

// A label value from a bounded set; anything else is "other".
template <size_t N>
std::string bounded(const std::string& v, const char* const (&known)[N]) {
  for (const char* k : known) {
    if (v == k) return v;
  }
  return "other";
}

void addTo(MetricsPoint& p, const store::MetricsBucket& b) {
  p.succeeded += b.succeeded;
  p.codingFailure += b.codingFailure;
  p.platformFailure += b.platformFailure;
  p.timeout += b.timeout;
  p.coldStarts += b.coldStarts;
}

void finish(MetricsPoint& p, int64_t durationSumUs, const std::map<int, int64_t>& histogram) {
  int64_t n = p.total();
  p.avgMs = n ? static_cast<double>(durationSumUs) / 1000.0 / static_cast<double>(n) : 0;
  p.p50Ms = histogramQuantileMs(histogram, 0.50);
  p.p95Ms = histogramQuantileMs(histogram, 0.95);
  p.p99Ms = histogramQuantileMs(histogram, 0.99);
}

int64_t monthStartUtc(int64_t nowMs) {
  std::time_t t = static_cast<std::time_t>(nowMs / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  tm.tm_mday = 1;
  tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
  return static_cast<int64_t>(timegm(&tm)) * 1000;
}

}  // namespace

int durationBucket(int64_t durationUs) {
  if (durationUs <= 1) return 0;
  int b = static_cast<int>(std::floor(4.0 * std::log2(static_cast<double>(durationUs))));
  return std::clamp(b, 0, kMaxBucket);
}

double durationBucketMs(int bucket) {
  return std::pow(2.0, (bucket + 0.5) / 4.0) / 1000.0;
}

double histogramQuantileMs(const std::map<int, int64_t>& histogram, double p) {
  int64_t total = 0;
  for (const auto& [b, n] : histogram) total += n;
  if (total == 0) return 0;
  double rank = std::ceil(p * static_cast<double>(total));
  int64_t seen = 0;
  for (const auto& [b, n] : histogram) {
    seen += n;
    if (static_cast<double>(seen) >= rank) return durationBucketMs(b);
  }
  return durationBucketMs(histogram.rbegin()->first);
}

MetricsService::MetricsService(store::Store& store, FunctionService& functions,
                               const Clock& clock, int64_t retentionDays)
    : store_(store),
      functions_(functions),
      clock_(clock),
      keepDays_(std::max<int64_t>(retentionDays, 35)),
      startedAtMs_(clock.nowMs()),
      durationCounts_(std::size(kPromBuckets) + 1, 0) {}

Result<FunctionMetrics> MetricsService::function(const std::string& accountId,
                                                 const std::string& functionUuid, int64_t from,
                                                 int64_t to, int64_t bucketMs) {
  if (bucketMs != kMetricsBucketMs && bucketMs != 3600 * 1000 && bucketMs != kDayMs) {
    return Error::invalidArgument("'bucket' must be 5m, 1h or 1d");
  }
  if (to <= from) return Error::invalidArgument("'from' must be before 'to'");
  if (to - from > 31 * kDayMs) {
    return Error::invalidArgument("'from' and 'to' may be at most 31 days apart");
  }
  FunctionMetrics out;
  out.bucketMs = bucketMs;
  out.from = from - (from % bucketMs);
  out.to = to;
  auto rows = store_.metrics().range(accountId, functionUuid, out.from, to);
  if (!rows.ok()) return rows.error();
  size_t n = static_cast<size_t>((to - out.from + bucketMs - 1) / bucketMs);
  out.points.resize(n);
  std::vector<int64_t> sums(n, 0);
  std::vector<std::map<int, int64_t>> histograms(n);
  int64_t totalSum = 0;
  std::map<int, int64_t> totalHistogram;
  for (size_t i = 0; i < n; ++i) out.points[i].start = out.from + static_cast<int64_t>(i) * bucketMs;
  for (const store::MetricsBucket& b : *rows) {
    size_t i = static_cast<size_t>((b.bucketStart - out.from) / bucketMs);
    if (i >= n) continue;
    addTo(out.points[i], b);
    addTo(out.totals, b);
    sums[i] += b.durationSumUs;
    totalSum += b.durationSumUs;
    for (const auto& [k, c] : b.histogram) {
      histograms[i][k] += c;
      totalHistogram[k] += c;
    }
  }
  for (size_t i = 0; i < n; ++i) finish(out.points[i], sums[i], histograms[i]);
  out.totals.start = out.from;
  finish(out.totals, totalSum, totalHistogram);
  return out;
}

Result<AccountMetrics> MetricsService::account(const std::string& accountId) {
  AccountMetrics out;
  auto list = functions_.list(accountId);
  if (!list.ok()) return list.error();
  for (const store::FunctionRecord& f : *list) {
    ++out.functions;
    if (f.deployedVersion != 0) ++out.deployed;
  }
  int64_t now = clock_.nowMs();
  out.monthStart = monthStartUtc(now);
  auto total = store_.metrics().accountTotal(accountId, out.monthStart, now + kMetricsBucketMs);
  if (!total.ok()) return total.error();
  out.invocationsThisMonth = total->total();
  out.succeededThisMonth = total->succeeded;
  out.failedThisMonth = total->total() - total->succeeded;
  return out;
}

void MetricsService::onRecord(const store::InvocationRecord& r) {
  if (r.status != "done") return;
  double seconds = static_cast<double>(r.durationUs) / 1e6;
  size_t slot = 0;
  while (slot < std::size(kPromBuckets) && seconds > kPromBuckets[slot]) ++slot;
  std::lock_guard lock(mu_);
  ++invocations_[{bounded(r.trigger, kTriggers), bounded(r.outcome, kOutcomes)}];
  if (r.coldStart) ++coldStarts_;
  ++durationCounts_[slot];
  durationSumSeconds_ += seconds;
  for (const store::LogRecord& l : r.logs) ++logLines_[bounded(l.level, kLevels)];
}

Status MetricsService::onBatch(const std::vector<store::InvocationRecord>& batch) {
  std::map<std::tuple<std::string, std::string, int64_t>, store::MetricsBucket> deltas;
  for (const store::InvocationRecord& r : batch) {
    if (r.status != "done" || r.trigger == "test") continue;
    int64_t start = r.startedAt - (r.startedAt % kMetricsBucketMs);
    store::MetricsBucket& d = deltas[{r.accountId, r.functionUuid, start}];
    d.accountId = r.accountId;
    d.functionUuid = r.functionUuid;
    d.bucketStart = start;
    if (r.outcome == "SUCCEEDED") {
      ++d.succeeded;
    } else if (r.outcome == "CODING_FAILURE") {
      ++d.codingFailure;
    } else if (r.outcome == "TIMEOUT") {
      ++d.timeout;
    } else {
      ++d.platformFailure;
    }
    if (r.coldStart) ++d.coldStarts;
    d.durationSumUs += r.durationUs;
    ++d.histogram[durationBucket(r.durationUs)];
  }
  std::vector<store::MetricsBucket> list;
  list.reserve(deltas.size());
  for (auto& [key, d] : deltas) list.push_back(std::move(d));
  return store_.metrics().add(list);
}

Status MetricsService::purge() {
  return store_.metrics().purgeBefore(clock_.nowMs() - keepDays_ * kDayMs);
}

std::string MetricsService::prometheus(const std::vector<Gauge>& gauges) const {
  std::ostringstream out;
  auto header = [&](const char* name, const char* type, const std::string& help) {
    out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
  };
  std::lock_guard lock(mu_);
  header("parley_invocations_total", "counter",
         "Invocations finished since the server started, by trigger and outcome.");
  for (const char* t : kTriggers) {
    for (const char* o : kOutcomes) {
      auto it = invocations_.find({t, o});
      out << "parley_invocations_total{trigger=\"" << t << "\",outcome=\"" << o << "\"} "
          << (it == invocations_.end() ? 0 : it->second) << '\n';
    }
  }
  header("parley_invocation_cold_starts_total", "counter",
         "Invocations that had to load their function first.");
  out << "parley_invocation_cold_starts_total " << coldStarts_ << '\n';
  header("parley_invocation_duration_seconds", "histogram", "Run time of invocations.");
  int64_t cumulative = 0;
  for (size_t i = 0; i < std::size(kPromBuckets); ++i) {
    cumulative += durationCounts_[i];
    out << "parley_invocation_duration_seconds_bucket{le=\"" << kPromBuckets[i] << "\"} "
        << cumulative << '\n';
  }
  cumulative += durationCounts_.back();
  out << "parley_invocation_duration_seconds_bucket{le=\"+Inf\"} " << cumulative << '\n'
      << "parley_invocation_duration_seconds_sum " << durationSumSeconds_ << '\n'
      << "parley_invocation_duration_seconds_count " << cumulative << '\n';
  header("parley_function_log_lines_total", "counter", "Log lines written by functions, by level.");
  for (const char* l : kLevels) {
    auto it = logLines_.find(l);
    out << "parley_function_log_lines_total{level=\"" << l << "\"} "
        << (it == logLines_.end() ? 0 : it->second) << '\n';
  }
  header("parley_start_time_seconds", "gauge", "When the server started (Unix time).");
  out << "parley_start_time_seconds " << startedAtMs_ / 1000 << '\n';
  for (const Gauge& g : gauges) {
    header(g.name.c_str(), "gauge", g.help);
    out << g.name << ' ' << g.value << '\n';
  }
  return out.str();
}

}  // namespace parley::control
