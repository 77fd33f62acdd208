//===- QuantGridTest.cpp - Symmetric grids against closed forms -----------===//

#include "mlg/Dialect/MLG/Utils/QuantGrid.h"

#include "gtest/gtest.h"

#include <cmath>
#include <set>

using namespace mlir::mlg;

namespace {

QuantGrid perTensor(GridScheme scheme, unsigned bits, double scale) {
  QuantGrid grid;
  grid.scheme = scheme;
  grid.bits = bits;
  grid.scales = {scale};
  return grid;
}

TEST(QuantGridTest, CodeRanges) {
  EXPECT_EQ(minCodeFor(GridScheme::Midrise, 3), -4);
  EXPECT_EQ(maxCodeFor(GridScheme::Midrise, 3), 3);
  EXPECT_EQ(minCodeFor(GridScheme::Midtread, 3), -3);
  EXPECT_EQ(maxCodeFor(GridScheme::Midtread, 3), 3);
  EXPECT_EQ(minCodeFor(GridScheme::Midrise, 1), -1);
  EXPECT_EQ(maxCodeFor(GridScheme::Midrise, 1), 0);
  EXPECT_EQ(minCodeFor(GridScheme::Midrise, 16), -32768);
  EXPECT_EQ(maxCodeFor(GridScheme::Midtread, 16), 32767);
}

// The paper's DoReFa-symmetric quantizer has 2^b levels r*m/(2^b-1) for odd
// m in [-(2^b-1), 2^b-1] (method.md section 2.2). With scale = 2r/(2^b-1) the
// midrise grid must produce exactly that set.
TEST(QuantGridTest, MidriseMatchesDoReFaLevels) {
  const double r = 0.8;
  for (unsigned bits = 1; bits <= 8; ++bits) {
    double steps = std::pow(2.0, bits) - 1;
    QuantGrid grid = perTensor(GridScheme::Midrise, bits, 2 * r / steps);
    std::set<double> levels;
    for (int64_t c = grid.minCode(); c <= grid.maxCode(); ++c)
      levels.insert(grid.decode(c));
    ASSERT_EQ(levels.size(), size_t(1) << bits) << "bits " << bits;
    int64_t m = -static_cast<int64_t>(steps);
    for (double level : levels) {
      EXPECT_NEAR(level, r * double(m) / steps, 1e-15) << "bits " << bits;
      m += 2;
    }
    EXPECT_DOUBLE_EQ(*levels.begin(), -r);
    EXPECT_DOUBLE_EQ(*levels.rbegin(), r);
    EXPECT_EQ(levels.count(0.0), 0u) << "midrise has no zero level";
  }
}

TEST(QuantGridTest, MidtreadIsSymmetricWithZero) {
  QuantGrid grid = perTensor(GridScheme::Midtread, 4, 0.125);
  EXPECT_DOUBLE_EQ(grid.decode(0), 0.0);
  EXPECT_DOUBLE_EQ(grid.decode(7), 0.875);
  EXPECT_DOUBLE_EQ(grid.decode(-7), -0.875);
}

TEST(QuantGridTest, EncodeRoundsToNearestAndClamps) {
  QuantGrid rise = perTensor(GridScheme::Midrise, 3, 0.5);
  EXPECT_EQ(rise.encode(0.26), 0);   // nearest level 0.25
  EXPECT_EQ(rise.encode(-0.1), -1);  // nearest level -0.25
  EXPECT_EQ(rise.encode(100.0), 3);  // clamped to 1.75
  EXPECT_EQ(rise.encode(-100.0), -4);
  QuantGrid tread = perTensor(GridScheme::Midtread, 3, 0.5);
  EXPECT_EQ(tread.encode(0.2), 0);
  EXPECT_EQ(tread.encode(-0.3), -1);
  EXPECT_EQ(tread.encode(-100.0), -3);
  for (int64_t c = rise.minCode(); c <= rise.maxCode(); ++c)
    EXPECT_EQ(rise.encode(rise.decode(c)), c) << "round trip of code " << c;
}

TEST(QuantGridTest, PerChannelScales) {
  QuantGrid grid;
  grid.scheme = GridScheme::Midrise;
  grid.bits = 2;
  grid.scales = {1.0, 0.5};
  grid.axis = 0;
  EXPECT_FALSE(grid.isPerTensor());
  EXPECT_DOUBLE_EQ(grid.decode(1, 0), 1.5);
  EXPECT_DOUBLE_EQ(grid.decode(1, 1), 0.75);
  EXPECT_EQ(grid.encode(-0.75, 1), -2);
}

} // namespace
