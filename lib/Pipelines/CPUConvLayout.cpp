//===- CPUConvLayout.cpp - NCHW convolutions to NHWC for the CPU path -----===//
//
// The upstream convolution vectorizer is fast on NHWC/HWCF (channels are the
// vector lanes) and slow on NCHW, which needs in-loop transposes. NCHW
// convolutions are therefore rewritten to NHWC ones between transposes;
// transposes of constant filters are done here, at compile time.
//
//===----------------------------------------------------------------------===//

#include "CPUSchedule.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

#include <cstring>
#include <optional>

using namespace mlir;
using mlir::mlg::kNCHWToNHWC;
using mlir::mlg::kNHWCToNCHW;
using mlir::mlg::permutedType;
using mlir::mlg::transposeOrFold;

namespace {

/// The constant `attr`, read with the shape of `viewType` (same number of
/// elements), transposed by `perm`; null when its elements are not stored as
/// plain bytes of a whole number of bytes each.
DenseElementsAttr transposeConstant(ElementsAttr attr,
                                    RankedTensorType viewType,
                                    ArrayRef<int64_t> perm) {
  RankedTensorType resultType = permutedType(viewType, perm);
  if (auto dense = dyn_cast<DenseElementsAttr>(attr); dense && dense.isSplat())
    return dense.resizeSplat(resultType);
  unsigned bits = viewType.getElementTypeBitWidth();
  std::optional<ArrayRef<char>> source = mlir::mlg::constantBytes(attr);
  if (bits % 8 != 0 || !viewType.hasStaticShape() || !source)
    return {};
  size_t bytes = bits / 8;
  int64_t rank = viewType.getRank();
  if (static_cast<int64_t>(source->size()) !=
      viewType.getNumElements() * static_cast<int64_t>(bytes))
    return {};
  SmallVector<int64_t> sourceStrides(rank, 1);
  for (int64_t i = rank - 2; i >= 0; --i)
    sourceStrides[i] = sourceStrides[i + 1] * viewType.getDimSize(i + 1);
  std::vector<char> result(source->size());
  SmallVector<int64_t> index(rank, 0); // index into the result
  for (int64_t linear = 0, e = viewType.getNumElements(); linear < e;
       ++linear) {
    int64_t offset = 0;
    for (int64_t i = 0; i < rank; ++i)
      offset += index[i] * sourceStrides[perm[i]];
    std::memcpy(&result[linear * bytes], &(*source)[offset * bytes], bytes);
    for (int64_t i = rank - 1; i >= 0; --i) {
      if (++index[i] < resultType.getDimSize(i))
        break;
      index[i] = 0;
    }
  }
  return DenseElementsAttr::getFromRawBuffer(resultType, result);
}

/// `value` (read with the shape of `viewType`) transposed at compile time
/// when it is a dense or dense_resource constant.
DenseElementsAttr foldedTranspose(Value value, RankedTensorType viewType,
                                  ArrayRef<int64_t> perm) {
  ElementsAttr constant;
  if (!matchPattern(value, m_Constant(&constant)))
    return {};
  return transposeConstant(constant, viewType, perm);
}

bool allStatic(Operation *op) {
  return llvm::all_of(op->getOperandTypes(), [](Type t) {
    auto ranked = dyn_cast<RankedTensorType>(t);
    return ranked && ranked.hasStaticShape();
  });
}

void rewriteConv(RewriterBase &rewriter, linalg::Conv2DNchwFchwOp op) {
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  Value input = transposeOrFold(rewriter, loc, op.getInputs()[0], kNCHWToNHWC);
  // (F, C, kh, kw) -> (kh, kw, C, F).
  Value filter =
      transposeOrFold(rewriter, loc, op.getInputs()[1], {2, 3, 1, 0});
  Value init = transposeOrFold(rewriter, loc, op.getOutputs()[0], kNCHWToNHWC);
  auto conv = linalg::Conv2DNhwcHwcfOp::create(
      rewriter, loc, TypeRange{init.getType()}, ValueRange{input, filter},
      ValueRange{init}, op.getStrides(), op.getDilations());
  rewriter.replaceOp(
      op, transposeOrFold(rewriter, loc, conv.getResult(0), kNHWCToNCHW));
}

void rewriteDepthwise(RewriterBase &rewriter,
                      linalg::DepthwiseConv2DNchwChwOp op) {
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  Value input = transposeOrFold(rewriter, loc, op.getInputs()[0], kNCHWToNHWC);
  // (C, kh, kw) -> (kh, kw, C).
  Value filter = transposeOrFold(rewriter, loc, op.getInputs()[1], {1, 2, 0});
  Value init = transposeOrFold(rewriter, loc, op.getOutputs()[0], kNCHWToNHWC);
  auto conv = linalg::DepthwiseConv2DNhwcHwcOp::create(
      rewriter, loc, TypeRange{init.getType()}, ValueRange{input, filter},
      ValueRange{init}, op.getStrides(), op.getDilations());
  rewriter.replaceOp(
      op, transposeOrFold(rewriter, loc, conv.getResult(0), kNHWCToNCHW));
}

} // namespace

std::optional<ArrayRef<char>> mlir::mlg::constantBytes(ElementsAttr attr) {
  if (auto dense = dyn_cast<DenseElementsAttr>(attr))
    return dense.isSplat() ? std::nullopt
                           : std::optional<ArrayRef<char>>(dense.getRawData());
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr))
    if (AsmResourceBlob *blob = resource.getRawHandle().getBlob())
      return blob->getData();
  return std::nullopt;
}

RankedTensorType mlir::mlg::permutedType(RankedTensorType type,
                                         ArrayRef<int64_t> perm) {
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(type.getDimSize(p));
  return RankedTensorType::get(shape, type.getElementType());
}

Value mlir::mlg::transposeOrFold(OpBuilder &b, Location loc, Value value,
                                 ArrayRef<int64_t> perm) {
  auto type = cast<RankedTensorType>(value.getType());
  if (DenseElementsAttr folded = foldedTranspose(value, type, perm))
    return arith::ConstantOp::create(b, loc, folded);
  RankedTensorType resultType = permutedType(type, perm);
  Value init = tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                       resultType.getElementType());
  return linalg::TransposeOp::create(b, loc, value, init, perm).getResult()[0];
}

Value mlir::mlg::packFilterBlocks(OpBuilder &b, Location loc, Value filter,
                                  int64_t block) {
  auto type = cast<RankedTensorType>(filter.getType());
  int64_t kh = type.getDimSize(0), kw = type.getDimSize(1),
          c = type.getDimSize(2), f = type.getDimSize(3);
  auto expandedType = RankedTensorType::get({kh, kw, c, f / block, block},
                                            type.getElementType());
  constexpr int64_t kBlocksFirst[] = {3, 0, 1, 2, 4};
  if (DenseElementsAttr folded =
          foldedTranspose(filter, expandedType, kBlocksFirst))
    return arith::ConstantOp::create(b, loc, folded);
  Value expanded = tensor::ExpandShapeOp::create(
      b, loc, expandedType, filter,
      SmallVector<ReassociationIndices>{{0}, {1}, {2}, {3, 4}});
  return transposeOrFold(b, loc, expanded, kBlocksFirst);
}

void mlir::mlg::convertConvolutionsToNHWC(RewriterBase &rewriter,
                                          Operation *root) {
  SmallVector<Operation *> convs;
  root->walk([&](Operation *op) {
    if (isa<linalg::Conv2DNchwFchwOp, linalg::DepthwiseConv2DNchwChwOp>(op) &&
        op->getNumResults() == 1 && allStatic(op))
      convs.push_back(op);
  });
  for (Operation *op : convs) {
    if (auto conv = dyn_cast<linalg::Conv2DNchwFchwOp>(op))
      rewriteConv(rewriter, conv);
    else
      rewriteDepthwise(rewriter, cast<linalg::DepthwiseConv2DNchwChwOp>(op));
  }
}
