// The event queue repository on a real SQLite file: dedupe window, claim order per subject and
// leases, settle (retry, dead letter, webhook outbox) atomically, replay; and migration 4
// applied to a database that already recorded a later migration.
#include "store/store_test_util.h"

namespace parley::store::testing {
namespace {

class EventQueueTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(store().accounts().create({"acme", "Acme", 1}).ok());
  }
  QueuedEvent event(const std::string& id, const std::string& subject = "",
                    const std::string& source = "src") {
    QueuedEvent e;
    e.accountId = "acme";
    e.eventId = id;
    e.source = source;
    e.type = "t";
    e.subject = subject;
    e.eventJson = "{}";
    e.nextAttemptMs = 100;
    e.acceptedAt = 100;
    return e;
  }
  std::vector<std::string> claimIds(int64_t now, int64_t limit = 10) {
    auto c = store().eventQueue().claim(now, now + 1000, limit);
    EXPECT_TRUE(c.ok());
    std::vector<std::string> ids;
    for (auto& e : *c) ids.push_back(e.eventId);
    return ids;
  }
};

TEST_F(EventQueueTest, DuplicatesWithinTheWindowAreNotQueued) {
  auto r = store().eventQueue().enqueue({event("a"), event("b"), event("a"), event("a", "", "x")}, 0);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (std::vector<bool>{true, true, false, true}));
  QueuedEvent later = event("a");
  later.acceptedAt = 5000;
  EXPECT_EQ(store().eventQueue().enqueue({later}, 50).value(), std::vector<bool>{false});  // in window
  EXPECT_EQ(store().eventQueue().enqueue({later}, 101).value(), std::vector<bool>{true});  // past it
  EXPECT_EQ(store().eventQueue().depth().value(), 4);
}

TEST_F(EventQueueTest, ClaimsTheFirstOfEachSubjectAndHonoursLeases) {
  ASSERT_TRUE(store().eventQueue()
                  .enqueue({event("s1a", "s1"), event("s1b", "s1"), event("s2a", "s2"),
                            event("none1"), event("none2")},
                           0)
                  .ok());
  EXPECT_EQ(claimIds(100), (std::vector<std::string>{"s1a", "s2a", "none1", "none2"}));
  EXPECT_TRUE(claimIds(500).empty());  // leased until 1100; s1b waits behind s1a
  EXPECT_EQ(claimIds(1100, 2), (std::vector<std::string>{"s1a", "s2a"}));  // lease ran out
  ASSERT_TRUE(store().eventQueue().releaseLeases().ok());
  EXPECT_EQ(claimIds(1100).size(), 4u);
}

// What the delivery loop and the webhook sender sleep until: the earliest time after now when an
// event becomes due with its lease run out (the later of the two), or an outbox message is due.
TEST_F(EventQueueTest, NextDueTimesAreTheEarliestAfterNow) {
  EXPECT_EQ(store().eventQueue().nextDueAfter(0).value(), std::nullopt);  // nothing queued
  EXPECT_EQ(store().eventQueue().nextWebhookAfter(0).value(), std::nullopt);
  QueuedEvent a = event("a"), b = event("b"), c = event("c");
  a.nextAttemptMs = 100;
  b.nextAttemptMs = 700;
  c.nextAttemptMs = 400;
  ASSERT_TRUE(store().eventQueue().enqueue({a, b, c}, 0).ok());
  EXPECT_EQ(store().eventQueue().nextDueAfter(0).value(), 100);
  EXPECT_EQ(store().eventQueue().nextDueAfter(100).value(), 400);  // due at now: not after it
  EXPECT_EQ(store().eventQueue().nextDueAfter(700).value(), std::nullopt);
  auto claimed = store().eventQueue().claim(150, 1150, 10);  // a, leased until 1150
  ASSERT_TRUE(claimed.ok());
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ(store().eventQueue().nextDueAfter(150).value(), 400);
  EXPECT_EQ(store().eventQueue().nextDueAfter(800).value(), 1150);  // its lease runs out

  Settlement retry;
  retry.kind = Settlement::Kind::kRetry;
  retry.seq = (*claimed)[0].seq;
  retry.pendingFunctions = {"fn-1"};
  retry.attempts = 1;
  retry.nextAttemptMs = 5000;
  retry.webhooks.push_back({0, "acme", R"({"r":1})", 0, 3000, 100});
  retry.webhooks.push_back({0, "acme", R"({"r":2})", 0, 2000, 100});
  ASSERT_TRUE(store().eventQueue().settle(retry).ok());
  EXPECT_EQ(store().eventQueue().nextDueAfter(1200).value(), 5000);  // a's retry
  EXPECT_EQ(store().eventQueue().nextWebhookAfter(1200).value(), 2000);
  EXPECT_EQ(store().eventQueue().nextWebhookAfter(2000).value(), 3000);
  EXPECT_EQ(store().eventQueue().nextWebhookAfter(3000).value(), std::nullopt);
}

TEST_F(EventQueueTest, SettleRetriesDeadLettersAndQueuesWebhooksAtomically) {
  ASSERT_TRUE(store().eventQueue().enqueue({event("e", "s"), event("f", "s")}, 0).ok());
  auto claimed = store().eventQueue().claim(100, 1100, 10);
  ASSERT_EQ(claimed->size(), 1u);
  Settlement retry;
  retry.kind = Settlement::Kind::kRetry;
  retry.seq = (*claimed)[0].seq;
  retry.pendingFunctions = {"fn-1"};
  retry.attempts = 1;
  retry.nextAttemptMs = 300;
  retry.lastError = "boom";
  retry.webhooks.push_back({0, "acme", R"({"r":1})", 0, 100, 100});
  ASSERT_TRUE(store().eventQueue().settle(retry).ok());
  EXPECT_TRUE(claimIds(200).empty());  // backoff; f still waits behind e
  auto again = store().eventQueue().claim(300, 1300, 10);
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].pendingFunctions, std::vector<std::string>{"fn-1"});
  EXPECT_EQ((*again)[0].attempts, 1);

  Settlement dead;
  dead.kind = Settlement::Kind::kDead;
  dead.seq = (*again)[0].seq;
  dead.deadLetter.id = "dl-1";
  dead.deadLetter.accountId = "acme";
  dead.deadLetter.eventId = "e";
  dead.deadLetter.source = "src";
  dead.deadLetter.type = "t";
  dead.deadLetter.subject = "s";
  dead.deadLetter.eventJson = "{}";
  dead.deadLetter.functions = {"fn-1"};
  dead.deadLetter.attempts = 2;
  dead.deadLetter.deadAt = 300;
  ASSERT_TRUE(store().eventQueue().settle(dead).ok());
  EXPECT_EQ(claimIds(300), std::vector<std::string>{"f"});  // the subject moved on
  auto dl = store().eventQueue().deadLetter("acme", "dl-1");
  ASSERT_TRUE(dl.ok());
  EXPECT_EQ(dl->functions, std::vector<std::string>{"fn-1"});
  EXPECT_EQ(store().eventQueue().deadLetter("other", "dl-1").error().code(), ErrorCode::kNotFound);

  ASSERT_TRUE(store().eventQueue().replayDeadLetter("acme", "dl-1", 400).ok());
  EXPECT_EQ(store().eventQueue().deadLetter("acme", "dl-1").error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store().eventQueue().depth().value(), 2);

  auto hooks = store().eventQueue().dueWebhooks(100, 10);
  ASSERT_EQ(hooks->size(), 1u);
  ASSERT_TRUE(store().eventQueue().webhookRetry((*hooks)[0].seq, 1, 900).ok());
  EXPECT_TRUE(store().eventQueue().dueWebhooks(899, 10)->empty());
  ASSERT_TRUE(store().eventQueue().webhookSent((*hooks)[0].seq).ok());
  EXPECT_TRUE(store().eventQueue().dueWebhooks(10'000, 10)->empty());
}

TEST_F(EventQueueTest, AMigrationLandingAfterALaterOneIsStillApplied) {
  // A database made by a build that had migration 6 but not 4.
  for (const char* table : {"event_types", "event_queue", "event_dedupe", "dead_letters",
                            "account_settings", "webhook_outbox"}) {
    rawQuery(std::string("DROP TABLE ") + table);
  }
  rawQuery("DELETE FROM schema_version WHERE version = 4");
  ASSERT_EQ(rawQuery("SELECT COUNT(*) FROM schema_version WHERE version = 4"), 0);
  open();
  EXPECT_EQ(rawQuery("SELECT COUNT(*) FROM schema_version WHERE version = 4"), 1);
  EXPECT_EQ(rawQuery("SELECT COUNT(*) FROM sqlite_master WHERE name = 'event_queue'"), 1);
  EXPECT_TRUE(store().eventQueue().enqueue({event("x")}, 0).ok());
}

}  // namespace
}  // namespace parley::store::testing
