//===- CoreGrids.cpp - Generator operands on the core's DAC grids ---------===//

#include "CoreGrids.h"

#include <algorithm>
#include <cmath>

using namespace mlir::mlg::ptc_lowering;

namespace {

int64_t levelOf(double v, double step, int64_t top, bool oddLevels) {
  if (!oddLevels)
    return std::clamp<int64_t>(std::llround(v / step), -top, top);
  // The odd level nearest v / step: 2 floor(v / (2 step)) + 1.
  int64_t m = 2 * static_cast<int64_t>(std::floor(v / (2 * step))) + 1;
  return std::clamp<int64_t>(m, -top, top);
}

} // namespace

RowGrid mlir::mlg::ptc_lowering::regridRows(llvm::ArrayRef<double> values,
                                            int64_t rows, int64_t top,
                                            bool oddLevels,
                                            llvm::ArrayRef<double> weights) {
  RowGrid grid;
  grid.levels.resize(values.size());
  grid.steps.resize(rows);
  const int64_t columns = rows ? static_cast<int64_t>(values.size()) / rows : 0;
  for (int64_t r = 0; r < rows; ++r) {
    llvm::ArrayRef<double> row = values.slice(r * columns, columns);
    double largest = 0;
    for (double v : row)
      largest = std::max(largest, std::abs(v));
    int64_t *levels = grid.levels.data() + r * columns;
    if (largest == 0) {
      std::fill(levels, levels + columns, oddLevels ? 1 : 0);
      grid.steps[r] = oddLevels ? 0.0 : 1.0;
      continue;
    }
    double bestError = -1, bestStep = 0;
    for (int64_t l = std::max<int64_t>(1, (top + 1) / 2); l <= top; ++l) {
      if (oddLevels && l % 2 == 0)
        continue;
      const double step = largest / static_cast<double>(l);
      double error = 0;
      for (int64_t c = 0; c < columns; ++c) {
        double d = row[c] - step * levelOf(row[c], step, top, oddLevels);
        error += (weights.empty() ? 1.0 : weights[c]) * d * d;
      }
      if (bestError < 0 || error < bestError) {
        bestError = error;
        bestStep = step;
      }
    }
    grid.steps[r] = bestStep;
    for (int64_t c = 0; c < columns; ++c)
      levels[c] = levelOf(row[c], bestStep, top, oddLevels);
  }
  return grid;
}
