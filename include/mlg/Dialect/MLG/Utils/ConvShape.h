//===- ConvShape.h - Convolution shape arithmetic ---------------*- C++ -*-===//

#ifndef MLG_DIALECT_MLG_UTILS_CONVSHAPE_H
#define MLG_DIALECT_MLG_UTILS_CONVSHAPE_H

#include <cstdint>
#include <optional>

namespace mlir::mlg {

/// Output extent of one spatial dimension of a convolution:
/// floor((in + padBefore + padAfter - dilation*(kernel-1) - 1) / stride) + 1.
/// Returns `dynamicSize` when `in` or `kernel` equals it, a value < 1 when the
/// dilated kernel does not fit the padded input, and nullopt when the
/// arithmetic overflows int64 (attributes come from user input). Expects
/// kernel >= 1, stride >= 1, dilation >= 1, paddings >= 0.
std::optional<int64_t> convOutputSize(int64_t in, int64_t kernel,
                                      int64_t stride, int64_t dilation,
                                      int64_t padBefore, int64_t padAfter,
                                      int64_t dynamicSize);

} // namespace mlir::mlg

#endif // MLG_DIALECT_MLG_UTILS_CONVSHAPE_H
