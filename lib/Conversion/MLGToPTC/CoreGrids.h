//===- CoreGrids.h - Generator operands on the core's DAC grids -*- C++ -*-===//
//
// A generator operand the photonic core cannot take as stored (levels wider
// than its DACs, one scale per channel, power-of-two values) is put, row by
// row, on an integer grid it takes: each row gets its own step, which the
// lowering folds into the next level (docs/ptc-lowering.md, "Generators on
// the core's grids").
//
//===----------------------------------------------------------------------===//

#ifndef LIB_CONVERSION_MLGTOPTC_COREGRIDS_H
#define LIB_CONVERSION_MLGTOPTC_COREGRIDS_H

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <vector>

namespace mlir::mlg::ptc_lowering {

/// `rows` rows of integer levels and the value of one level step per row.
struct RowGrid {
  std::vector<int64_t> levels;
  std::vector<double> steps;
};

/// Puts each row of `values` ([rows][columns], row-major) on the grid
/// `step * m`, m an integer in [-top, top] (with `oddLevels`, an odd
/// integer: the midrise levels U's digit split needs). A row's step is the
/// one of `max|v| / L`, L in [top / 2, top] (odd L for odd levels), whose
/// levels have the least squared error, each column's error weighted by
/// `columnWeights` (empty: all 1): clipping a row's few largest values can
/// buy a finer step, and a power-of-two row spanning log2(top) octaves lands
/// on its exact values. An all-zero row gets zero levels and step 1 (odd
/// levels, which have no zero: levels 1 and step 0).
RowGrid regridRows(llvm::ArrayRef<double> values, int64_t rows, int64_t top,
                   bool oddLevels, llvm::ArrayRef<double> columnWeights = {});

} // namespace mlir::mlg::ptc_lowering

#endif // LIB_CONVERSION_MLGTOPTC_COREGRIDS_H
