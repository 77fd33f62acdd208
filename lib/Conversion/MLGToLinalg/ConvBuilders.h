//===- ConvBuilders.h - Named-op convolution builders -------------*- C++ -*-===//
//
// Internal to lib/Conversion/MLGToLinalg: the building blocks every execution
// strategy is assembled from. Shapes are static; weights are small and are
// reshaped, transposed or broadcast freely, activations only padded, sliced
// and convolved.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_LIB_CONVERSION_MLGTOLINALG_CONVBUILDERS_H
#define MLG_LIB_CONVERSION_MLGTOLINALG_CONVBUILDERS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/Value.h"

namespace mlir::mlg {

/// Static shape of a ranked tensor value.
ArrayRef<int64_t> shapeOf(Value value);

/// `value` with the same elements in row-major order and shape `shape`:
/// one collapse_shape or expand_shape where possible, the source of an
/// earlier reshape when that has the shape already.
Value reshaped(OpBuilder &b, Location loc, Value value,
               ArrayRef<int64_t> shape);

/// `linalg.transpose`: result dim i is input dim `permutation[i]`.
Value transposed(OpBuilder &b, Location loc, Value value,
                 ArrayRef<int64_t> permutation);

/// `linalg.broadcast` of `value` along a new leading dimension of `count`.
Value broadcastLeading(OpBuilder &b, Location loc, Value value, int64_t count);

/// `tensor.extract_slice` of `size` elements from `offset` along `dim`.
Value sliceAlong(OpBuilder &b, Location loc, Value value, int64_t dim,
                 OpFoldResult offset, int64_t size);

/// `tensor.insert_slice` of `slice` into `dest` at `offset` along `dim`.
Value insertAlong(OpBuilder &b, Location loc, Value slice, Value dest,
                  int64_t dim, OpFoldResult offset);

/// Zero pads the spatial dimensions of a 4-D activation by
/// [top, left, bottom, right]; returns `input` when there is no padding.
Value padActivation(OpBuilder &b, Location loc, Value input, bool nchw,
                    ArrayRef<int64_t> padding);

/// A 4-D output in the activation layout filled with `bias[channel]` (or
/// zeros when `bias` is null); `shape` is in that layout.
Value activationInit(OpBuilder &b, Location loc, Value bias, bool nchw,
                     ArrayRef<int64_t> shape, Type elementType);

/// Grouped convolution of a padded 4-D activation with `weight`
/// [G, F, C, kh, kw] (group g reads channels [g*C, (g+1)*C) and writes
/// [g*F, (g+1)*F)), accumulated into `init` (4-D, G*F channels). Uses
/// linalg.conv_2d_{nchw_fchw,nhwc_hwcf} for G = 1,
/// linalg.depthwise_conv_2d_{nchw_chw,nhwc_hwc} for C = F = 1,
/// linalg.depthwise_conv_2d_nhwc_hwcm for NHWC with C = 1 and
/// linalg.conv_2d_{ngchw_gfchw,nhwgc_gfhwc} otherwise.
Value buildGroupedConv(OpBuilder &b, Location loc, bool nchw, Value input,
                       Value weight, Value init, ArrayRef<int64_t> strides,
                       ArrayRef<int64_t> dilations);

/// `linalg.matmul` computing init[m, o] += lhs[m, k] * rhs[o, k].
Value buildMatmulTransposedRhs(OpBuilder &b, Location loc, Value lhs, Value rhs,
                               Value init);

/// Level-1 generation U (x) basis, `[Bc, C, Bi] x [Bc, Bi, s...] ->
/// [Bc, C, s...]`, as one linalg.batch_matmul (same sums, same order as
/// mlg.generate_intra).
Value generateIntra(OpBuilder &b, Location loc, Value coeff, Value basis);

/// Level-2 generation V * kernels, `[Co, Bc] x [Bc, r...] -> [Co, r...]`, as
/// one linalg.matmul.
Value generateCross(OpBuilder &b, Location loc, Value coeff, Value kernels);

/// W = V * (U (x) basis) from whichever levels are present.
Value generateWeight(OpBuilder &b, Location loc, Value basis, Value coeffIn,
                     Value coeffOut);

} // namespace mlir::mlg

#endif // MLG_LIB_CONVERSION_MLGTOLINALG_CONVBUILDERS_H
