#include "base/result.h"

#include <gtest/gtest.h>

namespace parley {
namespace {

Result<int> parsePositive(int v) {
  if (v <= 0) return Error::invalidArgument("value must be positive");
  return v;
}

TEST(Result, CarriesValueOrError) {
  auto good = parsePositive(3);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 3);
  auto bad = parsePositive(-1);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().message(), "value must be positive");
  EXPECT_STREQ(errorCodeName(bad.error().code()), "invalid_argument");
}

}  // namespace
}  // namespace parley
