// The schedules repository on a real SQLite file.
#include "store/store_test_util.h"

namespace parley::store::testing {
namespace {

class SchedulesTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    seedAccount();
    ASSERT_TRUE(store().functions().create(makeFunction("acme", "greet", "f-1")).ok());
  }

  static ScheduleRecord makeSchedule(const std::string& id, std::optional<int64_t> next) {
    ScheduleRecord s;
    s.id = id;
    s.accountId = "acme";
    s.functionUuid = "f-1";
    s.cron = "* * * * *";
    s.timeZone = "Europe/Berlin";
    s.headers = {{"X-A", "1"}};
    s.payloadJson = R"({"k":[1,2]})";
    s.description = "every minute";
    s.nextFireMs = next;
    s.createdAt = 5;
    s.createdBy = "u";
    s.updatedAt = 6;
    s.updatedBy = "v";
    return s;
  }
};

TEST_F(SchedulesTest, CreateGetListUpdateRemove) {
  ASSERT_TRUE(store().schedules().create(makeSchedule("s-1", 60'000)).ok());
  auto got = store().schedules().get("acme", "s-1");
  ASSERT_TRUE(got.ok()) << got.error().message();
  EXPECT_EQ(got->cron, "* * * * *");
  EXPECT_EQ(got->timeZone, "Europe/Berlin");
  EXPECT_EQ(got->headers.at("X-A"), "1");
  EXPECT_EQ(got->payloadJson, R"({"k":[1,2]})");
  EXPECT_EQ(got->nextFireMs, 60'000);
  EXPECT_FALSE(got->lastFireMs.has_value());
  EXPECT_TRUE(got->isActive);

  EXPECT_EQ(store().schedules().create(makeSchedule("s-1", 1)).error().code(),
            ErrorCode::kAlreadyExists);
  EXPECT_EQ(store().schedules().get("other", "s-1").error().code(), ErrorCode::kNotFound);

  ScheduleRecord s = *got;
  s.isActive = false;
  s.nextFireMs.reset();
  s.description = "changed";
  ASSERT_TRUE(store().schedules().update(s).ok());
  got = store().schedules().get("acme", "s-1");
  EXPECT_FALSE(got->isActive);
  EXPECT_FALSE(got->nextFireMs.has_value());
  EXPECT_EQ(got->description, "changed");

  ASSERT_TRUE(store().schedules().create(makeSchedule("s-2", 1)).ok());
  EXPECT_EQ(store().schedules().list("acme")->size(), 2u);
  EXPECT_EQ(store().schedules().count("acme").value(), 2);
  EXPECT_EQ(store().schedules().listForFunction("acme", "f-1")->size(), 2u);
  ASSERT_TRUE(store().schedules().remove("acme", "s-2").ok());
  EXPECT_EQ(store().schedules().remove("acme", "s-2").error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store().schedules().count("acme").value(), 1);
}

TEST_F(SchedulesTest, UnknownFunctionIsNotFound) {
  ScheduleRecord s = makeSchedule("s-1", 1);
  s.functionUuid = "nope";
  EXPECT_EQ(store().schedules().create(s).error().code(), ErrorCode::kNotFound);
}

TEST_F(SchedulesTest, DueSkipsInactivePausedAndFuture) {
  ASSERT_TRUE(store().schedules().create(makeSchedule("due", 100)).ok());
  ASSERT_TRUE(store().schedules().create(makeSchedule("future", 1000)).ok());
  ScheduleRecord inactive = makeSchedule("inactive", 50);
  inactive.isActive = false;
  ASSERT_TRUE(store().schedules().create(inactive).ok());
  ScheduleRecord paused = makeSchedule("paused", 50);
  paused.pausedByUndeploy = true;
  ASSERT_TRUE(store().schedules().create(paused).ok());
  auto due = store().schedules().due(500, 10);
  ASSERT_TRUE(due.ok()) << due.error().message();
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].id, "due");
}

TEST_F(SchedulesTest, ClaimFireIsCompareAndSet) {
  ASSERT_TRUE(store().schedules().create(makeSchedule("s-1", 60'000)).ok());
  auto won = store().schedules().claimFire("s-1", std::nullopt, 60'000, 120'000);
  ASSERT_TRUE(won.ok()) << won.error().message();
  EXPECT_TRUE(*won);
  // A second claimer that read the same state loses.
  EXPECT_FALSE(store().schedules().claimFire("s-1", std::nullopt, 60'000, 120'000).value());
  EXPECT_FALSE(store().schedules().claimFire("s-1", 0, 60'000, 120'000).value());
  auto got = store().schedules().get("acme", "s-1");
  EXPECT_EQ(got->lastFireMs, 60'000);
  EXPECT_EQ(got->nextFireMs, 120'000);
  EXPECT_TRUE(store().schedules().claimFire("s-1", 60'000, 120'000, 180'000).value());

  ASSERT_TRUE(store().schedules().recordOutcome("s-1", 60'000, "SUCCEEDED", "i-old").ok());
  EXPECT_EQ(store().schedules().get("acme", "s-1")->lastOutcome, "");  // an older run
  ASSERT_TRUE(store().schedules().recordOutcome("s-1", 120'000, "SUCCEEDED", "i-1").ok());
  EXPECT_EQ(store().schedules().get("acme", "s-1")->lastInvocationId, "i-1");
}

TEST_F(SchedulesTest, DeletingTheFunctionDeletesItsSchedules) {
  ASSERT_TRUE(store().schedules().create(makeSchedule("s-1", 1)).ok());
  ASSERT_TRUE(store().functions().remove("acme", "f-1").ok());
  EXPECT_EQ(store().schedules().count("acme").value(), 0);
}

}  // namespace
}  // namespace parley::store::testing
