//===- Numerics.h - Helpers private to the compression library --*- C++ -*-===//

#ifndef MLG_LIB_COMPRESSION_NUMERICS_H
#define MLG_LIB_COMPRESSION_NUMERICS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLExtras.h"

#include <cmath>

namespace mlir::mlg::compression {

/// Solvers and quantizers refuse NaN and infinities rather than spread them.
inline bool allFinite(llvm::ArrayRef<double> values) {
  return llvm::all_of(values, [](double v) { return std::isfinite(v); });
}

} // namespace mlir::mlg::compression

#endif // MLG_LIB_COMPRESSION_NUMERICS_H
