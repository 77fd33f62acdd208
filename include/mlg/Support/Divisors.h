//===- Divisors.h - Tile sizes that divide a dimension ----------*- C++ -*-===//
//
// Tile sizes that divide their dimension exactly need no remainder loop; the
// CPU schedule and the SmartDeal block lowering both pick them this way.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_SUPPORT_DIVISORS_H
#define MLG_SUPPORT_DIVISORS_H

#include <algorithm>
#include <cstdint>

namespace mlir::mlg {

/// The largest divisor of `size` not above `cap` (at least 1).
inline int64_t largestDivisorAtMost(int64_t size, int64_t cap) {
  for (int64_t d = std::min(size, cap); d > 1; --d)
    if (size % d == 0)
      return d;
  return 1;
}

} // namespace mlir::mlg

#endif // MLG_SUPPORT_DIVISORS_H
