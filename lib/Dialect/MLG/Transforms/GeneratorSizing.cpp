//===- GeneratorSizing.cpp - Generator sizes per layer --------------------===//

#include "mlg/Dialect/MLG/Transforms/GeneratorSizing.h"

using namespace mlir;
using namespace mlir::mlg;
using compression::GeneratorShape;

static GeneratorShape baseShape(const WeightedLayer &layer) {
  GeneratorShape s;
  s.co = layer.co, s.ci = layer.ci, s.kh = layer.kh, s.kw = layer.kw;
  return s;
}

std::optional<GeneratorShape>
mlir::mlg::paperGeneratorShape(const WeightedLayer &layer, int64_t bi,
                               int64_t bc, bool linearToo) {
  GeneratorShape s = baseShape(layer);
  int64_t k = layer.kh * layer.kw;
  if (layer.kind == LayerKind::Linear && !linearToo)
    return std::nullopt;
  bool intra = bi > 0 && bi < std::min(layer.ci, k);
  if (layer.kind == LayerKind::DepthwiseConv2D) {
    // The research code's dwconv mode: one shared set of Bi filters.
    if (!intra)
      return std::nullopt;
    s.bi = bi, s.bc = 1;
    return s;
  }
  // Model-level override for 1x1 convolutions (model_base.py).
  if (k == 1 && layer.kind != LayerKind::Linear &&
      bc >= std::min(layer.co, layer.ci))
    bc = int64_t(0.9 * double(std::min(layer.co, layer.ci)));
  // Layer-level gating (mlg_conv2d.py): Bc == 0 or too large means Bc = Co.
  int64_t effectiveBc =
      (bc > 0 && bc < std::min(layer.co, layer.ci * k)) ? bc : layer.co;
  bool cross = effectiveBc != layer.co;
  if (!intra && !cross)
    return std::nullopt;
  s.bi = intra ? bi : 0;
  s.bc = effectiveBc;
  return s;
}

double mlir::mlg::generatorCostBits(const GeneratorShape &shape,
                                    const std::array<double, 3> &costBits) {
  return double(shape.basisSize()) * costBits[0] +
         double(shape.coeffInSize()) * costBits[1] +
         double(shape.coeffOutSize()) * costBits[2];
}

std::optional<GeneratorShape> mlir::mlg::cheapestGeneratorShape(
    const compression::SpectralProfile &profile, const WeightedLayer &layer,
    double maxRelError, const std::array<double, 3> &costBits,
    double denseBits) {
  int64_t k = layer.kh * layer.kw;
  int64_t maxBi = std::min(layer.ci, k) - 1;
  int64_t crossLimit = std::min(layer.co, layer.ci * k);
  std::optional<GeneratorShape> best;
  double bestCost = denseBits, bestError = 0;
  auto consider = [&](int64_t bi, int64_t bc) {
    GeneratorShape s = baseShape(layer);
    s.bi = bi, s.bc = bc;
    double error = profile.relativeError(bi, bc);
    if (!(error <= maxRelError))
      return;
    double cost = generatorCostBits(s, costBits);
    if (cost < bestCost || (best && cost == bestCost && error < bestError)) {
      best = s, bestCost = cost, bestError = error;
    }
  };
  for (int64_t bi = 0; bi <= maxBi; ++bi) {
    if (bi > 0)
      consider(bi, layer.co); // level 1 only
    // The error is non-increasing in bc below Co (each added basis kernel
    // trades its whole energy for its level-1 residual), so the cheapest
    // bc meeting the target is the smallest one: bisect.
    int64_t lo = 1, hi = crossLimit - 1;
    if (hi < lo || !(profile.relativeError(bi, hi) <= maxRelError))
      continue;
    while (lo < hi) {
      int64_t mid = lo + (hi - lo) / 2;
      if (profile.relativeError(bi, mid) <= maxRelError)
        hi = mid;
      else
        lo = mid + 1;
    }
    consider(bi, lo);
  }
  return best;
}
