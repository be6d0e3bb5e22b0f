// Accounts, users, memberships, API clients, revoked tokens; and the enum names of records.h.
#include <algorithm>

#include "store/records.h"
#include "store/store_test_util.h"

namespace parley::store {
namespace {

using testing::StoreTest;

TEST(Records, RoleNamesRoundTrip) {
  EXPECT_STREQ(roleName(Role::kAdmin), "Admin");
  EXPECT_STREQ(roleName(Role::kDeveloper), "Developer");
  EXPECT_STREQ(roleName(Role::kInvoker), "Invoker");
  EXPECT_STREQ(roleName(Role::kViewer), "Viewer");
  for (Role r : {Role::kAdmin, Role::kDeveloper, Role::kInvoker, Role::kViewer}) {
    EXPECT_EQ(roleFromName(roleName(r)), r);
  }
  EXPECT_EQ(roleFromName("admin"), std::nullopt);  // exact names only
  EXPECT_EQ(roleFromName(""), std::nullopt);
}

TEST(Records, FunctionStateNamesRoundTrip) {
  EXPECT_STREQ(functionStateName(FunctionState::kDraft), "Draft");
  EXPECT_STREQ(functionStateName(FunctionState::kProductive), "Productive");
  EXPECT_STREQ(functionStateName(FunctionState::kModified), "Modified");
  EXPECT_STREQ(functionStateName(FunctionState::kUndeployed), "Undeployed");
  EXPECT_STREQ(functionStateName(FunctionState::kBuildError), "Build Error");
  EXPECT_STREQ(functionStateName(FunctionState::kDeployError), "Deploy Error");
  for (FunctionState s :
       {FunctionState::kDraft, FunctionState::kProductive, FunctionState::kModified,
        FunctionState::kUndeployed, FunctionState::kBuildError, FunctionState::kDeployError}) {
    EXPECT_EQ(functionStateFromName(functionStateName(s)), s);
  }
  EXPECT_EQ(functionStateFromName("BuildError"), std::nullopt);
  EXPECT_EQ(functionStateFromName("draft"), std::nullopt);
}

TEST_F(StoreTest, AccountsCreateGetList) {
  ASSERT_TRUE(store().accounts().create({"zeta", "Zeta Corp", 5}).ok());
  ASSERT_TRUE(store().accounts().create({"acme", "Acme Inc", 7}).ok());

  auto got = store().accounts().get("acme");
  ASSERT_TRUE(got.ok()) << got.error().message();
  EXPECT_EQ(got->id, "acme");
  EXPECT_EQ(got->name, "Acme Inc");
  EXPECT_EQ(got->createdAt, 7);

  auto all = store().accounts().list();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, "acme");  // ordered by id
  EXPECT_EQ((*all)[1].id, "zeta");
  EXPECT_EQ((*all)[1].name, "Zeta Corp");
}

TEST_F(StoreTest, AccountErrorsNameTheAccount) {
  seedAccount("acme");
  auto dup = store().accounts().create({"acme", "Other", 1});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(dup.error().message(), "account 'acme' already exists");

  auto missing = store().accounts().get("nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().message(), "account 'nope' not found");
}

TEST_F(StoreTest, UsersCreateGetAndPassword) {
  User alice{"u-1", "alice", "hash-1", true, 42};
  ASSERT_TRUE(store().users().create(alice).ok());

  auto byId = store().users().get("u-1");
  ASSERT_TRUE(byId.ok());
  EXPECT_EQ(byId->username, "alice");
  EXPECT_EQ(byId->passwordHash, "hash-1");
  EXPECT_TRUE(byId->isOperator);
  EXPECT_EQ(byId->createdAt, 42);

  auto byName = store().users().getByUsername("alice");
  ASSERT_TRUE(byName.ok());
  EXPECT_EQ(byName->id, "u-1");

  ASSERT_TRUE(store().users().setPasswordHash("u-1", "hash-2").ok());
  EXPECT_EQ(store().users().get("u-1")->passwordHash, "hash-2");

  auto noUser = store().users().setPasswordHash("u-9", "x");
  ASSERT_FALSE(noUser.ok());
  EXPECT_EQ(noUser.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(noUser.error().message(), "user 'u-9' not found");
}

TEST_F(StoreTest, UsernamesAreUniqueAndCaseSensitive) {
  ASSERT_TRUE(store().users().create({"u-1", "alice", "h", false, 1}).ok());
  ASSERT_TRUE(store().users().create({"u-2", "Alice", "h", false, 1}).ok());

  auto dupName = store().users().create({"u-3", "alice", "h", false, 1});
  ASSERT_FALSE(dupName.ok());
  EXPECT_EQ(dupName.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(dupName.error().message(), "a user named 'alice' already exists");

  auto dupId = store().users().create({"u-1", "bob", "h", false, 1});
  ASSERT_FALSE(dupId.ok());
  EXPECT_EQ(dupId.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(dupId.error().message(), "a user with id 'u-1' already exists");

  EXPECT_EQ(store().users().getByUsername("Alice")->id, "u-2");
  auto upper = store().users().getByUsername("ALICE");
  ASSERT_FALSE(upper.ok());
  EXPECT_EQ(upper.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(upper.error().message(), "user 'ALICE' not found");

  auto noId = store().users().get("u-9");
  ASSERT_FALSE(noId.ok());
  EXPECT_EQ(noId.error().message(), "user 'u-9' not found");
}

TEST_F(StoreTest, MembershipRolesArePerAccount) {
  seedAccount("acme");
  seedAccount("beta");
  ASSERT_TRUE(store().users().create({"u-1", "carol", "h", false, 1}).ok());
  ASSERT_TRUE(store().users().create({"u-2", "alice", "h", false, 1}).ok());
  ASSERT_TRUE(store().users().create({"u-3", "bob", "h", false, 1}).ok());

  ASSERT_TRUE(store().users().setRole({"acme", "u-1", Role::kAdmin}).ok());
  ASSERT_TRUE(store().users().setRole({"beta", "u-1", Role::kViewer}).ok());
  ASSERT_TRUE(store().users().setRole({"acme", "u-2", Role::kInvoker}).ok());

  EXPECT_EQ(store().users().roleIn("acme", "u-1").value(), std::optional<Role>(Role::kAdmin));
  EXPECT_EQ(store().users().roleIn("beta", "u-1").value(), std::optional<Role>(Role::kViewer));
  EXPECT_EQ(store().users().roleIn("acme", "u-2").value(), std::optional<Role>(Role::kInvoker));
  EXPECT_EQ(store().users().roleIn("beta", "u-2").value(), std::nullopt);
  EXPECT_EQ(store().users().roleIn("acme", "u-3").value(), std::nullopt);

  // One role per account: setting again replaces it.
  ASSERT_TRUE(store().users().setRole({"acme", "u-1", Role::kDeveloper}).ok());
  EXPECT_EQ(store().users().roleIn("acme", "u-1").value(), std::optional<Role>(Role::kDeveloper));
  EXPECT_EQ(store().users().roleIn("beta", "u-1").value(), std::optional<Role>(Role::kViewer));

  auto members = store().users().listInAccount("acme");
  ASSERT_TRUE(members.ok());
  ASSERT_EQ(members->size(), 2u);
  EXPECT_EQ((*members)[0].first.username, "alice");  // ordered by username
  EXPECT_EQ((*members)[0].second, Role::kInvoker);
  EXPECT_EQ((*members)[1].first.username, "carol");
  EXPECT_EQ((*members)[1].first.id, "u-1");
  EXPECT_EQ((*members)[1].second, Role::kDeveloper);

  ASSERT_TRUE(store().users().removeRole("acme", "u-1").ok());
  EXPECT_EQ(store().users().roleIn("acme", "u-1").value(), std::nullopt);
  EXPECT_EQ(store().users().roleIn("beta", "u-1").value(), std::optional<Role>(Role::kViewer));
  EXPECT_EQ(store().users().listInAccount("acme")->size(), 1u);

  auto again = store().users().removeRole("acme", "u-1");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(again.error().message(), "user 'u-1' has no role in account 'acme'");
}

TEST_F(StoreTest, SetRoleNamesTheMissingRow) {
  seedAccount("acme");
  ASSERT_TRUE(store().users().create({"u-1", "alice", "h", false, 1}).ok());

  auto noAccount = store().users().setRole({"ghost", "u-1", Role::kAdmin});
  ASSERT_FALSE(noAccount.ok());
  EXPECT_EQ(noAccount.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(noAccount.error().message(), "account 'ghost' not found");

  auto noUser = store().users().setRole({"acme", "u-9", Role::kAdmin});
  ASSERT_FALSE(noUser.ok());
  EXPECT_EQ(noUser.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(noUser.error().message(), "user 'u-9' not found");
}

TEST_F(StoreTest, ApiClients) {
  seedAccount("acme");
  seedAccount("beta");
  ApiClient c1{"cid-1", "acme", "ci", "secret-hash", {"functions.invoke", "events.publish"},
               100,     "u-1",  false};
  ApiClient c2{"cid-2", "acme", "deploy", "h2", {}, 200, "u-1", false};
  ApiClient c3{"cid-3", "beta", "other", "h3", {"functions.manage"}, 50, "u-2", false};
  ASSERT_TRUE(store().clients().create(c2).ok());
  ASSERT_TRUE(store().clients().create(c1).ok());
  ASSERT_TRUE(store().clients().create(c3).ok());

  auto got = store().clients().get("cid-1");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->accountId, "acme");
  EXPECT_EQ(got->name, "ci");
  EXPECT_EQ(got->secretHash, "secret-hash");
  EXPECT_EQ(got->scopes, (std::vector<std::string>{"functions.invoke", "events.publish"}));
  EXPECT_EQ(got->createdAt, 100);
  EXPECT_EQ(got->createdBy, "u-1");
  EXPECT_FALSE(got->revoked);

  auto listed = store().clients().list("acme");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].clientId, "cid-1");  // oldest first
  EXPECT_EQ((*listed)[1].clientId, "cid-2");
  EXPECT_TRUE((*listed)[1].scopes.empty());

  // Revoking needs the right account.
  auto wrong = store().clients().revoke("beta", "cid-1");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(wrong.error().message(), "API client 'cid-1' not found in account 'beta'");
  EXPECT_FALSE(store().clients().get("cid-1")->revoked);

  ASSERT_TRUE(store().clients().revoke("acme", "cid-1").ok());
  EXPECT_TRUE(store().clients().get("cid-1")->revoked);
  EXPECT_FALSE(store().clients().get("cid-2")->revoked);
  EXPECT_TRUE(store().clients().revoke("acme", "cid-1").ok());  // idempotent

  auto dup = store().clients().create(c1);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(dup.error().message(), "an API client with id 'cid-1' already exists");

  ApiClient orphan{"cid-4", "ghost", "x", "h", {}, 1, "u", false};
  auto noAccount = store().clients().create(orphan);
  ASSERT_FALSE(noAccount.ok());
  EXPECT_EQ(noAccount.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(noAccount.error().message(), "account 'ghost' not found");

  auto missing = store().clients().get("cid-9");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().message(), "API client 'cid-9' not found");
  EXPECT_TRUE(store().clients().list("nobody")->empty());
}

TEST_F(StoreTest, RevokedTokensUntilTheyExpire) {
  auto& rev = store().revocations();
  ASSERT_TRUE(rev.revoke("jti-1", 1000).ok());
  ASSERT_TRUE(rev.revoke("jti-2", 2000).ok());
  EXPECT_TRUE(rev.isRevoked("jti-1").value());
  EXPECT_TRUE(rev.isRevoked("jti-2").value());
  EXPECT_FALSE(rev.isRevoked("jti-3").value());

  // Revoked again with a later expiry: kept until the later one.
  ASSERT_TRUE(rev.revoke("jti-1", 3000).ok());
  ASSERT_TRUE(rev.revoke("jti-1", 500).ok());

  ASSERT_TRUE(rev.purgeExpired(2000).ok());  // strictly before 2000
  EXPECT_TRUE(rev.isRevoked("jti-1").value());
  EXPECT_TRUE(rev.isRevoked("jti-2").value());
  ASSERT_TRUE(rev.purgeExpired(2001).ok());
  EXPECT_TRUE(rev.isRevoked("jti-1").value());
  EXPECT_FALSE(rev.isRevoked("jti-2").value());
  ASSERT_TRUE(rev.purgeExpired(3001).ok());
  EXPECT_FALSE(rev.isRevoked("jti-1").value());
}

}  // namespace
}  // namespace parley::store
