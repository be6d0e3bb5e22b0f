#include "egress/rate_limiter.h"

#include <gtest/gtest.h>

namespace parley::egress {
namespace {

TEST(RateLimiter, BurstThenRefillPerKey) {
  FakeClock clock;
  RateLimiter limiter(clock, 2, 3);
  EXPECT_TRUE(limiter.tryTake("f1"));
  EXPECT_TRUE(limiter.tryTake("f1"));
  EXPECT_TRUE(limiter.tryTake("f1"));
  EXPECT_FALSE(limiter.tryTake("f1"));
  EXPECT_TRUE(limiter.tryTake("f2"));  // another function has its own bucket
  clock.advanceMs(500);                // one token back at 2/s
  EXPECT_TRUE(limiter.tryTake("f1"));
  EXPECT_FALSE(limiter.tryTake("f1"));
  clock.advanceMs(10'000);  // refills up to the burst only
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.tryTake("f1"));
  EXPECT_FALSE(limiter.tryTake("f1"));
}

TEST(RateLimiter, ZeroMeansUnlimited) {
  FakeClock clock;
  RateLimiter limiter(clock, 0, 0);
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(limiter.tryTake("f"));
}

}  // namespace
}  // namespace parley::egress
