//===- Quantization.h - Symmetric grid quantizers ---------------*- C++ -*-===//
//
// Post-training quantizers of generator tensors onto the two symmetric code
// grids of QuantGrid (docs/dialect.md, "Quantized storage"; method.md §2.2).
// Pure numerics, no MLIR IR. Tensors are row-major float64.
//
// Invalid arguments (bits out of range, shape/size mismatch, bad axis,
// non-finite values) give an empty QuantizedTensor: no codes and no scales.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_COMPRESSION_QUANTIZATION_H
#define MLG_COMPRESSION_QUANTIZATION_H

#include "mlg/Dialect/MLG/Utils/QuantGrid.h"

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <vector>

namespace mlir::mlg::compression {

/// The result of quantizing one tensor: codes and the grid that decodes them.
struct QuantizedTensor {
  std::vector<int64_t> codes;
  QuantGrid grid;

  /// False for the empty result of invalid arguments.
  bool isValid() const { return !grid.scales.empty(); }
};

/// Midrise scale used for an all-zero tensor or channel, where max|x| = 0
/// gives no scale. Midrise cannot represent zero, so any scale decodes zeros
/// to +-scale/2; 2^-14 is the smallest scale that f16, bf16, f32 and f64 all
/// hold as a normal number (so the dialect verifier accepts it for every
/// result type) and keeps that error at 2^-15.
constexpr double kZeroMidriseScale = 0x1p-14;

/// Per-tensor midrise grid with r = max|x| (levels +-r included, 2^b levels,
/// scale = 2r/(2^b-1)): the official DoReFa-symmetric grid (method.md §2.2)
/// applied to the values themselves. `applyTanh` reproduces the official
/// training-time reparametrisation (x -> tanh x first, r = max|tanh x|).
/// Codes follow the official formula round((t/(2r)+0.5)(2^b-1)), rounding
/// ties to even as torch.round does. bits in [1, 16]; 1 bit follows the
/// official rule sign(x) * mean|x| (no tanh, as in the official code), i.e.
/// midrise with scale 2*mean|x|; x == 0 maps to +mean|x|. All-zero input:
/// scale kZeroMidriseScale, every code 0.
QuantizedTensor quantizeMidrise(llvm::ArrayRef<double> values, unsigned bits,
                                bool applyTanh = false);

/// Symmetric midtread grid with per-tensor (axis = -1) or per-channel (axis
/// into `shape`) scale max|x| / (2^(b-1)-1); bits in [2, 16]. Codes via
/// QuantGrid::encode. An all-zero tensor/channel gets scale 1 (codes 0 decode
/// to exactly 0).
QuantizedTensor quantizeMidtread(llvm::ArrayRef<double> values,
                                 llvm::ArrayRef<int64_t> shape, unsigned bits,
                                 int64_t axis = -1);

/// Per-channel midrise along `axis` (r = max|x| per channel), same rounding,
/// 1-bit and all-zero rules as quantizeMidrise (without tanh).
QuantizedTensor quantizeMidrisePerChannel(llvm::ArrayRef<double> values,
                                          llvm::ArrayRef<int64_t> shape,
                                          unsigned bits, int64_t axis);

/// Decoded values (double), via QuantGrid::decode. Empty when `q` is invalid
/// or does not match `shape`.
std::vector<double> dequantize(const QuantizedTensor &q,
                               llvm::ArrayRef<int64_t> shape);

} // namespace mlir::mlg::compression

#endif // MLG_COMPRESSION_QUANTIZATION_H
