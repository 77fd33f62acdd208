//===- QuantGrid.cpp - Symmetric quantization grids -----------------------===//

#include "mlg/Dialect/MLG/Utils/QuantGrid.h"

#include <algorithm>
#include <cassert>
#include <cmath>

using namespace mlir::mlg;

int64_t mlir::mlg::minCodeFor(GridScheme scheme, unsigned bits) {
  int64_t half = int64_t(1) << (bits - 1);
  return scheme == GridScheme::Midrise ? -half : -(half - 1);
}

int64_t mlir::mlg::maxCodeFor(GridScheme /*scheme*/, unsigned bits) {
  return (int64_t(1) << (bits - 1)) - 1;
}

int64_t QuantGrid::minCode() const { return minCodeFor(scheme, bits); }
int64_t QuantGrid::maxCode() const { return maxCodeFor(scheme, bits); }

double QuantGrid::codeOffset() const {
  return scheme == GridScheme::Midrise ? 0.5 : 0.0;
}

double QuantGrid::scaleFor(int64_t channel) const {
  assert(!scales.empty() && "grid without scales");
  return isPerTensor() ? scales.front() : scales[channel];
}

double QuantGrid::decode(int64_t code, int64_t channel) const {
  return scaleFor(channel) * (double(code) + codeOffset());
}

int64_t QuantGrid::encode(double value, int64_t channel) const {
  double level = value / scaleFor(channel) - codeOffset();
  int64_t code = static_cast<int64_t>(std::llround(level));
  return std::clamp(code, minCode(), maxCode());
}
