//===- LinalgBuilders.h - Shared linalg builders for mlg lowerings -*- C++ -*-===//
//
// Internal to lib/Conversion/MLGToLinalg: the builders the reference lowering
// and the execution strategies share, so both generate weights and fill
// outputs in exactly the same way.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_LIB_CONVERSION_MLGTOLINALG_LINALGBUILDERS_H
#define MLG_LIB_CONVERSION_MLGTOLINALG_LINALGBUILDERS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/Value.h"

namespace mlir::mlg {

/// A `linalg.fill` of zeros with the given static shape.
Value zeroFilled(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                 Type elementType);

/// Multiply-accumulate region body: out += lhs * rhs.
void macBody(OpBuilder &b, Location loc, ValueRange args);

/// result[b, c, s...] = sum_j coeff[b, c, j] * basis[b, j, s...]
Value buildIntraGeneration(OpBuilder &b, Location loc, Value coeff,
                           Value basis);

/// result[o, r...] = sum_b coeff[o, b] * kernels[b, r...]
Value buildCrossGeneration(OpBuilder &b, Location loc, Value coeff,
                           Value kernels);

/// An all-parallel linalg.generic into a new tensor of `resultType`: the
/// first input is read with the identity map, the others with
/// `extraInputMaps`; `body` computes the element from the region arguments.
Value buildElementwise(
    OpBuilder &b, Location loc, RankedTensorType resultType, ValueRange inputs,
    ArrayRef<AffineMap> extraInputMaps,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body);

/// A tensor of `shape` holding `bias[c...]` where `c...` are the loops
/// `channelDims`, or zeros when `bias` is null.
Value biasFilled(OpBuilder &b, Location loc, Value bias,
                 ArrayRef<int64_t> shape, ArrayRef<int64_t> channelDims,
                 Type elementType);

} // namespace mlir::mlg

#endif // MLG_LIB_CONVERSION_MLGTOLINALG_LINALGBUILDERS_H
