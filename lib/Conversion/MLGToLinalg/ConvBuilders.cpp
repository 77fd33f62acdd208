//===- ConvBuilders.cpp - Named-op convolution builders -------------------===//

#include "ConvBuilders.h"
#include "LinalgBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"

using namespace mlir;
using namespace mlir::mlg;

ArrayRef<int64_t> mlir::mlg::shapeOf(Value value) {
  return cast<RankedTensorType>(value.getType()).getShape();
}

static Type elementTypeOf(Value value) {
  return cast<RankedTensorType>(value.getType()).getElementType();
}

/// Reassociation grouping all of `rank` dimensions into one.
static SmallVector<ReassociationIndices> allInOne(int64_t rank) {
  ReassociationIndices all;
  for (int64_t i = 0; i < rank; ++i)
    all.push_back(i);
  return {all};
}

Value mlir::mlg::reshaped(OpBuilder &b, Location loc, Value value,
                          ArrayRef<int64_t> shape) {
  ArrayRef<int64_t> current = shapeOf(value);
  if (current == shape)
    return value;
  // Reshape the source of earlier reshapes rather than stacking another one
  // on them: every reshape keeps the row-major order.
  while (isa_and_nonnull<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(
      value.getDefiningOp())) {
    value = value.getDefiningOp()->getOperand(0);
    if (shapeOf(value) == shape)
      return value;
  }
  current = shapeOf(value);
  Type elementType = elementTypeOf(value);
  auto sourceType = cast<RankedTensorType>(value.getType());
  auto targetType = RankedTensorType::get(shape, elementType);
  if (current.size() != shape.size()) {
    if (std::optional<SmallVector<ReassociationIndices>> reassociation =
            getReassociationIndicesForReshape(sourceType, targetType)) {
      if (current.size() > shape.size())
        return tensor::CollapseShapeOp::create(b, loc, targetType, value,
                                               *reassociation);
      return tensor::ExpandShapeOp::create(b, loc, targetType, value,
                                           *reassociation);
    }
  }
  // No single collapse or expand does it: go through one dimension.
  if (current.size() > 1) {
    int64_t count = 1;
    for (int64_t size : current)
      count *= size;
    value = tensor::CollapseShapeOp::create(
        b, loc, RankedTensorType::get({count}, elementType), value,
        allInOne(current.size()));
  }
  if (shape.size() > 1)
    value = tensor::ExpandShapeOp::create(b, loc, targetType, value,
                                          allInOne(shape.size()));
  return value;
}

Value mlir::mlg::transposed(OpBuilder &b, Location loc, Value value,
                            ArrayRef<int64_t> permutation) {
  ArrayRef<int64_t> shape = shapeOf(value);
  SmallVector<int64_t> resultShape;
  for (int64_t dim : permutation)
    resultShape.push_back(shape[dim]);
  Value init =
      tensor::EmptyOp::create(b, loc, resultShape, elementTypeOf(value));
  return linalg::TransposeOp::create(b, loc, value, init, permutation)
      ->getResult(0);
}

Value mlir::mlg::broadcastLeading(OpBuilder &b, Location loc, Value value,
                                  int64_t count) {
  SmallVector<int64_t> resultShape{count};
  llvm::append_range(resultShape, shapeOf(value));
  if (count == 1)
    return reshaped(b, loc, value, resultShape);
  Value init =
      tensor::EmptyOp::create(b, loc, resultShape, elementTypeOf(value));
  return linalg::BroadcastOp::create(b, loc, value, init,
                                     ArrayRef<int64_t>{0})
      ->getResult(0);
}

/// Offsets, sizes and strides selecting `size` elements from `offset` along
/// `dim` of a tensor of `shape`, everything else whole.
static void sliceParameters(OpBuilder &b, ArrayRef<int64_t> shape, int64_t dim,
                            OpFoldResult offset, int64_t size,
                            SmallVectorImpl<OpFoldResult> &offsets,
                            SmallVectorImpl<OpFoldResult> &sizes,
                            SmallVectorImpl<OpFoldResult> &strides) {
  for (auto [i, extent] : llvm::enumerate(shape)) {
    bool sliced = static_cast<int64_t>(i) == dim;
    offsets.push_back(sliced ? offset : b.getIndexAttr(0));
    sizes.push_back(b.getIndexAttr(sliced ? size : extent));
    strides.push_back(b.getIndexAttr(1));
  }
}

Value mlir::mlg::sliceAlong(OpBuilder &b, Location loc, Value value,
                            int64_t dim, OpFoldResult offset, int64_t size) {
  SmallVector<OpFoldResult> offsets, sizes, strides;
  sliceParameters(b, shapeOf(value), dim, offset, size, offsets, sizes,
                  strides);
  return tensor::ExtractSliceOp::create(b, loc, value, offsets, sizes, strides);
}

Value mlir::mlg::insertAlong(OpBuilder &b, Location loc, Value slice,
                             Value dest, int64_t dim, OpFoldResult offset) {
  SmallVector<OpFoldResult> offsets, sizes, strides;
  sliceParameters(b, shapeOf(dest), dim, offset, shapeOf(slice)[dim], offsets,
                  sizes, strides);
  return tensor::InsertSliceOp::create(b, loc, slice, dest, offsets, sizes,
                                       strides);
}

Value mlir::mlg::padActivation(OpBuilder &b, Location loc, Value input,
                               bool nchw, ArrayRef<int64_t> padding) {
  if (llvm::all_of(padding, [](int64_t p) { return p == 0; }))
    return input;
  SmallVector<int64_t> low(4, 0), high(4, 0);
  int64_t hDim = nchw ? 2 : 1;
  low[hDim] = padding[0];
  low[hDim + 1] = padding[1];
  high[hDim] = padding[2];
  high[hDim + 1] = padding[3];
  SmallVector<int64_t> paddedShape(shapeOf(input));
  for (int64_t i = 0; i < 4; ++i)
    paddedShape[i] += low[i] + high[i];
  Type elementType = elementTypeOf(input);
  Value zero = arith::ConstantOp::create(b, loc, elementType,
                                         b.getZeroAttr(elementType));
  MLIRContext *ctx = b.getContext();
  return tensor::PadOp::create(
      b, loc, RankedTensorType::get(paddedShape, elementType), input,
      getAsIndexOpFoldResult(ctx, low), getAsIndexOpFoldResult(ctx, high),
      zero);
}

Value mlir::mlg::activationInit(OpBuilder &b, Location loc, Value bias,
                                bool nchw, ArrayRef<int64_t> shape,
                                Type elementType) {
  return biasFilled(b, loc, bias, shape, {nchw ? 1 : 3}, elementType);
}

Value mlir::mlg::buildGroupedConv(OpBuilder &b, Location loc, bool nchw,
                                  Value input, Value weight, Value init,
                                  ArrayRef<int64_t> strides,
                                  ArrayRef<int64_t> dilations) {
  ArrayRef<int64_t> w = shapeOf(weight);
  int64_t groups = w[0], filters = w[1], channels = w[2], kh = w[3],
          kw = w[4];
  Attribute stridesAttr = b.getI64TensorAttr(strides);
  Attribute dilationsAttr = b.getI64TensorAttr(dilations);
  Type initType = init.getType();

  if (groups == 1) {
    Value fchw = reshaped(b, loc, weight, {filters, channels, kh, kw});
    if (nchw)
      return linalg::Conv2DNchwFchwOp::create(b, loc, TypeRange{initType},
                                              ValueRange{input, fchw}, init,
                                              stridesAttr, dilationsAttr)
          ->getResult(0);
    Value hwcf = transposed(b, loc, fchw, {2, 3, 1, 0});
    return linalg::Conv2DNhwcHwcfOp::create(b, loc, TypeRange{initType},
                                            ValueRange{input, hwcf}, init,
                                            stridesAttr, dilationsAttr)
        ->getResult(0);
  }

  if (channels == 1 && filters == 1) {
    Value chw = reshaped(b, loc, weight, {groups, kh, kw});
    if (nchw)
      return linalg::DepthwiseConv2DNchwChwOp::create(
                 b, loc, TypeRange{initType}, ValueRange{input, chw}, init,
                 stridesAttr, dilationsAttr)
          ->getResult(0);
    Value hwc = transposed(b, loc, chw, {1, 2, 0});
    return linalg::DepthwiseConv2DNhwcHwcOp::create(
               b, loc, TypeRange{initType}, ValueRange{input, hwc}, init,
               stridesAttr, dilationsAttr)
        ->getResult(0);
  }

  // Split the channel dimension into (group, channel within the group).
  Type elementType = elementTypeOf(input);
  ArrayRef<int64_t> in = shapeOf(input);
  ArrayRef<int64_t> out = shapeOf(init);
  if (channels == 1 && !nchw) {
    // One input channel, F filters each: the channel-multiplier depthwise
    // form, [N, Ho, Wo, G, F] with the weight as [kh, kw, G, F].
    Value hwcm = transposed(
        b, loc, reshaped(b, loc, weight, {groups, filters, kh, kw}),
        {2, 3, 0, 1});
    SmallVector<ReassociationIndices> split{{0}, {1}, {2}, {3, 4}};
    auto multipliedType = RankedTensorType::get(
        {out[0], out[1], out[2], groups, filters}, elementType);
    Value multipliedInit =
        tensor::ExpandShapeOp::create(b, loc, multipliedType, init, split);
    Value conv = linalg::DepthwiseConv2DNhwcHwcmOp::create(
                     b, loc, TypeRange{multipliedType}, ValueRange{input, hwcm},
                     multipliedInit, stridesAttr, dilationsAttr)
                     ->getResult(0);
    return tensor::CollapseShapeOp::create(b, loc, initType, conv, split);
  }
  SmallVector<ReassociationIndices> reassoc =
      nchw ? SmallVector<ReassociationIndices>{{0}, {1, 2}, {3}, {4}}
           : SmallVector<ReassociationIndices>{{0}, {1}, {2}, {3, 4}};
  SmallVector<int64_t> groupedIn =
      nchw ? SmallVector<int64_t>{in[0], groups, channels, in[2], in[3]}
           : SmallVector<int64_t>{in[0], in[1], in[2], groups, channels};
  SmallVector<int64_t> groupedOut =
      nchw ? SmallVector<int64_t>{out[0], groups, filters, out[2], out[3]}
           : SmallVector<int64_t>{out[0], out[1], out[2], groups, filters};
  auto groupedOutType = RankedTensorType::get(groupedOut, elementType);
  Value groupedInput = tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get(groupedIn, elementType), input, reassoc);
  Value groupedInit =
      tensor::ExpandShapeOp::create(b, loc, groupedOutType, init, reassoc);
  Value conv;
  if (nchw) {
    conv = linalg::Conv2DNgchwGfchwOp::create(
               b, loc, TypeRange{groupedOutType},
               ValueRange{groupedInput, weight}, groupedInit, stridesAttr,
               dilationsAttr)
               ->getResult(0);
  } else {
    Value gfhwc = transposed(b, loc, weight, {0, 1, 3, 4, 2});
    conv = linalg::Conv2DNhwgcGfhwcOp::create(
               b, loc, TypeRange{groupedOutType},
               ValueRange{groupedInput, gfhwc}, groupedInit, stridesAttr,
               dilationsAttr)
               ->getResult(0);
  }
  return tensor::CollapseShapeOp::create(b, loc, initType, conv, reassoc);
}

Value mlir::mlg::buildMatmulTransposedRhs(OpBuilder &b, Location loc,
                                          Value lhs, Value rhs, Value init) {
  return linalg::MatmulTransposeBOp::create(b, loc, TypeRange{init.getType()},
                                            ValueRange{lhs, rhs}, init)
      ->getResult(0);
}

Value mlir::mlg::generateIntra(OpBuilder &b, Location loc, Value coeff,
                               Value basis) {
  ArrayRef<int64_t> basisShape = shapeOf(basis);
  int64_t kernels = basisShape[0], filters = basisShape[1];
  int64_t channels = shapeOf(coeff)[1];
  int64_t taps = 1;
  for (int64_t size : basisShape.drop_front(2))
    taps *= size;
  Value flatBasis = reshaped(b, loc, basis, {kernels, filters, taps});
  Value init =
      zeroFilled(b, loc, {kernels, channels, taps}, elementTypeOf(basis));
  Value product = linalg::BatchMatmulOp::create(b, loc, TypeRange{init.getType()},
                                                ValueRange{coeff, flatBasis},
                                                ValueRange{init})
                      ->getResult(0);
  SmallVector<int64_t> shape{kernels, channels};
  llvm::append_range(shape, basisShape.drop_front(2));
  return reshaped(b, loc, product, shape);
}

Value mlir::mlg::generateCross(OpBuilder &b, Location loc, Value coeff,
                               Value kernels) {
  ArrayRef<int64_t> kernelShape = shapeOf(kernels);
  int64_t count = kernelShape[0], outputs = shapeOf(coeff)[0];
  int64_t size = 1;
  for (int64_t extent : kernelShape.drop_front())
    size *= extent;
  Value flatKernels = reshaped(b, loc, kernels, {count, size});
  Value init = zeroFilled(b, loc, {outputs, size}, elementTypeOf(kernels));
  Value product = linalg::MatmulOp::create(b, loc, TypeRange{init.getType()},
                                           ValueRange{coeff, flatKernels},
                                           ValueRange{init})
                      ->getResult(0);
  SmallVector<int64_t> shape{outputs};
  llvm::append_range(shape, kernelShape.drop_front());
  return reshaped(b, loc, product, shape);
}

Value mlir::mlg::generateWeight(OpBuilder &b, Location loc, Value basis,
                                Value coeffIn, Value coeffOut) {
  Value kernels = coeffIn ? generateIntra(b, loc, coeffIn, basis) : basis;
  return coeffOut ? generateCross(b, loc, coeffOut, kernels) : kernels;
}
