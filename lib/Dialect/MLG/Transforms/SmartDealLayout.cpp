//===- SmartDealLayout.cpp - A weight cut into SmartDeal blocks -----------===//

#include "mlg/Dialect/MLG/Transforms/SmartDealLayout.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::mlg;

/// Channels per block of a k x k layer in the official code.
static constexpr int64_t kChannelsPerBlock = 64;
/// Rows of 3 values per block of a 1x1 or linear layer.
static constexpr int64_t kRowsPerBlock = 64;

std::optional<SmartDealLayout>
mlir::mlg::getSmartDealLayout(const WeightedLayer &layer) {
  if (layer.kind == LayerKind::DepthwiseConv2D || layer.kh != layer.kw)
    return std::nullopt;
  SmartDealLayout l;
  l.co = layer.co;
  l.ci = layer.ci;
  if (layer.kind != LayerKind::Linear)
    l.kernel = layer.kh;
  if (l.kernel == 3) {
    int64_t channels = std::min(kChannelsPerBlock, l.ci);
    while (l.ci % channels)
      --channels;
    l.splits = l.ci / channels;
    l.rows = channels * 3;
    l.k = 3;
    l.paddedCi = l.ci;
    return l;
  }
  if (l.kernel > 1)
    return std::nullopt;
  int64_t rowsOf3 = llvm::divideCeil(l.ci, 3);
  l.splits = llvm::divideCeil(rowsOf3, kRowsPerBlock);
  l.rows = llvm::divideCeil(rowsOf3, l.splits);
  l.k = 3;
  l.paddedCi = l.splits * l.rows * 3;
  return l;
}

std::vector<double>
SmartDealLayout::toBlocks(ArrayRef<double> generated) const {
  // A k x k kernel [Co, Ci, k, k] already is [Co * splits, channels * k, k]
  // in memory; a 1x1 or linear row only needs its padding.
  if (paddedCi == ci)
    return generated.vec();
  std::vector<double> blocks(co * paddedCi, 0.0);
  for (int64_t o = 0; o < co; ++o)
    std::copy_n(generated.begin() + o * ci, ci, blocks.begin() + o * paddedCi);
  return blocks;
}

std::vector<double>
SmartDealLayout::fromBlocks(ArrayRef<double> blocks) const {
  if (paddedCi == ci)
    return blocks.vec();
  std::vector<double> generated(co * ci);
  for (int64_t o = 0; o < co; ++o)
    std::copy_n(blocks.begin() + o * paddedCi, ci,
                generated.begin() + o * ci);
  return generated;
}

Value SmartDealLayout::fromBlocks(OpBuilder &b, Location loc,
                                  Value blocks) const {
  auto type = cast<RankedTensorType>(blocks.getType());
  Type element = type.getElementType();
  auto flat = tensor::CollapseShapeOp::create(
      b, loc, blocks, SmallVector<ReassociationIndices>{{0, 1, 2}});
  if (kernel == 3)
    return tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get({co, ci, 3, 3}, element), flat,
        SmallVector<ReassociationIndices>{{0, 1, 2, 3}});
  Value rowsOut = tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get({co, paddedCi}, element), flat,
      SmallVector<ReassociationIndices>{{0, 1}});
  if (paddedCi != ci)
    rowsOut = tensor::ExtractSliceOp::create(
        b, loc, RankedTensorType::get({co, ci}, element), rowsOut,
        ValueRange{}, ValueRange{}, ValueRange{},
        b.getDenseI64ArrayAttr({0, 0}), b.getDenseI64ArrayAttr({co, ci}),
        b.getDenseI64ArrayAttr({1, 1}));
  if (kernel == 0)
    return rowsOut;
  return tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get({co, ci, 1, 1}, element), rowsOut,
      SmallVector<ReassociationIndices>{{0}, {1, 2, 3}});
}
