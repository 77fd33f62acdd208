//===- Compiler.h - Compile a module to a PTC program binary ----*- C++ -*-===//
//
// The `mlgc --target=ptc` flow as one library function, shared by mlgc and
// the Python module: mlg-to-ptc on a prepared module, then the program's
// binary (docs/ptc-lowering.md, Binary.h).
//
//===----------------------------------------------------------------------===//

#ifndef MLG_TARGET_PTC_COMPILER_H
#define MLG_TARGET_PTC_COMPILER_H

#include "mlg/Pipelines/Pipelines.h"

#include "mlir/IR/BuiltinOps.h"

#include <cstdint>
#include <vector>

namespace mlir {
class PassManager;

namespace mlg::ptc {

/// Runs the mlg-to-ptc pipeline with `options` on `pm` (an empty pass
/// manager the caller may have configured) over `module`, which then holds
/// one ptc.program. Errors are emitted on the module.
LogicalResult lowerToPTCProgram(ModuleOp module, PassManager &pm,
                                const MLGToPTCOptions &options);

/// The binary of the ptc.program in `module` (exportProgram, writeBinary);
/// errors are emitted on the module.
FailureOr<std::vector<uint8_t>> writeProgramBinary(ModuleOp module);

/// lowerToPTCProgram then writeProgramBinary.
FailureOr<std::vector<uint8_t>>
compileToPTCBinary(ModuleOp module, const MLGToPTCOptions &options);

} // namespace mlg::ptc
} // namespace mlir

#endif // MLG_TARGET_PTC_COMPILER_H
