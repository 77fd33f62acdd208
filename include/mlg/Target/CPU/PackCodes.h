//===- PackCodes.h - Dense storage of sub-byte integer constants -*- C++ -*-===//
//
// LLVM stores an i3 array with one byte per element, so a library would keep
// 3-bit mlg codes in 8 bits. mlgc's CPU lowering, once the strategies have
// lowered the generated ops (they may reorder code constants at compile
// time), replaces every non-splat integer constant narrower than a byte by
// its codes packed densely into an i8 constant and a linalg.generic that
// unpacks them when the entry point runs.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_TARGET_CPU_PACKCODES_H
#define MLG_TARGET_CPU_PACKCODES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

#include <memory>

namespace mlir::mlg {

/// Statistics of packSubByteConstants.
struct PackedCodesStats {
  int64_t constants = 0;      // constants packed
  int64_t unpackedBytes = 0;  // their size at one byte per element
  int64_t packedBytes = 0;    // their packed size
};

/// Packs the ranked, static, non-splat `arith.constant`s of integer type
/// i1..i7 with at least `minElements` elements. Code `l` (row-major) takes
/// bits [l*K, l*K+K) of the byte stream, least significant bit first.
PackedCodesStats packSubByteConstants(ModuleOp module,
                                      int64_t minElements = 16);

/// packSubByteConstants as a module pass, for a place in a pipeline; its
/// statistics are added to `*stats` when given.
std::unique_ptr<Pass>
createPackSubByteConstantsPass(PackedCodesStats *stats = nullptr);

} // namespace mlir::mlg

#endif // MLG_TARGET_CPU_PACKCODES_H
