// Functions, versions, pruning and deployments.
#include "store/store_test_util.h"

namespace parley::store {
namespace {

using testing::StoreTest;

class FunctionsTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    seedAccount("acme");
    seedAccount("beta");
  }
  FunctionRepository& fns() { return store().functions(); }

  VersionRecord makeVersion(const std::string& uuid, int64_t n) {
    VersionRecord v;
    v.functionUuid = uuid;
    v.version = n;
    v.code = "function lambda(input, callback) { callback(null, " + std::to_string(n) + "); }";
    v.environment = {{"GREETING", "hello " + std::to_string(n)}, {"EMPTY", ""}};
    v.settings.timeoutSeconds = 10 + n;
    v.settings.memoryMb = 256;
    v.createdAt = 1000 + n;
    v.createdBy = "u-1";
    return v;
  }

  std::vector<int64_t> versionNumbers(const std::string& uuid) {
    std::vector<int64_t> out;
    auto vs = fns().versions(uuid);
    EXPECT_TRUE(vs.ok());
    if (vs.ok()) {
      for (const auto& v : *vs) out.push_back(v.version);
    }
    return out;
  }
};

TEST_F(FunctionsTest, CreateGetListCount) {
  FunctionRecord f = makeFunction("acme", "greet", "f-1");
  f.eventId = "conversation-end";
  f.state = FunctionState::kBuildError;
  f.latestVersion = 3;
  f.deployedVersion = 2;
  f.lastError = R"({"message":"boom","line":1,"column":2})";
  ASSERT_TRUE(fns().create(f).ok());
  ASSERT_TRUE(fns().create(makeFunction("acme", "alpha", "f-2")).ok());
  ASSERT_TRUE(fns().create(makeFunction("beta", "greet", "f-3")).ok());  // same name, other account

  auto got = fns().get("acme", "f-1");
  ASSERT_TRUE(got.ok()) << got.error().message();
  EXPECT_EQ(got->uuid, "f-1");
  EXPECT_EQ(got->accountId, "acme");
  EXPECT_EQ(got->name, "greet");
  EXPECT_EQ(got->description, "the greet function");
  EXPECT_EQ(got->eventId, "conversation-end");
  EXPECT_EQ(got->skills, (std::vector<std::string>{"skill-a", "skill-b"}));
  EXPECT_EQ(got->state, FunctionState::kBuildError);
  EXPECT_EQ(got->latestVersion, 3);
  EXPECT_EQ(got->deployedVersion, 2);
  EXPECT_EQ(got->lastError, f.lastError);
  EXPECT_EQ(got->createdAt, 10);
  EXPECT_EQ(got->createdBy, "user-1");
  EXPECT_EQ(got->updatedAt, 11);
  EXPECT_EQ(got->updatedBy, "user-2");

  auto byName = fns().getByName("beta", "greet");
  ASSERT_TRUE(byName.ok());
  EXPECT_EQ(byName->uuid, "f-3");

  auto listed = fns().list("acme");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].name, "alpha");  // ordered by name
  EXPECT_EQ((*listed)[1].name, "greet");
  EXPECT_EQ((*listed)[1].state, FunctionState::kBuildError);

  EXPECT_EQ(fns().count("acme").value(), 2);
  EXPECT_EQ(fns().count("beta").value(), 1);
  EXPECT_EQ(fns().count("nobody").value(), 0);
}

TEST_F(FunctionsTest, ListBoundToReadsOneEventOfOneAccount) {
  auto bound = [&](const std::string& account, const std::string& name, const std::string& uuid,
                   const std::string& event) {
    FunctionRecord f = makeFunction(account, name, uuid);
    f.eventId = event;
    ASSERT_TRUE(fns().create(f).ok());
  };
  bound("acme", "zeta", "f-1", "conversation-end");
  bound("acme", "alpha", "f-2", "conversation-end");
  bound("acme", "other", "f-3", "No Event");
  bound("beta", "theirs", "f-4", "conversation-end");

  auto listed = fns().listBoundTo("acme", "conversation-end");
  ASSERT_TRUE(listed.ok()) << listed.error().message();
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].uuid, "f-2");  // ordered by name
  EXPECT_EQ((*listed)[1].uuid, "f-1");
  EXPECT_EQ((*listed)[1].skills, (std::vector<std::string>{"skill-a", "skill-b"}));
  EXPECT_TRUE(fns().listBoundTo("acme", "conversation-start")->empty());
  EXPECT_EQ(fns().listBoundTo("beta", "conversation-end")->size(), 1u);

  // Moving a function to another event moves it between the lists.
  FunctionRecord moved = fns().get("acme", "f-1").value();
  moved.eventId = "No Event";
  ASSERT_TRUE(fns().update(moved).ok());
  EXPECT_EQ(fns().listBoundTo("acme", "conversation-end")->size(), 1u);
  EXPECT_EQ(fns().listBoundTo("acme", "No Event")->size(), 2u);
  // The range is an index's, not a scan of the account's functions (migration 10).
  EXPECT_EQ(rawQuery("SELECT COUNT(*) FROM pragma_index_info('functions_by_event')"), 2);
}

TEST_F(FunctionsTest, ErrorsNameTheFunction) {
  ASSERT_TRUE(fns().create(makeFunction("acme", "greet", "f-1")).ok());

  auto dupName = fns().create(makeFunction("acme", "greet", "f-2"));
  ASSERT_FALSE(dupName.ok());
  EXPECT_EQ(dupName.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(dupName.error().message(), "a function named 'greet' already exists in account 'acme'");

  auto dupUuid = fns().create(makeFunction("acme", "other", "f-1"));
  ASSERT_FALSE(dupUuid.ok());
  EXPECT_EQ(dupUuid.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(dupUuid.error().message(), "a function with uuid 'f-1' already exists");

  auto noAccount = fns().create(makeFunction("ghost", "x", "f-9"));
  ASSERT_FALSE(noAccount.ok());
  EXPECT_EQ(noAccount.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(noAccount.error().message(), "account 'ghost' not found");

  // Another account's function is not found, never shown.
  auto otherAccount = fns().get("beta", "f-1");
  ASSERT_FALSE(otherAccount.ok());
  EXPECT_EQ(otherAccount.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(otherAccount.error().message(), "function 'f-1' not found in account 'beta'");

  auto noName = fns().getByName("acme", "nope");
  ASSERT_FALSE(noName.ok());
  EXPECT_EQ(noName.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(noName.error().message(), "function 'nope' not found in account 'acme'");
}

TEST_F(FunctionsTest, UpdateReplacesEveryField) {
  ASSERT_TRUE(fns().create(makeFunction("acme", "greet", "f-1")).ok());
  ASSERT_TRUE(fns().create(makeFunction("acme", "taken", "f-2")).ok());

  FunctionRecord f = fns().get("acme", "f-1").value();
  f.name = "welcome";
  f.description = "";
  f.eventId = "messaging-line-in-off-hours";
  f.skills = {};
  f.state = FunctionState::kProductive;
  f.latestVersion = 7;
  f.deployedVersion = 7;
  f.lastError = "";
  f.updatedAt = 99;
  f.updatedBy = "u-3";
  ASSERT_TRUE(fns().update(f).ok());

  auto got = fns().get("acme", "f-1");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->name, "welcome");
  EXPECT_EQ(got->description, "");
  EXPECT_EQ(got->eventId, "messaging-line-in-off-hours");
  EXPECT_TRUE(got->skills.empty());
  EXPECT_EQ(got->state, FunctionState::kProductive);
  EXPECT_EQ(got->latestVersion, 7);
  EXPECT_EQ(got->deployedVersion, 7);
  EXPECT_EQ(got->updatedAt, 99);
  EXPECT_EQ(got->updatedBy, "u-3");
  EXPECT_EQ(got->createdBy, "user-1");
  EXPECT_FALSE(fns().getByName("acme", "greet").ok());

  f.name = "taken";
  auto clash = fns().update(f);
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(clash.error().message(), "a function named 'taken' already exists in account 'acme'");
  EXPECT_EQ(fns().get("acme", "f-1")->name, "welcome");

  f.name = "welcome";
  f.accountId = "beta";  // the uuid is not in that account
  auto wrongAccount = fns().update(f);
  ASSERT_FALSE(wrongAccount.ok());
  EXPECT_EQ(wrongAccount.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(wrongAccount.error().message(), "function 'f-1' not found in account 'beta'");

  auto missing = fns().update(makeFunction("acme", "ghost", "f-9"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().message(), "function 'f-9' not found in account 'acme'");
}

TEST_F(FunctionsTest, RemoveTakesVersionsAndDeploymentsWithIt) {
  ASSERT_TRUE(fns().create(makeFunction("acme", "greet", "f-1")).ok());
  ASSERT_TRUE(fns().create(makeFunction("acme", "keep", "f-2")).ok());
  ASSERT_TRUE(fns().addVersion(makeVersion("f-1", 1)).ok());
  ASSERT_TRUE(fns().addVersion(makeVersion("f-2", 1)).ok());
  ASSERT_TRUE(fns().addDeployment({0, "f-1", "deploy", 1, "successful", "", 5, "u"}).ok());

  auto wrongAccount = fns().remove("beta", "f-1");
  ASSERT_FALSE(wrongAccount.ok());
  EXPECT_EQ(wrongAccount.error().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(fns().get("acme", "f-1").ok());

  ASSERT_TRUE(fns().remove("acme", "f-1").ok());
  auto gone = fns().get("acme", "f-1");
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(fns().versions("f-1")->empty());
  EXPECT_TRUE(fns().deployments("f-1")->empty());
  EXPECT_EQ(versionNumbers("f-2"), (std::vector<int64_t>{1}));
  EXPECT_EQ(fns().count("acme").value(), 1);

  auto again = fns().remove("acme", "f-1");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().message(), "function 'f-1' not found in account 'acme'");

  // The name is free again.
  EXPECT_TRUE(fns().create(makeFunction("acme", "greet", "f-3")).ok());
}

TEST_F(FunctionsTest, Versions) {
  ASSERT_TRUE(fns().create(makeFunction("acme", "greet", "f-1")).ok());
  for (int64_t n = 1; n <= 3; ++n) ASSERT_TRUE(fns().addVersion(makeVersion("f-1", n)).ok());

  auto v2 = fns().version("f-1", 2);
  ASSERT_TRUE(v2.ok()) << v2.error().message();
  EXPECT_EQ(v2->functionUuid, "f-1");
  EXPECT_EQ(v2->version, 2);
  EXPECT_EQ(v2->code, makeVersion("f-1", 2).code);
  EXPECT_EQ(v2->environment,
            (std::map<std::string, std::string>{{"EMPTY", ""}, {"GREETING", "hello 2"}}));
  EXPECT_EQ(v2->settings.timeoutSeconds, 12);
  EXPECT_EQ(v2->settings.memoryMb, 256);
  EXPECT_EQ(v2->createdAt, 1002);
  EXPECT_EQ(v2->createdBy, "u-1");

  EXPECT_EQ(versionNumbers("f-1"), (std::vector<int64_t>{3, 2, 1}));  // newest first
  EXPECT_EQ(fns().versions("f-1")->front().environment.at("GREETING"), "hello 3");

  auto dup = fns().addVersion(makeVersion("f-1", 2));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(dup.error().message(), "version 2 of function 'f-1' already exists");

  auto noFunction = fns().addVersion(makeVersion("f-9", 1));
  ASSERT_FALSE(noFunction.ok());
  EXPECT_EQ(noFunction.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(noFunction.error().message(), "function 'f-9' not found");

  auto missing = fns().version("f-1", 9);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().message(), "version 9 of function 'f-1' not found");
}

TEST_F(FunctionsTest, PruneKeepsTheNewestAndTheProtectedVersion) {
  ASSERT_TRUE(fns().create(makeFunction("acme", "greet", "f-1")).ok());
  ASSERT_TRUE(fns().create(makeFunction("acme", "other", "f-2")).ok());
  for (int64_t n = 1; n <= 25; ++n) ASSERT_TRUE(fns().addVersion(makeVersion("f-1", n)).ok());
  for (int64_t n = 1; n <= 3; ++n) ASSERT_TRUE(fns().addVersion(makeVersion("f-2", n)).ok());

  // The deployed version 2 is older than the newest 20: it stays as well.
  ASSERT_TRUE(fns().pruneVersions("f-1", 20, 2).ok());
  std::vector<int64_t> expected;
  for (int64_t n = 25; n >= 6; --n) expected.push_back(n);
  expected.push_back(2);
  EXPECT_EQ(versionNumbers("f-1"), expected);

  // Protected within the newest: exactly the newest N remain.
  ASSERT_TRUE(fns().pruneVersions("f-1", 3, 24).ok());
  EXPECT_EQ(versionNumbers("f-1"), (std::vector<int64_t>{25, 24, 23}));

  // Nothing deployed (0) and keep 1.
  ASSERT_TRUE(fns().pruneVersions("f-1", 1, 0).ok());
  EXPECT_EQ(versionNumbers("f-1"), (std::vector<int64_t>{25}));

  // Other functions are untouched.
  EXPECT_EQ(versionNumbers("f-2"), (std::vector<int64_t>{3, 2, 1}));

  ASSERT_TRUE(fns().pruneVersions("f-2", 0, 1).ok());
  EXPECT_EQ(versionNumbers("f-2"), (std::vector<int64_t>{1}));

  auto negative = fns().pruneVersions("f-2", -1, 0);
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.error().code(), ErrorCode::kInvalidArgument);
}

TEST_F(FunctionsTest, DeploymentsNewestFirst) {
  ASSERT_TRUE(fns().create(makeFunction("acme", "greet", "f-1")).ok());
  ASSERT_TRUE(fns().create(makeFunction("acme", "other", "f-2")).ok());

  // Same timestamp on purpose: order comes from insertion, not the clock.
  auto d1 = fns().addDeployment({0, "f-1", "deploy", 1, "successful", "", 100, "u-1"});
  auto d2 = fns().addDeployment(
      {0, "f-1", "deploy", 2, "failed", R"({"message":"x","line":3,"column":4})", 100, "u-2"});
  auto dOther = fns().addDeployment({0, "f-2", "deploy", 1, "successful", "", 100, "u-1"});
  auto d3 = fns().addDeployment({0, "f-1", "rollback", 1, "successful", "", 100, "u-1"});
  ASSERT_TRUE(d1.ok() && d2.ok() && d3.ok() && dOther.ok());
  EXPECT_LT(*d1, *d2);
  EXPECT_LT(*d2, *dOther);
  EXPECT_LT(*dOther, *d3);

  auto list = fns().deployments("f-1");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].id, *d3);
  EXPECT_EQ((*list)[0].action, "rollback");
  EXPECT_EQ((*list)[1].id, *d2);
  EXPECT_EQ((*list)[1].version, 2);
  EXPECT_EQ((*list)[1].state, "failed");
  EXPECT_EQ((*list)[1].error, R"({"message":"x","line":3,"column":4})");
  EXPECT_EQ((*list)[1].createdBy, "u-2");
  EXPECT_EQ((*list)[1].functionUuid, "f-1");
  EXPECT_EQ((*list)[2].id, *d1);
  EXPECT_EQ((*list)[2].createdAt, 100);

  auto noFunction = fns().addDeployment({0, "f-9", "deploy", 1, "successful", "", 1, "u"});
  ASSERT_FALSE(noFunction.ok());
  EXPECT_EQ(noFunction.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(noFunction.error().message(), "function 'f-9' not found");
}

}  // namespace
}  // namespace parley::store
