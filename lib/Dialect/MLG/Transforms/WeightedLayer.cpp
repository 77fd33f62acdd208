//===- WeightedLayer.cpp - Convolutions and matmuls with weights ----------===//

#include "mlg/Dialect/MLG/Transforms/WeightedLayer.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Location.h"

using namespace mlir;
using namespace mlir::mlg;

StringRef mlir::mlg::stringifyLayerKind(LayerKind kind) {
  switch (kind) {
  case LayerKind::Conv2D:
    return "conv2d";
  case LayerKind::GroupedConv2D:
    return "grouped_conv2d";
  case LayerKind::DepthwiseConv2D:
    return "depthwise_conv2d";
  case LayerKind::Linear:
    return "linear";
  }
  llvm_unreachable("unknown layer kind");
}

SmallVector<int64_t> WeightedLayer::generatedShape() const {
  if (kind == LayerKind::Linear)
    return {co, ci};
  return {co, ci, kh, kw};
}

ArrayRef<int64_t> WeightedLayer::weightShape() const {
  return cast<RankedTensorType>(weight().getType()).getShape();
}

std::vector<double>
WeightedLayer::toGenerated(ArrayRef<double> operandData) const {
  if (permutation.empty())
    return std::vector<double>(operandData.begin(), operandData.end());
  // operand[idx] = reshaped[j] with j[permutation[i]] = idx[i]: walk the
  // reshaped tensor in row-major order and gather from the operand.
  SmallVector<int64_t> shape =
      reshapedShape.empty() ? generatedShape() : reshapedShape;
  int64_t rank = shape.size();
  ArrayRef<int64_t> operandShape = weightShape();
  SmallVector<int64_t> operandStrides(rank, 1);
  for (int64_t i = rank - 2; i >= 0; --i)
    operandStrides[i] = operandStrides[i + 1] * operandShape[i + 1];
  // Stride in the operand of each reshaped dimension.
  SmallVector<int64_t> strides(rank);
  for (int64_t i = 0; i < rank; ++i)
    strides[permutation[i]] = operandStrides[i];
  std::vector<double> out(operandData.size());
  SmallVector<int64_t> index(rank, 0);
  for (size_t flat = 0; flat < out.size(); ++flat) {
    int64_t offset = 0;
    for (int64_t d = 0; d < rank; ++d)
      offset += index[d] * strides[d];
    out[flat] = operandData[offset];
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
  return out;
}

Value WeightedLayer::fromGenerated(OpBuilder &b, Location loc,
                                   Value generated) const {
  Value value = generated;
  auto elementType =
      cast<RankedTensorType>(generated.getType()).getElementType();
  if (!reshapedShape.empty()) {
    auto type = RankedTensorType::get(reshapedShape, elementType);
    if (expand)
      value = tensor::ExpandShapeOp::create(b, loc, type, value, reassociation);
    else
      value =
          tensor::CollapseShapeOp::create(b, loc, type, value, reassociation);
  }
  if (permutation.empty())
    return value;
  auto init = tensor::EmptyOp::create(b, loc, weightShape(), elementType);
  return linalg::TransposeOp::create(b, loc, value, init, permutation)
      .getResult()[0];
}

Value WeightedLayer::matchGenerated() const {
  Value value = weight();
  if (!permutation.empty()) {
    auto transpose = value.getDefiningOp<linalg::TransposeOp>();
    if (!transpose || transpose.getPermutation() != ArrayRef(permutation))
      return Value();
    value = transpose.getInput();
  }
  if (!reshapedShape.empty()) {
    if (expand) {
      auto reshape = value.getDefiningOp<tensor::ExpandShapeOp>();
      if (!reshape || reshape.getReassociationIndices() != reassociation)
        return Value();
      value = reshape.getSrc();
    } else {
      auto reshape = value.getDefiningOp<tensor::CollapseShapeOp>();
      if (!reshape || reshape.getReassociationIndices() != reassociation)
        return Value();
      value = reshape.getSrc();
    }
  }
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || type.getShape() != ArrayRef(generatedShape()))
    return Value();
  return value;
}

/// True when `map` is exactly (d0, d1, d2) -> (dims...).
static bool isProjection(AffineMap map, ArrayRef<unsigned> dims) {
  if (map.getNumDims() != 3 || map.getNumResults() != dims.size())
    return false;
  for (auto [expr, dim] : llvm::zip(map.getResults(), dims))
    if (expr != getAffineDimExpr(dim, map.getContext()))
      return false;
  return true;
}

FailureOr<WeightedLayer> mlir::mlg::matchWeightedLayer(Operation *op,
                                                       std::string *whyNot) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp)
    return failure();
  auto fail = [&](const Twine &reason) -> FailureOr<WeightedLayer> {
    if (whyNot)
      *whyNot = reason.str();
    return failure();
  };
  bool isConvolution = isa<linalg::ConvolutionOpInterface>(op);
  bool isContraction = isa<linalg::ContractionOpInterface>(op);
  std::string opName = op->getName().getStringRef().str();
  // Pooling ops share the convolution interface but have no weights.
  if ((!isConvolution && !isContraction) ||
      StringRef(opName).starts_with("linalg.pooling"))
    return failure();
  if (op->getNumOperands() < 2 || op->getNumResults() != 1)
    return fail("'" + opName + "' is not a supported convolution or matmul");
  auto weightType = dyn_cast<RankedTensorType>(op->getOperand(1).getType());
  auto resultType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!weightType || !resultType || !weightType.hasStaticShape() ||
      !resultType.hasStaticShape())
    return fail("'" + opName + "' has dynamic shapes or works on buffers");

  WeightedLayer layer;
  layer.op = op;
  layer.weightOperand = 1;
  ArrayRef<int64_t> w = weightType.getShape();
  if (isa<linalg::Conv2DNchwFchwOp>(op)) {
    layer.co = w[0], layer.ci = w[1], layer.kh = w[2], layer.kw = w[3];
  } else if (isa<linalg::Conv2DNhwcHwcfOp>(op)) {
    layer.co = w[3], layer.ci = w[2], layer.kh = w[0], layer.kw = w[1];
    layer.permutation = {2, 3, 1, 0};
  } else if (isa<linalg::Conv2DNhwcFhwcOp>(op)) {
    layer.co = w[0], layer.ci = w[3], layer.kh = w[1], layer.kw = w[2];
    layer.permutation = {0, 2, 3, 1};
  } else if (isa<linalg::Conv2DNgchwGfchwOp>(op)) {
    layer.kind = LayerKind::GroupedConv2D;
    layer.co = w[0] * w[1], layer.ci = w[2], layer.kh = w[3], layer.kw = w[4];
    layer.reshapedShape.assign(w.begin(), w.end());
    layer.reassociation = {{0, 1}, {2}, {3}, {4}};
    layer.expand = true;
  } else if (isa<linalg::DepthwiseConv2DNchwChwOp>(op)) {
    layer.kind = LayerKind::DepthwiseConv2D;
    layer.co = 1, layer.ci = w[0], layer.kh = w[1], layer.kw = w[2];
    layer.reshapedShape.assign(w.begin(), w.end());
    layer.reassociation = {{0, 1}, {2}, {3}};
  } else if (isa<linalg::DepthwiseConv2DNhwcHwcOp>(op)) {
    layer.kind = LayerKind::DepthwiseConv2D;
    layer.co = 1, layer.ci = w[2], layer.kh = w[0], layer.kw = w[1];
    layer.reshapedShape = {w[2], w[0], w[1]};
    layer.reassociation = {{0, 1}, {2}, {3}};
    layer.permutation = {1, 2, 0};
  } else if (auto matmul = dyn_cast<linalg::MatmulOp>(op)) {
    SmallVector<AffineMap> maps = matmul.getIndexingMapsArray();
    if (!isProjection(maps[0], {0, 2}) || !isProjection(maps[2], {0, 1}))
      return fail("'" + opName +
                  "' has a transposed or broadcast left-hand "
                  "side or result");
    layer.kind = LayerKind::Linear;
    layer.kh = layer.kw = 1;
    if (isProjection(maps[1], {2, 1})) { // y = x B, B: [K, N]
      layer.co = w[1], layer.ci = w[0];
      layer.permutation = {1, 0};
    } else if (isProjection(maps[1], {1, 2})) { // y = x B^T, B: [N, K]
      layer.co = w[0], layer.ci = w[1];
    } else {
      return fail("'" + opName + "' has a broadcast right-hand side");
    }
  } else {
    return fail("'" + opName + "' is not a supported " +
                (isConvolution ? "convolution" : "matmul"));
  }
  layer.outChannels =
      layer.kind == LayerKind::DepthwiseConv2D ? layer.ci : layer.co;
  int64_t reduction = weightType.getNumElements() / layer.outChannels;
  layer.macs = resultType.getNumElements() * reduction;
  return layer;
}

std::string mlir::mlg::layerName(Operation *op, unsigned index) {
  std::string name;
  op->getLoc()->walk([&](Location loc) {
    if (auto named = dyn_cast<NameLoc>(loc)) {
      name = named.getName().str();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return name.empty() ? "#" + std::to_string(index) : name;
}
