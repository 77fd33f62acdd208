//===- ConvShapeTest.cpp - Convolution output sizes -----------------------===//

#include "mlg/Dialect/MLG/Utils/ConvShape.h"

#include "gtest/gtest.h"

#include <cstdint>

using namespace mlir::mlg;

namespace {
constexpr int64_t kDynamic = -1;

TEST(ConvShapeTest, MatchesClosedForm) {
  // ResNet-18 stem: 224, k7, s2, p3 -> 112.
  EXPECT_EQ(convOutputSize(224, 7, 2, 1, 3, 3, kDynamic), 112);
  // 3x3 same padding keeps the size.
  EXPECT_EQ(convOutputSize(32, 3, 1, 1, 1, 1, kDynamic), 32);
  // Stride 2 floors: (7 + 2 - 3) / 2 + 1 = 4.
  EXPECT_EQ(convOutputSize(7, 3, 2, 1, 1, 1, kDynamic), 4);
  // Dilation 2 makes a 3-tap kernel span 5.
  EXPECT_EQ(convOutputSize(9, 3, 1, 2, 0, 0, kDynamic), 5);
  // Asymmetric padding.
  EXPECT_EQ(convOutputSize(4, 2, 1, 1, 0, 1, kDynamic), 4);
}

TEST(ConvShapeTest, KernelLargerThanInput) {
  EXPECT_LT(*convOutputSize(2, 5, 1, 1, 0, 0, kDynamic), 1);
  EXPECT_LT(*convOutputSize(3, 3, 1, 2, 0, 0, kDynamic), 1);
}

TEST(ConvShapeTest, OverflowIsReported) {
  const int64_t huge = INT64_MAX;
  EXPECT_FALSE(convOutputSize(8, 5, 1, int64_t(1) << 62, 0, 0, kDynamic));
  EXPECT_FALSE(convOutputSize(12, 3, 1, 1, huge, huge, kDynamic));
  EXPECT_FALSE(convOutputSize(huge, 3, 1, 1, 1, 0, kDynamic));
}

TEST(ConvShapeTest, DynamicPropagates) {
  EXPECT_EQ(convOutputSize(kDynamic, 3, 1, 1, 1, 1, kDynamic), kDynamic);
  EXPECT_EQ(convOutputSize(8, kDynamic, 1, 1, 1, 1, kDynamic), kDynamic);
}
} // namespace
