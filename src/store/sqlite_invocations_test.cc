// Invocation records: put (insert and replace) with logs, get, query filters, purge.
#include <algorithm>

#include "store/store_test_util.h"

namespace parley::store {
namespace {

using testing::StoreTest;

std::vector<std::string> ids(const Result<std::vector<InvocationRecord>>& rows) {
  std::vector<std::string> out;
  EXPECT_TRUE(rows.ok()) << (rows.ok() ? "" : rows.error().message());
  if (rows.ok()) {
    for (const auto& r : rows.value()) out.push_back(r.id);
  }
  return out;
}

using Ids = std::vector<std::string>;

TEST_F(StoreTest, PutAndGetWithLogsInOrder) {
  InvocationRecord r = makeInvocation("i-1", "acme", "f-1", 5000);
  r.version = 4;
  r.trigger = "schedule";
  r.errorCode = "";
  r.coldStart = true;
  r.logs = {{"Info", "first", R"(["a"])", 5001},
            {"Error", "second", "[]", 5003},
            {"Debug", "third", R"([{"k":1}])", 5002}};
  ASSERT_TRUE(store().invocations().put(r).ok());

  auto got = store().invocations().get("acme", "i-1");
  ASSERT_TRUE(got.ok()) << got.error().message();
  EXPECT_EQ(got->id, "i-1");
  EXPECT_EQ(got->accountId, "acme");
  EXPECT_EQ(got->functionUuid, "f-1");
  EXPECT_EQ(got->version, 4);
  EXPECT_EQ(got->trigger, "schedule");
  EXPECT_EQ(got->status, "done");
  EXPECT_EQ(got->outcome, "SUCCEEDED");
  EXPECT_EQ(got->resultJson, R"({"ok":true})");
  EXPECT_EQ(got->durationUs, 1234);
  EXPECT_TRUE(got->coldStart);
  EXPECT_EQ(got->startedAt, 5000);
  EXPECT_EQ(got->finishedAt, 5002);
  // In the order they were written, not by timestamp.
  ASSERT_EQ(got->logs.size(), 3u);
  EXPECT_EQ(got->logs[0].message, "first");
  EXPECT_EQ(got->logs[0].level, "Info");
  EXPECT_EQ(got->logs[0].extrasJson, R"(["a"])");
  EXPECT_EQ(got->logs[0].timestamp, 5001);
  EXPECT_EQ(got->logs[1].message, "second");
  EXPECT_EQ(got->logs[1].level, "Error");
  EXPECT_EQ(got->logs[2].message, "third");
  EXPECT_EQ(got->logs[2].extrasJson, R"([{"k":1}])");

  auto otherAccount = store().invocations().get("beta", "i-1");
  ASSERT_FALSE(otherAccount.ok());
  EXPECT_EQ(otherAccount.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(otherAccount.error().message(), "invocation 'i-1' not found in account 'beta'");
  auto missing = store().invocations().get("acme", "i-9");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message(), "invocation 'i-9' not found in account 'acme'");
}

TEST_F(StoreTest, PutReplacesByIdWithItsLogs) {
  InvocationRecord running = makeInvocation("i-1", "acme", "f-1", 5000);
  running.status = "running";
  running.outcome = "";
  running.resultJson = "";
  running.finishedAt = 0;
  running.logs = {{"Info", "started", "[]", 5000}};
  ASSERT_TRUE(store().invocations().put(running).ok());
  ASSERT_TRUE(store().invocations().put(makeInvocation("i-2", "acme", "f-1", 5000)).ok());

  InvocationRecord done = makeInvocation("i-1", "acme", "f-1", 5000);
  done.outcome = "CODING_FAILURE";
  done.errorCode = "handler.custom-failure";
  done.errorMessage = "nope";
  done.resultJson = "";
  done.logs = {{"Warn", "a", "[]", 5001}, {"Error", "b", "[]", 5002}};
  ASSERT_TRUE(store().invocations().put(done).ok());

  auto got = store().invocations().get("acme", "i-1");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->status, "done");
  EXPECT_EQ(got->outcome, "CODING_FAILURE");
  EXPECT_EQ(got->errorCode, "handler.custom-failure");
  EXPECT_EQ(got->errorMessage, "nope");
  EXPECT_EQ(got->resultJson, "");
  ASSERT_EQ(got->logs.size(), 2u);
  EXPECT_EQ(got->logs[0].message, "a");
  EXPECT_EQ(got->logs[1].message, "b");
  EXPECT_EQ(rawQuery("SELECT COUNT(*) FROM invocation_logs"), 2);

  // Still one record, and it kept its place among equal start times (inserted first).
  InvocationQuery q;
  q.accountId = "acme";
  EXPECT_EQ(ids(store().invocations().query(q)), (Ids{"i-2", "i-1"}));

  // Replacing with no logs clears them.
  done.logs.clear();
  ASSERT_TRUE(store().invocations().put(done).ok());
  EXPECT_TRUE(store().invocations().get("acme", "i-1")->logs.empty());
}

class InvocationQueryTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    auto add = [&](const std::string& id, const std::string& account, const std::string& fn,
                   const std::string& trigger, const std::string& outcome, int64_t at) {
      InvocationRecord r = makeInvocation(id, account, fn, at);
      r.trigger = trigger;
      r.outcome = outcome;
      r.logs = {{"Info", "log of " + id, "[]", at}};
      ASSERT_TRUE(store().invocations().put(r).ok());
    };
    add("a1", "acme", "f-1", "http", "SUCCEEDED", 100);
    add("a2", "acme", "f-2", "event", "SUCCEEDED", 200);
    add("a3", "acme", "f-1", "schedule", "TIMEOUT", 300);
    add("a4", "acme", "f-1", "http", "CODING_FAILURE", 400);
    add("a5", "acme", "f-2", "http", "SUCCEEDED", 500);
    add("a6", "acme", "f-1", "http", "SUCCEEDED", 600);
    add("b1", "beta", "f-1", "http", "SUCCEEDED", 350);  // another account, same function id
  }

  Ids run(InvocationQuery q) {
    q.accountId = q.accountId.empty() ? "acme" : q.accountId;
    return ids(store().invocations().query(q));
  }
};

TEST_F(InvocationQueryTest, AllOfAnAccountNewestFirstWithoutLogs) {
  EXPECT_EQ(run({}), (Ids{"a6", "a5", "a4", "a3", "a2", "a1"}));
  InvocationQuery beta;
  beta.accountId = "beta";
  auto rows = store().invocations().query(beta);
  EXPECT_EQ(ids(rows), (Ids{"b1"}));
  ASSERT_TRUE(rows.ok());
  EXPECT_TRUE(rows->front().logs.empty());
  EXPECT_EQ(rows->front().startedAt, 350);
}

TEST_F(InvocationQueryTest, Filters) {
  InvocationQuery q;
  q.functionUuid = "f-1";
  EXPECT_EQ(run(q), (Ids{"a6", "a4", "a3", "a1"}));

  q = {};
  q.trigger = "http";
  EXPECT_EQ(run(q), (Ids{"a6", "a5", "a4", "a1"}));

  q = {};
  q.outcome = "SUCCEEDED";
  EXPECT_EQ(run(q), (Ids{"a6", "a5", "a2", "a1"}));

  q = {};
  q.from = 200;  // inclusive
  q.to = 500;    // exclusive
  EXPECT_EQ(run(q), (Ids{"a4", "a3", "a2"}));

  q = {};
  q.from = 300;
  EXPECT_EQ(run(q), (Ids{"a6", "a5", "a4", "a3"}));

  q = {};
  q.to = 300;
  EXPECT_EQ(run(q), (Ids{"a2", "a1"}));

  q = {};
  q.functionUuid = "f-1";
  q.trigger = "http";
  q.outcome = "SUCCEEDED";
  EXPECT_EQ(run(q), (Ids{"a6", "a1"}));

  q = {};
  q.functionUuid = "f-1";
  q.from = 150;
  q.to = 601;
  q.limit = 2;
  EXPECT_EQ(run(q), (Ids{"a6", "a4"}));

  q = {};
  q.functionUuid = "f-3";
  EXPECT_TRUE(run(q).empty());
}

// An account's list is merged from its functions' index ranges (there is no index on account
// and start time): pages through many functions, with ties in start time, another account's
// records in between and a filter, must come out exactly as one ordered scan would give them.
TEST_F(StoreTest, AnAccountsListPagesThroughAllItsFunctionsInOrder) {
  struct Expected {
    int64_t startedAt;
    int seq;  // insertion order: the tie-breaker, newest first
    std::string id;
    std::string trigger;
  };
  std::vector<Expected> acme;
  for (int i = 0; i < 90; ++i) {
    const std::string id = "r" + std::to_string(i);
    const int64_t at = 1000 + (i * 37) % 23;  // many equal start times, out of insertion order
    InvocationRecord r = makeInvocation(id, "acme", "fn-" + std::to_string(i % 7), at);
    r.trigger = i % 3 == 0 ? "schedule" : "http";
    ASSERT_TRUE(store().invocations().put(r).ok());
    acme.push_back({at, i, id, r.trigger});
    InvocationRecord other = makeInvocation("x" + id, "other", "fn-" + std::to_string(i % 5), at);
    ASSERT_TRUE(store().invocations().put(other).ok());
  }
  std::sort(acme.begin(), acme.end(), [](const Expected& a, const Expected& b) {
    return a.startedAt != b.startedAt ? a.startedAt > b.startedAt : a.seq > b.seq;
  });
  EXPECT_EQ(rawQuery("SELECT COUNT(*) FROM sqlite_master WHERE name = 'invocations_by_account'"), 0);

  for (const std::string trigger : {"", "schedule"}) {
    Ids want;
    for (const Expected& e : acme) {
      if (trigger.empty() || e.trigger == trigger) want.push_back(e.id);
    }
    Ids got;
    InvocationQuery q;
    q.accountId = "acme";
    q.trigger = trigger;
    q.limit = 8;
    for (int page = 0; page < 100; ++page) {
      auto rows = store().invocations().query(q);
      ASSERT_TRUE(rows.ok()) << rows.error().message();
      for (const auto& r : *rows) {
        EXPECT_EQ(r.accountId, "acme");
        got.push_back(r.id);
      }
      if (rows->size() < static_cast<size_t>(q.limit)) break;
      q.before = std::make_pair(rows->back().startedAt, rows->back().rowId);
    }
    EXPECT_EQ(got, want) << "trigger filter '" << trigger << "'";
  }
}

TEST_F(InvocationQueryTest, Limit) {
  InvocationQuery q;
  q.limit = 3;
  EXPECT_EQ(run(q), (Ids{"a6", "a5", "a4"}));
  q.limit = 1;
  EXPECT_EQ(run(q), (Ids{"a6"}));
  q.accountId = "acme";
  q.limit = 0;
  auto bad = store().invocations().query(q);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), ErrorCode::kInvalidArgument);
}

TEST_F(InvocationQueryTest, PurgeBeforeRemovesRecordsAndLogs) {
  EXPECT_EQ(rawQuery("SELECT COUNT(*) FROM invocation_logs"), 7);
  ASSERT_TRUE(store().invocations().purgeBefore(350).ok());  // strictly before
  EXPECT_EQ(run({}), (Ids{"a6", "a5", "a4"}));
  InvocationQuery beta;
  beta.accountId = "beta";
  EXPECT_EQ(run(beta), (Ids{"b1"}));
  EXPECT_FALSE(store().invocations().get("acme", "a1").ok());
  EXPECT_EQ(store().invocations().get("acme", "a4")->logs.size(), 1u);
  EXPECT_EQ(rawQuery("SELECT COUNT(*) FROM invocation_logs"), 4);
  EXPECT_EQ(rawQuery("SELECT COUNT(*) FROM invocation_logs WHERE invocation_id = 'a1'"), 0);
}

TEST_F(StoreTest, PurgeBeforeWorksInBatches) {
  // More rows than one purge batch (1000), all in one transaction to keep the test quick.
  ASSERT_TRUE(store()
                  .transaction([&]() -> Status {
                    for (int i = 0; i < 2500; ++i) {
                      InvocationRecord r =
                          makeInvocation("i-" + std::to_string(i), "acme", "f-1", 1000 + i);
                      r.logs = {{"Info", "x", "[]", 1000 + i}};
                      Status s = store().invocations().put(r);
                      if (!s.ok()) return s;
                    }
                    return okStatus();
                  })
                  .ok());
  ASSERT_TRUE(store().invocations().purgeBefore(1000 + 2300).ok());
  EXPECT_EQ(rawQuery("SELECT COUNT(*) FROM invocations"), 200);
  EXPECT_EQ(rawQuery("SELECT COUNT(*) FROM invocation_logs"), 200);
  EXPECT_EQ(rawQuery("SELECT MIN(started_at) FROM invocations"), 3300);
  ASSERT_TRUE(store().invocations().purgeBefore(1000 + 2300).ok());  // nothing left to purge
  EXPECT_EQ(rawQuery("SELECT COUNT(*) FROM invocations"), 200);
}

TEST_F(StoreTest, PurgeTakesRecordsWrittenOutOfStartOrder) {
  // A long invocation is recorded after shorter ones that started later: still purged when its
  // batch comes, while younger records written before it stay.
  for (auto [id, started] : std::vector<std::pair<std::string, int64_t>>{
           {"old-1", 100}, {"young-1", 900}, {"old-long", 50}, {"old-2", 200}, {"young-2", 950}}) {
    ASSERT_TRUE(store().invocations().put(makeInvocation(id, "acme", "f-1", started)).ok());
  }
  ASSERT_TRUE(store().invocations().purgeBefore(500).ok());
  EXPECT_EQ(rawQuery("SELECT COUNT(*) FROM invocations"), 2);
  EXPECT_EQ(rawQuery("SELECT COUNT(*) FROM invocations WHERE id LIKE 'young-%'"), 2);
  EXPECT_EQ(rawQuery("SELECT COUNT(*) FROM sqlite_master WHERE name = 'invocations_by_start'"), 0);
}

}  // namespace
}  // namespace parley::store
