//===- CPUPadChannels.cpp - Output channels padded to whole vectors -------===//
//
// The register tiles of the CPU schedule divide the output channels, so a
// convolution with 59 output channels gets 1-lane tiles: 59 vector FMAs per
// output pixel and input channel where 4 full vectors would do. Such an op is
// rewritten here to one over more channels (whole vectors), whose filter has
// zero columns for the extra channels; the extra outputs are sliced off.
// Every kept output is computed from the same products in the same order as
// before, so results are bit-identical.
//
//===----------------------------------------------------------------------===//

#include "CPUSchedule.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Utils/Utils.h"
#include "mlir/IR/Matchers.h"

#include <cstring>

using namespace mlir;

namespace {

/// `type` with its last dimension set to `size`.
RankedTensorType withLastDim(RankedTensorType type, int64_t size) {
  SmallVector<int64_t> shape(type.getShape());
  shape.back() = size;
  return RankedTensorType::get(shape, type.getElementType());
}

/// The constant `value` with its last dimension extended to `size` by zero
/// bytes (+0.0 for IEEE floats), or null when it is not a constant whose
/// bytes can be read.
DenseElementsAttr paddedConstant(Value value, int64_t size) {
  ElementsAttr constant;
  if (!matchPattern(value, m_Constant(&constant)))
    return {};
  auto type = cast<RankedTensorType>(value.getType());
  unsigned bits = type.getElementTypeBitWidth();
  std::optional<ArrayRef<char>> source = mlg::constantBytes(constant);
  if (bits % 8 != 0 || !source ||
      static_cast<int64_t>(source->size()) !=
          type.getNumElements() * static_cast<int64_t>(bits / 8))
    return {};
  size_t rowBytes = type.getShape().back() * (bits / 8);
  size_t paddedRowBytes = size * (bits / 8);
  size_t rows = rowBytes == 0 ? 0 : source->size() / rowBytes;
  std::vector<char> result(rows * paddedRowBytes, 0);
  for (size_t row = 0; row < rows; ++row)
    std::memcpy(&result[row * paddedRowBytes], &(*source)[row * rowBytes],
                rowBytes);
  return DenseElementsAttr::getFromRawBuffer(withLastDim(type, size), result);
}

/// The init `op` accumulates into, over `size` channels: a fill of the
/// padded shape when the init is a fill that only `op` reads (the schedule
/// then gives every tile its own fill), else the init padded with zeros.
Value paddedInit(OpBuilder &b, Location loc, Value init, int64_t size) {
  auto type = withLastDim(cast<RankedTensorType>(init.getType()), size);
  if (auto fill = init.getDefiningOp<linalg::FillOp>();
      fill && init.hasOneUse()) {
    Value empty =
        tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
    return linalg::FillOp::create(b, loc, fill.getInputs(), ValueRange{empty})
        .getResult(0);
  }
  return mlg::padLastDimOrFold(b, loc, init, size);
}

} // namespace

Value mlir::mlg::padLastDimOrFold(OpBuilder &b, Location loc, Value value,
                                  int64_t size) {
  if (DenseElementsAttr folded = paddedConstant(value, size))
    return arith::ConstantOp::create(b, loc, folded);
  auto type = cast<RankedTensorType>(value.getType());
  Value zero =
      arith::ConstantOp::create(b, loc, b.getZeroAttr(type.getElementType()));
  return tensor::createPadHighOp(withLastDim(type, size), value, zero,
                                 /*nofold=*/false, loc, b);
}

Operation *mlir::mlg::padOutputChannels(RewriterBase &rewriter, Operation *op,
                                        int64_t size) {
  assert((isa<linalg::Conv2DNhwcHwcfOp, linalg::MatmulOp>(op)) &&
         "pads the output channels of NHWC convolutions and matmuls");
  auto linalgOp = cast<linalg::LinalgOp>(op);
  Location loc = op->getLoc();
  rewriter.setInsertionPoint(op);
  // The filter's (right-hand side's) and the output's last dimension is the
  // output channel (matrix column) in both ops.
  Value filter = padLastDimOrFold(rewriter, loc,
                                  linalgOp.getDpsInputOperand(1)->get(), size);
  OpOperand *initOperand = linalgOp.getDpsInitOperand(0);
  Value oldInit = initOperand->get();
  Value init = paddedInit(rewriter, loc, oldInit, size);

  Operation *padded = rewriter.clone(*op);
  padded->setOperand(linalgOp.getDpsInputOperand(1)->getOperandNumber(),
                     filter);
  padded->setOperand(initOperand->getOperandNumber(), init);
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  padded->getResult(0).setType(withLastDim(resultType, size));

  SmallVector<OpFoldResult> offsets(resultType.getRank(),
                                    rewriter.getIndexAttr(0));
  SmallVector<OpFoldResult> sizes,
      strides(resultType.getRank(), rewriter.getIndexAttr(1));
  for (int64_t d : resultType.getShape())
    sizes.push_back(rewriter.getIndexAttr(d));
  Value kept = tensor::ExtractSliceOp::create(
      rewriter, loc, resultType, padded->getResult(0), offsets, sizes, strides);
  rewriter.replaceOp(op, kept);
  if (Operation *oldFill = oldInit.getDefiningOp();
      oldFill && isa<linalg::FillOp>(oldFill) && oldFill->use_empty())
    rewriter.eraseOp(oldFill);
  return padded;
}
