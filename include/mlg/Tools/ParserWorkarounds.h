//===- ParserWorkarounds.h - Inputs that crash MLIR's parser ----*- C++ -*-===//
//
// Debian's MLIR 22 crashes (a null attribute stored, then dereferenced)
// when the custom syntax of linalg.broadcast, linalg.transpose or
// linalg.reduce carries a malformed `dimensions`/`permutation` array, and
// its verifier crashes on repeated broadcast dimensions (llvm-project
// #211203). Until the toolchain has the fixes, the tools scan their input
// text first and refuse such an array with a located error instead
// (docs/errors.md, "Known limits").
//
//===----------------------------------------------------------------------===//

#ifndef MLG_TOOLS_PARSERWORKAROUNDS_H
#define MLG_TOOLS_PARSERWORKAROUNDS_H

#include "mlir/Support/LLVM.h"

namespace llvm {
class SourceMgr;
} // namespace llvm

namespace mlir {
class MLIRContext;

namespace mlg {

/// Emits an error at the first `dimensions =` or `permutation =` of the main
/// buffer of `sourceMgr` that is followed by neither `array<` nor a
/// well-formed list of distinct integers `[a, b, ...]`, and fails.
LogicalResult rejectKnownParserCrashes(const llvm::SourceMgr &sourceMgr,
                                       MLIRContext *context);

} // namespace mlg
} // namespace mlir

#endif // MLG_TOOLS_PARSERWORKAROUNDS_H
