#include "control/tokens.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>

#include "control/passwords.h"

namespace parley::control {
namespace {

TEST(Tokens, RoundTripCarriesClaims) {
  FakeClock clock;
  TokenSigner signer(std::string(32, 'k'), clock);
  TokenClaims c;
  c.subject = "client-1";
  c.type = "client";
  c.accountId = "acme";
  c.scopes = {"functions.invoke", "events.publish"};
  std::string token = signer.issue(c, 3600);
  auto v = signer.verify(token);
  ASSERT_TRUE(v.ok()) << v.error().message();
  EXPECT_EQ(v->subject, "client-1");
  EXPECT_EQ(v->accountId, "acme");
  EXPECT_EQ(v->scopes, c.scopes);
  EXPECT_EQ(v->tokenId, c.tokenId);
  EXPECT_EQ(v->expiresAt - v->issuedAt, 3600);
}

TEST(Tokens, RejectsExpiredForgedAndMalformed) {
  FakeClock clock;
  TokenSigner signer(std::string(32, 'k'), clock);
  TokenSigner other(std::string(32, 'x'), clock);
  TokenClaims c;
  c.subject = "u1";
  c.type = "user";
  std::string token = signer.issue(c, 60);
  EXPECT_EQ(other.verify(token).error().message(), "The token's signature is not valid");
  std::string tampered = token;
  tampered[tampered.find('.') + 3] ^= 1;
  EXPECT_FALSE(signer.verify(tampered).ok());
  EXPECT_EQ(signer.verify("abc").error().code(), ErrorCode::kUnauthenticated);
  EXPECT_FALSE(signer.verify("").ok());
  clock.advanceMs(61'000);
  EXPECT_EQ(signer.verify(token).error().message(), "The token has expired");
}

TEST(Passwords, HashAndVerify) {
  auto h = hashPassword("correct horse");
  ASSERT_TRUE(h.ok());
  EXPECT_NE(*h, "correct horse");
  EXPECT_EQ(h->rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(verifyPassword("correct horse", *h));
  EXPECT_FALSE(verifyPassword("correct horse!", *h));
  EXPECT_FALSE(verifyPassword("x", "not a hash"));
  EXPECT_NE(randomSecret(), randomSecret());
  EXPECT_EQ(randomSecret(32).size(), 43u);
}

TEST(Tokens, KeyFileIsCreatedOnceWithMode0600) {
  char dir[] = "/tmp/parley-key-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string path = std::string(dir) + "/token.key";
  auto first = loadOrCreateKey(path);
  ASSERT_TRUE(first.ok());
  auto second = loadOrCreateKey(path);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*first, *second);
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  std::system(("rm -rf " + std::string(dir)).c_str());
}

}  // namespace
}  // namespace parley::control
