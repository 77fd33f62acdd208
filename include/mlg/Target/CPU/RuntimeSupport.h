//===- RuntimeSupport.h - Runtime functions inside the library --*- C++ -*-===//
//
// The upstream lowering calls a few functions of MLIR's runtime support
// library (libmlir_c_runner_utils), e.g. `memrefCopy` for copies between
// strided memrefs. A compiled library must not depend on that library, so
// the functions it references are defined in the module itself.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_TARGET_CPU_RUNTIMESUPPORT_H
#define MLG_TARGET_CPU_RUNTIMESUPPORT_H

#include "mlir/IR/BuiltinOps.h"

namespace mlir::mlg {

/// Replaces declarations of supported runtime functions (`memrefCopy`) in an
/// LLVM-dialect module by internal definitions. Fails with a located error
/// if a declaration has an unexpected signature.
LogicalResult defineRuntimeSupport(ModuleOp module);

} // namespace mlir::mlg

#endif // MLG_TARGET_CPU_RUNTIMESUPPORT_H
