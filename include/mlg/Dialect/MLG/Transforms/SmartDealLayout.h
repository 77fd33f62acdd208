//===- SmartDealLayout.h - A weight cut into SmartDeal blocks ---*- C++ -*-===//
//
// SmartDeal factors tall blocks [rows, k] of a weight (method.md section 6).
// This maps a layer's generated kernel [Co, Ci, kh, kw] (or [Co, Ci]) to those
// blocks and back, in data (for the numerics) and in IR (for the rewrite).
//
//===----------------------------------------------------------------------===//

#ifndef MLG_DIALECT_MLG_TRANSFORMS_SMARTDEALLAYOUT_H
#define MLG_DIALECT_MLG_TRANSFORMS_SMARTDEALLAYOUT_H

#include "mlg/Compression/SmartDeal.h"
#include "mlg/Dialect/MLG/Transforms/WeightedLayer.h"

#include "mlir/IR/Builders.h"

#include <optional>

namespace mlir::mlg {

struct SmartDealLayout {
  int64_t co = 0, ci = 0;
  /// 0 for a linear layer, else the square kernel's size (1 or 3).
  int64_t kernel = 0;
  int64_t splits = 0, rows = 0, k = 0;
  /// Input channels after zero padding (1x1 and linear rows of 3 only).
  int64_t paddedCi = 0;

  compression::SmartDealShape shape() const { return {co * splits, rows, k}; }
  /// [Co, Ci, kh, kw] or [Co, Ci] data to [blocks, rows, k], zero padded.
  std::vector<double> toBlocks(ArrayRef<double> generated) const;
  /// The inverse of toBlocks: [blocks, rows, k] data cropped to the kernel.
  std::vector<double> fromBlocks(ArrayRef<double> blocks) const;
  /// The IR taking a [blocks, rows, k] tensor to the generated kernel.
  Value fromBlocks(OpBuilder &b, Location loc, Value blocks) const;
};

/// The official code's blocks: a k x k convolution (k = 3) splits Ci into
/// groups of at most 64 channels (the largest divisor of Ci not above 64),
/// one block [channels * k, k] per output channel and group; a 1x1
/// convolution or linear layer views each output row, zero padded to a
/// multiple of 3, as rows of 3 in blocks of at most 64 rows. Other kernels
/// (and depthwise convolutions) have no SmartDeal form: std::nullopt.
std::optional<SmartDealLayout> getSmartDealLayout(const WeightedLayer &layer);

} // namespace mlir::mlg

#endif // MLG_DIALECT_MLG_TRANSFORMS_SMARTDEALLAYOUT_H
