//===- CoreGridsTest.cpp - Generator rows on the core's DAC grids ---------===//

#include "CoreGrids.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace mlir::mlg::ptc_lowering;

namespace {

TEST(CoreGrids, PowerOfTwoRowWithinThreeOctavesIsExact) {
  // 4, -2, 1 times 2^-5 and a zero: step 2^-5, levels 4, -2, 1, 0 (max/4).
  const double u = std::ldexp(1.0, -5);
  RowGrid grid = regridRows({4 * u, -2 * u, 1 * u, 0.0}, 1, 7, false);
  EXPECT_EQ(grid.levels, (std::vector<int64_t>{4, -2, 1, 0}));
  EXPECT_DOUBLE_EQ(grid.steps[0], u);
}

TEST(CoreGrids, RowsHaveTheirOwnSteps) {
  RowGrid grid = regridRows({7.0, -3.0, 0.07, 0.03}, 2, 7, false);
  EXPECT_EQ(grid.levels, (std::vector<int64_t>{7, -3, 7, 3}));
  EXPECT_DOUBLE_EQ(grid.steps[0], 1.0);
  EXPECT_DOUBLE_EQ(grid.steps[1], 0.01);
}

/// The squared error of `row` on the grid step * levels.
double gridError(const std::vector<double> &row, const RowGrid &grid) {
  double error = 0;
  for (size_t i = 0; i < row.size(); ++i)
    error += std::pow(row[i] - grid.steps[0] * grid.levels[i], 2);
  return error;
}

TEST(CoreGrids, LeastErrorAmongTheSteps) {
  // Many values at a third of one outlier: no candidate max/L, L in [4, 7],
  // does better than the one chosen, and the levels stay within +-7.
  std::vector<double> row(9, 3.0);
  row.push_back(9.5);
  RowGrid grid = regridRows(row, 1, 7, false);
  for (int64_t level : grid.levels)
    EXPECT_LE(std::abs(level), 7);
  for (int l = 4; l <= 7; ++l) {
    RowGrid other;
    other.steps = {9.5 / l};
    for (double v : row)
      other.levels.push_back(static_cast<int64_t>(
          std::max(-7.0, std::min(7.0, std::round(v / other.steps[0])))));
    EXPECT_LE(gridError(row, grid), gridError(row, other) + 1e-12);
  }
}

TEST(CoreGrids, ColumnWeightsSteerTheStep) {
  // Unweighted, step 1.75 (levels 4, 3, 1) has the least error, 0.0625;
  // with all the weight on column 2, step 1 puts 2.0 on a level exactly.
  EXPECT_DOUBLE_EQ(regridRows({7.0, 5.25, 2.0}, 1, 7, false).steps[0], 1.75);
  RowGrid grid = regridRows({7.0, 5.25, 2.0}, 1, 7, false, {0.0, 0.0, 1.0});
  EXPECT_DOUBLE_EQ(grid.steps[0], 1.0);
  EXPECT_EQ(grid.levels[2], 2);
}

TEST(CoreGrids, OddLevelsForMidriseOperands) {
  std::vector<double> row = {63.0, -1.0, 20.0, 7.0};
  RowGrid grid = regridRows(row, 1, 63, true);
  for (int64_t level : grid.levels) {
    EXPECT_EQ(std::abs(level) % 2, 1);
    EXPECT_LE(std::abs(level), 63);
  }
  // No worse than the plain step max/63 (levels 63, -1, 19 or 21, 7).
  RowGrid plain{{63, -1, 21, 7}, {1.0}};
  EXPECT_LE(gridError(row, grid), gridError(row, plain));
}

TEST(CoreGrids, ZeroRows) {
  RowGrid integers = regridRows({0.0, 0.0}, 1, 7, false);
  EXPECT_EQ(integers.levels, (std::vector<int64_t>{0, 0}));
  EXPECT_EQ(integers.steps[0], 1.0);
  RowGrid odd = regridRows({0.0, 0.0}, 1, 7, true);
  EXPECT_EQ(odd.levels, (std::vector<int64_t>{1, 1}));
  EXPECT_EQ(odd.steps[0], 0.0);
}

} // namespace
