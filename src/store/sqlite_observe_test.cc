// Observability data in the store: log queries (filters, both orders, cursors that neither skip
// nor repeat), metric buckets added incrementally, the activity stream, and their purges.
#include "store/store_test_util.h"

namespace parley::store {
namespace {

using testing::StoreTest;

class ObserveStoreTest : public StoreTest {
 protected:
  // Three invocations of f-1 (started 1000, 2000, 3000) with two lines each, one of f-2.
  void seedLogs() {
    for (int i = 1; i <= 3; ++i) {
      InvocationRecord r = makeInvocation("i-" + std::to_string(i), "acme", "f-1", i * 1000);
      r.logs = {{"Info", "start " + std::to_string(i), "[]", i * 1000 + 1},
                {i == 2 ? "Error" : "Warn", "end " + std::to_string(i), R"([{"n":)" + std::to_string(i) + "}]",
                 i * 1000 + 2}};
      ASSERT_TRUE(store().invocations().put(r).ok());
    }
    InvocationRecord other = makeInvocation("o-1", "acme", "f-2", 1500);
    other.logs = {{"Info", "other function", "[]", 1501}};
    ASSERT_TRUE(store().invocations().put(other).ok());
    InvocationRecord beta = makeInvocation("b-1", "beta", "f-1", 1500);
    beta.logs = {{"Info", "other account", "[]", 1501}};
    ASSERT_TRUE(store().invocations().put(beta).ok());
  }

  std::vector<std::string> messages(const LogQuery& q) {
    auto lines = store().invocations().logs(q);
    EXPECT_TRUE(lines.ok()) << (lines.ok() ? "" : lines.error().message());
    std::vector<std::string> out;
    if (lines.ok()) {
      for (const auto& l : *lines) out.push_back(l.log.message);
    }
    return out;
  }

  static LogQuery query() {
    LogQuery q;
    q.accountId = "acme";
    q.functionUuid = "f-1";
    return q;
  }
};

using Strings = std::vector<std::string>;

TEST_F(ObserveStoreTest, LogsNewestInvocationFirstWithLinesInWrittenOrder) {
  seedLogs();
  EXPECT_EQ(messages(query()), (Strings{"start 3", "end 3", "start 2", "end 2", "start 1", "end 1"}));
  LogQuery asc = query();
  asc.ascending = true;
  EXPECT_EQ(messages(asc), (Strings{"start 1", "end 1", "start 2", "end 2", "start 3", "end 3"}));
}

TEST_F(ObserveStoreTest, LogFiltersByTimeLevelInvocationAndText) {
  seedLogs();
  LogQuery q = query();
  q.from = 2000;
  q.to = 3000;
  EXPECT_EQ(messages(q), (Strings{"start 2", "end 2"}));

  q = query();
  q.levels = {"Warn", "Error"};
  EXPECT_EQ(messages(q), (Strings{"end 3", "end 2", "end 1"}));

  q = query();
  q.invocationId = "i-1";
  EXPECT_EQ(messages(q), (Strings{"start 1", "end 1"}));

  q = query();
  q.text = "START 2";  // case-insensitive
  EXPECT_EQ(messages(q), (Strings{"start 2"}));
  q.text = "\"n\":3";  // extras are searched too
  EXPECT_EQ(messages(q), (Strings{"end 3"}));

  q = query();
  q.accountId = "beta";
  EXPECT_EQ(messages(q), (Strings{"other account"}));
}

TEST_F(ObserveStoreTest, LogCursorPagesThroughEveryLineOnce) {
  seedLogs();
  for (bool ascending : {false, true}) {
    LogQuery q = query();
    q.ascending = ascending;
    q.limit = 4;
    Strings all;
    for (int page = 0; page < 5; ++page) {
      auto lines = store().invocations().logs(q);
      ASSERT_TRUE(lines.ok());
      for (const auto& l : *lines) all.push_back(l.log.message);
      if (lines->size() < 4) break;
      const LogLine& last = lines->back();
      q.after = std::make_tuple(last.invocationStartedAt, last.invocationRowId, last.seq);
    }
    LogQuery whole = query();
    whole.ascending = ascending;
    EXPECT_EQ(all, messages(whole));
  }
}

TEST_F(ObserveStoreTest, InvocationCursorContinuesAfterEqualStartTimes) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(store().invocations().put(makeInvocation("s-" + std::to_string(i), "acme", "f-1",
                                                         i < 3 ? 7000 : 6000))
                    .ok());
  }
  InvocationQuery q;
  q.accountId = "acme";
  q.limit = 2;
  Strings seen;
  for (int page = 0; page < 4; ++page) {
    auto rows = store().invocations().query(q);
    ASSERT_TRUE(rows.ok());
    for (const auto& r : *rows) seen.push_back(r.id);
    if (rows->size() < 2) break;
    q.before = std::make_pair(rows->back().startedAt, rows->back().rowId);
  }
  EXPECT_EQ(seen, (Strings{"s-2", "s-1", "s-0", "s-4", "s-3"}));
}

TEST_F(ObserveStoreTest, MetricsBucketsAddUpAcrossWrites) {
  MetricsBucket d;
  d.accountId = "acme";
  d.functionUuid = "f-1";
  d.bucketStart = 300'000;
  d.succeeded = 2;
  d.timeout = 1;
  d.coldStarts = 1;
  d.durationSumUs = 5000;
  d.histogram = {{10, 2}, {40, 1}};
  ASSERT_TRUE(store().metrics().add({d}).ok());
  d.succeeded = 1;
  d.timeout = 0;
  d.codingFailure = 3;
  d.histogram = {{10, 1}, {12, 3}};
  MetricsBucket later = d;
  later.bucketStart = 600'000;
  ASSERT_TRUE(store().metrics().add({d, later}).ok());

  auto rows = store().metrics().range("acme", "f-1", 0, 1'000'000);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  const MetricsBucket& first = (*rows)[0];
  EXPECT_EQ(first.bucketStart, 300'000);
  EXPECT_EQ(first.succeeded, 3);
  EXPECT_EQ(first.codingFailure, 3);
  EXPECT_EQ(first.timeout, 1);
  EXPECT_EQ(first.coldStarts, 2);
  EXPECT_EQ(first.durationSumUs, 10000);
  EXPECT_EQ(first.histogram, (std::map<int, int64_t>{{10, 3}, {12, 3}, {40, 1}}));

  auto total = store().metrics().accountTotal("acme", 0, 1'000'000);
  ASSERT_TRUE(total.ok());
  EXPECT_EQ(total->total(), 7 + 4);
  EXPECT_EQ(store().metrics().accountTotal("beta", 0, 1'000'000)->total(), 0);

  ASSERT_TRUE(store().metrics().purgeBefore(600'000).ok());
  rows = store().metrics().range("acme", "f-1", 0, 1'000'000);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].bucketStart, 600'000);
}

TEST_F(ObserveStoreTest, ActivityNewestFirstWithCursorAndPurge) {
  for (int i = 1; i <= 5; ++i) {
    ActivityRecord a;
    a.accountId = i == 3 ? "beta" : "acme";
    a.at = i * 100;
    a.action = "function.updated";
    a.targetId = i % 2 ? "f-1" : "f-2";
    a.description = "change " + std::to_string(i);
    a.diff = i == 1 ? "--- a\n+++ b\n" : "";
    ASSERT_TRUE(store().activity().append(a).ok());
  }
  ActivityQuery q;
  q.accountId = "acme";
  q.limit = 2;
  auto page = store().activity().list(q);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].description, "change 5");
  EXPECT_EQ((*page)[1].description, "change 4");
  q.beforeId = (*page)[1].id;
  page = store().activity().list(q);
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].description, "change 2");
  EXPECT_EQ((*page)[1].description, "change 1");
  EXPECT_EQ((*page)[1].diff, "--- a\n+++ b\n");

  ActivityQuery byTarget;
  byTarget.accountId = "acme";
  byTarget.targetId = "f-1";
  EXPECT_EQ(store().activity().list(byTarget)->size(), 2u);  // 1 and 5

  ASSERT_TRUE(store().activity().purgeBefore(250).ok());
  ActivityQuery all;
  all.accountId = "acme";
  EXPECT_EQ(store().activity().list(all)->size(), 2u);  // 4 and 5
}

}  // namespace
}  // namespace parley::store
