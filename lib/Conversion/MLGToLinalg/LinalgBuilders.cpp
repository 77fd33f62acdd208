//===- LinalgBuilders.cpp - Shared linalg builders for mlg lowerings ------===//

#include "LinalgBuilders.h"
#include "mlg/Conversion/MLGToLinalg/MLGToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"

using namespace mlir;
using namespace mlir::mlg;

using utils::IteratorType;

Value mlir::mlg::zeroFilled(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                        Type elementType) {
  Value empty = tensor::EmptyOp::create(b, loc, shape, elementType);
  Value zero = arith::ConstantOp::create(b, loc, elementType,
                                         b.getZeroAttr(elementType));
  return linalg::FillOp::create(b, loc, zero, empty).getResult(0);
}

/// Multiply-accumulate body: out += lhs * rhs.
void mlir::mlg::macBody(OpBuilder &b, Location loc, ValueRange args) {
  Value product = arith::MulFOp::create(b, loc, args[0], args[1]);
  Value sum = arith::AddFOp::create(b, loc, args[2], product);
  linalg::YieldOp::create(b, loc, sum);
}

/// result[b, c, s...] = sum_j coeff[b, c, j] * basis[b, j, s...]
Value mlir::mlg::buildIntraGeneration(OpBuilder &b, Location loc, Value coeff,
                                  Value basis) {
  auto coeffType = cast<RankedTensorType>(coeff.getType());
  auto basisType = cast<RankedTensorType>(basis.getType());
  int64_t spatial = basisType.getRank() - 2;
  // Loops: (b, c, s..., j).
  int64_t numLoops = 3 + spatial;
  MLIRContext *ctx = b.getContext();
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  AffineExpr jDim = d(numLoops - 1);
  SmallVector<AffineExpr> coeffMap{d(0), d(1), jDim};
  SmallVector<AffineExpr> basisMap{d(0), jDim};
  SmallVector<AffineExpr> outMap{d(0), d(1)};
  SmallVector<int64_t> shape{basisType.getDimSize(0), coeffType.getDimSize(1)};
  for (int64_t s = 0; s < spatial; ++s) {
    basisMap.push_back(d(2 + s));
    outMap.push_back(d(2 + s));
    shape.push_back(basisType.getDimSize(2 + s));
  }
  SmallVector<IteratorType> iterators(numLoops - 1, IteratorType::parallel);
  iterators.push_back(IteratorType::reduction);
  Value init = zeroFilled(b, loc, shape, basisType.getElementType());
  return linalg::GenericOp::create(
             b, loc, init.getType(), ValueRange{coeff, basis}, init,
             SmallVector<AffineMap>{AffineMap::get(numLoops, 0, coeffMap, ctx),
                                    AffineMap::get(numLoops, 0, basisMap, ctx),
                                    AffineMap::get(numLoops, 0, outMap, ctx)},
             iterators, macBody)
      .getResult(0);
}

/// result[o, r...] = sum_b coeff[o, b] * kernels[b, r...]
Value mlir::mlg::buildCrossGeneration(OpBuilder &b, Location loc, Value coeff,
                                  Value kernels) {
  auto coeffType = cast<RankedTensorType>(coeff.getType());
  auto kernelsType = cast<RankedTensorType>(kernels.getType());
  int64_t trailing = kernelsType.getRank() - 1;
  // Loops: (o, r..., b).
  int64_t numLoops = 2 + trailing;
  MLIRContext *ctx = b.getContext();
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  AffineExpr bDim = d(numLoops - 1);
  SmallVector<AffineExpr> kernelsMap{bDim};
  SmallVector<AffineExpr> outMap{d(0)};
  SmallVector<int64_t> shape{coeffType.getDimSize(0)};
  for (int64_t r = 0; r < trailing; ++r) {
    kernelsMap.push_back(d(1 + r));
    outMap.push_back(d(1 + r));
    shape.push_back(kernelsType.getDimSize(1 + r));
  }
  SmallVector<IteratorType> iterators(numLoops - 1, IteratorType::parallel);
  iterators.push_back(IteratorType::reduction);
  Value init = zeroFilled(b, loc, shape, kernelsType.getElementType());
  return linalg::GenericOp::create(
             b, loc, init.getType(), ValueRange{coeff, kernels}, init,
             SmallVector<AffineMap>{
                 AffineMap::get(numLoops, 0, {d(0), bDim}, ctx),
                 AffineMap::get(numLoops, 0, kernelsMap, ctx),
                 AffineMap::get(numLoops, 0, outMap, ctx)},
             iterators, macBody)
      .getResult(0);
}

Value mlir::mlg::buildGeneratedWeight(OpBuilder &b, Location loc, Value basis,
                                      Value coeffIn, Value coeffOut) {
  Value kernels = coeffIn ? buildIntraGeneration(b, loc, coeffIn, basis) : basis;
  return coeffOut ? buildCrossGeneration(b, loc, coeffOut, kernels) : kernels;
}

/// A tensor of `shape` holding `bias[channel]` along `channelDim`, or zeros.
Value mlir::mlg::biasFilled(OpBuilder &b, Location loc, Value bias,
                        ArrayRef<int64_t> shape, ArrayRef<int64_t> channelDims,
                        Type elementType) {
  if (!bias)
    return zeroFilled(b, loc, shape, elementType);
  MLIRContext *ctx = b.getContext();
  int64_t rank = shape.size();
  SmallVector<AffineExpr> biasMap;
  for (int64_t dim : channelDims)
    biasMap.push_back(getAffineDimExpr(dim, ctx));
  Value empty = tensor::EmptyOp::create(b, loc, shape, elementType);
  return linalg::GenericOp::create(
             b, loc, empty.getType(), bias, empty,
             SmallVector<AffineMap>{AffineMap::get(rank, 0, biasMap, ctx),
                                    b.getMultiDimIdentityMap(rank)},
             SmallVector<IteratorType>(rank, IteratorType::parallel),
             [](OpBuilder &nb, Location nloc, ValueRange args) {
               linalg::YieldOp::create(nb, nloc, args[0]);
             })
      .getResult(0);
}

Value mlir::mlg::buildElementwise(
    OpBuilder &b, Location loc, RankedTensorType resultType, ValueRange inputs,
    ArrayRef<AffineMap> extraInputMaps,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  int64_t rank = resultType.getRank();
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  SmallVector<AffineMap> maps{identity};
  llvm::append_range(maps, extraInputMaps);
  maps.push_back(identity);
  Value empty = tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                        resultType.getElementType());
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, inputs, empty, maps,
      SmallVector<IteratorType>(rank, IteratorType::parallel),
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(nb, nloc, body(nb, nloc, args));
      });
  return generic.getResult(0);
}
