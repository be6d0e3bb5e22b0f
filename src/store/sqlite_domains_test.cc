// The account allowlist on a real SQLite file.
#include "store/store_test_util.h"

namespace parley::store::testing {
namespace {

class DomainsTest : public StoreTest {};

TEST_F(DomainsTest, AddListRemove) {
  seedAccount();
  ASSERT_TRUE(store().domains().add({"acme", "*.example.com", 5, "u1"}).ok());
  ASSERT_TRUE(store().domains().add({"acme", "api.example.org", 6, "u2"}).ok());
  auto dup = store().domains().add({"acme", "api.example.org", 7, "u1"});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code(), ErrorCode::kAlreadyExists);
  auto noAccount = store().domains().add({"nobody", "a.example.com", 7, "u1"});
  ASSERT_FALSE(noAccount.ok());
  EXPECT_EQ(noAccount.error().code(), ErrorCode::kNotFound);

  auto list = store().domains().list("acme");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].domain, "*.example.com");
  EXPECT_EQ((*list)[0].createdBy, "u1");
  EXPECT_EQ((*list)[1].domain, "api.example.org");
  EXPECT_EQ((*list)[1].createdAt, 6);
  EXPECT_TRUE(store().domains().list("other")->empty());

  EXPECT_EQ(store().domains().remove("other", "*.example.com").error().code(),
            ErrorCode::kNotFound);
  ASSERT_TRUE(store().domains().remove("acme", "*.example.com").ok());
  EXPECT_EQ(store().domains().remove("acme", "*.example.com").error().code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(store().domains().list("acme")->size(), 1u);

  // Kept across a reopen.
  open();
  EXPECT_EQ(store().domains().list("acme")->size(), 1u);
}

}  // namespace
}  // namespace parley::store::testing
