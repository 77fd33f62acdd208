//===- AdcCalibration.cpp - ADC full scale per layer ----------------------===//

#include "AdcCalibration.h"

#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::mlg;
using namespace mlir::mlg::ptc_lowering;

CodeStatistics ptc_lowering::measureCodes(ArrayRef<double> values, double scale,
                                          unsigned bits) {
  const double top = static_cast<double>((int64_t{1} << (bits - 1)) - 1);
  CodeStatistics stats;
  if (values.empty() || scale <= 0)
    return stats;
  for (double v : values) {
    double code = std::clamp(std::round(v / scale), -top, top);
    stats.mean += code;
    stats.meanSquare += code * code;
  }
  stats.mean /= values.size();
  stats.meanSquare /= values.size();
  return stats;
}

CodeStatistics ptc_lowering::uniformCodes(unsigned bits) {
  const double top = static_cast<double>((int64_t{1} << (bits - 1)) - 1);
  // Mean square of the integers -top ... top.
  return CodeStatistics{0.0, top * (top + 1) / 3.0};
}

unsigned ptc_lowering::worstCaseFullScaleBits(unsigned inputBits,
                                              unsigned weightBits,
                                              int64_t products) {
  return inputBits + weightBits - 1 +
         llvm::Log2_64_Ceil(
             static_cast<uint64_t>(std::max<int64_t>(products, 1)));
}

unsigned ptc_lowering::chooseFullScaleBits(ArrayRef<int64_t> weights,
                                           int64_t rows, int64_t columns,
                                           int64_t windowColumns,
                                           const CodeStatistics &inputs,
                                           unsigned adcBits,
                                           unsigned worstCaseBits) {
  const double variance =
      std::max(0.0, inputs.meanSquare - inputs.mean * inputs.mean);
  double largest = 0;
  for (int64_t o = 0; o < rows; ++o)
    for (int64_t begin = 0; begin < columns; begin += windowColumns) {
      double sum = 0, sumSquares = 0;
      for (int64_t k = begin; k < std::min(columns, begin + windowColumns);
           ++k) {
        double w = static_cast<double>(weights[o * columns + k]);
        sum += w;
        sumSquares += w * w;
      }
      largest = std::max(largest, variance * sumSquares +
                                      inputs.mean * inputs.mean * sum * sum);
    }
  // 2^(F-1) must exceed the covered magnitude (one bit for the sign).
  double covered = kAdcSigmas * std::sqrt(largest);
  unsigned bits = 1;
  while (bits < worstCaseBits && std::ldexp(1.0, bits - 1) <= covered)
    ++bits;
  return std::clamp(bits, std::min(adcBits, worstCaseBits), worstCaseBits);
}
