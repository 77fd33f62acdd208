//===- Translation.h - ptc dialect <-> PTC binary ---------------*- C++ -*-===//
//
// Conversions between a `ptc.program` and the ISA library's in-memory
// program (which Binary.h writes and reads), and the mlg-translate
// registrations built on them: --ptc-to-binary, --ptc-to-asm and
// --binary-to-ptc.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_TARGET_PTC_TRANSLATION_H
#define MLG_TARGET_PTC_TRANSLATION_H

#include "mlg/Target/PTC/Binary.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Support/LLVM.h"

namespace mlir::mlg::ptc {

/// The program of the single `ptc.program` in `op` (op itself or nested one
/// level in a module). Emits a diagnostic and fails on anything the binary
/// cannot hold.
FailureOr<::mlg::ptc::bin::Program> exportProgram(Operation *op);

/// A module holding one `ptc.program` equivalent to `program`: data
/// tensors, then micro-ops, then instructions, all located at `loc`.
OwningOpRef<ModuleOp> importProgram(const ::mlg::ptc::bin::Program &program,
                                    MLIRContext *context, Location loc);

/// Registers --ptc-to-binary, --ptc-to-asm and --binary-to-ptc.
void registerPTCTranslations();

} // namespace mlir::mlg::ptc

#endif // MLG_TARGET_PTC_TRANSLATION_H
