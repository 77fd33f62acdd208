//===- SmartDeal.h - Power-of-two sparse coefficient factors ----*- C++ -*-===//
//
// SmartDeal's post-training decomposition (method.md section 6): each tall
// block A [rows, k] of a weight is approximated by C [rows, k] * B [k, k],
// C sparse with signed power-of-two non-zeros, B small and dense. Pure
// numerics, no MLIR IR; row-major float64 like Decomposition.h.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_COMPRESSION_SMARTDEAL_H
#define MLG_COMPRESSION_SMARTDEAL_H

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <vector>

namespace mlir::mlg::compression {

/// The value of one `mlg.decode_pow2` code: 0 for 0, else
/// sign(code) * 2^(minExponent + |code| - 1).
double decodePow2Code(int64_t code, int64_t minExponent);

/// The codes of `mlg.decode_pow2`: a signed `bits`-bit code c stands for 0
/// (c = 0) or sign(c) * 2^(minExponent() + |c| - 1). The grid is set by its
/// largest exponent, as SmartDeal clips |C| to max_C = 2^maxExponent; the
/// code -2^(bits-1), one exponent above, is never produced.
struct Pow2Grid {
  int bits = 5;
  int maxExponent = 5;

  /// 2 <= bits <= 8 (wider grids have more exponents than a float has).
  bool isValid() const { return bits >= 2 && bits <= 8; }
  int largestCode() const { return (1 << (bits - 1)) - 1; }
  int minExponent() const { return maxExponent - largestCode() + 1; }
  /// The code of the power of two nearest to |value| in log2, clipped to the
  /// grid, with value's sign; 0 when |value| < threshold or value is 0.
  int64_t encode(double value, double threshold) const;
  double decode(int64_t code) const;
};

/// `blocks` tall matrices of `rows` x `k`, one after the other, row-major.
struct SmartDealShape {
  int64_t blocks = 0, rows = 0, k = 0;
  int64_t size() const { return blocks * rows * k; }
  bool isValid() const;
};

struct SmartDealOptions {
  Pow2Grid grid;
  /// The official inference code's `iternum`.
  int maxIterations = 30;
  /// |C| below this, relative to the block's largest |A|, becomes 0; rows
  /// of C whose l1 norm is below 5x this become 0 (SmartDeal's
  /// `threshold_row`).
  double threshold = 1e-3;
  /// Structural pre-pruning (alg_structural.py): per block, this fraction
  /// of the rows of A with the least l1 norm is zero in C, in [0, 1).
  double rowPruneFraction = 0;
};

struct SmartDealFactors {
  std::vector<int64_t> codes; // C: [blocks, rows, k], Pow2Grid codes
  std::vector<double> basis;  // B: [blocks, k, k]
};

/// The official alternating algorithm per block (`se/alg.py`,
/// core_decompose): start from B = I, C = A; repeat: round C to the grid,
/// B = lstsq(C, A), C = lstsq(B, A), zero small entries and rows, until the
/// rounded C stops changing; then round C and fit B once more. Each block is
/// first scaled by a power of two so that its largest |A| is about 1 (the
/// scale goes into B), so the grid and threshold are relative. Blocks with
/// non-finite values or shapes that do not match give empty factors.
SmartDealFactors decomposeSmartDeal(llvm::ArrayRef<double> weight,
                                    const SmartDealShape &shape,
                                    const SmartDealOptions &options);

/// C * B per block, [blocks, rows, k]; empty when the sizes do not match.
std::vector<double> reconstructSmartDeal(const SmartDealFactors &factors,
                                         const SmartDealShape &shape,
                                         const Pow2Grid &grid);

/// Rounds `values` ([rows, cols], row-major) to the grid column by column,
/// each column first scaled by a power of two so that its largest |value|
/// rounds to the grid's largest power of two; returns the codes and writes
/// each column's scale to `columnScales` (values ~ decode(code) * scale).
/// For MLG's V, whose column scales move into the kernels it combines.
std::vector<int64_t> encodeColumnsPow2(llvm::ArrayRef<double> values,
                                       int64_t rows, int64_t cols,
                                       const Pow2Grid &grid, double threshold,
                                       std::vector<double> &columnScales);

/// Bits of power-of-two codes as `mlg.decode_pow2` stores them: over rows of
/// `rowLength` codes, a bit per row saying whether it has a non-zero; then
/// for the non-zero rows the cheaper, over the whole tensor, of all their
/// codes (`bits` each) or a bit per element plus the codes of the non-zeros.
struct Pow2Storage {
  int64_t bits = 0;
  int64_t nonzeros = 0;
  int64_t nonzeroRows = 0;
  /// Whether the non-zero rows carry an element bitmap.
  bool elementBitmap = false;
};
Pow2Storage countPow2Storage(llvm::ArrayRef<int64_t> codes, int64_t rowLength,
                             unsigned bits);

} // namespace mlir::mlg::compression

#endif // MLG_COMPRESSION_SMARTDEAL_H
