// Observability in the control layer, with a FakeClock and a real SQLite file: metric bucketing
// and percentiles, account counts, retention purges, the live-tail hub, and activity entries
// (with code diffs) from FunctionService.
#include <gtest/gtest.h>
#include <sched.h>
#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include "base/test_threads.h"
#include "control/activity.h"
#include "control/function_service.h"
#include "control/invocation_service.h"
#include "control/log_hub.h"
#include "control/metrics_service.h"
#include "control/retention.h"
#include "control/test_invoker.h"
#include "runtime/invoker.h"
#include "store/sqlite_store.h"

namespace parley::control {
namespace {

using AcceptingInvoker = testing::AcceptingInvoker;

constexpr int64_t kMinute = 60'000;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;
// 2023-11-14T00:00:00Z: a whole day.
constexpr int64_t kT0 = 1'699'920'000'000;

class ObserveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "parley-observe-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    clock_.setNowMs(kT0);
    auto s = store::openSqliteStore(dir_ + "/parley.db", clock_);
    ASSERT_TRUE(s.ok());
    store_ = std::move(s).value();
    ASSERT_TRUE(store_->accounts().create({"acme", "Acme", 1}).ok());
    functions_ = std::make_unique<FunctionService>(*store_, invoker_, clock_);
    activity_ = std::make_unique<ActivityLog>(*store_, clock_);
    functions_->setActivitySink(activity_.get());
    metrics_ = std::make_unique<MetricsService>(*store_, *functions_, clock_, 30);
  }
  void TearDown() override {
    metrics_.reset();
    functions_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  static store::InvocationRecord record(const std::string& fn, int64_t startedAt,
                                        const std::string& outcome, int64_t durationUs,
                                        bool cold = false, const std::string& trigger = "http") {
    static int n = 0;
    store::InvocationRecord r;
    r.id = "inv-" + std::to_string(++n);
    r.accountId = "acme";
    r.functionUuid = fn;
    r.trigger = trigger;
    r.status = "done";
    r.outcome = outcome;
    r.durationUs = durationUs;
    r.coldStart = cold;
    r.startedAt = startedAt;
    r.finishedAt = startedAt + durationUs / 1000;
    return r;
  }

  FakeClock clock_;
  std::string dir_;
  std::unique_ptr<store::Store> store_;
  AcceptingInvoker invoker_;
  std::unique_ptr<FunctionService> functions_;
  std::unique_ptr<ActivityLog> activity_;
  std::unique_ptr<MetricsService> metrics_;
  Actor alice_{"u-1", "alice"};
};

TEST(DurationHistogram, BucketsAreLogScaleAndQuantilesLandInTheRightBucket) {
  EXPECT_EQ(durationBucket(0), 0);
  EXPECT_EQ(durationBucket(1024), 40);       // 2^10 us
  EXPECT_EQ(durationBucket(1'048'576), 80);  // 2^20 us
  EXPECT_EQ(durationBucket(int64_t{1} << 40), 127);
  std::map<int, int64_t> h;
  for (int i = 1; i <= 100; ++i) ++h[durationBucket(i * 1000)];  // 1..100 ms
  // Within one bucket (~19%) of the exact value.
  EXPECT_NEAR(histogramQuantileMs(h, 0.50), 50, 50 * 0.19);
  EXPECT_NEAR(histogramQuantileMs(h, 0.95), 95, 95 * 0.19);
  EXPECT_NEAR(histogramQuantileMs(h, 0.99), 99, 99 * 0.19);
  EXPECT_EQ(histogramQuantileMs({}, 0.5), 0);
}

TEST_F(ObserveTest, RecordsAreBucketedByStartTimeAndSummedIntoCoarserBuckets) {
  // Two batches, as the recorder writes them; the same bucket is added to, not replaced.
  ASSERT_TRUE(metrics_->onBatch({record("f-1", kT0 + 1 * kMinute, "SUCCEEDED", 10'000, true),
                                 record("f-1", kT0 + 4 * kMinute, "CODING_FAILURE", 20'000),
                                 record("f-1", kT0 + 6 * kMinute, "TIMEOUT", 30'000'000)})
                  .ok());
  ASSERT_TRUE(metrics_->onBatch({record("f-1", kT0 + 2 * kMinute, "SUCCEEDED", 12'000),
                                 record("f-1", kT0 + 61 * kMinute, "PLATFORM_FAILURE", 1'000),
                                 // not counted: a test run, another function, a running record
                                 record("f-1", kT0 + 3 * kMinute, "SUCCEEDED", 1, false, "test"),
                                 record("f-2", kT0 + 3 * kMinute, "SUCCEEDED", 1)})
                  .ok());
  auto running = record("f-1", kT0, "", 0);
  running.status = "running";
  ASSERT_TRUE(metrics_->onBatch({running}).ok());

  auto fiveMin = metrics_->function("acme", "f-1", kT0, kT0 + 2 * kHour, kMetricsBucketMs);
  ASSERT_TRUE(fiveMin.ok()) << fiveMin.error().message();
  ASSERT_EQ(fiveMin->points.size(), 24u);  // zeros included
  EXPECT_EQ(fiveMin->points[0].start, kT0);
  EXPECT_EQ(fiveMin->points[0].succeeded, 2);
  EXPECT_EQ(fiveMin->points[0].codingFailure, 1);
  EXPECT_EQ(fiveMin->points[0].coldStarts, 1);
  EXPECT_EQ(fiveMin->points[1].timeout, 1);
  EXPECT_EQ(fiveMin->points[2].total(), 0);
  EXPECT_EQ(fiveMin->points[12].platformFailure, 1);
  EXPECT_EQ(fiveMin->totals.total(), 5);
  EXPECT_NEAR(fiveMin->points[0].p50Ms, 12, 12 * 0.19);
  EXPECT_NEAR(fiveMin->totals.p99Ms, 30'000, 30'000 * 0.19);

  auto hourly = metrics_->function("acme", "f-1", kT0, kT0 + 2 * kHour, kHour);
  ASSERT_TRUE(hourly.ok());
  ASSERT_EQ(hourly->points.size(), 2u);
  EXPECT_EQ(hourly->points[0].total(), 4);
  EXPECT_EQ(hourly->points[1].total(), 1);
  EXPECT_NEAR(hourly->points[0].avgMs, (10 + 20 + 30'000 + 12) / 4.0, 0.01);

  auto daily = metrics_->function("acme", "f-1", kT0 + 5 * kHour, kT0 + 3 * kDay, kDay);
  ASSERT_TRUE(daily.ok());
  EXPECT_EQ(daily->from, kT0);  // aligned down to the bucket
  ASSERT_EQ(daily->points.size(), 3u);
  EXPECT_EQ(daily->points[0].total(), 5);

  EXPECT_EQ(metrics_->function("acme", "f-1", kT0, kT0 + kHour, 7 * kMinute).error().message(),
            "'bucket' must be 5m, 1h or 1d");
  EXPECT_EQ(metrics_->function("acme", "f-1", kT0, kT0 + 32 * kDay, kDay).error().code(),
            ErrorCode::kInvalidArgument);
}

// The recorder's writer is a background thread: at SCHED_BATCH it never preempts the request
// path when a batch is due (base/threads.h), and the records still land.
TEST_F(ObserveTest, TheRecorderWritesFromABatchPolicyThread) {
  InvocationRecorder recorder(*store_);
  store::InvocationRecord r = record("f-1", kT0, "SUCCEEDED", 1'000);
  recorder.record(r);
  recorder.flush();  // the writer thread has run
  int writers = 0;
  for (const auto& [tid, name] : parley::testing::threadsOf()) {
    if (name != "parley-recorder") continue;
    ++writers;
    EXPECT_EQ(sched_getscheduler(tid), SCHED_BATCH);
  }
  EXPECT_EQ(writers, 1);
  EXPECT_EQ(sched_getscheduler(0), SCHED_OTHER);
  EXPECT_TRUE(store_->invocations().get("acme", r.id).ok());
}

// Records are written behind the hot path (here only every hour), yet lists and log queries
// see every invocation that finished before they were asked.
TEST_F(ObserveTest, ListsAndLogsSeeInvocationsFinishedBeforeTheQuestion) {
  class LoggingInvoker final : public runtime::Invoker {
   public:
    void invoke(runtime::InvocationRequest, Completion done) override {
      runtime::InvocationResult r;
      r.resultJson = "1";
      r.logs.push_back({runtime::LogLevel::kInfo, "hello from the function", "[]", kT0});
      done(std::move(r));
    }
    void validate(const runtime::FunctionSource&, std::function<void(Status)> done) override {
      done(okStatus());
    }
    void evict(const std::string&) override {}
    runtime::InvokerStats stats() const override { return {}; }
  } logging;
  FunctionChanges c;
  c.name = "one";
  c.code = "function lambda(i, cb) { cb(null, 1); }";
  auto one = functions_->create("acme", c, alice_);
  ASSERT_TRUE(one.ok());
  ASSERT_TRUE(functions_->deploy("acme", "one", std::nullopt, alice_).ok());
  InvocationOptions options;
  options.recordFlushIntervalMs = 3'600'000;  // a flush that did not wake the writer would hang
  InvocationService invocations(*store_, logging, *functions_, clock_, options);

  for (int i = 0; i < 3; ++i) {
    bool finished = false;
    invocations.invoke("acme", "one", "{}", runtime::Trigger::kHttp,
                       [&](Result<InvocationOutcome> r) { finished = r.ok(); });
    ASSERT_TRUE(finished);  // the invoker answers at once
    store::InvocationQuery q;
    q.accountId = "acme";
    auto listed = invocations.list(q);
    ASSERT_TRUE(listed.ok());
    ASSERT_EQ(listed->size(), static_cast<size_t>(i + 1));
    store::LogQuery lq;
    lq.accountId = "acme";
    lq.functionUuid = one->function.uuid;
    auto lines = invocations.logs(lq);
    ASSERT_TRUE(lines.ok());
    ASSERT_EQ(lines->size(), static_cast<size_t>(i + 1));
    EXPECT_EQ(lines->front().log.message, "hello from the function");
  }
}

// pending() answers for records not yet written, from the queue and from the batch being written
// (here held inside its transaction by an observer), the newest record of an id when there are
// two, only in the record's own account; written records are the store's.
TEST_F(ObserveTest, PendingRecordsAreFoundWhileQueuedAndWhileBeingWritten) {
  class Gate final : public RecordObserver {
   public:
    Status onBatch(const std::vector<store::InvocationRecord>& batch) override {
      std::unique_lock lock(mu);
      batches.push_back(batch.size());
      held = true;
      cv.notify_all();
      cv.wait(lock, [&] { return open; });
      return okStatus();
    }
    void release() {
      std::lock_guard lock(mu);
      open = true;
      cv.notify_all();
    }
    std::mutex mu;
    std::condition_variable cv;
    std::vector<size_t> batches;
    bool held = false, open = false;
  } gate;
  InvocationRecorder recorder(*store_, 3'600'000, 2);  // batches of 2, written when full
  recorder.addObserver(&gate);
  struct Release {  // a failed assertion must not leave the writer held (the test would hang)
    Gate& gate;
    ~Release() { gate.release(); }
  } release{gate};
  store::InvocationRecord running = record("f-1", kT0, "", 0);
  running.status = "running";
  store::InvocationRecord done = running;
  done.status = "done";
  done.outcome = "SUCCEEDED";
  store::InvocationRecord other = record("f-1", kT0, "SUCCEEDED", 1'000);
  store::InvocationRecord later = record("f-1", kT0, "SUCCEEDED", 1'000);

  recorder.record(running);
  ASSERT_TRUE(recorder.pending("acme", running.id));  // queued
  EXPECT_EQ(recorder.pending("acme", running.id)->status, "running");
  EXPECT_FALSE(recorder.pending("other-account", running.id));
  recorder.record(done);  // the batch is full: the writer takes both and holds in onBatch
  {
    std::unique_lock lock(gate.mu);
    gate.cv.wait(lock, [&] { return gate.held; });
  }
  recorder.record(other);
  recorder.record(later);  // the next batch, queued behind the one being written
  auto found = recorder.pending("acme", running.id);  // from the batch being written
  ASSERT_TRUE(found);
  EXPECT_EQ(found->status, "done");  // the newer of the two
  EXPECT_EQ(found->outcome, "SUCCEEDED");
  ASSERT_TRUE(recorder.pending("acme", later.id));  // from the queue
  EXPECT_EQ(recorder.pending("acme", later.id)->id, later.id);
  gate.release();
  recorder.flush();
  EXPECT_FALSE(recorder.pending("acme", running.id));  // written: the store has it
  EXPECT_FALSE(recorder.pending("acme", later.id));
  auto stored = store_->invocations().get("acme", running.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->status, "done");
  EXPECT_EQ(gate.batches, (std::vector<size_t>{2, 2}));
}

// When the store cannot keep up, callers wait for room instead of the queue growing without
// bound; nothing is lost. Here the store is held by a transaction on this thread.
TEST_F(ObserveTest, TheRecordersQueueIsBoundedInBytes) {
  constexpr size_t kMaxBytes = 64 * 1024;
  InvocationRecorder recorder(*store_, 3'600'000, 500, kMaxBytes);
  constexpr int kRecords = 40;  // with 4 KB of logs each, far more than the bound
  std::vector<store::InvocationRecord> records;
  for (int i = 0; i < kRecords; ++i) {
    store::InvocationRecord r = record("f-1", kT0 + i, "SUCCEEDED", 1'000);
    r.logs = {{"Info", std::string(4096, 'x'), "[]", kT0 + i}};
    records.push_back(r);
  }
  std::atomic<int> queued{0};
  std::thread caller;
  ASSERT_TRUE(store_
                  ->transaction([&]() -> Status {
                    caller = std::thread([&] {
                      for (const auto& r : records) {
                        recorder.record(r);
                        ++queued;
                      }
                    });
                    // The writer cannot write while this transaction holds the store: the caller
                    // fills the queue and then waits for room.
                    for (int i = 0; i < 20 && queued.load() < kRecords; ++i) {
                      std::this_thread::sleep_for(std::chrono::milliseconds(10));
                    }
                    EXPECT_LT(queued.load(), kRecords);
                    EXPECT_GT(queued.load(), 0);
                    return okStatus();
                  })
                  .ok());
  caller.join();  // room was made once the store was free
  EXPECT_EQ(queued.load(), kRecords);
  recorder.flush();
  for (const auto& r : records) EXPECT_TRUE(store_->invocations().get("acme", r.id).ok()) << r.id;
}

TEST_F(ObserveTest, AccountCountsThisMonth) {
  FunctionChanges c;
  c.name = "one";
  c.code = "function lambda(i, cb) { cb(null, 1); }";
  auto one = functions_->create("acme", c, alice_);
  ASSERT_TRUE(one.ok());
  c.name = "two";
  ASSERT_TRUE(functions_->create("acme", c, alice_).ok());
  ASSERT_TRUE(functions_->deploy("acme", "one", std::nullopt, alice_).ok());
  // kT0 is 2023-11-14: one run in October, two in November.
  ASSERT_TRUE(metrics_
                  ->onBatch({record(one->function.uuid, kT0 - 20 * kDay, "SUCCEEDED", 1),
                             record(one->function.uuid, kT0 - 10 * kDay, "SUCCEEDED", 1),
                             record(one->function.uuid, kT0 - kHour, "TIMEOUT", 1)})
                  .ok());
  auto m = metrics_->account("acme");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->functions, 2);
  EXPECT_EQ(m->deployed, 1);
  EXPECT_EQ(m->monthStart, 1'698'796'800'000);  // 2023-11-01T00:00:00Z
  EXPECT_EQ(m->invocationsThisMonth, 2);
  EXPECT_EQ(m->succeededThisMonth, 1);
  EXPECT_EQ(m->failedThisMonth, 1);
}

TEST_F(ObserveTest, RetentionPurgesRecordsMetricsAndActivityPastTheirAge) {
  InvocationOptions options;
  options.retentionDays = 30;
  InvocationService invocations(*store_, invoker_, *functions_, clock_, options);
  auto old = record("f-1", kT0, "SUCCEEDED", 1);
  old.logs = {{"Info", "old line", "[]", kT0}};
  ASSERT_TRUE(store_->invocations().put(old).ok());
  ASSERT_TRUE(metrics_->onBatch({old}).ok());
  ASSERT_TRUE(
      activity_->record("acme", alice_, {"secret.created", "secret", "k", "", "", ""}).ok());

  clock_.advanceMs(29 * kDay);
  auto recent = record("f-1", clock_.nowMs(), "SUCCEEDED", 1);
  ASSERT_TRUE(store_->invocations().put(recent).ok());
  RetentionLoop retention(invocations, *metrics_, *activity_);
  ASSERT_TRUE(retention.runOnce().ok());
  EXPECT_TRUE(invocations.get("acme", old.id).ok());  // 29 days: kept

  clock_.advanceMs(2 * kDay);  // 31 days
  ASSERT_TRUE(retention.runOnce().ok());
  EXPECT_EQ(invocations.get("acme", old.id).error().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(invocations.get("acme", recent.id).ok());
  store::LogQuery q;
  q.accountId = "acme";
  q.functionUuid = "f-1";
  EXPECT_TRUE(invocations.logs(q)->empty());  // its logs went with it
  // Metric buckets are kept 35 days (this month stays complete); activity 90 days.
  EXPECT_EQ(store_->metrics().range("acme", "f-1", 0, kT0 + kDay)->size(), 1u);
  clock_.advanceMs(5 * kDay);
  ASSERT_TRUE(retention.runOnce().ok());
  EXPECT_TRUE(store_->metrics().range("acme", "f-1", 0, kT0 + kDay)->empty());
  store::ActivityQuery aq;
  aq.accountId = "acme";
  EXPECT_EQ(store_->activity().list(aq)->size(), 1u);
  clock_.advanceMs(55 * kDay);  // 91 days
  ASSERT_TRUE(retention.runOnce().ok());
  EXPECT_TRUE(store_->activity().list(aq)->empty());
}

TEST_F(ObserveTest, ActivityOfAFunctionsLifeWithACodeDiff) {
  FunctionChanges c;
  c.name = "greet";
  c.code = "function lambda(input, callback) {\n  callback(null, 'hi');\n}\n";
  ASSERT_TRUE(functions_->create("acme", c, alice_).ok());
  clock_.advanceMs(1000);
  FunctionChanges edit;
  edit.code = "function lambda(input, callback) {\n  callback(null, 'hello');\n}\n";
  edit.environment = std::map<std::string, std::string>{{"GREETING", "secret-ish"}};
  ASSERT_TRUE(functions_->update("acme", "greet", edit, alice_).ok());
  ASSERT_TRUE(functions_->deploy("acme", "greet", std::nullopt, alice_).ok());
  ASSERT_TRUE(functions_->deploy("acme", "greet", 1, alice_).ok());
  ASSERT_TRUE(functions_->undeploy("acme", "greet", alice_).ok());
  ASSERT_TRUE(functions_->remove("acme", "greet", alice_).ok());

  store::ActivityQuery q;
  q.accountId = "acme";
  auto list = activity_->list(q);
  ASSERT_TRUE(list.ok());
  std::vector<std::string> actions;
  for (auto it = list->rbegin(); it != list->rend(); ++it) actions.push_back(it->action);
  EXPECT_EQ(actions, (std::vector<std::string>{"function.created", "function.codeChanged",
                                               "function.deployed", "function.rolledBack",
                                               "function.undeployed", "function.deleted"}));
  const store::ActivityRecord& changed = (*list)[4];
  EXPECT_EQ(changed.actorName, "alice");
  EXPECT_EQ(changed.actorId, "u-1");
  EXPECT_EQ(changed.targetName, "greet");
  EXPECT_EQ(changed.description, "Changed code, environment (+GREETING) (version 2)");
  EXPECT_EQ(changed.diff,
            "--- greet/index.js (version 1)\n+++ greet/index.js (version 2)\n"
            "@@ -1,3 +1,3 @@\n function lambda(input, callback) {\n-  callback(null, 'hi');\n"
            "+  callback(null, 'hello');\n }\n");
  EXPECT_EQ(changed.diff.find("secret-ish"), std::string::npos);  // values are not recorded
  EXPECT_EQ((*list)[2].description, "Rolled back to version 1 (was version 2)");
}

TEST(LogHubTest, SubscribersGetTheirFunctionsLinesAndCanResume) {
  LogHub hub(60'000);
  std::vector<std::string> got;
  uint64_t lastId = 0;
  LogHub::Filter filter{"acme", "f-1", {"Info", "Error"}};
  uint64_t sub = hub.subscribe(filter, std::nullopt, [&](const LogEvent* e) {
    got.push_back(e->log.message);
    lastId = e->id;
    return true;
  });
  ASSERT_NE(sub, 0u);
  store::InvocationRecord r;
  r.id = "i-1";
  r.accountId = "acme";
  r.functionUuid = "f-1";
  r.status = "done";
  r.logs = {
      {"Info", "one", "[]", 1}, {"Debug", "filtered out", "[]", 2}, {"Error", "two", "[]", 3}};
  hub.onRecord(r);
  store::InvocationRecord other = r;
  other.functionUuid = "f-2";
  other.logs = {{"Info", "other function", "[]", 4}};
  hub.onRecord(other);
  EXPECT_EQ(got, (std::vector<std::string>{"one", "two"}));

  // A client that saw "one" resumes: "two" is replayed, then new lines arrive.
  hub.unsubscribe(sub);
  std::vector<std::string> resumed;
  uint64_t firstId = lastId - 2;  // "one" (the Debug line in between has its own id)
  hub.subscribe(filter, firstId, [&](const LogEvent* e) {
    resumed.push_back(e->log.message);
    return true;
  });
  EXPECT_EQ(resumed, (std::vector<std::string>{"two"}));

  // A subscriber whose client is gone (false) is dropped.
  EXPECT_EQ(hub.subscribers(), 1u);
  hub.subscribe(filter, std::nullopt, [](const LogEvent*) { return false; });
  hub.onRecord(r);
  EXPECT_EQ(hub.subscribers(), 1u);
}

TEST(LogHubTest, KeepAlivesReachSubscribers) {
  LogHub hub(10);
  std::mutex mu;
  std::condition_variable cv;
  int keepAlives = 0;
  hub.subscribe({"acme", "f-1", {}}, std::nullopt, [&](const LogEvent* e) {
    std::lock_guard lock(mu);
    if (!e) ++keepAlives;
    cv.notify_all();
    return true;
  });
  std::unique_lock lock(mu);
  EXPECT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return keepAlives >= 2; }));
}

}  // namespace
}  // namespace parley::control
