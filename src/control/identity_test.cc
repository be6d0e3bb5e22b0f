// IdentityService's token cache on a real SQLite store with a fake clock: a token seen before
// skips the signature check but never the expiry, and revocation takes effect at once.
#include "control/identity.h"

#include <gtest/gtest.h>

#include "store/store_test_util.h"

namespace parley::control {
namespace {

class IdentityTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    IdentityOptions o;
    o.userTokenTtlSeconds = 60;
    identity_ = std::make_unique<IdentityService>(store(), signer_, clock_, o);
    ASSERT_TRUE(identity_->bootstrap("a-long-password", nullptr).ok());
  }
  void TearDown() override {
    identity_.reset();
    StoreTest::TearDown();
  }
  std::string login() {
    auto t = identity_->login("admin", "a-long-password");
    EXPECT_TRUE(t.ok());
    return t.ok() ? t->token : "";
  }

  TokenSigner signer_{std::string(32, 'k'), clock_};
  std::unique_ptr<IdentityService> identity_;
};

TEST_F(IdentityTest, ACachedTokenStillExpires) {
  std::string token = login();
  ASSERT_TRUE(identity_->authenticate(token).ok());  // verified, then cached
  clock_.advanceMs(30'000);
  ASSERT_TRUE(identity_->authenticate(token).ok());
  clock_.advanceMs(31'000);  // past the 60 s lifetime, and past the cache's own TTL too
  auto late = identity_->authenticate(token);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().message(), "The token has expired");
}

TEST_F(IdentityTest, ACachedTokenExpiresEvenWhileItsCacheEntryIsFresh) {
  IdentityOptions o;
  o.userTokenTtlSeconds = 2;
  o.cacheTtlMs = 60'000;
  identity_ = std::make_unique<IdentityService>(store(), signer_, clock_, o);
  std::string token = login();
  ASSERT_TRUE(identity_->authenticate(token).ok());
  clock_.advanceMs(2'000);
  EXPECT_FALSE(identity_->authenticate(token).ok());
}

TEST_F(IdentityTest, AnAlteredTokenIsRefusedAfterTheGenuineOneWasCached) {
  std::string token = login();
  ASSERT_TRUE(identity_->authenticate(token).ok());
  std::string altered = token;
  char& c = altered[altered.size() - 10];  // inside the signature (not its last, partial char)
  c = c == 'A' ? 'B' : 'A';
  auto r = identity_->authenticate(altered);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kUnauthenticated);
}

TEST_F(IdentityTest, RevokingACachedTokenTakesEffectAtOnce) {
  std::string token = login();
  auto p = identity_->authenticate(token);
  ASSERT_TRUE(p.ok());
  ASSERT_TRUE(identity_->revoke(*p).ok());
  auto again = identity_->authenticate(token);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().message(), "The token has been revoked");
}

}  // namespace
}  // namespace parley::control
