//===- GeneratorSizing.h - Generator sizes per layer ------------*- C++ -*-===//
//
// How mlg-decompose sizes each layer's generators: the official code's rules
// on global (bi, bc) (method.md §1.3, §7), or a per-layer search for the
// fewest stored bits under an error target.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_DIALECT_MLG_TRANSFORMS_GENERATORSIZING_H
#define MLG_DIALECT_MLG_TRANSFORMS_GENERATORSIZING_H

#include "mlg/Compression/Decomposition.h"
#include "mlg/Dialect/MLG/Transforms/WeightedLayer.h"

#include <array>
#include <optional>

namespace mlir::mlg {

/// The sizes the official code gives `layer` for global (bi, bc), or
/// std::nullopt when it generates nothing (the layer stays dense): level 1
/// iff 0 < bi < min(Ci, k*k); level 2 iff 0 < bc < min(Co, Ci*k*k), else
/// Bc = Co; 1x1 convolutions with bc >= min(Co, Ci) first get
/// bc = int(0.9 * min(Co, Ci)); depthwise layers get level 1 only (one shared
/// basis); linear layers stay dense unless `linearToo` (then level 2 only).
std::optional<compression::GeneratorShape>
paperGeneratorShape(const WeightedLayer &layer, int64_t bi, int64_t bc,
                    bool linearToo = false);

/// Bits a layer stores at `shape`: basis, U and V sizes times `costBits`.
double generatorCostBits(const compression::GeneratorShape &shape,
                         const std::array<double, 3> &costBits);

/// The sizes with the fewest generatorCostBits whose SVD initialisation
/// error (from `profile`) is at most `maxRelError`; std::nullopt when no
/// generated form costs fewer than `denseBits`. Ties go to the smaller
/// error, then the smaller bi.
std::optional<compression::GeneratorShape>
cheapestGeneratorShape(const compression::SpectralProfile &profile,
                       const WeightedLayer &layer, double maxRelError,
                       const std::array<double, 3> &costBits, double denseBits);

} // namespace mlir::mlg

#endif // MLG_DIALECT_MLG_TRANSFORMS_GENERATORSIZING_H
