// ScheduleService rules and SchedulerLoop firing, with a FakeClock, a fake invoker and a real
// SQLite file (no sleeping: the loop is driven by tick(now)).
#include "control/schedule_service.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>

#include "control/invocation_service.h"
#include "control/scheduler_loop.h"
#include "control/test_invoker.h"
#include "runtime/invoker.h"
#include "store/sqlite_store.h"

namespace parley::control {
namespace {

using nlohmann::json;

using FakeInvoker = testing::AcceptingInvoker;

constexpr int64_t kMinute = 60'000;
// 2023-11-14T22:13:20Z, rounded down to a whole minute.
constexpr int64_t kT0 = 1'700'000'000'000 / kMinute * kMinute;

class ScheduleServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "parley-sched-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    clock_.setNowMs(kT0 + 10'000);  // 10 s into a minute
    auto s = store::openSqliteStore(dir_ + "/parley.db", clock_);
    ASSERT_TRUE(s.ok());
    store_ = std::move(s).value();
    ASSERT_TRUE(store_->accounts().create({"acme", "Acme", 1}).ok());
    ASSERT_TRUE(store_->accounts().create({"other", "Other", 1}).ok());
    functions_ = std::make_unique<FunctionService>(*store_, invoker_, clock_);
    schedules_ = std::make_unique<ScheduleService>(*store_, clock_, ScheduleOptions{3});
    functions_->setDeployListener(schedules_.get());
    FunctionChanges c;
    c.name = "tick";
    c.code = "function lambda(input, callback) { callback(null, input); }";
    auto f = functions_->create("acme", c, actor_);
    ASSERT_TRUE(f.ok()) << f.error().message();
    fn_ = f->function.uuid;
    ASSERT_TRUE(functions_->deploy("acme", fn_, std::nullopt, actor_).ok());
  }

  void TearDown() override {
    schedules_.reset();
    functions_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  SchedulerLoop::Invoke recorder(std::vector<std::pair<std::string, json>>* fired) {
    return [this, fired](const store::ScheduleRecord& s, std::string input,
                         SchedulerLoop::Done done) {
      std::lock_guard<std::mutex> lock(mu_);
      fired->push_back({s.id, json::parse(input)});
      done("SUCCEEDED", "inv-" + std::to_string(fired->size()));
    };
  }

  store::ScheduleRecord everyMinute(bool active = true) {
    ScheduleChanges c;
    c.function = "tick";
    c.cronExpression = "* * * * *";
    c.headers = std::map<std::string, std::string>{{"X-A", "1"}};
    c.payloadJson = R"({"n":1})";
    c.isActive = active;
    auto s = schedules_->create("acme", c, actor_);
    EXPECT_TRUE(s.ok()) << s.error().message();
    return *s;
  }

  std::string dir_;
  FakeClock clock_;
  FakeInvoker invoker_;
  Actor actor_{"u-1", "alice"};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<FunctionService> functions_;
  std::unique_ptr<ScheduleService> schedules_;
  std::string fn_;
  std::mutex mu_;
};

TEST_F(ScheduleServiceTest, CreateComputesNextFireAndValidates) {
  store::ScheduleRecord s = everyMinute();
  EXPECT_EQ(s.functionUuid, fn_);
  EXPECT_EQ(s.nextFireMs, kT0 + kMinute);
  EXPECT_FALSE(s.pausedByUndeploy);

  ScheduleChanges bad;
  bad.function = "tick";
  bad.cronExpression = "61 * * * *";
  auto r = schedules_->create("acme", bad, actor_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().details().find("cronExpression"), std::string::npos);

  bad.cronExpression = "0 * * * *";
  bad.timeZone = "Mars/Base";
  r = schedules_->create("acme", bad, actor_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().details().find("timeZone"), std::string::npos);

  bad.timeZone.reset();
  bad.payloadJson = "\"" + std::string(15'000, 'x') + "\"";
  r = schedules_->create("acme", bad, actor_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().details().find("payload"), std::string::npos);

  bad.payloadJson.reset();
  bad.description = std::string(201, 'd');
  r = schedules_->create("acme", bad, actor_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().details().find("description"), std::string::npos);

  bad.description.reset();
  bad.function = "nope";
  r = schedules_->create("acme", bad, actor_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().details().find("function"), std::string::npos);
  // Another account's function is not found either.
  bad.function = "tick";
  EXPECT_FALSE(schedules_->create("other", bad, actor_).ok());
}

TEST_F(ScheduleServiceTest, TimeZoneDecidesNextFire) {
  ScheduleChanges c;
  c.function = fn_;
  c.cronExpression = "0 9 * * *";
  c.timeZone = "America/New_York";  // EST in November: 09:00 local = 14:00Z
  auto s = schedules_->create("acme", c, actor_);
  ASSERT_TRUE(s.ok()) << s.error().message();
  // 2023-11-15T14:00:00Z
  EXPECT_EQ(s->nextFireMs, 1'700'056'800'000);
}

TEST_F(ScheduleServiceTest, PerAccountLimit) {
  everyMinute();
  everyMinute();
  everyMinute();
  ScheduleChanges c;
  c.function = "tick";
  c.cronExpression = "* * * * *";
  auto r = schedules_->create("acme", c, actor_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kResourceExhausted);
}

TEST_F(ScheduleServiceTest, FiresOncePerDueTime) {
  std::vector<std::pair<std::string, json>> fired;
  store::ScheduleRecord s = everyMinute();
  SchedulerLoop loop(*store_, clock_, recorder(&fired));
  EXPECT_EQ(loop.tick(kT0 + 30'000), 0);  // not due yet
  EXPECT_EQ(loop.tick(kT0 + kMinute), 1);
  EXPECT_EQ(loop.tick(kT0 + kMinute + 500), 0);
  EXPECT_EQ(loop.tick(kT0 + kMinute + 1000), 0);
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].second["timestamp"], kT0 + kMinute);
  EXPECT_EQ(fired[0].second["headers"]["X-A"], "1");
  EXPECT_EQ(fired[0].second["payload"]["n"], 1);
  auto got = schedules_->get("acme", s.id);
  EXPECT_EQ(got->lastFireMs, kT0 + kMinute);
  EXPECT_EQ(got->nextFireMs, kT0 + 2 * kMinute);
  EXPECT_EQ(got->lastOutcome, "SUCCEEDED");
  EXPECT_EQ(got->lastInvocationId, "inv-1");
  EXPECT_EQ(loop.tick(kT0 + 2 * kMinute + 200), 1);
  EXPECT_EQ(fired.size(), 2u);
}

TEST_F(ScheduleServiceTest, TwoLoopsFireOnce) {
  std::vector<std::pair<std::string, json>> fired;
  everyMinute();
  SchedulerLoop a(*store_, clock_, recorder(&fired));
  SchedulerLoop b(*store_, clock_, recorder(&fired));
  std::thread ta([&] { a.tick(kT0 + kMinute); });
  std::thread tb([&] { b.tick(kT0 + kMinute); });
  ta.join();
  tb.join();
  EXPECT_EQ(a.tick(kT0 + kMinute + 1), 0);
  EXPECT_EQ(b.tick(kT0 + kMinute + 1), 0);
  EXPECT_EQ(fired.size(), 1u);
}

TEST_F(ScheduleServiceTest, DowntimeWithinGraceFiresOnceBeyondNone) {
  std::vector<std::pair<std::string, json>> fired;
  everyMinute();
  SchedulerLoop loop(*store_, clock_, recorder(&fired), {1000, 5 * kMinute, 100});
  // Down for three due times, back within the grace period of the last: one run, for the last.
  EXPECT_EQ(loop.tick(kT0 + 3 * kMinute + 20'000), 1);
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].second["timestamp"], kT0 + 3 * kMinute);

  fired.clear();
  ScheduleChanges hourly;
  hourly.function = "tick";
  hourly.cronExpression = "0 * * * *";
  auto h = schedules_->create("acme", hourly, actor_);
  ASSERT_TRUE(h.ok());
  SchedulerLoop strict(*store_, clock_, recorder(&fired), {1000, 2 * kMinute, 100});
  // The hourly one is 10 minutes late: beyond grace, skipped.
  int64_t late = *h->nextFireMs + 10 * kMinute;
  strict.tick(late);
  for (auto& f : fired) EXPECT_NE(f.first, h->id);
  auto got = schedules_->get("acme", h->id);
  EXPECT_EQ(got->nextFireMs, *h->nextFireMs + 60 * kMinute);
  EXPECT_FALSE(got->lastFireMs.has_value());
}

TEST_F(ScheduleServiceTest, InactiveNeverFires) {
  std::vector<std::pair<std::string, json>> fired;
  store::ScheduleRecord s = everyMinute(false);
  EXPECT_FALSE(s.nextFireMs.has_value());
  SchedulerLoop loop(*store_, clock_, recorder(&fired));
  for (int i = 1; i < 5; ++i) loop.tick(kT0 + i * kMinute);
  EXPECT_TRUE(fired.empty());
  // Activating computes nextFire from now: nothing missed fires.
  clock_.setNowMs(kT0 + 5 * kMinute + 1);
  ScheduleChanges on;
  on.isActive = true;
  auto u = schedules_->update("acme", s.id, on, actor_);
  ASSERT_TRUE(u.ok()) << u.error().message();
  EXPECT_EQ(u->nextFireMs, kT0 + 6 * kMinute);
  EXPECT_EQ(loop.tick(kT0 + 5 * kMinute + 2), 0);
  EXPECT_EQ(loop.tick(kT0 + 6 * kMinute), 1);
}

TEST_F(ScheduleServiceTest, UndeployPausesRedeployResumesWithoutMissedRuns) {
  std::vector<std::pair<std::string, json>> fired;
  store::ScheduleRecord s = everyMinute();
  SchedulerLoop loop(*store_, clock_, recorder(&fired));
  ASSERT_TRUE(functions_->undeploy("acme", fn_, actor_).ok());
  auto got = schedules_->get("acme", s.id);
  EXPECT_TRUE(got->pausedByUndeploy);
  EXPECT_EQ(loop.tick(kT0 + kMinute), 0);
  EXPECT_EQ(loop.tick(kT0 + 2 * kMinute), 0);

  clock_.setNowMs(kT0 + 2 * kMinute + 30'000);
  ASSERT_TRUE(functions_->deploy("acme", fn_, std::nullopt, actor_).ok());
  got = schedules_->get("acme", s.id);
  EXPECT_FALSE(got->pausedByUndeploy);
  EXPECT_EQ(got->nextFireMs, kT0 + 3 * kMinute);
  EXPECT_EQ(loop.tick(kT0 + 2 * kMinute + 31'000), 0);  // the missed runs do not fire
  EXPECT_EQ(loop.tick(kT0 + 3 * kMinute), 1);
  EXPECT_EQ(fired.size(), 1u);
}

TEST_F(ScheduleServiceTest, DeletingTheFunctionRemovesItsSchedules) {
  store::ScheduleRecord s = everyMinute();
  ASSERT_TRUE(functions_->undeploy("acme", fn_, actor_).ok());
  ASSERT_TRUE(functions_->remove("acme", fn_, actor_).ok());
  EXPECT_EQ(schedules_->get("acme", s.id).error().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(schedules_->list("acme")->empty());
}

TEST_F(ScheduleServiceTest, UpdateAndDelete) {
  store::ScheduleRecord s = everyMinute();
  ScheduleChanges c;
  c.description = "nightly";
  c.cronExpression = "@daily";
  auto u = schedules_->update("acme", s.id, c, actor_);
  ASSERT_TRUE(u.ok()) << u.error().message();
  EXPECT_EQ(u->description, "nightly");
  EXPECT_EQ(u->headers.at("X-A"), "1");
  EXPECT_EQ(*u->nextFireMs % (24 * 60 * kMinute), 0);
  EXPECT_EQ(schedules_->update("other", s.id, c, actor_).error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(schedules_->remove("other", s.id, actor_).error().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(schedules_->remove("acme", s.id, actor_).ok());
  EXPECT_EQ(schedules_->get("acme", s.id).error().code(), ErrorCode::kNotFound);
}

TEST_F(ScheduleServiceTest, ThroughInvocationServiceRecordsTheRun) {
  InvocationService invocations(*store_, invoker_, *functions_, clock_);
  store::ScheduleRecord s = everyMinute();
  SchedulerLoop loop(*store_, clock_, SchedulerLoop::through(invocations));
  clock_.setNowMs(kT0 + kMinute);
  EXPECT_EQ(loop.tick(kT0 + kMinute), 1);
  auto got = schedules_->get("acme", s.id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->lastFireMs, kT0 + kMinute);
  EXPECT_FALSE(got->lastInvocationId.empty());
  EXPECT_FALSE(got->lastOutcome.empty());
  auto record = invocations.get("acme", got->lastInvocationId);
  ASSERT_TRUE(record.ok()) << record.error().message();
  EXPECT_EQ(record->trigger, "schedule");
}

}  // namespace
}  // namespace parley::control
