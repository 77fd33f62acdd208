//===- CPUPackSubByteConstants.h - Bit-packed sub-byte constants -*- C++
//-*-===//
//
// The function behind mlg-cpu-pack-sub-byte-constants (Passes.td), and the
// pass with its statistics handed back to mlgc's report.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_PIPELINES_CPUPACKSUBBYTECONSTANTS_H
#define MLG_PIPELINES_CPUPACKSUBBYTECONSTANTS_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

#include <memory>

namespace mlir::mlg {

/// Statistics of packSubByteConstants.
struct PackedCodesStats {
  int64_t constants = 0;     // constants packed
  int64_t unpackedBytes = 0; // their size at one byte per element
  int64_t packedBytes = 0;   // their packed size
};

/// Packs the ranked, static, non-splat `arith.constant`s of integer type
/// i1..i7 with at least `minElements` elements. Code `l` (row-major) takes
/// bits [l*K, l*K+K) of the byte stream, least significant bit first.
PackedCodesStats packSubByteConstants(ModuleOp module,
                                      int64_t minElements = 16);

/// mlg-cpu-pack-sub-byte-constants with its default options, adding its
/// statistics to `*stats`.
std::unique_ptr<Pass>
createCPUPackSubByteConstantsPass(PackedCodesStats *stats);

} // namespace mlir::mlg

#endif // MLG_PIPELINES_CPUPACKSUBBYTECONSTANTS_H
