// Process isolation against the real `parley` binary: what kills a runtime process costs only
// the invocation that caused it; the invoker recovers and serves the next invocation.
#include <gtest/gtest.h>

#include <sched.h>
#include <signal.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <tuple>

#include "base/test_threads.h"
#include "base/write_batch.h"
#include "runtime/invoker.h"

namespace parley::runtime {
namespace {

std::shared_ptr<FunctionSource> fn(const std::string& key, const std::string& code,
                                   int64_t timeoutMs = 10'000) {
  auto f = std::make_shared<FunctionSource>();
  f->key = key;
  f->name = "index.js";
  f->code = code;
  f->limits.timeoutMs = timeoutMs;
  return f;
}

InvocationRequest request(std::shared_ptr<const FunctionSource> f) {
  InvocationRequest r;
  r.function = std::move(f);
  r.inputJson = R"({"payload":{"n":1}})";
  return r;
}

class ProcessInvokerTest : public ::testing::Test {
 protected:
  ProcessInvokerTest() {
    InvokerOptions o;
    o.isolation = Isolation::kProcess;
    o.workerExecutable = PARLEY_BINARY;
    o.workers = 2;
    invoker_ = Invoker::create(o, &host_);
  }
  NoHostServices host_;
  std::unique_ptr<Invoker> invoker_;
};

TEST_F(ProcessInvokerTest, RunsFunctionsInChildProcesses) {
  auto f = fn("pid@1", "let n = 0; function lambda(i, cb) { cb(null, { n: ++n, v: i.payload.n }); }");
  InvocationResult a = invoker_->invokeSync(request(f));
  InvocationResult b = invoker_->invokeSync(request(f));
  ASSERT_TRUE(a.ok()) << a.errorMessage;
  EXPECT_EQ(a.resultJson, R"({"n":1,"v":1})");
  EXPECT_EQ(b.resultJson, R"({"n":2,"v":1})");  // warm instance in the same child
}

// The frame readers on both ends of each child's socket run at SCHED_BATCH, so that a burst of
// frames passes in one wake-up instead of one preemption per frame (base/threads.h); everything
// else in the child keeps the server's policy, whichever thread spawned it.
TEST_F(ProcessInvokerTest, FrameReadersAloneRunAtBatchPolicy) {
  auto f = fn("policy@1", "function lambda(i, cb) { cb(null, 1); }");
  ASSERT_TRUE(invoker_->invokeSync(request(f)).ok());
  int readers = 0;
  for (const auto& [tid, name] : parley::testing::threadsOf()) {
    if (name.rfind("parley-rt", 0) != 0) continue;
    bool reader = name.ends_with("-read");  // parley-rt<N>-read; parley-rt-watch is the monitor
    readers += reader;
    EXPECT_EQ(sched_getscheduler(tid), reader ? SCHED_BATCH : SCHED_OTHER) << name;
  }
  EXPECT_EQ(readers, 2);  // one per child
  ASSERT_EQ(sched_getscheduler(0), SCHED_OTHER);
  std::vector<pid_t> children = parley::testing::childProcesses();
  ASSERT_EQ(children.size(), 2u);
  // The child that served nothing may still be starting: its main thread takes the batch policy
  // once its invoker exists, just before it reads its first frame.
  for (pid_t child : children) {
    for (int i = 0; i < 1000 && sched_getscheduler(child) != SCHED_BATCH; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  for (pid_t child : children) {
    int workers = 0;
    for (const auto& [tid, name] : parley::testing::threadsOf(child)) {
      if (name == "parley-runtime") {
        EXPECT_EQ(tid, child);  // the main thread reads the frames
        EXPECT_EQ(sched_getscheduler(tid), SCHED_BATCH);
      } else if (name == "parley-w0") {
        ++workers;
        EXPECT_EQ(sched_getscheduler(tid), SCHED_OTHER);
      } else if (name.rfind("V8 ", 0) == 0) {
        EXPECT_EQ(sched_getscheduler(tid), SCHED_OTHER) << name;
      }
    }
    EXPECT_EQ(workers, 1);
  }
}

// V8 aborts the process on these; the parent must blame the function and carry on.
TEST_F(ProcessInvokerTest, HugeAllocationsEndAsMemoryExceededAndTheNextInvocationWorks) {
  const char* bombs[] = {
      "function lambda(i, cb) { new Array(1e9).fill(0); cb(null, 1); }",
      "function lambda(i, cb) { const a = new Array(120e6).fill(1.5); cb(null, a.length); }",
  };
  auto survivor = fn("ok@1", "function lambda(i, cb) { cb(null, 'still here'); }");
  int k = 0;
  for (const char* code : bombs) {
    InvocationResult r = invoker_->invokeSync(request(fn("bomb@" + std::to_string(k++), code)));
    EXPECT_EQ(r.errorCode, codes::kMemoryExceeded) << r.errorMessage;
    EXPECT_EQ(r.outcome, Outcome::kCodingFailure);
    InvocationResult next = invoker_->invokeSync(request(survivor));
    EXPECT_EQ(next.resultJson, "\"still here\"") << next.errorMessage;
  }
}

TEST_F(ProcessInvokerTest, TimeoutsStillWorkThroughTheWorkerProcess) {
  InvocationResult r = invoker_->invokeSync(request(fn("loop@1", "function lambda() { for(;;); }", 300)));
  EXPECT_EQ(r.errorCode, codes::kExecutionTimeExceeded);
  EXPECT_EQ(r.outcome, Outcome::kTimeout);
}

TEST_F(ProcessInvokerTest, ValidationGoesThroughTheChild) {
  Status s = invoker_->validateSync(*fn("syntax@1", "function lambda( {"));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().details().find("\"line\":1"), std::string::npos) << s.error().details();
  EXPECT_TRUE(invoker_->validateSync(*fn("fine@1", "async function lambda() {}")).ok());
}

TEST_F(ProcessInvokerTest, AnInvocationOnAnotherChildIsUnaffectedByACrash) {
  // One slow, well-behaved invocation in flight while a bomb goes off: with two children and
  // the least-loaded policy they run in different processes.
  auto slow = fn("slow@1", "async function lambda() { await new Promise(r => setTimeout(r, 1500)); "
                           "return 'done'; }");
  std::mutex mu;
  std::condition_variable cv;
  bool finished = false;
  InvocationResult slowResult;
  invoker_->invoke(request(slow), [&](InvocationResult r) {
    std::lock_guard lock(mu);
    slowResult = std::move(r);
    finished = true;
    cv.notify_all();
  });
  InvocationResult bomb = invoker_->invokeSync(
      request(fn("bomb@x", "function lambda(i, cb) { new Array(1e9).fill(0); }")));
  EXPECT_EQ(bomb.errorCode, codes::kMemoryExceeded);
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return finished; });
  EXPECT_TRUE(slowResult.ok()) << slowResult.errorMessage;
  EXPECT_EQ(slowResult.resultJson, "\"done\"");
}

// A runtime process that stops answering (here: stopped by SIGSTOP) is killed once an invocation
// in it is past its timeout plus the grace period; that invocation ends as a timeout and the next
// one runs in a new process. The monitor that kills it sleeps until the earliest such deadline,
// so this also checks that a new invocation's deadline wakes it: it had nothing to watch before.
TEST(ProcessInvokerMonitor, AChildThatStopsAnsweringIsKilledPastTheDeadline) {
  NoHostServices host;
  InvokerOptions o;
  o.isolation = Isolation::kProcess;
  o.workerExecutable = PARLEY_BINARY;
  o.workers = 1;
  auto invoker = Invoker::create(o, &host);
  // Bounded waits: a monitor that never wakes must fail the test, not hang it.
  auto invokeWithin = [&](std::shared_ptr<FunctionSource> f, std::chrono::seconds limit) {
    auto state = std::make_shared<std::tuple<std::mutex, std::condition_variable, bool, InvocationResult>>();
    invoker->invoke(request(std::move(f)), [state](InvocationResult r) {
      auto& [mu, cv, done, result] = *state;
      std::lock_guard lock(mu);
      result = std::move(r);
      done = true;
      cv.notify_all();
    });
    auto& [mu, cv, done, result] = *state;
    std::unique_lock lock(mu);
    EXPECT_TRUE(cv.wait_for(lock, limit, [&] { return done; })) << "no answer";
    return done ? result : InvocationResult{};
  };
  InvocationResult warm = invokeWithin(fn("warm@1", "function lambda(i, cb) { cb(null, 1); }"),
                                       std::chrono::seconds(30));
  ASSERT_TRUE(warm.ok()) << warm.errorMessage;
  std::vector<pid_t> children = parley::testing::childProcesses();
  ASSERT_EQ(children.size(), 1u);
  ASSERT_EQ(kill(children[0], SIGSTOP), 0);

  InvocationResult hung = invokeWithin(fn("hung@1", "function lambda(i, cb) { cb(null, 2); }", 100),
                                       std::chrono::seconds(30));
  EXPECT_EQ(hung.outcome, Outcome::kTimeout);
  EXPECT_EQ(hung.errorCode, codes::kExecutionTimeExceeded);
  EXPECT_NE(hung.errorMessage.find("runtime process was killed"), std::string::npos)
      << hung.errorMessage;
  InvocationResult next = invokeWithin(fn("after@1", "function lambda(i, cb) { cb(null, 3); }"),
                                       std::chrono::seconds(30));
  EXPECT_EQ(next.resultJson, "3") << next.errorMessage;
}

// A runtime process sends results back in batches (base/write_batch.h), but a result is not held
// behind a function that often runs long (Instance::oftenRunsLong): the worker sends what it
// holds before starting it.
TEST(ProcessInvokerBatching, AResultIsNotHeldBehindAFunctionKnownToRunLong) {
  NoHostServices host;
  InvokerOptions o;
  o.isolation = Isolation::kProcess;
  o.workerExecutable = PARLEY_BINARY;
  o.workers = 1;  // everything on one worker
  std::unique_ptr<Invoker> invoker = Invoker::create(o, &host);
  auto spin = [](int ms) {
    return "function lambda(i, cb) { const t = Date.now(); while (Date.now() - t < " +
           std::to_string(ms) + "); cb(null, 'done'); }";
  };
  auto blocker = fn("blocker@1", spin(50));
  auto fast = fn("fast@1", "function lambda(i, cb) { cb(null, 'fast'); }");
  auto slow = fn("slow@1", spin(300));
  for (const auto& f : {blocker, fast, slow}) ASSERT_TRUE(invoker->invokeSync(request(f)).ok());

  using Clock = std::chrono::steady_clock;
  // While the blocker runs, fast and slow queue up on the worker and then run in one pass of
  // its loop, fast first. Returns how long after fast's result slow's came.
  auto round = [&]() -> std::chrono::milliseconds {
    std::mutex mu;
    std::condition_variable cv;
    int left = 3;
    Clock::time_point fastAt, slowAt;
    auto done = [&](Clock::time_point* at) {
      return [&, at](InvocationResult r) {
        EXPECT_TRUE(r.ok()) << r.errorMessage;
        std::lock_guard lock(mu);
        if (at) *at = Clock::now();
        --left;
        cv.notify_all();
      };
    };
    invoker->invoke(request(blocker), done(nullptr));
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    {
      WriteBatch both;  // one frame write: the child reads them together
      invoker->invoke(request(fast), done(&fastAt));
      invoker->invoke(request(slow), done(&slowAt));
    }
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return left == 0; });
    return std::chrono::duration_cast<std::chrono::milliseconds>(slowAt - fastAt);
  };
  // The first time, slow is found to be long work only after it ran: fast's result may have
  // waited for it.
  round();
  // Past the quiet period that follows long work (results are not held at all during it).
  std::this_thread::sleep_for(
      std::chrono::microseconds(WriteBatch::kQuietAfterLongUs + 100'000));
  // Now fast's result leaves before slow starts, 300 ms before slow's.
  EXPECT_GE(round().count(), 150);
}

}  // namespace
}  // namespace parley::runtime
