// The in-process Invoker against real V8: validation errors, warm instances, interleaving,
// eviction and isolation between functions.
#include "runtime/invoker.h"

#include <gtest/gtest.h>

#include <sched.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "base/test_threads.h"

namespace parley::runtime {
namespace {

std::shared_ptr<FunctionSource> fn(const std::string& key, const std::string& code) {
  auto f = std::make_shared<FunctionSource>();
  f->key = key;
  f->name = "index.js";
  f->code = code;
  return f;
}

InvocationRequest request(std::shared_ptr<const FunctionSource> f, std::string input = "{}") {
  InvocationRequest r;
  r.function = std::move(f);
  r.inputJson = std::move(input);
  return r;
}

class InvokerTest : public ::testing::Test {
 protected:
  InvokerTest() {
    InvokerOptions o;
    o.workers = 2;
    invoker_ = Invoker::create(o, &host_);
  }
  NoHostServices host_;
  std::unique_ptr<Invoker> invoker_;
};

TEST_F(InvokerTest, ValidationReportsSyntaxErrorLineAndColumn) {
  Status s = invoker_->validateSync(*fn("bad@1", "function lambda(input, cb) {\n  cb(null, 1\n}\n"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message(), "SyntaxError: missing ) after argument list (line 2, column 12)");
  auto details = nlohmann::json::parse(s.error().details());
  EXPECT_EQ(details["line"], 2);
  EXPECT_EQ(details["column"], 12);
}

TEST_F(InvokerTest, ValidationRequiresALambda) {
  Status s = invoker_->validateSync(*fn("nolambda@1", "function handler() {}"));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message().find("lambda"), std::string::npos);
  EXPECT_TRUE(invoker_->validateSync(*fn("ok@1", "export default async () => 1")).ok());
  Status throws = invoker_->validateSync(*fn("throws@1", "\n\nthrow new Error('boom');"));
  ASSERT_FALSE(throws.ok());
  EXPECT_NE(throws.error().message().find("boom"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(throws.error().details())["line"], 3);
}

TEST_F(InvokerTest, WarmInstanceKeepsModuleStateUntilEvicted) {
  auto f = fn("counter@1", "let n = 0; async function lambda() { return ++n; }");
  InvocationResult first = invoker_->invokeSync(request(f));
  InvocationResult second = invoker_->invokeSync(request(f));
  ASSERT_TRUE(first.ok()) << first.errorMessage;
  EXPECT_EQ(first.resultJson, "1");
  EXPECT_TRUE(first.coldStart);
  EXPECT_EQ(second.resultJson, "2");
  EXPECT_FALSE(second.coldStart);
  invoker_->evict("counter@1");
  InvocationResult third = invoker_->invokeSync(request(f));
  EXPECT_EQ(third.resultJson, "1");
  EXPECT_TRUE(third.coldStart);
}

// Three invocations waiting on a timer do not hold up a fourth, CPU-only one; with one worker,
// they must interleave on it.
TEST(InvokerInterleaving, AwaitingInvocationsDoNotBlockOthers) {
  NoHostServices host;
  InvokerOptions o;
  o.workers = 1;
  auto invoker = Invoker::create(o, &host);
  auto slow = fn("slow@1", "async function lambda() { await new Promise(r => setTimeout(r, 400)); "
                           "return 'slow'; }");
  auto fast = fn("fast@1", "async function lambda(i) { return i.payload.x * 2; }");
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> order;
  auto record = [&](InvocationResult r) {
    std::lock_guard lock(mu);
    order.push_back(r.resultJson);
    cv.notify_all();
  };
  for (int i = 0; i < 3; ++i) invoker->invoke(request(slow), record);
  invoker->invoke(request(fast, R"({"payload":{"x":21}})"), record);
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return order.size() == 4; });
  EXPECT_EQ(order.front(), "42");
}

TEST_F(InvokerTest, OneFunctionRunningOutOfMemoryLeavesOthersAlone) {
  auto bomb = fn("bomb@1", "function lambda(i, cb) { const a = []; "
                           "for (;;) a.push(new Array(1e4).fill(i)); }");
  auto fine = fn("fine@1", "let calls = 0; function lambda(i, cb) { cb(null, ++calls); }");
  ASSERT_EQ(invoker_->invokeSync(request(fine)).resultJson, "1");
  InvocationResult r = invoker_->invokeSync(request(bomb));
  EXPECT_EQ(r.errorCode, codes::kMemoryExceeded);
  EXPECT_EQ(r.outcome, Outcome::kCodingFailure);
  // The other function's warm instance (and its state) survived.
  InvocationResult after = invoker_->invokeSync(request(fine));
  EXPECT_EQ(after.resultJson, "2");
  // And the bomb gets a fresh instance next time.
  EXPECT_EQ(invoker_->invokeSync(request(bomb)).errorCode, codes::kMemoryExceeded);
}

TEST_F(InvokerTest, OversizedInputIsRejectedBeforeRunning) {
  auto f = fn("small@1", "async function lambda() { return 1; }");
  f->limits.maxPayloadBytes = 100;
  InvocationResult r = invoker_->invokeSync(request(f, std::string(200, ' ') + "{}"));
  EXPECT_EQ(r.errorCode, codes::kBadInput);
  EXPECT_EQ(r.outcome, Outcome::kPlatformFailure);
  EXPECT_EQ(invoker_->stats().invocations, 0);
}

TEST_F(InvokerTest, ManyConcurrentInvocationsAllComplete) {
  auto f = fn("echo@1", "async function lambda(i) { await null; return i.payload; }");
  constexpr int kCount = 500;
  std::atomic<int> ok{0}, done{0};
  std::mutex mu;
  std::condition_variable cv;
  for (int i = 0; i < kCount; ++i) {
    invoker_->invoke(request(f, R"({"payload":)" + std::to_string(i) + "}"),
                     [&, i](InvocationResult r) {
                       if (r.ok() && r.resultJson == std::to_string(i)) ok++;
                       std::lock_guard lock(mu);
                       done++;
                       cv.notify_all();
                     });
  }
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return done == kCount; });
  EXPECT_EQ(ok, kCount);
}

// An invoker with one worker whose spare sandbox (built by its SparePool) is ready.
std::unique_ptr<Invoker> oneWorkerWithASpareReady(HostServices& host) {
  InvokerOptions o;
  o.workers = 1;
  auto invoker = Invoker::create(o, &host);
  while (invoker->stats().readySpares < 1) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return invoker;
}

// A spare built on the pool's thread runs JavaScript on the worker's stack with V8's usual
// depth: without Instance::adoptThread, the first call overflowed at once or recursion ran off
// the end of the worker's stack (depending on where the two threads' stacks lie).
TEST(InvokerSpares, ASpareFromThePoolRecursesAsDeepAsOneBuiltOnTheWorker) {
  NoHostServices host;
  auto invoker = oneWorkerWithASpareReady(host);
  auto depth = fn("depth@1", R"(let d = 0;
function down() { d++; down(); }
async function lambda() { d = 0; try { down(); } catch (e) { return { d, e: String(e) }; } })");
  InvocationResult r = invoker->invokeSync(request(depth));
  ASSERT_TRUE(r.ok()) << r.errorMessage;
  EXPECT_TRUE(r.coldStart);
  auto out = nlohmann::json::parse(r.resultJson);
  EXPECT_EQ(out["e"], "RangeError: Maximum call stack size exceeded");
  // ~14,000 frames with the default 984 KiB; the pool's spare must not have less (or none).
  EXPECT_GT(out["d"].get<int>(), 5000);
  EXPECT_LT(out["d"].get<int>(), 100000);
}

// V8's background threads (compilation, GC helpers) must not inherit the spare builder's idle
// priority: a worker waiting on them then waited for the builder's whole sandbox (2 ms measured).
TEST(InvokerSpares, V8BackgroundThreadsDoNotRunAtIdlePriority) {
  NoHostServices host;
  auto invoker = oneWorkerWithASpareReady(host);
  int v8Threads = 0;
  for (const auto& [tid, comm] : parley::testing::threadsOf()) {
    if (comm.rfind("V8 ", 0) == 0) {
      ++v8Threads;
      EXPECT_NE(sched_getscheduler(tid), SCHED_IDLE) << comm;
    }
    if (comm == "parley-spares") {
      EXPECT_EQ(sched_getscheduler(tid), SCHED_IDLE);
    }
  }
  EXPECT_GT(v8Threads, 0);
}

// Sandboxes come from one snapshot of the prelude's context (runtime/snapshot.h); what V8 seeds
// per context must still differ between them.
TEST_F(InvokerTest, SandboxesFromTheSnapshotDoNotShareRandomState) {
  std::set<std::string> seen;
  for (int i = 0; i < 4; ++i) {
    auto f = fn("random" + std::to_string(i) + "@1",
                "async function lambda() { return [Math.random(), Math.random()]; }");
    InvocationResult r = invoker_->invokeSync(request(f));
    ASSERT_TRUE(r.ok()) << r.errorMessage;
    EXPECT_TRUE(r.coldStart);
    seen.insert(r.resultJson);
  }
  EXPECT_EQ(seen.size(), 4u);
}

// Shutting down answers every caller: nothing waits forever on a completion.
TEST(InvokerShutdown, InFlightAndQueuedInvocationsAreFailedNotDropped) {
  NoHostServices host;
  InvokerOptions o;
  o.workers = 1;
  auto invoker = Invoker::create(o, &host);
  auto slow = fn("waits@1", "async function lambda() { await new Promise(r => setTimeout(r, 60000)); }");
  std::mutex mu;
  std::vector<InvocationResult> results;
  for (int i = 0; i < 5; ++i) {
    invoker->invoke(request(slow), [&](InvocationResult r) {
      std::lock_guard lock(mu);
      results.push_back(std::move(r));
    });
  }
  invoker.reset();  // joins the worker
  ASSERT_EQ(results.size(), 5u);
  for (const auto& r : results) {
    EXPECT_EQ(r.outcome, Outcome::kPlatformFailure);
    EXPECT_NE(r.errorMessage.find("shut down"), std::string::npos);
  }
}

}  // namespace
}  // namespace parley::runtime
