// DeliveryLoop and EventIngestor against a real SQLite file, with a FakeClock and a scripted
// Invoke (no runtime, no sleeping): retries with backoff, dead letters and replay, per-subject
// order, deduplication, command-array results, webhook messages, leases after a crash.
#include "control/delivery_loop.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <fstream>
#include <future>
#include <map>
#include <nlohmann/json.hpp>

#include "base/test_threads.h"
#include "control/event_ingestor.h"
#include "control/test_invoker.h"
#include "runtime/invoker.h"
#include "store/store_test_util.h"

namespace parley::control {
namespace {

using nlohmann::json;

using FakeInvoker = testing::AcceptingInvoker;

InvocationOutcome succeeded(const std::string& resultJson) {
  InvocationOutcome o;
  o.record.id = "inv";
  o.record.outcome = "SUCCEEDED";
  o.result.resultJson = resultJson;
  return o;
}

InvocationOutcome failed(const std::string& message) {
  InvocationOutcome o;
  o.record.id = "inv";
  o.record.outcome = "CODING_FAILURE";
  o.result.outcome = runtime::Outcome::kCodingFailure;
  o.result.errorCode = runtime::codes::kCustomFailure;
  o.result.errorMessage = message;
  return o;
}

class Delivery : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(store_->accounts().create({"acme", "Acme", 1}).ok());
    functions_ = std::make_unique<FunctionService>(*store_, invoker_, clock_);
    types_ = std::make_unique<EventTypeService>(*store_, clock_);
    functions_->setAccountCatalogue(types_.get());
    EventTypeInput t;
    t.id = "crm.updated";
    ASSERT_TRUE(types_->create("acme", t, {"alice", "alice"}).ok());
    fnA_ = makeFunction("a", "crm.updated");
    fnB_ = makeFunction("b", "crm.updated");
  }
  void TearDown() override {
    loop_.reset();
    types_.reset();
    functions_.reset();
    StoreTest::TearDown();
  }

  std::string makeFunction(const std::string& name, const std::string& eventId) {
    FunctionChanges c;
    c.name = name;
    c.eventId = eventId;
    c.code = "function lambda(input, callback) { callback(null, input); }";
    auto f = functions_->create("acme", c, actor_);
    EXPECT_TRUE(f.ok()) << f.error().message();
    EXPECT_TRUE(functions_->deploy("acme", f->function.uuid, std::nullopt, actor_).ok());
    return f->function.uuid;
  }

  // Jitter draws return the ceiling: delays are exactly base * 2^(attempt-1), capped.
  void makeLoop(int64_t maxAttempts = 4) {
    DeliveryOptions o;
    o.retry = {maxAttempts, 1000, 8000};
    o.leaseMs = 60'000;
    loop_ = std::make_unique<DeliveryLoop>(
        *store_, *functions_, *types_, clock_,
        [this](const std::string&, const std::string& fn, std::string input,
               DeliveryLoop::InvokeDone done) {
          json in = json::parse(input);
          std::string id;
          for (const auto& h : in["headers"]) {
            if (h["key"] == "ce-id") id = h["value"];
          }
          calls_.push_back({fn, id});
          auto it = script_.find(fn);
          if (it != script_.end() && !it->second.empty()) {
            auto r = it->second.front();
            it->second.erase(it->second.begin());
            return done(r);
          }
          done(succeeded("null"));
        },
        o, [] { return ~uint64_t{0}; });
  }

  int64_t depth() {
    auto d = store_->eventQueue().depth();
    EXPECT_TRUE(d.ok());
    return d.ok() ? *d : -1;
  }
  static std::vector<bool> values(Result<std::vector<bool>> r) {
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::vector<bool>{};
  }

  // Ids delivered to `fn`, in order.
  std::vector<std::string> deliveredTo(const std::string& fn) {
    std::vector<std::string> out;
    for (auto& [f, id] : calls_) {
      if (f == fn) out.push_back(id);
    }
    return out;
  }

  void publish(std::vector<std::pair<std::string, std::string>> idsAndSubjects,
               const std::string& type = "crm.updated") {
    std::vector<store::QueuedEvent> rows;
    for (auto& [id, subject] : idsAndSubjects) {
      store::QueuedEvent q;
      q.accountId = "acme";
      q.eventId = id;
      q.source = "crm";
      q.type = type;
      q.subject = subject;
      q.eventJson = json{{"specversion", "1.0"}, {"id", id}, {"source", "crm"}, {"type", type},
                         {"subject", subject}, {"data", {{"n", 1}}}}
                        .dump();
      q.nextAttemptMs = q.acceptedAt = clock_.nowMs();
      rows.push_back(q);
    }
    auto r = store_->eventQueue().enqueue(rows, 0);
    ASSERT_TRUE(r.ok()) << r.error().message();
  }

  FakeInvoker invoker_;
  Actor actor_{"u-1", "alice"};
  std::unique_ptr<FunctionService> functions_;
  std::unique_ptr<EventTypeService> types_;
  std::unique_ptr<DeliveryLoop> loop_;
  std::string fnA_, fnB_;
  std::map<std::string, std::vector<Result<InvocationOutcome>>> script_;
  std::vector<std::pair<std::string, std::string>> calls_;  // (function, event id)
};

TEST_F(Delivery, EveryBoundFunctionGetsTheEventOnce) {
  makeLoop();
  publish({{"e1", ""}});
  EXPECT_EQ(loop_->tickForTest(), 1);
  EXPECT_EQ(deliveredTo(fnA_), std::vector<std::string>{"e1"});
  EXPECT_EQ(deliveredTo(fnB_), std::vector<std::string>{"e1"});
  EXPECT_EQ(depth(), 0);
  clock_.advanceMs(60'000);
  EXPECT_EQ(loop_->tickForTest(), 0);
  EXPECT_EQ(calls_.size(), 2u);
}

TEST_F(Delivery, AFunctionFailingKTimesIsRetriedKTimesWithBackoffThenSucceeds) {
  makeLoop(5);
  script_[fnA_] = {failed("boom 1"), failed("boom 2"), failed("boom 3")};
  publish({{"e1", ""}});
  loop_->tickForTest();  // attempt 1: a fails, b succeeds
  // Retries go to the failed function only, after 1 s, 2 s, 4 s (the ceilings).
  for (int64_t wait : {1000, 2000, 4000}) {
    clock_.advanceMs(wait - 1);
    EXPECT_EQ(loop_->tickForTest(), 0) << "retried before its backoff of " << wait;
    clock_.advanceMs(1);
    EXPECT_EQ(loop_->tickForTest(), 1);
  }
  EXPECT_EQ(deliveredTo(fnA_).size(), 4u);  // 3 failures + the success
  EXPECT_EQ(deliveredTo(fnB_).size(), 1u);
  EXPECT_EQ(depth(), 0);
  EXPECT_TRUE(store_->eventQueue().deadLetters("acme", 10)->empty());
}

TEST_F(Delivery, AlwaysFailingLandsInDeadLettersAndReplays) {
  makeLoop(3);
  script_[fnA_] = {failed("x"), failed("y"), failed("last straw")};
  publish({{"e1", "conv"}});
  loop_->tickForTest();
  clock_.advanceMs(1000);
  loop_->tickForTest();
  clock_.advanceMs(2000);
  loop_->tickForTest();
  EXPECT_EQ(depth(), 0);
  auto dead = store_->eventQueue().deadLetters("acme", 10);
  ASSERT_TRUE(dead.ok());
  ASSERT_EQ(dead->size(), 1u);
  const store::DeadLetterRecord& d = (*dead)[0];
  EXPECT_EQ(d.eventId, "e1");
  EXPECT_EQ(d.attempts, 3);
  EXPECT_EQ(d.functions, std::vector<std::string>{fnA_});  // b got it on the first attempt
  EXPECT_NE(d.lastError.find("last straw"), std::string::npos);

  ASSERT_TRUE(store_->eventQueue().replayDeadLetter("acme", d.id, clock_.nowMs()).ok());
  EXPECT_TRUE(store_->eventQueue().deadLetters("acme", 10)->empty());
  EXPECT_EQ(loop_->tickForTest(), 1);  // succeeds now (script exhausted)
  EXPECT_EQ(deliveredTo(fnA_).size(), 4u);
  EXPECT_EQ(deliveredTo(fnB_).size(), 1u);  // not again
  EXPECT_EQ(depth(), 0);
}

TEST_F(Delivery, EventsOfOneSubjectWaitForTheOneBefore) {
  makeLoop(2);
  script_[fnA_] = {failed("first try")};
  publish({{"s1-1", "s1"}, {"s1-2", "s1"}, {"s2-1", "s2"}, {"free", ""}});
  loop_->tickForTest();
  // s1-1 failed for a and waits for its retry: s1-2 must not overtake it; other subjects go on.
  EXPECT_EQ(deliveredTo(fnA_), (std::vector<std::string>{"s1-1", "s2-1", "free"}));
  EXPECT_EQ(loop_->tickForTest(), 0);
  clock_.advanceMs(1000);
  loop_->tickForTest();  // s1-1 retried and delivered
  loop_->tickForTest();  // now s1-2
  EXPECT_EQ(deliveredTo(fnA_), (std::vector<std::string>{"s1-1", "s2-1", "free", "s1-1", "s1-2"}));
  EXPECT_EQ(deliveredTo(fnB_), (std::vector<std::string>{"s1-1", "s2-1", "free", "s1-2"}));
}

TEST_F(Delivery, ADeadLetterUnblocksItsSubject) {
  makeLoop(1);
  script_[fnA_] = {failed("no")};
  publish({{"s1-1", "s1"}, {"s1-2", "s1"}});
  loop_->tickForTest();
  EXPECT_EQ(store_->eventQueue().deadLetters("acme", 10)->size(), 1u);
  loop_->tickForTest();
  EXPECT_EQ(deliveredTo(fnA_), (std::vector<std::string>{"s1-1", "s1-2"}));
}

TEST_F(Delivery, AutomaticMessageResultsMustBeCommandArrays) {
  ASSERT_TRUE(functions_->undeploy("acme", fnB_, actor_).ok());
  ASSERT_TRUE(functions_->undeploy("acme", fnA_, actor_).ok());
  std::string bot = makeFunction("bot", "controllerbot_messaging_new_conversation");
  makeLoop(2);
  script_[bot] = {succeeded(R"([{"type":"systemMessage"}])"),
                  succeeded(R"([{"type":"systemMessage","text":"hi"}])")};
  publish({{"m1", ""}}, "controllerbot_messaging_new_conversation");
  loop_->tickForTest();
  EXPECT_EQ(depth(), 1);  // the invalid result counts as a failure
  clock_.advanceMs(1000);
  loop_->tickForTest();
  EXPECT_EQ(depth(), 0);
  EXPECT_EQ(deliveredTo(bot).size(), 2u);
}

TEST_F(Delivery, ResultsAreQueuedForTheWebhookWhenOneIsSet) {
  makeLoop(3);
  store::AccountSettingsRecord s;
  s.accountId = "acme";
  s.resultWebhookUrl = "http://127.0.0.1:1/hook";
  s.updatedAt = 1;
  ASSERT_TRUE(store_->settings().put(s).ok());
  script_[fnA_] = {failed("once")};
  publish({{"e1", "c"}});
  loop_->tickForTest();
  auto out = store_->eventQueue().dueWebhooks(clock_.nowMs(), 10);
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->size(), 2u);
  std::map<std::string, json> byFunction;
  for (auto& m : *out) {
    json b = json::parse(m.body);
    byFunction[b["functionUuid"]] = b;
  }
  EXPECT_EQ(byFunction[fnA_]["outcome"], "CODING_FAILURE");
  EXPECT_EQ(byFunction[fnA_]["error"]["code"], runtime::codes::kCustomFailure);
  EXPECT_NE(byFunction[fnA_]["error"]["message"].get<std::string>().find("once"),
            std::string::npos);
  EXPECT_EQ(byFunction[fnA_]["final"], false);
  EXPECT_EQ(byFunction[fnB_]["outcome"], "SUCCEEDED");
  EXPECT_EQ(byFunction[fnB_]["eventId"], "e1");
  EXPECT_EQ(byFunction[fnB_]["subject"], "c");
}

TEST_F(Delivery, AClaimThatDiedWithItsProcessIsDeliveredAgain) {
  publish({{"e1", "c"}, {"e2", "c"}});
  // A process claims e1 and dies before settling it.
  auto claimed = store_->eventQueue().claim(clock_.nowMs(), clock_.nowMs() + 60'000, 10);
  ASSERT_TRUE(claimed.ok());
  ASSERT_EQ(claimed->size(), 1u);  // e2 waits behind e1 (same subject)
  makeLoop();
  EXPECT_EQ(loop_->tickForTest(), 0);  // still leased
  clock_.advanceMs(60'000);            // the lease runs out
  EXPECT_EQ(loop_->tickForTest(), 1);
  EXPECT_EQ(deliveredTo(fnA_), std::vector<std::string>{"e1"});
  // start() clears leases: a restarted server does not wait for them.
  auto again = store_->eventQueue().claim(clock_.nowMs(), clock_.nowMs() + 60'000, 10);
  ASSERT_EQ(again->size(), 1u);
  ASSERT_TRUE(store_->eventQueue().releaseLeases().ok());
  EXPECT_EQ(loop_->tickForTest(), 1);
  EXPECT_EQ(deliveredTo(fnA_), (std::vector<std::string>{"e1", "e2"}));
}

TEST_F(Delivery, IngestorDeduplicatesSourceAndIdWithinTheWindow) {
  EventIngestor ingestor(*store_, clock_, IngestOptions{10'000, 100});
  ingestor.start();
  auto submit = [&](std::vector<std::string> ids, const std::string& source = "crm") {
    std::vector<CloudEvent> events;
    for (auto& id : ids) {
      CloudEvent e;
      e.id = id;
      e.source = source;
      e.type = "crm.updated";
      e.structuredJson = json{{"specversion", "1.0"}, {"id", id}, {"source", source},
                              {"type", "crm.updated"}}
                             .dump();
      events.push_back(e);
    }
    std::promise<Result<std::vector<bool>>> p;
    ingestor.submit("acme", events, [&p](Result<std::vector<bool>> r) { p.set_value(r); });
    return p.get_future().get();
  };
  auto first = submit({"a", "b", "a"});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, (std::vector<bool>{true, true, false}));  // a duplicate inside one batch
  EXPECT_EQ(values(submit({"a"})), std::vector<bool>{false});
  EXPECT_EQ(values(submit({"a"}, "other-source")), std::vector<bool>{true});
  EXPECT_EQ(depth(), 3);
  clock_.advanceMs(10'001);  // past the window
  EXPECT_EQ(values(submit({"a"})), std::vector<bool>{true});
  ingestor.stop();
  std::promise<Result<std::vector<bool>>> p;
  ingestor.submit("acme", {}, [&p](Result<std::vector<bool>> r) { p.set_value(r); });
  auto refused = p.get_future().get();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), ErrorCode::kUnavailable);
}

TEST_F(Delivery, AnUndeployedFunctionIsDroppedNotRetried) {
  makeLoop();
  publish({{"e1", ""}});
  ASSERT_TRUE(functions_->undeploy("acme", fnB_, actor_).ok());
  loop_->tickForTest();
  EXPECT_EQ(deliveredTo(fnB_).size(), 0u);
  EXPECT_EQ(depth(), 0);
}

// Voluntary context switches of this process's thread named `name` (-1 if there is none).
int64_t wakeUpsOf(const std::string& name) {
  for (const parley::testing::ThreadInfo& t : parley::testing::threadsOf()) {
    if (t.name != name) continue;
    std::ifstream status("/proc/self/task/" + std::to_string(t.tid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
      if (line.rfind("voluntary_ctxt_switches:", 0) == 0) return std::stoll(line.substr(24));
    }
  }
  return -1;
}

// The loop's thread, on the real clock, sleeps until the queue's next due time: an event stored
// 300 ms ahead (and no wake()) is delivered although the loop's safety net is an hour away. Idle
// after that, it does not poll.
TEST_F(Delivery, TheThreadSleepsUntilTheNextDueTimeAndDoesNotPollWhenIdle) {
  const Clock& clock = SystemClock::instance();
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> delivered;  // Guarded by mu
  DeliveryOptions o;
  o.maxSleepMs = 3'600'000;
  DeliveryLoop loop(
      *store_, *functions_, *types_, clock,
      [&](const std::string&, const std::string& fn, std::string, DeliveryLoop::InvokeDone done) {
        {
          std::lock_guard lock(mu);
          delivered.push_back(fn);
        }
        cv.notify_all();
        done(succeeded("null"));
      },
      o);
  publish({{"later", ""}});  // at the fake clock's time: make it due 300 ms from now instead
  ASSERT_TRUE(store_->eventQueue().releaseLeases().ok());
  {
    auto claimed = store_->eventQueue().claim(INT64_MAX / 2, 0, 10);  // read it back
    ASSERT_TRUE(claimed.ok());
    ASSERT_EQ(claimed->size(), 1u);
    store::Settlement later;
    later.kind = store::Settlement::Kind::kRetry;
    later.seq = (*claimed)[0].seq;
    later.resolveAgain = true;
    later.nextAttemptMs = clock.nowMs() + 300;
    ASSERT_TRUE(store_->eventQueue().settle(later).ok());
  }
  loop.start();
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return delivered.size() == 2; }));
  }
  for (int i = 0; i < 3000 && depth() != 0; ++i) {  // settled: the queue is empty
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(depth(), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // its last pass goes to sleep
  const int64_t before = wakeUpsOf("parley-delivery");
  ASSERT_GE(before, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  EXPECT_LE(wakeUpsOf("parley-delivery") - before, 1);  // polling every 100 ms made 4
  loop.stop();
}

}  // namespace
}  // namespace parley::control
