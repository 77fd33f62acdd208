//===- SmartDealTest.cpp - Power-of-two grid and SmartDeal factors --------===//

#include "mlg/Compression/SmartDeal.h"

#include "gtest/gtest.h"

#include <cmath>
#include <random>

using namespace mlir::mlg::compression;

namespace {

TEST(Pow2Grid, CodesAndExponents) {
  Pow2Grid grid; // 5 bits, exponents [-9, 5]
  EXPECT_EQ(grid.largestCode(), 15);
  EXPECT_EQ(grid.minExponent(), -9);
  EXPECT_EQ(grid.decode(0), 0.0);
  EXPECT_EQ(grid.decode(1), std::ldexp(1.0, -9));
  EXPECT_EQ(grid.decode(-15), -32.0);
  // Nearest power of two in log2: log2(3) = 1.58 rounds to 2, log2(2.5) =
  // 1.32 to 1.
  EXPECT_EQ(grid.decode(grid.encode(3.0, 0)), 4.0);
  EXPECT_EQ(grid.decode(grid.encode(-2.5, 0)), -2.0);
  // Clipped at both ends, zero below the threshold.
  EXPECT_EQ(grid.decode(grid.encode(1000.0, 0)), 32.0);
  EXPECT_EQ(grid.decode(grid.encode(1e-6, 0)), std::ldexp(1.0, -9));
  EXPECT_EQ(grid.encode(1e-6, 1e-3), 0);
  EXPECT_EQ(grid.encode(0.0, 0), 0);
  for (int64_t code = -15; code <= 15; ++code)
    EXPECT_EQ(grid.encode(grid.decode(code), 0), code);
}

double relativeError(const std::vector<double> &weight,
                     const std::vector<double> &approx) {
  double err = 0, norm = 0;
  for (size_t i = 0; i < weight.size(); ++i) {
    err += (weight[i] - approx[i]) * (weight[i] - approx[i]);
    norm += weight[i] * weight[i];
  }
  return std::sqrt(err / norm);
}

TEST(SmartDeal, AlternatingBeatsRoundingOnce) {
  // A = C B with C on the grid. The alternating algorithm is a heuristic
  // (it need not find C and B again), but it must do better than rounding
  // A once and fitting B (zero iterations), and stay on the grid.
  Pow2Grid grid;
  SmartDealShape shape{2, 12, 3};
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> code(-6, 6);
  std::normal_distribution<double> normal;
  std::vector<double> weight(shape.size(), 0.0);
  for (int64_t block = 0; block < shape.blocks; ++block) {
    double b[9];
    for (double &x : b)
      x = normal(rng);
    for (int64_t r = 0; r < shape.rows; ++r)
      for (int64_t col = 0; col < 3; ++col)
        for (int64_t j = 0; j < 3; ++j)
          weight[(block * shape.rows + r) * 3 + col] +=
              grid.decode(code(rng)) * b[j * 3 + col];
  }
  SmartDealOptions options;
  options.threshold = 0;
  SmartDealFactors factors = decomposeSmartDeal(weight, shape, options);
  ASSERT_EQ(int64_t(factors.codes.size()), shape.size());
  double alternating =
      relativeError(weight, reconstructSmartDeal(factors, shape, grid));
  options.maxIterations = 0;
  double once = relativeError(
      weight, reconstructSmartDeal(decomposeSmartDeal(weight, shape, options),
                                   shape, grid));
  EXPECT_LT(alternating, 0.2);
  EXPECT_LT(alternating, once);
  for (int64_t c : factors.codes)
    EXPECT_LE(std::abs(c), grid.largestCode());
}

TEST(SmartDeal, BasisIsTheLeastSquaresFitAndPruningZeroesRows) {
  SmartDealShape shape{1, 64, 3};
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal;
  std::vector<double> weight(shape.size());
  for (double &x : weight)
    x = 0.05 * normal(rng);
  SmartDealOptions options;
  options.rowPruneFraction = 0.5;
  SmartDealFactors factors = decomposeSmartDeal(weight, shape, options);
  ASSERT_FALSE(factors.codes.empty());
  int64_t zeroRows = 0;
  for (int64_t r = 0; r < shape.rows; ++r)
    zeroRows += factors.codes[r * 3] == 0 && factors.codes[r * 3 + 1] == 0 &&
                factors.codes[r * 3 + 2] == 0;
  EXPECT_GE(zeroRows, 32);
  // The final B minimises ||C B - A|| for the final C: perturbing it in any
  // direction does not help.
  Pow2Grid grid;
  auto error = [&](const std::vector<double> &basis) {
    SmartDealFactors f{factors.codes, basis};
    std::vector<double> approx = reconstructSmartDeal(f, shape, grid);
    double e = 0;
    for (size_t i = 0; i < weight.size(); ++i)
      e += (weight[i] - approx[i]) * (weight[i] - approx[i]);
    return e;
  };
  double best = error(factors.basis);
  for (size_t i = 0; i < factors.basis.size(); ++i)
    for (double step : {1e-4, -1e-4}) {
      std::vector<double> basis = factors.basis;
      basis[i] += step;
      EXPECT_GE(error(basis), best - 1e-12);
    }
}

TEST(SmartDeal, RejectsBadInput) {
  SmartDealShape shape{1, 4, 3};
  std::vector<double> weight(12, 1.0);
  weight[5] = NAN;
  EXPECT_TRUE(decomposeSmartDeal(weight, shape, {}).codes.empty());
  EXPECT_TRUE(decomposeSmartDeal(std::vector<double>(11, 1.0), shape, {})
                  .codes.empty());
  SmartDealOptions options;
  options.rowPruneFraction = 1;
  EXPECT_TRUE(decomposeSmartDeal(std::vector<double>(12, 1.0), shape, options)
                  .codes.empty());
}

TEST(SmartDeal, ColumnsOfVOnTheGrid) {
  Pow2Grid grid{4, 0}; // exponents [-6, 0]
  std::vector<double> v{0.5, -8.0, 0.25, 3.0, -0.001, 0.0};
  std::vector<double> scales;
  std::vector<int64_t> codes = encodeColumnsPow2(v, 3, 2, grid, 0, scales);
  ASSERT_EQ(codes.size(), 6u);
  // Column 0: largest 0.5 -> scale 0.5; column 1: largest 8 -> scale 8.
  EXPECT_EQ(scales[0], 0.5);
  EXPECT_EQ(scales[1], 8.0);
  EXPECT_EQ(grid.decode(codes[0]) * scales[0], 0.5);
  EXPECT_EQ(grid.decode(codes[1]) * scales[1], -8.0);
  EXPECT_EQ(grid.decode(codes[3]) * scales[1], 4.0);
  EXPECT_EQ(grid.decode(codes[4]) * scales[0], -0.5 * std::ldexp(1.0, -6));
  EXPECT_EQ(codes[5], 0);
}

TEST(SmartDeal, StorageCountsRowsBitmapsAndCodes) {
  // Rows of 3: [0 0 0] [1 0 0] [2 -3 4] [0 0 0]; 5-bit codes.
  std::vector<int64_t> codes{0, 0, 0, 1, 0, 0, 2, -3, 4, 0, 0, 0};
  Pow2Storage s = countPow2Storage(codes, 3, 5);
  EXPECT_EQ(s.nonzeros, 4);
  EXPECT_EQ(s.nonzeroRows, 2);
  // Row bits 4; all codes of 2 rows 30 against bitmap 6 + 4 codes 20 = 26.
  EXPECT_TRUE(s.elementBitmap);
  EXPECT_EQ(s.bits, 4 + 26);
  // Dense rows: the codes alone are cheaper than bitmap plus codes.
  std::vector<int64_t> dense{1, 2, 3, -1, -2, -3};
  Pow2Storage d = countPow2Storage(dense, 3, 5);
  EXPECT_FALSE(d.elementBitmap);
  EXPECT_EQ(d.bits, 2 + 30);
  EXPECT_EQ(countPow2Storage(dense, 4, 5).bits, 0); // rows do not divide
}

} // namespace
