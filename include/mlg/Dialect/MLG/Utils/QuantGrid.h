//===- QuantGrid.h - Symmetric quantization grids ---------------*- C++ -*-===//
//
// The two code grids of generator storage (docs/dialect.md, "Quantized
// storage"). Pure arithmetic, shared by verifiers, lowerings and passes.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_DIALECT_MLG_UTILS_QUANTGRID_H
#define MLG_DIALECT_MLG_UTILS_QUANTGRID_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>

namespace mlir::mlg {

/// Widest code generator storage supports.
constexpr unsigned kMaxCodeBits = 16;

enum class GridScheme {
  /// x = scale * (c + 1/2); every code of [-2^(b-1), 2^(b-1)-1] is used.
  Midrise,
  /// x = scale * c; codes in [-(2^(b-1)-1), 2^(b-1)-1].
  Midtread,
};

/// A per-tensor or per-channel symmetric grid over signed `bits`-bit codes.
struct QuantGrid {
  GridScheme scheme = GridScheme::Midrise;
  unsigned bits = 8;
  /// One scale per tensor, or one per index of dimension `axis`.
  llvm::SmallVector<double, 1> scales;
  /// Quantized dimension; negative means per tensor.
  int64_t axis = -1;

  bool isPerTensor() const { return axis < 0; }
  /// Smallest and largest valid code.
  int64_t minCode() const;
  int64_t maxCode() const;
  /// 1/2 for midrise, 0 for midtread: decode(c) = scale * (c + offset).
  double codeOffset() const;
  /// Scale for `channel` (ignored when per tensor).
  double scaleFor(int64_t channel) const;
  /// The real value of `code` in `channel`, in double precision.
  double decode(int64_t code, int64_t channel = 0) const;
  /// Nearest code to `value` in `channel` (ties away from zero), clamped.
  int64_t encode(double value, int64_t channel = 0) const;
};

/// Smallest and largest code of a scheme at a bit width.
int64_t minCodeFor(GridScheme scheme, unsigned bits);
int64_t maxCodeFor(GridScheme scheme, unsigned bits);

} // namespace mlir::mlg

#endif // MLG_DIALECT_MLG_UTILS_QUANTGRID_H
