//===- AdcCalibration.h - ADC full scale per layer --------------*- C++ -*-===//
//
// The ADC converts each analog window (t_acc steps of BLOCK_IN products) at
// a full scale of F bits (CFG adc_fs_bits, docs/ptc-sim.md §1.7). The static
// worst case of the operand widths wastes most of a narrow ADC on typical
// sums, so the compiler sets F per layer from the statistics of its window
// sums: the weights are known, the activations are described by the mean
// and mean square of their codes (from calibration data, or a uniform
// assumption without it).
//
//===----------------------------------------------------------------------===//

#ifndef LIB_CONVERSION_MLGTOPTC_ADCCALIBRATION_H
#define LIB_CONVERSION_MLGTOPTC_ADCCALIBRATION_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/ArrayRef.h"

#include <cstdint>

namespace mlir::mlg::ptc_lowering {

/// Mean and mean square of a layer's input codes.
struct CodeStatistics {
  double mean = 0, meanSquare = 0;
};

/// Statistics of `values` quantized as the program does:
/// clip(round(v / scale), -top, top) with top = 2^(bits-1) - 1.
CodeStatistics measureCodes(ArrayRef<double> values, double scale,
                            unsigned bits);

/// Codes spread uniformly over the signed range of `bits` bits: the
/// assumption without calibration data.
CodeStatistics uniformCodes(unsigned bits);

/// The standard deviations of the largest window sum the full scale covers;
/// sums beyond it saturate. Six makes saturation a rare event even over the
/// millions of conversions of a large network.
inline constexpr double kAdcSigmas = 6.0;

/// Full-scale bits F for GEMM windows over `weights` ([rows][columns] codes,
/// row o holding the reduction of output o in the order the program runs it)
/// cut into windows of `windowColumns` consecutive columns: the smallest F
/// with 2^(F-1) > kAdcSigmas * sigma of the largest window sum, where
/// sigma^2 = var(x) * sum w^2 + mean(x)^2 * (sum w)^2. Clamped to
/// [adcBits, worstCaseBits]: a finer F than adcBits gains nothing (the
/// conversion is already exact), a coarser one than the worst case is never
/// needed.
unsigned chooseFullScaleBits(ArrayRef<int64_t> weights, int64_t rows,
                             int64_t columns, int64_t windowColumns,
                             const CodeStatistics &inputs, unsigned adcBits,
                             unsigned worstCaseBits);

/// The worst-case rule of docs/ptc-sim.md §1.7 for `products` products of
/// in_bits x w_bits signed operands.
unsigned worstCaseFullScaleBits(unsigned inputBits, unsigned weightBits,
                                int64_t products);

} // namespace mlir::mlg::ptc_lowering

#endif // LIB_CONVERSION_MLGTOPTC_ADCCALIBRATION_H
